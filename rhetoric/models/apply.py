"""Running a linear model over a document, once: per-sentence and per-word
probabilities, cached on the document under the model's identity so several
detectors can share one pass."""

from __future__ import annotations

from ..core.document import Document
from .features import sentence_features, token_features
from .linear import LinearModel

__all__ = ["sentence_probabilities", "word_probabilities"]


def sentence_probabilities(doc: Document, model: LinearModel) -> list[float]:
    """``model``'s probability for each sentence of ``doc`` (0 for a sentence
    with no words)."""
    key = ("sentence_probs", id(model))
    hit = doc.cache.get(key)
    if hit is None:
        hit = doc.cache[key] = [
            model.proba(sentence_features(doc, s)) if doc.word_count(s) else 0.0
            for s in doc.sentences
        ]
    return hit


def word_probabilities(doc: Document, model: LinearModel) -> list[float]:
    """``model``'s probability for each word of ``doc`` over the shared token
    features."""
    key = ("word_probs", id(model))
    hit = doc.cache.get(key)
    if hit is None:
        hit = doc.cache[key] = model.probas(token_features(doc))
    return hit
