"""Scores: pure functions from findings and word counts to 0-100 numbers.

For a region (one passage, or the whole article) with ``W`` words::

    load_c    = sum of the confidences of the findings of category c in the region
    density_c = 100 * load_c / max(W, floor)        # confidence-weighted hits per 100 words
    score_c   = round(100 * (1 - exp(-density_c / K_c)))
    overall   = round(100 * (1 - exp(-sum_c(w_c * density_c) / K_overall)))

``floor`` (50 words for the article, 30 for a passage) keeps a one-line
headline with a single hit from scoring 100. ``K_c`` is the density that scores
63: about two confident hits per 100 words for loaded language and hedging. The
weights ``w_c`` count hedging and attribution gaps less than loaded language and
propaganda, because careful reporting hedges and cites unnamed officials too.
See docs/scoring.md for the reasoning and worked examples.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from ..core.report import CATEGORIES, Finding

__all__ = ["CATEGORY_WEIGHTS", "K_OVERALL", "K", "region_scores"]

K: dict[str, float] = {
    "loaded_language": 2.0,
    "hedging": 2.0,
    "attribution": 1.5,
    "propaganda": 1.0,
}
CATEGORY_WEIGHTS: dict[str, float] = {
    "loaded_language": 1.0,
    "hedging": 0.5,
    "attribution": 0.75,
    "propaganda": 1.0,
}
K_OVERALL = 3.0
ARTICLE_FLOOR = 50
PASSAGE_FLOOR = 30


def _saturate(density: float, k: float) -> int:
    return round(100.0 * (1.0 - math.exp(-density / k)))


def region_scores(
    findings: Iterable[Finding],
    words: int,
    floor: int = ARTICLE_FLOOR,
    categories: Sequence[str] = CATEGORIES,
) -> dict[str, int]:
    """Scores for one region: ``{"overall": int, <category>: int, ...}``."""
    load = dict.fromkeys(categories, 0.0)
    for f in findings:
        if f.category in load:
            load[f.category] += f.confidence
    denom = max(words, floor)
    density = {c: 100.0 * v / denom for c, v in load.items()}
    out = {
        "overall": _saturate(sum(CATEGORY_WEIGHTS[c] * d for c, d in density.items()), K_OVERALL)
    }
    for c in categories:
        out[c] = _saturate(density[c], K[c])
    return out
