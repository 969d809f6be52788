"""JSON and JSON Lines output of the report contract (docs/schema.md)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..core.report import Report


def render_json(reports: Sequence[Report]) -> str:
    """One object for one report, a list for several."""
    data = [r.to_dict() for r in reports]
    return json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2)


def render_jsonl_line(report: Report) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False, separators=(",", ":"))
