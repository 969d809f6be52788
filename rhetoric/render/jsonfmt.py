"""JSON and JSON Lines output of the report contract (docs/schema.md)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TextIO

from ..core.report import Report


def render_json(reports: Sequence[Report]) -> str:
    """One object for one report, a list for several."""
    data = [r.to_dict() for r in reports]
    return json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2)


def write_json(reports: Sequence[Report], out: TextIO) -> None:
    """``render_json(reports)`` written to ``out`` in pieces of about 64 KB:
    the same characters, without holding the whole text and the millions of
    small pieces it is joined from (a long article's report is tens of MB)."""
    data = [r.to_dict() for r in reports]
    encoder = json.JSONEncoder(ensure_ascii=False, indent=2)
    buf: list[str] = []
    size = 0
    for chunk in encoder.iterencode(data[0] if len(data) == 1 else data):
        buf.append(chunk)
        size += len(chunk)
        if size >= 1 << 16:
            out.write("".join(buf))
            buf.clear()
            size = 0
    out.write("".join(buf))


def render_jsonl_line(report: Report) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False, separators=(",", ":"))
