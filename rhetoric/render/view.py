"""What the default views show: findings at or above ``SHOW_FLOOR``.

A finding's confidence is the probability that a careful reader of news
agrees with it (``pipeline.calibrate``); below 0.5 the tool is more likely
wrong than right, so the text and HTML views, worksheets and keys leave such
findings out and say how many they left out (``--all`` shows them). JSON and
the other machine formats keep every finding with its confidence.
"""

from __future__ import annotations

from dataclasses import replace

from ..core.report import Report

__all__ = ["SHOW_FLOOR", "visible", "voice_note"]

SHOW_FLOOR = 0.5


def visible(report: Report, floor: float = SHOW_FLOOR) -> Report:
    """``report`` with the findings under ``floor`` left out and a note that
    says how many (the scores stay those of the whole analysis)."""
    shown = [f for f in report.findings if f.confidence >= floor]
    hidden = len(report.findings) - len(shown)
    if not hidden:
        return report
    note = (
        f"{hidden} weaker finding{'s' if hidden != 1 else ''} (confidence under {floor:g}) "
        f"{'are' if hidden != 1 else 'is'} hidden; --all shows them"
    )
    return replace(report, findings=shown, notes=[*report.notes, note])


def voice_note(speaker: str | None) -> str:
    """How a quoted finding is introduced: "quoted (Nancy Pelosi)"."""
    who = " ".join(speaker.split()) if speaker else ""
    return f"quoted ({who})" if who else "quoted"
