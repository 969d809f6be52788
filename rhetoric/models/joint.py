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
the vocabulary as text (one feature per line, in id order: by CRC-32, see
``HashedVocabulary``), its hashes and line offsets and the weight matrix as
``.npy``, and a manifest (``MANIFEST``) with each source file's
size, SHA-256, intercept, threshold and metadata. ``load_joint`` maps them:
no JSON parsed, no dict built, and processes share the pages.
"""

from __future__ import annotations

import json
import math
import mmap
import os
import weakref
import zlib
from collections.abc import Iterable, Sequence
from itertools import chain, repeat
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from .features import TokenParts
from .linear import LinearModel, sigmoid

__all__ = [
    "MANIFEST",
    "MANIFEST_FORMAT",
    "CompiledWeights",
    "DictVocabulary",
    "HashedVocabulary",
    "JointScorer",
    "Vocabulary",
    "add_columns",
    "load_joint",
    "load_weights",
    "materialize_all",
    "read_manifest",
    "read_manifest_file",
    "token_id_grid",
]

#: The compiled groups' manifest, next to the JSON models.
MANIFEST = "joint.json"
MANIFEST_FORMAT = "rhetoric-joint"


class Vocabulary(Protocol):
    """Feature strings to row ids of a joint weight matrix."""

    def __len__(self) -> int: ...

    def ids(self, feats: list[str], pad: int) -> np.ndarray:
        """The id of each feature (``pad`` for one no model knows)."""
        ...

    def features(self) -> list[str]:
        """Every feature, in id order."""
        ...


class DictVocabulary:
    """A vocabulary held as a dict (joined in memory from models' weights)."""

    def __init__(self, index: dict[str, int]) -> None:
        self.index = index

    def __len__(self) -> int:
        return len(self.index)

    def ids(self, feats: list[str], pad: int) -> np.ndarray:
        return np.fromiter(map(self.index.get, feats, repeat(pad)), np.intp, len(feats))

    def features(self) -> list[str]:
        return list(self.index)


# every compiled vocabulary this process has mapped and still uses
_LOADED: weakref.WeakSet[HashedVocabulary] = weakref.WeakSet()


def materialize_all() -> None:
    """``materialize`` every compiled vocabulary loaded so far."""
    for vocab in list(_LOADED):
        vocab.materialize()


class HashedVocabulary:
    """A compiled vocabulary: the features' CRC-32s sorted (ids are positions
    in that order), where each feature's UTF-8 text starts in ``text``, and the
    text itself. A feature is found by a vectorised binary search on the
    hashes, then its text is compared, so a hash collision never matches a
    wrong feature. Nothing is built at load (building a dict of 288,000
    features took a tenth of a second of every cold start); ids found are
    kept in a dict for the next documents."""

    #: look-ups kept (found and unknown features); a new dict after that, so a
    #: long-running server or notebook stays near 25 MB per vocabulary
    CACHE_LIMIT = 200_000

    def __init__(self, hashes: np.ndarray, offsets: np.ndarray, text: bytes | mmap.mmap) -> None:
        if len(offsets) != len(hashes) + 1 or int(offsets[-1]) != len(text):
            raise ValueError("compiled vocabulary: the text does not fit its offsets")
        self.hashes = np.asarray(hashes)
        self.offsets = np.asarray(offsets)
        self.text = text
        self._cache: dict[str, int] = {}
        self._complete = False
        _LOADED.add(self)

    def materialize(self) -> None:
        """Hold every feature in the dict now, so no look-up ever searches:
        worth its tenth of a second when a process will score many documents
        (a batch does it once, before forking its workers, which share it)."""
        if not self._complete:
            feats = self.features()
            self._cache = dict(zip(feats, range(len(feats)), strict=True))
            self._complete = True

    def __len__(self) -> int:
        return len(self.hashes)

    def _find(self, feats: list[str], pad: int) -> list[int]:
        # a lone surrogate (from a badly decoded page) is in no vocabulary
        blobs = [f.encode("utf-8", "surrogatepass") for f in feats]
        q = np.fromiter(map(zlib.crc32, blobs), np.uint32, len(blobs))
        lo = np.searchsorted(self.hashes, q, "left")
        hi = np.searchsorted(self.hashes, q, "right")
        out = [pad] * len(feats)
        off = self.offsets
        text = self.text
        # most new features are in no model: no hash matches, nothing to compare
        for j in np.flatnonzero(hi > lo).tolist():
            b = blobs[j]
            for k in range(int(lo[j]), int(hi[j])):  # almost always one candidate
                if text[int(off[k]) : int(off[k + 1]) - 1] == b:  # each ends in "\n"
                    out[j] = k
                    break
        return out

    def ids(self, feats: list[str], pad: int) -> np.ndarray:
        cache = self._cache
        if self._complete:  # every feature is there: anything else is unknown
            return np.fromiter(map(cache.get, feats, repeat(pad)), np.intp, len(feats))
        try:  # once a process has seen a few documents, nearly every call
            return np.fromiter(map(cache.__getitem__, feats), np.intp, len(feats))
        except KeyError:
            pass
        missing = list(set(feats).difference(cache))
        if len(cache) + len(missing) > self.CACHE_LIMIT:
            # a new dict, not clear(): another thread may be reading the old one
            cache = self._cache = {}
            missing = list(set(feats))
        cache.update(zip(missing, self._find(missing, pad), strict=True))
        return np.fromiter(map(cache.__getitem__, feats), np.intp, len(feats))

    def features(self) -> list[str]:
        data = bytes(self.text[: int(self.offsets[-1])])
        return data.decode("utf-8").split("\n")[: len(self)]


def add_columns(acc: np.ndarray, weights: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """Add to ``acc``, in place and column by column, the weight rows of the
    ids in ``grid``: each row's features in order, one rounding per addition,
    as the reference adds them (pads add zeros)."""
    for ids in grid.T:
        acc += weights[ids]
    return acc


def id_grid(vocab: Vocabulary, rows: Sequence[Sequence[str]], pad: int) -> np.ndarray:
    """The feature ids of ``rows``, one row each, padded with ``pad`` to one
    width (the pad row of a weight matrix is zeros: adding it changes no sum)."""
    n = len(rows)
    lens = np.fromiter(map(len, rows), np.intp, n)
    flat = list(chain.from_iterable(rows))
    ids = vocab.ids(flat, pad)
    width = int(lens.max()) if n else 0
    out = np.full((n, width), pad, dtype=np.intp)
    starts = np.cumsum(lens) - lens
    where = np.arange(len(flat)) - np.repeat(starts, lens)
    out[np.repeat(np.arange(n), lens), where] = ids
    return out


class JointScorer:
    """The plain (not TF-IDF) binary models ``models`` scored together.

    ``sums(rows)`` gives, for every row, every model's sum of weights (an
    ``(n, len(models))`` array); ``probabilities`` turns one column into a
    model's probabilities, optionally after more features (``tails``)."""

    def __init__(
        self,
        models: Sequence[LinearModel],
        compiled: tuple[Vocabulary, np.ndarray] | None = None,
    ) -> None:
        """Joins ``models``' weights, or takes ``compiled`` (vocabulary and
        matrix, as ``load_joint`` reads them) as they are."""
        if any(m.normalised for m in models):
            raise ValueError("a TF-IDF model is normalised per row: score it on its own")
        if compiled is not None:
            vocab, weights = compiled
            if weights.shape != (len(vocab) + 1, len(models)):
                raise ValueError("compiled weights do not fit the vocabulary and models")
        else:
            index, weights = _joined(models)
            vocab = DictVocabulary(index)
        self.models = tuple(models)
        self.vocab: Vocabulary = vocab
        # a plain view of a memory-mapped matrix: np.memmap's Python-level
        # __getitem__ cost a millisecond per article
        self.weights = np.asarray(weights)
        self.pad = len(vocab)  # the id of any feature no model knows: a row of zeros
        self._column = {id(m): k for k, m in enumerate(self.models)}
        self._last_tails: tuple[Sequence[Sequence[str]], np.ndarray] | None = None

    def features(self) -> list[str]:
        """The vocabulary in id order."""
        return self.vocab.features()

    def grid(self, rows: Sequence[Sequence[str]]) -> np.ndarray:
        """The feature ids of ``rows``, one row each, padded to one width."""
        return id_grid(self.vocab, rows, self.pad)

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
        return self.grid_sums(self.grid(rows), start)

    def grid_sums(self, grid: np.ndarray, start: np.ndarray | None = None) -> np.ndarray:
        """``sums`` of rows given as an id grid (``grid`` or ``token_id_grid``)."""
        acc = (
            np.zeros((grid.shape[0], len(self.models)), dtype=np.float64)
            if start is None
            else start.copy()
        )
        return add_columns(acc, self.weights, grid)

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
            z = add_columns(z.copy(), self.weights[:, k], self._tail_grid(tails))
        return list(map(sigmoid, (z + model.intercept).tolist()))


class CompiledWeights:
    """One model's compiled weights (``weights``: a row per feature, the last
    row zeros): binary (one column), TF-IDF (weights, squared scales) or
    multiclass (a column per class). The methods give exactly the floats of
    ``LinearModel.decision`` and ``MulticlassModel.proba``: the same features
    in the same order, added one by one to the same start."""

    def __init__(self, vocab: Vocabulary, weights: np.ndarray) -> None:
        self.vocab = vocab
        self.weights = np.asarray(weights)
        self.pad = len(vocab)

    def _sums(self, rows: Sequence[Iterable[str]], start: np.ndarray) -> list[list[float]]:
        """Each row's weights (each distinct feature once, in order) added
        column by column to ``start``: one look-up for all the rows."""
        grid = id_grid(self.vocab, [list(dict.fromkeys(r)) for r in rows], self.pad)
        return add_columns(start, self.weights, grid).tolist()

    def decisions(self, rows: Sequence[Iterable[str]], intercept: float) -> list[float]:
        """``LinearModel.decision`` of each row (plain or TF-IDF)."""
        sums = self._sums(rows, np.zeros((len(rows), self.weights.shape[1])))
        if self.weights.shape[1] == 1:
            return [intercept + z for (z,) in sums]
        return [intercept + z / math.sqrt(norm) if norm else intercept for z, norm in sums]

    def weights_of(self, feats: Sequence[str]) -> list[float]:
        """A binary model's weight of each feature (0 for an unknown one)."""
        return self.weights[self.vocab.ids(list(feats), self.pad), 0].tolist()

    def class_scores(
        self, rows: Sequence[Iterable[str]], intercepts: Sequence[float]
    ) -> list[list[float]]:
        """``MulticlassModel``'s scores before the softmax, for each row."""
        start = np.tile(np.asarray(intercepts, dtype=np.float64), (len(rows), 1))
        return self._sums(rows, start)


def token_id_grid(parts: TokenParts, vocab: Vocabulary, pad: int) -> np.ndarray:
    """The ids of every word's token features, as ``TokenParts`` describes
    them, built column by column with no feature row: the ids in each grid row
    are those of ``features.token_features``' row, in its order, with pad ids
    (zero weights) where a piece is absent. One vocabulary look-up for all."""
    n = len(parts.types)
    if not n:
        return np.zeros((0, 0), dtype=np.intp)

    def padded(groups: Sequence[Sequence[str]]) -> list[str]:
        width = max(map(len, groups), default=0)
        return [x for g in groups for x in (*g, *[""] * (width - len(g)))]

    # each distinct tuple of strings is looked up once: a word type's nine
    # strings, a lexicon family set (most words share the empty one)
    pieces: list[list[str]] = []
    starts: list[int] = []
    index: list[np.ndarray] = []
    for column in (parts.types, parts.lex, parts.near):
        seen: dict[tuple[str, ...], int] = {}
        index.append(np.array([seen.setdefault(g, len(seen)) for g in column], dtype=np.intp))
        pieces.append(padded(list(seen)))
        starts.append(len(seen))
    pieces += [
        parts.shapes,
        parts.pair_before,
        parts.pair_after,
        parts.rep,
        padded(parts.info),
        ["first", "last", "inq", "capmid", ""],
    ]
    ids = vocab.ids(list(chain.from_iterable(pieces)), pad)
    cut = np.cumsum([len(x) for x in pieces])[:-1]
    t_ids, lex_u, near_u, shapes, before, after, rep, info_ids, const = np.split(ids, cut)
    first, last, inq, capmid, none = const.tolist()
    types = t_ids.reshape(starts[0], 9)[index[0]]
    lex_ids = lex_u.reshape(starts[1], -1)[index[1]]
    near_ids = near_u.reshape(starts[2], -1)[index[2]]
    info_ids = info_ids.reshape(len(parts.info), -1)[np.asarray(parts.sent_of, dtype=np.intp)]

    def shifted(col: np.ndarray, k: int) -> np.ndarray:
        """``col[i - k]`` for each word (pad outside the document)."""
        out = np.full(n, none, dtype=np.intp)
        if k > 0:
            out[k:] = col[:-k]
        else:
            out[:k] = col[-k:]
        return out

    prev, prev2 = np.asarray(parts.prev), np.asarray(parts.prev2)
    nxt, next2 = np.asarray(parts.next), np.asarray(parts.next2)
    columns = [
        types[:, 0],  # w
        types[:, 1],  # st
        shapes,  # sh
        types[:, 2],  # suf
        *info_ids.T,
        np.where(prev, shifted(types[:, 3], 1), first),  # w-1, else first
        np.where(prev, before, none),  # b-1
        np.where(prev, shifted(types[:, 4], 1), none),  # st-1
        np.where(prev2, shifted(types[:, 5], 2), none),  # w-2
        np.where(nxt, shifted(types[:, 6], -1), last),  # w+1, else last
        np.where(nxt, after, none),  # b+1
        np.where(nxt, shifted(types[:, 7], -1), none),  # st+1
        np.where(next2, shifted(types[:, 8], -2), none),  # w+2
        *lex_ids.reshape(n, -1).T,
        *near_ids.reshape(n, -1).T,
        np.where(np.asarray(parts.inq), inq, none),
        rep,
        np.where(np.asarray(parts.capmid), capmid, none),
    ]
    return np.column_stack(columns).astype(np.intp, copy=False)


def load_weights(folder: Path, entry: dict[str, Any]) -> CompiledWeights:
    """A single model's compiled weights (manifest ``entry``), mapped."""
    vocab, weights = load_joint(folder, entry)
    return CompiledWeights(vocab, weights)


def _joined(models: Sequence[LinearModel]) -> tuple[dict[str, int], np.ndarray]:
    vocab: dict[str, int] = {}
    for m in models:
        for f in m.weights:
            vocab.setdefault(f, len(vocab))
    if "" in vocab:  # token_id_grid marks an absent piece with ""
        raise ValueError("a model has an empty feature name")
    weights = np.zeros((len(vocab) + 1, len(models)), dtype=np.float64)
    for k, m in enumerate(models):
        ids = np.fromiter(map(vocab.__getitem__, m.weights), np.intp, len(m.weights))
        weights[ids, k] = np.fromiter(m.weights.values(), np.float64, len(m.weights))
    weights.flags.writeable = False
    return vocab, weights


def read_manifest_file(folder: Path) -> dict[str, Any] | None:
    """The compiled manifest of ``folder`` (``{"groups": ..., "models": ...}``),
    or None when there is none or it is unreadable."""
    try:
        obj = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(obj, dict) or obj.get("format") != MANIFEST_FORMAT:
        return None
    return obj


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The compiled joint groups of ``folder`` (``{group: {"features",
    "hashes", "offsets", "weights", "models": [{bundle, role, file, bytes,
    sha256, intercept, threshold, meta}, ...]}}``), or None."""
    groups = (read_manifest_file(folder) or {}).get("groups")
    return groups if isinstance(groups, dict) and groups else None


def load_joint(folder: Path, entry: dict[str, Any]) -> tuple[Vocabulary, np.ndarray]:
    """The vocabulary and weights of a manifest ``entry`` (``JointScorer``'s
    ``compiled``), all memory-mapped: nothing is parsed or built."""

    def array(name: str) -> np.ndarray:
        return np.load(folder / entry[name], mmap_mode="r", allow_pickle=False)

    with open(folder / entry["features"], "rb") as f:
        size = os.fstat(f.fileno()).st_size  # an empty file cannot be mapped
        text: bytes | mmap.mmap = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
    # files that do not fit one another are refused (the caller reads the JSON)
    vocab = HashedVocabulary(array("hashes"), array("offsets"), text)
    weights = array("weights")
    if weights.ndim != 2 or weights.shape[0] != len(vocab) + 1:
        raise ValueError(f"{entry['weights']}: does not fit its vocabulary")
    return vocab, weights
