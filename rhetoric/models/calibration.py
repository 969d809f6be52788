"""What calibration reads besides the findings: how often real annotators
marked a word (inference side; the tables are built by
``training/calibration.py`` and shipped as readable JSON).

* ``loaded``: for each word, how often expert annotators marked it as biased
  wording where it occurred in news (BABE's biased words and BASIL's lexical
  bias spans, training part only): "supporters" 0 of 49, "slammed" 13 of 18.
* ``hedge``: for each word, how often the Szeged Uncertainty Corpus marks it
  as an uncertainty cue where it occurs ("may" as against "should").

A lexicon term is only a guess at loaded or hedged wording; these rates let
calibration tell the words annotators of real text mark from the ones they
read as plain description.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .store import models_dir

__all__ = ["RATES_FILE", "TermRates", "load_term_rates"]

RATES_FILE = "calibration_terms.json"
# Rates of words seen fewer times than this are not used.
MIN_OCCURRENCES = 3


@dataclass(frozen=True)
class TermRates:
    """Per word ``(marked, occurrences)`` in each table."""

    loaded: dict[str, tuple[int, int]]
    hedge: dict[str, tuple[int, int]]

    @staticmethod
    def rate(table: dict[str, tuple[int, int]], words: list[str]) -> tuple[float, int] | None:
        """The highest smoothed marking rate ``(marked + 0.5) / (occ + 3)``
        among ``words`` seen at least ``MIN_OCCURRENCES`` times, with its
        occurrence count; None when no word is known."""
        best: tuple[float, int] | None = None
        for w in words:
            hit = table.get(w)
            if hit is None or hit[1] < MIN_OCCURRENCES:
                continue
            r = (hit[0] + 0.5) / (hit[1] + 3)
            if best is None or r > best[0]:
                best = (r, hit[1])
        return best

    def to_json(self) -> dict[str, Any]:
        return {
            "format": "rhetoric-term-rates",
            "format_version": 1,
            "loaded": {w: list(v) for w, v in sorted(self.loaded.items())},
            "hedge": {w: list(v) for w, v in sorted(self.hedge.items())},
        }

    @classmethod
    def from_json(cls, obj: dict[str, object]) -> TermRates:
        if obj.get("format") != "rhetoric-term-rates":
            raise ValueError("not a rhetoric term-rates file")
        tables = {}
        for key in ("loaded", "hedge"):
            raw = obj.get(key, {})
            assert isinstance(raw, dict)
            tables[key] = {str(w): (int(v[0]), int(v[1])) for w, v in raw.items()}
        return cls(tables["loaded"], tables["hedge"])


@lru_cache(maxsize=2)
def load_term_rates(folder: str | None = None) -> TermRates | None:
    """The shipped term rates (or those in ``folder``); None when absent."""
    path = Path(folder) if folder else models_dir()
    f = path / RATES_FILE
    if not f.is_file():
        return None
    return TermRates.from_json(json.loads(f.read_text(encoding="utf-8")))
