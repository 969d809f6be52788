"""``path:line:col: category/label: explanation`` lines, for editors and CI."""

from __future__ import annotations

import bisect

from ..core.report import Report


def line_starts(text: str) -> list[int]:
    """Offsets at which each line begins (for 1-based line:col lookups)."""
    return [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]


def render_lines(report: Report) -> list[str]:
    out = []
    starts = line_starts(report.text)
    for f in report.findings:
        li = bisect.bisect_right(starts, f.start) - 1
        phrase = " ".join(f.text.split())
        if len(phrase) > 60:
            phrase = phrase[:57] + "..."
        out.append(
            f"{report.id}:{li + 1}:{f.start - starts[li] + 1}: {f.category}/{f.label}: "
            f'"{phrase}" {f.explanation} ({f.confidence:.2f})'
        )
    return out
