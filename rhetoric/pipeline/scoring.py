"""Scores: pure functions from the writer's findings and sentences to 0-100.

**Category scores** (one passage, or the whole article, with ``W`` words of
article text, page furniture left out)::

    load_c    = sum of the confidences of the writer's findings of category c
    density_c = 100 * load_c / max(W, floor)        # confidence-weighted hits per 100 words
    score_c   = round(100 * (1 - exp(-density_c / K_c)))

**Overall score**: the evidence that the article leans on persuasion, in
points a reader can trace::

    evidence_k = the four densities above, and for each sentence model
                 (bias, opinion, propaganda) 100 * sum over the writer's
                 sentences of words_s * 2 * max(0, p_s - 0.5) / max(W, floor)
    overall    = round(100 * (1 - 2 ** -(sum_k w_k * evidence_k)))

Every term is a highlighted finding or a sentence a model flags (p >= 0.5);
an article with none scores 0. The weights ``w_k`` (non-negative) are fitted
on the SemEval-2019 hyperpartisan articles (``rhetoric train score``) and
scaled so that 50 is where a one-sided article becomes more likely than straight
reporting: **at 50 or more, the article leans on persuasion more than straight
reporting does.** Quoted rhetoric is the speaker's and does not count; a
hedge or an attribution gap inside reported speech is credited to the source
(``author_findings``). See docs/scoring.md.

``floor`` (50 words for the article, 30 for a passage) keeps a one-line
headline with a single hit from scoring 100.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

from ..core.report import CATEGORIES, Finding, SentenceScore

__all__ = [
    "ARTICLE_FLOOR",
    "CATEGORY_WEIGHTS",
    "EVIDENCE",
    "K_OVERALL",
    "PASSAGE_FLOOR",
    "SENTENCE_EVIDENCE",
    "K",
    "author_findings",
    "evidence",
    "overall_score",
    "region_scores",
    "scores_from_evidence",
]

K: dict[str, float] = {
    "loaded_language": 2.0,
    "hedging": 2.0,
    "attribution": 1.5,
    "propaganda": 1.0,
}
# The overall score without fitted weights (no ``score`` model installed).
CATEGORY_WEIGHTS: dict[str, float] = {
    "loaded_language": 1.0,
    "hedging": 0.5,
    "attribution": 0.75,
    "propaganda": 1.0,
}
K_OVERALL = 3.0
ARTICLE_FLOOR = 50
PASSAGE_FLOOR = 30

# sentence-model evidence: (name, SentenceScore attribute)
SENTENCE_EVIDENCE: tuple[tuple[str, str], ...] = (
    ("sentence_bias", "bias"),
    ("sentence_opinion", "opinion"),
    ("sentence_propaganda", "propaganda"),
)
EVIDENCE: tuple[str, ...] = (*CATEGORIES, *(name for name, _ in SENTENCE_EVIDENCE))

# In reported speech ("officials said the attack may have been planned") the
# stance is the source's: a hedge or an attribution gap there is credited to
# the source, not scored as the writer's. A loaded word there is the writer's
# choice of paraphrase and counts.
SOURCE_STANCE = frozenset(["hedging", "attribution"])


def author_findings(findings: Iterable[Finding]) -> list[Finding]:
    """The findings an article's scores are about: the writer's own rhetoric
    (not inside a quotation, and not a source's reported hedge)."""
    return [
        f
        for f in findings
        if f.voice == "author" and not (f.attribution is not None and f.category in SOURCE_STANCE)
    ]


def _saturate(density: float, k: float) -> int:
    return round(100.0 * (1.0 - math.exp(-density / k)))


def evidence(
    findings: Iterable[Finding],
    sentences: Sequence[tuple[int, SentenceScore]],
    words: int,
    floor: int,
) -> dict[str, float]:
    """The overall score's evidence for a region: ``findings`` are the
    writer's (``author_findings``), ``sentences`` the writer's sentences in
    the region as ``(words, scores)``."""
    denom = max(words, floor)
    out = dict.fromkeys(EVIDENCE, 0.0)
    for f in findings:
        if f.category in out:
            out[f.category] += 100.0 * f.confidence / denom
    for name, attr in SENTENCE_EVIDENCE:
        total = 0.0
        for n, s in sentences:
            p = getattr(s, attr)
            if p is not None and p > 0.5:
                total += n * 2.0 * (p - 0.5)
        out[name] = 100.0 * total / denom
    return out


def overall_score(ev: Mapping[str, float], weights: Mapping[str, float] | None) -> int:
    """``round(100 * (1 - 2 ** -sum(w_k * e_k)))``; without fitted weights,
    the category formula of old (loaded and propaganda count fully, hedging
    and attribution gaps less)."""
    if weights is None:
        x = sum(CATEGORY_WEIGHTS[c] * ev.get(c, 0.0) for c in CATEGORIES)
        return _saturate(x, K_OVERALL)
    x = sum(weights.get(k, 0.0) * v for k, v in ev.items())
    return round(100.0 * (1.0 - 2.0 ** (-x)))


def region_scores(
    findings: Iterable[Finding],
    words: int,
    floor: int = ARTICLE_FLOOR,
    categories: Sequence[str] = CATEGORIES,
    sentences: Sequence[tuple[int, SentenceScore]] = (),
    weights: Mapping[str, float] | None = None,
) -> dict[str, int]:
    """Scores for one region: ``{"overall": int, <category>: int, ...}``."""
    return scores_from_evidence(evidence(findings, sentences, words, floor), categories, weights)


def scores_from_evidence(
    ev: Mapping[str, float],
    categories: Sequence[str] = CATEGORIES,
    weights: Mapping[str, float] | None = None,
) -> dict[str, int]:
    """``region_scores`` from a region's ``evidence`` already computed."""
    out = {"overall": overall_score(ev, weights)}
    for c in categories:
        out[c] = _saturate(ev[c], K[c])
    return out
