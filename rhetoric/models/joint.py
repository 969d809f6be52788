"""All token models scored in one pass, for batch runs.

Five word-level models (PTC spans, BABE biased words, hedge cues, attribution
cues and sources) read the same word features (``features.token_features``).
Scored one by one, each looks every feature of every word up in its own weight
table: five passes of dictionary lookups, the largest cost of the models. A
``JointTokenScorer`` puts the five weight tables side by side in one matrix
(one row per feature string), so a document needs one lookup per feature and
one numpy gather-and-sum for all five models.

Building the matrix takes about 0.3 s and 30 MB and imports numpy, which only
pays off over many documents: ``rhetoric batch`` and the Dask integration
switch to it after a worker's first ``batch.JOINT_AFTER`` documents
(``config.Analyzer(joint_after=...)``); ``rhetoric score`` scores one model at
a time. The decisions are the same sums, so reports agree (floating-point order
aside, far below the three decimals a report shows).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain, repeat
from typing import Any

from ..document import Document
from .features import token_features
from .linear import LinearModel

__all__ = ["JOINT_KEY", "JointTokenScorer", "joint_token_scorer", "token_probabilities"]

# doc.cache key under which ``analyze`` leaves the scorer for the models to use
JOINT_KEY = "joint_token_scorer"


class JointTokenScorer:
    """Decision values of several ``LinearModel``s over the shared word
    features, computed together (see the module docstring)."""

    def __init__(self, models: Sequence[LinearModel]) -> None:
        import numpy as np

        self.models = list(models)
        names = dict.fromkeys(chain.from_iterable(m.weights for m in self.models))
        self._row = dict(zip(names, range(len(names)), strict=True))
        # the last row stays zero: features no model knows
        weights = np.zeros((len(names) + 1, len(self.models)))
        for k, m in enumerate(self.models):
            rows = np.fromiter(map(self._row.__getitem__, m.weights), np.intp, len(m.weights))
            weights[rows, k] = np.fromiter(m.weights.values(), float, len(m.weights))
        self._weights = weights
        self._intercepts = np.array([m.intercept for m in self.models])
        self._column = {id(m): k for k, m in enumerate(self.models)}

    def scores(self, model: LinearModel) -> bool:
        """Whether ``model`` is one of the scorer's (by identity: models put in
        place with ``store.using_bundle`` are scored on their own)."""
        return id(model) in self._column

    def decisions(self, doc: Document, model: LinearModel) -> list[float]:
        """``model.decision(f)`` for every word's features ``f`` in ``doc``."""
        key = ("joint_decisions", id(self))
        table = doc.cache.get(key)
        if table is None:
            table = doc.cache[key] = self._all_decisions(doc)
        return table[self._column[id(model)]]

    def _all_decisions(self, doc: Document) -> list[list[float]]:
        import numpy as np

        feats = token_features(doc)  # distinct features per word
        if not feats:
            return [[] for _ in self.models]
        flat = list(chain.from_iterable(feats))
        unknown = len(self._row)
        rows = np.fromiter(map(self._row.get, flat, repeat(unknown)), np.intp, len(flat))
        # every word has features, so each word's segment is non-empty
        starts = np.zeros(len(feats), np.intp)
        np.cumsum(np.fromiter(map(len, feats), np.intp, len(feats))[:-1], out=starts[1:])
        sums = np.add.reduceat(self._weights[rows], starts, axis=0) + self._intercepts
        return sums.T.tolist()


def joint_token_scorer() -> JointTokenScorer | None:
    """A scorer over the shipped token models that are installed (None when
    there are none)."""
    from .store import load_bundle

    roles = (("ptc", "token"), ("babe", "word"), ("hedging", "cue"))
    roles += (("attribution", "cue"), ("attribution", "source"))
    models = []
    for bundle, role in roles:
        b = load_bundle(bundle)
        if b is not None and isinstance(b.get(role), LinearModel):
            models.append(b[role])
    return JointTokenScorer(models) if models else None


def token_probabilities(
    doc: Document, model: LinearModel, tails: Sequence[Sequence[str]] | None = None
) -> list[float]:
    """``model``'s probability for every word over the shared word features
    followed by ``tails[i]`` (extra features of word i, when given): through
    the document's joint scorer when it has one for this model, else on its
    own."""
    joint: Any = doc.cache.get(JOINT_KEY)
    if joint is not None and joint.scores(model):
        return model.probas_after(joint.decisions(doc, model), tails)
    return model.probas(token_features(doc), tails)
