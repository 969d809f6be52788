"""Classroom tools built on the report: worksheets, grading, comparison, quiz.

Each module holds the logic and its renderers; ``rhetoric/cli_classroom.py``
only parses arguments and prints what these return.
"""
