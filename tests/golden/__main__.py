"""`python -m tests.golden`: regenerate the golden reports (see __init__)."""

from . import regenerate

regenerate()
