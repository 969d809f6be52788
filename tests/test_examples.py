"""The examples table (tests/examples.tsv) drives every detector's tests:
sentences it must flag, with the exact phrase, and sentences it must pass."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from rhetoric.core.document import Document
from rhetoric.detectors import DEFAULT_DETECTORS

TABLE = Path(__file__).with_name("examples.tsv")
BY_NAME = {d.name: d for d in DEFAULT_DETECTORS}


def rows() -> list[tuple[str, str, str, str]]:
    lines = [x for x in TABLE.read_text(encoding="utf-8").splitlines() if not x.startswith("#")]
    reader = csv.reader(lines[1:], delimiter="\t", quoting=csv.QUOTE_NONE)
    return [(r[0], r[1], r[2], r[3] if len(r) > 3 else "") for r in reader if r]


@pytest.mark.parametrize(("detector", "expect", "sentence", "phrase"), rows())
def test_example(detector: str, expect: str, sentence: str, phrase: str) -> None:
    found = BY_NAME[detector].detect(Document(sentence))
    for f in found:
        assert sentence[f.start : f.end] == f.text
    if expect == "flag":
        start = sentence.index(phrase)
        assert (start, start + len(phrase)) in {(f.start, f.end) for f in found}, [
            f.text for f in found
        ]
    else:
        assert not [f.text for f in found if f.confidence >= 0.5]


def test_every_detector_has_flag_and_pass_examples() -> None:
    table = rows()
    for name in BY_NAME:
        kinds = {expect for d, expect, _, _ in table if d == name}
        assert kinds == {"flag", "pass"}, f"{name} needs must-flag and must-pass examples"
    assert {d for d, *_ in table} <= set(BY_NAME)
