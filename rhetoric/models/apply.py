"""Running a linear model over a document, once: per-sentence and per-word
probabilities, cached on the document under the model's identity so several
detectors can share one pass.

The word taggers and sentence models in use (``store.JOINT_GROUPS``) are scored together by one
``joint.JointScorer`` per group, in one pass over the document; any other
model (a fold model in a cross-validation script, say) on its own. Both give
the same floats."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from ..core.document import CacheSlot, Document
from .features import sentence_features, token_features, token_parts
from .joint import JointScorer, token_id_grid
from .linear import LinearModel
from .store import JOINT_GROUPS, compiled_scorer, load_bundle

__all__ = ["sentence_probabilities", "token_probabilities", "word_probabilities"]

T = TypeVar("T")

# by the model's identity, holding the model: while the entry lives, no other
# object can take its id (fold models come and go in cross-validation)
SENTENCE_PROBS: CacheSlot[tuple[object, list[float]]] = CacheSlot("sentence probabilities")
WORD_PROBS: CacheSlot[tuple[object, list[float]]] = CacheSlot("word probabilities")
# by the scorer's identity, holding the scorer: every model's weight sums, one
# row per word / sentence
JOINT_WORD_SUMS: CacheSlot[tuple[object, Any]] = CacheSlot("joint word sums")
JOINT_SENTENCE_SUMS: CacheSlot[tuple[object, Any]] = CacheSlot("joint sentence sums")


def _cached(doc: Document, slot: CacheSlot[tuple[object, T]], owner: object) -> T | None:
    hit = doc.cache.get(slot, id(owner))
    return hit[1] if hit is not None and hit[0] is owner else None


def _keep(doc: Document, slot: CacheSlot[tuple[object, T]], owner: object, value: T) -> T:
    doc.cache.put(slot, (owner, value), id(owner))
    return value


# scorers by the identities of their models (which they hold, so the ids stay
# theirs); a handful at most: the shipped set, and fold models while a
# cross-validation script runs
_SCORERS: dict[tuple[int, ...], JointScorer] = {}
_MAX_SCORERS = 4


def _scorer(group: str, model: LinearModel) -> JointScorer | None:
    """The joint scorer of the models of ``group`` now in use, when ``model``
    is one of them: the compiled one for the shipped models, else one joined
    from the models' weights."""
    models = []
    for bundle, role in JOINT_GROUPS[group]:
        loaded: Mapping[str, object] = load_bundle(bundle) or {}
        m = loaded.get(role)
        if isinstance(m, LinearModel) and not m.normalised:
            models.append(m)
    if not any(m is model for m in models):
        return None
    key = tuple(map(id, models))
    hit = _SCORERS.get(key)
    if hit is None:
        if len(_SCORERS) >= _MAX_SCORERS:
            _SCORERS.pop(next(iter(_SCORERS)))
        hit = _SCORERS[key] = compiled_scorer(group, models) or JointScorer(models)
    return hit


def token_probabilities(
    doc: Document, model: LinearModel, tails: Sequence[Sequence[str]] | None = None
) -> list[float]:
    """``model.probas(token_features(doc), tails)``: ``model``'s probability
    for each word, over the shared token features followed by the word's
    ``tails`` (features only this model reads). Not cached (the tails vary)."""
    scorer = _scorer("token", model)
    if scorer is None:
        return model.probas(token_features(doc), tails)
    sums = _cached(doc, JOINT_WORD_SUMS, scorer)
    if sums is None:  # ids straight from the feature parts: no feature rows built
        grid = token_id_grid(token_parts(doc), scorer.vocab, scorer.pad)
        sums = _keep(doc, JOINT_WORD_SUMS, scorer, scorer.grid_sums(grid))
    return scorer.probabilities(sums, model, tails)


def word_probabilities(doc: Document, model: LinearModel) -> list[float]:
    """``model``'s probability for each word of ``doc`` over the shared token
    features, cached."""
    hit = _cached(doc, WORD_PROBS, model)
    if hit is None:
        hit = _keep(doc, WORD_PROBS, model, token_probabilities(doc, model))
    return hit


def sentence_probabilities(doc: Document, model: LinearModel) -> list[float]:
    """``model``'s probability for each sentence of ``doc`` (0 for a sentence
    with no words), cached."""
    hit = _cached(doc, SENTENCE_PROBS, model)
    if hit is not None:
        return hit
    scorer = _scorer("sentence", model)
    rows = [k for k, s in enumerate(doc.sentences) if doc.word_count(s)]
    if scorer is None:
        probs = model.proba_each([sentence_features(doc, doc.sentences[k]) for k in rows])
    else:
        sums = _cached(doc, JOINT_SENTENCE_SUMS, scorer)
        if sums is None:
            feats = [sentence_features(doc, doc.sentences[k]) for k in rows]
            sums = _keep(doc, JOINT_SENTENCE_SUMS, scorer, scorer.sums(feats))
        probs = scorer.probabilities(sums, model)
    hit = [0.0] * len(doc.sentences)
    for k, p in zip(rows, probs, strict=True):
        hit[k] = p
    return _keep(doc, SENTENCE_PROBS, model, hit)
