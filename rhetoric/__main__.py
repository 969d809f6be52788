"""``python -m rhetoric`` runs the command line."""

from .cli import main

main()
