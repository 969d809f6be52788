"""Propaganda span identification, technique classification and sentence
probability with the PTC-trained models (inference side).

Pipeline for one document: two sentence models (NB-LR and TF-IDF logistic
regression over the same sentence features) give P(sentence holds
propaganda), averaged; the token model sees each word's features plus that
probability (bucketed) and the article's mean; words over the CV-chosen
threshold are decoded into spans; the technique model labels each span; the
span confidence is the mean word probability mapped through the CV
calibration curve.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from ..core.document import CacheSlot, Document
from .apply import sentence_probabilities, token_probabilities
from .features import span_features, token_features
from .linear import LinearModel, MulticlassModel
from .spans import decode_spans
from .store import PtcBundle

__all__ = [
    "PredictedSpan",
    "calibrate",
    "classify_spans",
    "predict_spans",
    "sentence_probs",
    "sentence_propaganda",
    "stacked_token_features",
    "token_probs",
]


@dataclass(frozen=True, slots=True)
class PredictedSpan:
    start: int
    end: int
    score: float  # mean word probability
    confidence: float  # calibrated
    technique: str
    technique_prob: float


def _bucket(p: float, n: int) -> int:
    return min(n - 1, int(p * n))


# by the sentence models' identities
PTC_SENTENCE_PROBS: CacheSlot[list[float]] = CacheSlot("PTC sentence probabilities")
PTC_TOKEN_PROBS: CacheSlot[list[float]] = CacheSlot("PTC word probabilities")
PTC_SPANS: CacheSlot[list[PredictedSpan]] = CacheSlot("PTC spans")


def sentence_probs(doc: Document, models: PtcBundle) -> list[float]:
    """P(propaganda) for each sentence of ``doc`` (0 for sentences with no
    words): the mean of the bundle's sentence models, ``sentence`` (NB-LR) and
    ``sentence_tfidf`` when present. Each distinct feature counts once, as in
    training. Cached on the document."""
    members = [m for m in (models["sentence"], models.get("sentence_tfidf")) if m is not None]
    key = tuple(map(id, members))
    hit = doc.cache.get(PTC_SENTENCE_PROBS, key)
    if hit is None:
        each = [sentence_probabilities(doc, m) for m in members]
        hit = [
            sum(ps[k] for ps in each) / len(members) if doc.word_count(s) else 0.0
            for k, s in enumerate(doc.sentences)
        ]
        doc.cache.put(PTC_SENTENCE_PROBS, hit, key)
    return hit


def stacked_token_features(doc: Document, sent_p: Sequence[float]) -> list[list[str]]:
    """Token features plus the stacked context: the sentence's propaganda
    probability (10 buckets) and the article's mean (20 buckets, capped)."""
    return [
        [*f, *tail]
        for f, tail in zip(token_features(doc), _stacked_tails(doc, sent_p), strict=True)
    ]


def _stacked_tails(doc: Document, sent_p: Sequence[float]) -> list[tuple[str, str]]:
    """The two stacked features of every word (what ``stacked_token_features``
    appends to the token features)."""
    mean = sum(sent_p) / len(sent_p) if sent_p else 0.0
    art = f"art={min(9, int(20 * mean))}"
    per_sent = [(f"sp={_bucket(p, 10)}", art) for p in sent_p] or [("sp=0", art)]
    return [per_sent[si] if sent_p else per_sent[0] for si in doc.word_sentences]


def token_probs(doc: Document, models: PtcBundle) -> list[float]:
    """P(word is inside a propaganda span) for every word, cached on the
    document (spans and sentence scores both read it)."""
    hit = doc.cache.get(PTC_TOKEN_PROBS)
    if hit is None:
        sp = sentence_probs(doc, models)
        tok: LinearModel = models["token"]
        hit = token_probabilities(doc, tok, _stacked_tails(doc, sp))
        doc.cache.put(PTC_TOKEN_PROBS, hit)
    return hit


def calibrate(score: float, curve: Sequence[Sequence[float]]) -> float:
    """Piecewise-linear map through ``curve`` points ``[[x, y], ...]`` (sorted
    by x): the isotonic calibration fitted in cross-validation."""
    if not curve:
        return score
    xs = [p[0] for p in curve]
    i = bisect.bisect_left(xs, score)
    if i == 0:
        return float(curve[0][1])
    if i >= len(curve):
        return float(curve[-1][1])
    (x0, y0), (x1, y1) = curve[i - 1], curve[i]
    return float(y0 + (y1 - y0) * (score - x0) / (x1 - x0)) if x1 > x0 else float(y1)


def classify_spans(
    doc: Document, model: MulticlassModel, spans: Sequence[tuple[int, int]]
) -> list[list[tuple[str, float]]]:
    """For each span, all techniques ranked by probability."""
    probs = model.proba_each([span_features(doc, s, e) for s, e in spans])
    return [sorted(zip(model.classes, p, strict=True), key=lambda t: -t[1]) for p in probs]


def predict_spans(doc: Document, models: PtcBundle) -> list[PredictedSpan]:
    """Propaganda spans of ``doc`` with technique and calibrated confidence
    (cached on the document, so the two category detectors share one run)."""
    cached = doc.cache.get(PTC_SPANS)
    if cached is not None:
        return cached
    tok: LinearModel = models["token"]
    if not doc.words:
        return []
    probs = token_probs(doc, models)
    raw = decode_spans(
        doc,
        probs,
        tok.threshold,
        int(tok.meta.get("max_gap", 1)),
        tok.meta.get("seed_threshold"),
    )
    ranked = classify_spans(doc, models["technique"], [(s, e) for s, e, _ in raw])
    curve = tok.meta.get("calibration", [])
    out = [
        PredictedSpan(s, e, score, calibrate(score, curve), r[0][0], r[0][1])
        for (s, e, score), r in zip(raw, ranked, strict=True)
    ]
    doc.cache.put(PTC_SPANS, out)
    return out


def sentence_propaganda(doc: Document, models: PtcBundle) -> list[float]:
    """P(sentence holds propaganda): the mean of the sentence models'
    probability (``sentence_probs``) and the highest word probability in the
    sentence; its threshold is the ``sentence`` model's ``threshold``, chosen
    in cross-validation."""
    sp = sentence_probs(doc, models)
    if not doc.words:
        return list(sp)
    mx = [0.0] * len(sp)
    for si, p in zip(doc.word_sentences, token_probs(doc, models), strict=True):
        mx[si] = max(mx[si], p)
    return [
        (a + b) / 2 if doc.word_count(s) else 0.0
        for a, b, s in zip(sp, mx, doc.sentences, strict=True)
    ]
