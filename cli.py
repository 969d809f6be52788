"""Run the rhetoric command line from a checkout: ``python cli.py score FILE``."""

from rhetoric.cli import main

if __name__ == "__main__":
    main()
