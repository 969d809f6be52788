"""``path:line:col: category/label: explanation`` lines, for editors and CI."""

from __future__ import annotations

import bisect

from ..core.document import line_starts as document_line_starts
from ..core.report import Report
from ..core.safe import printable


def line_starts(text: str) -> list[int]:
    """Offsets at which each line begins (for 1-based line:col lookups); a
    line ends in ``\n``, ``\r\n`` or ``\r``."""
    return document_line_starts(text)


def render_lines(report: Report) -> list[str]:
    out = []
    starts = line_starts(report.text)
    doc_id = printable(report.id)  # a file name may hold an escape sequence too
    for f in report.findings:
        li = bisect.bisect_right(starts, f.start) - 1
        phrase = " ".join(f.text.split())
        if len(phrase) > 60:
            phrase = phrase[:57] + "..."
        out.append(
            f"{doc_id}:{li + 1}:{f.start - starts[li] + 1}: {f.category}/{f.label}: "
            f'"{printable(phrase)}" {f.explanation} ({f.confidence:.2f})'
        )
    return out
