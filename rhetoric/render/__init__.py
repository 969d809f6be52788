"""Renderers: each turns ``Report`` objects into output and reads nothing else."""

FORMATS = ("text", "json", "jsonl", "lines", "html")
