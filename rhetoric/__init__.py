"""rhetoric: shows, passage by passage, how a news article tries to persuade.

    >>> from rhetoric import analyze
    >>> report = analyze("Critics say the so-called reform is a total disaster.")
    >>> [f.text for f in report.findings]  # doctest: +SKIP

``analyze(text) -> Report`` is the one public entry point; ``Report.to_dict()``
is the JSON contract documented in docs/schema.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._version import __version__
from .core.document import Document
from .core.report import CATEGORIES, SCHEMA_VERSION, Attribution, Finding, Report

if TYPE_CHECKING:
    from .pipeline.analyze import analyze


def __getattr__(name: str) -> Any:
    """``analyze`` is imported on first use: ``rhetoric --help`` and the
    package's data types need none of the analysis modules."""
    if name == "analyze":
        from .pipeline.analyze import analyze

        return analyze
    raise AttributeError(f"module 'rhetoric' has no attribute {name!r}")


__all__ = [
    "CATEGORIES",
    "SCHEMA_VERSION",
    "Attribution",
    "Document",
    "Finding",
    "Report",
    "__version__",
    "analyze",
]
