"""Classroom tools built on the report: worksheets, grading, comparison, quiz.

Each module holds the logic and its renderers; ``rhetoric/cli/classroom.py``
only parses arguments and prints what these return.
"""
