"""Running a linear model over a document, once: per-sentence and per-word
probabilities, cached on the document under the model's identity so several
detectors can share one pass."""

from __future__ import annotations

from ..core.document import CacheSlot, Document
from .features import sentence_features, token_features
from .linear import LinearModel

__all__ = ["sentence_probabilities", "word_probabilities"]

# by the model's identity
SENTENCE_PROBS: CacheSlot[list[float]] = CacheSlot("sentence probabilities")
WORD_PROBS: CacheSlot[list[float]] = CacheSlot("word probabilities")


def sentence_probabilities(doc: Document, model: LinearModel) -> list[float]:
    """``model``'s probability for each sentence of ``doc`` (0 for a sentence
    with no words)."""
    hit = doc.cache.get(SENTENCE_PROBS, id(model))
    if hit is None:
        hit = doc.cache.put(
            SENTENCE_PROBS,
            [
                model.proba(sentence_features(doc, s)) if doc.word_count(s) else 0.0
                for s in doc.sentences
            ],
            id(model),
        )
    return hit


def word_probabilities(doc: Document, model: LinearModel) -> list[float]:
    """``model``'s probability for each word of ``doc`` over the shared token
    features."""
    hit = doc.cache.get(WORD_PROBS, id(model))
    if hit is None:
        hit = doc.cache.put(WORD_PROBS, model.probas(token_features(doc)), id(model))
    return hit
