"""Bracket markup for plain text: where each finding opens and closes.

Brackets nest, findings need not: when two findings cross ("Some lawmakers
have been scrambling" and "scrambling to"), bare brackets would pair the
wrong way. Such findings carry their label on the opening bracket as well,
so each pair can be read off: ``[A5 Some lawmakers have been [L6 scrambling]A5 to]L6``.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..core.report import Finding

__all__ = ["bracket_tags", "crossing"]


def crossing(findings: Sequence[Finding]) -> set[int]:
    """Indices of the findings that cross another (overlap without nesting)."""
    order = sorted(range(len(findings)), key=lambda i: (findings[i].start, -findings[i].end))
    out: set[int] = set()
    open_: list[int] = []  # findings still open at the current start, by end
    for i in order:
        f = findings[i]
        open_ = [j for j in open_ if findings[j].end > f.start]
        for j in open_:
            if f.end > findings[j].end and f.start > findings[j].start:
                out.update((i, j))
        open_.append(i)
    return out


def bracket_tags(
    items: Sequence[tuple[str, Finding]], opener: str = "[", closer: str = "]"
) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """``(opens, closes)``: the tags to write before the character at each
    offset. ``items`` pairs each finding with its label ("L6"). Where several
    close at one offset the one opened last closes first."""
    found = [f for _, f in items]
    cross = crossing(found)
    opens: dict[int, list[str]] = {}
    closes: dict[int, list[str]] = {}
    order = sorted(range(len(items)), key=lambda i: (found[i].start, -found[i].end))
    for i in order:
        label, f = items[i]
        opens.setdefault(f.start, []).append(f"{opener}{label} " if i in cross else opener)
    for i in sorted(range(len(items)), key=lambda i: (-found[i].start, found[i].end)):
        label, f = items[i]
        closes.setdefault(f.end, []).append(f"{closer}{label}")
    return opens, closes
