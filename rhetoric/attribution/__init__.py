"""Who said what: the rule-based extractor (``rules``: reporting cues,
sources and their kinds), the trained taggers joined to it (``combine``),
the entry point that picks between them (``extract``) and the sourcing
profile of a report (``sourcing``). Above models/, below detectors/."""

from .extract import extract_attributions

__all__ = ["extract_attributions"]
