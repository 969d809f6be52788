"""One scorer for every linear model that reads the same rows of features.

Five word taggers score every word of an article over the same token features,
and three sentence models every sentence over the same sentence features. Asked
one by one, each model looks each feature up in its own dict of weights: about
62,000 dict look-ups per article, a float object behind every weight, and the
largest single cost of an analysis. ``JointScorer`` puts the vocabularies of
such models in one id space and their weights in one float64 matrix (a column
per model): each feature is looked up once, and the weights of all models come
in one gather.

Exactness: the sums are built column by column of a padded id grid (pad = a
row of zeros), so every model adds its weights in exactly the order
``LinearModel.probas`` does, from 0.0, and the sigmoid is ``math.exp`` as
there. The probabilities are the same floats, bit for bit; the plain-Python
models stay the reference (training, cross-validation and tests use them) and
``tests/test_joint.py`` checks the two agree on a corpus.

Compiled files: the shipped JSON models stay the readable source of truth
(training writes them); ``training.compile`` derives from them, per group,
the vocabulary as text (one feature per line, in id order) and the weight
matrix as ``.npy``, and a manifest (``MANIFEST``) with each source file's
size, SHA-256, intercept, threshold and metadata. ``load_joint`` reads them:
no JSON parsed, no per-model dicts built, and the matrix is memory-mapped, so
processes share its pages.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from itertools import chain, repeat
from pathlib import Path
from typing import Any

import numpy as np

from .linear import LinearModel, sigmoid

__all__ = ["MANIFEST", "MANIFEST_FORMAT", "JointScorer", "load_joint", "read_manifest"]

#: The compiled groups' manifest, next to the JSON models.
MANIFEST = "joint.json"
MANIFEST_FORMAT = "rhetoric-joint"


class JointScorer:
    """The plain (not TF-IDF) binary models ``models`` scored together.

    ``sums(rows)`` gives, for every row, every model's sum of weights (an
    ``(n, len(models))`` array); ``probabilities`` turns one column into a
    model's probabilities, optionally after more features (``tails``)."""

    def __init__(
        self,
        models: Sequence[LinearModel],
        compiled: tuple[dict[str, int], np.ndarray] | None = None,
    ) -> None:
        """Joins ``models``' weights, or takes ``compiled`` (vocabulary and
        matrix, as ``load_joint`` reads them) as they are."""
        if any(m.scales is not None for m in models):
            raise ValueError("a TF-IDF model is normalised per row: score it on its own")
        if compiled is not None:
            vocab, weights = compiled
            if weights.shape != (len(vocab) + 1, len(models)):
                raise ValueError("compiled weights do not fit the vocabulary and models")
        else:
            vocab, weights = _joined(models)
        self.models = tuple(models)
        self.vocab = vocab
        # a plain view of a memory-mapped matrix: np.memmap's Python-level
        # __getitem__ cost a millisecond per article
        self.weights = np.asarray(weights)
        self.pad = len(vocab)  # the id of any feature no model knows: a row of zeros
        self._column = {id(m): k for k, m in enumerate(self.models)}
        self._last_tails: tuple[Sequence[Sequence[str]], np.ndarray] | None = None

    def features(self) -> list[str]:
        """The vocabulary in id order."""
        return list(self.vocab)

    def column(self, model: LinearModel) -> int | None:
        """``model``'s column, or None when this scorer does not hold it."""
        return self._column.get(id(model))

    def grid(self, rows: Sequence[Sequence[str]]) -> np.ndarray:
        """The feature ids of ``rows``, one row each, padded to one width."""
        n = len(rows)
        lens = np.fromiter(map(len, rows), np.intp, n)
        flat = list(chain.from_iterable(rows))
        ids = np.fromiter(map(self.vocab.get, flat, repeat(self.pad)), np.intp, len(flat))
        width = int(lens.max()) if n else 0
        out = np.full((n, width), self.pad, dtype=np.intp)
        starts = np.cumsum(lens) - lens
        where = np.arange(len(flat)) - np.repeat(starts, lens)
        out[np.repeat(np.arange(n), lens), where] = ids
        return out

    def _tail_grid(self, tails: Sequence[Sequence[str]]) -> np.ndarray:
        """``grid(tails)``, kept for the next call with the same list: two
        models (attribution cue and source) read the same tails."""
        last = self._last_tails
        if last is not None and last[0] is tails:
            return last[1]
        grid = self.grid(tails)
        self._last_tails = (tails, grid)
        return grid

    def sums(self, rows: Sequence[Sequence[str]], start: np.ndarray | None = None) -> np.ndarray:
        """Every model's weight sum over each row, added left to right from
        ``start`` (zeros by default), as ``sum(map(weights.get, row), start)``."""
        grid = self.grid(rows)
        acc = (
            np.zeros((len(rows), len(self.models)), dtype=np.float64)
            if start is None
            else start.copy()
        )
        w = self.weights
        for k in range(grid.shape[1]):
            acc += w[grid[:, k]]
        return acc

    def probabilities(
        self,
        sums: np.ndarray,
        model: LinearModel,
        tails: Sequence[Sequence[str]] | None = None,
    ) -> list[float]:
        """``model.probas(rows, tails)`` from ``sums`` (``self.sums(rows)``)."""
        k = self._column[id(model)]
        z = sums[:, k]
        if tails is not None:
            z = z.copy()
            w = self.weights[:, k]
            for ids in self._tail_grid(tails).T:
                z += w[ids]
        return list(map(sigmoid, (z + model.intercept).tolist()))


def _joined(models: Sequence[LinearModel]) -> tuple[dict[str, int], np.ndarray]:
    vocab: dict[str, int] = {}
    for m in models:
        for f in m.weights:
            vocab.setdefault(f, len(vocab))
    weights = np.zeros((len(vocab) + 1, len(models)), dtype=np.float64)
    for k, m in enumerate(models):
        ids = np.fromiter(map(vocab.__getitem__, m.weights), np.intp, len(m.weights))
        weights[ids, k] = np.fromiter(m.weights.values(), np.float64, len(m.weights))
    weights.flags.writeable = False
    return vocab, weights


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The compiled groups of ``folder`` (``{group: {"features", "weights",
    "models": [{bundle, role, file, bytes, sha256, intercept, threshold,
    meta}, ...]}}``), or None when there are none or they are unreadable."""
    try:
        obj = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(obj, dict) or obj.get("format") != MANIFEST_FORMAT:
        return None
    groups = obj.get("groups")
    return groups if isinstance(groups, dict) else None


def load_joint(folder: Path, entry: dict[str, Any]) -> tuple[dict[str, int], np.ndarray]:
    """The vocabulary and weights of a manifest ``entry`` (``JointScorer``'s
    ``compiled``): the vocabulary read as text, the matrix memory-mapped."""
    lines = (folder / entry["features"]).read_text(encoding="utf-8").split("\n")
    weights = np.load(folder / entry["weights"], mmap_mode="r", allow_pickle=False)
    return dict(zip(lines, range(len(lines)), strict=True)), weights
