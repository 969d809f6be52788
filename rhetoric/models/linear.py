"""Linear models as readable data: a vocabulary of feature strings with their
weights, an intercept, and metadata, stored as JSON. Scoring here is a
plain-Python sum of weights: the reference that training, cross-validation
and tests use (analysis goes through ``joint``'s numpy scorers, float for
float the same); loading a model never executes code.

Sums add left to right (``ordered_sum``), not with ``sum()``: from Python 3.12
``sum()`` compensates rounding for floats, which numpy's column sums do not
do, so the two would differ in the last bits on 3.12 and the reports would
differ between Python versions."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import reduce
from itertools import repeat
from operator import add
from pathlib import Path
from typing import Any, Protocol

__all__ = [
    "FORMAT",
    "Backend",
    "DeferredLinearModel",
    "DeferredMulticlassModel",
    "LinearModel",
    "ModelFileError",
    "MulticlassModel",
    "ordered_sum",
    "sigmoid",
]

FORMAT = "rhetoric-linear"
FORMAT_VERSION = 1


class ModelFileError(ValueError):
    """A model file that is missing, malformed or of another format version."""


def ordered_sum(values: Iterable[float], start: float = 0.0) -> float:
    """``start + v0 + v1 + ...``, left to right, each addition rounded (what
    ``sum()`` did before Python 3.12, and what numpy's ``+=`` does)."""
    return reduce(add, values, start)


def sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


@dataclass
class LinearModel:
    """Binary logistic model: ``P(y=1) = sigmoid(intercept + sum weights[f])``.

    With ``scales`` (the idf of every vocabulary feature) the input is TF-IDF
    style instead: each distinct feature of the vocabulary counts once, and the
    sum is divided by the L2 norm of the present features' scales
    (``weights`` hold the fitted coefficient times the scale)."""

    weights: dict[str, float]
    intercept: float
    threshold: float = 0.5
    meta: dict[str, Any] = field(default_factory=dict)
    scales: dict[str, float] | None = None
    _squares: dict[str, float] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def normalised(self) -> bool:
        """TF-IDF style (``scales``): scored on its own, never jointly."""
        return self.scales is not None

    def decision(self, feats: Sequence[str]) -> float:
        if self.scales is not None:
            return self._normalised_decision(feats)
        # each distinct feature once, as training saw it (a 0/1 matrix); map()
        # with a repeated default runs the lookups in C
        distinct = dict.fromkeys(feats)
        return self.intercept + ordered_sum(
            map(self.weights.get, distinct, repeat(0.0, len(distinct)))
        )

    def _normalised_decision(self, feats: Iterable[str]) -> float:
        squares = self._squares
        if squares is None:
            squares = self._squares = {f: s * s for f, s in (self.scales or {}).items()}
        distinct = dict.fromkeys(feats)  # in order: a fixed summation order
        norm = ordered_sum(map(squares.get, distinct, repeat(0.0, len(distinct))))
        if not norm:
            return self.intercept
        # only vocabulary features (those with a scale) carry a weight
        z = ordered_sum(map(self.weights.get, distinct, repeat(0.0, len(distinct))))
        return self.intercept + z / math.sqrt(norm)

    def proba(self, feats: Sequence[str]) -> float:
        return sigmoid(self.decision(feats))

    def proba_each(self, rows: Sequence[Sequence[str]]) -> list[float]:
        """``proba`` of each row (repeated features count once in each)."""
        return [self.proba(r) for r in rows]

    def weights_of(self, feats: Sequence[str]) -> list[float]:
        """The weight of each feature (0 for one the model does not know)."""
        g = self.weights.get
        return [g(f, 0.0) for f in feats]

    def probas(
        self, rows: Sequence[Sequence[str]], tails: Sequence[Sequence[str]] | None = None
    ) -> list[float]:
        """``proba`` of every row, where row i's features are ``rows[i]`` followed
        by ``tails[i]`` (when given). The rows must hold distinct features
        (``features.token_features`` rows do; ``decision`` removes repeats
        itself): the token models score every word of an article, so this
        skips that step and three Python calls per word."""
        if self.scales is not None:
            return [
                self.proba([*f, *(tails[i] if tails is not None else ())])
                for i, f in enumerate(rows)
            ]
        g = self.weights.get
        b = self.intercept
        exp = math.exp
        out = []
        for i, f in enumerate(rows):
            z = ordered_sum(map(g, f, repeat(0.0, len(f))))
            if tails is not None:
                t = tails[i]
                z = ordered_sum(map(g, t, repeat(0.0, len(t))), z)
            z += b
            if z >= 0:
                out.append(1.0 / (1.0 + exp(-z)))
            else:
                e = exp(z)
                out.append(e / (1.0 + e))
        return out

    def to_json(self) -> dict[str, Any]:
        names = sorted(self.weights.keys() | (self.scales or {}).keys())
        out = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "kind": "binary",
            "meta": self.meta,
            "threshold": self.threshold,
            "intercept": self.intercept,
            "features": names,
            "weights": [round(self.weights.get(k, 0.0), 5) for k in names],
        }
        if self.scales is not None:
            out["scales"] = [round(self.scales[k], 5) for k in names]
        return out

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> LinearModel:
        _check(obj, "binary")
        scales = obj.get("scales")
        return cls(
            dict(zip(obj["features"], obj["weights"], strict=True)),
            float(obj["intercept"]),
            float(obj.get("threshold", 0.5)),
            obj.get("meta", {}),
            None if scales is None else dict(zip(obj["features"], scales, strict=True)),
        )


class Backend(Protocol):
    """Compiled weights that score a model exactly as its JSON weights would
    (``joint.CompiledWeights``), many rows at once."""

    def decisions(self, rows: Sequence[Iterable[str]], intercept: float) -> list[float]: ...

    def class_scores(
        self, rows: Sequence[Iterable[str]], intercepts: Sequence[float]
    ) -> list[list[float]]: ...

    def weights_of(self, feats: Sequence[str]) -> list[float]: ...


class DeferredLinearModel(LinearModel):
    """A shipped binary model whose weights dicts are read from its JSON file
    only when something asks for them (training tools, the reference scorer).
    Scoring goes through compiled weights: the joint scorer
    (``joint.load_joint``) or this model's own ``backend``; so a process that
    only analyses never parses the large JSON files. The intercept, threshold
    and metadata come from the compiled manifest."""

    def __init__(
        self,
        path: str | Path,
        intercept: float,
        threshold: float,
        meta: dict[str, Any],
        normalised: bool = False,
        backend: Backend | None = None,
    ) -> None:
        self._path = Path(path)
        self._weights: dict[str, float] | None = None
        self._scales: dict[str, float] | None = None
        self._normalised = normalised
        self._backend = backend
        self.intercept = intercept
        self.threshold = threshold
        self.meta = meta
        self._squares = None

    def _read(self) -> None:
        obj = load_json(self._path)
        _check(obj, "binary")
        self._weights = dict(zip(obj["features"], obj["weights"], strict=True))
        if "scales" in obj:
            self._scales = dict(zip(obj["features"], obj["scales"], strict=True))

    @property  # type: ignore[override]
    def weights(self) -> dict[str, float]:
        if self._weights is None:
            self._read()
        assert self._weights is not None
        return self._weights

    @weights.setter
    def weights(self, value: dict[str, float]) -> None:
        self._weights = value

    @property  # type: ignore[override]
    def scales(self) -> dict[str, float] | None:
        if self._normalised and self._scales is None:
            self._read()
        return self._scales

    @scales.setter
    def scales(self, value: dict[str, float] | None) -> None:
        self._scales = value

    @property
    def normalised(self) -> bool:
        return self._normalised

    def decision(self, feats: Sequence[str]) -> float:
        if self._backend is not None:
            return self._backend.decisions([feats], self.intercept)[0]
        return super().decision(feats)

    def proba_each(self, rows: Sequence[Sequence[str]]) -> list[float]:
        if self._backend is not None:
            return list(map(sigmoid, self._backend.decisions(rows, self.intercept)))
        return super().proba_each(rows)

    def weights_of(self, feats: Sequence[str]) -> list[float]:
        if self._backend is not None:  # no JSON read for a few weights
            return self._backend.weights_of(feats)
        return super().weights_of(feats)

    def probas(
        self, rows: Sequence[Sequence[str]], tails: Sequence[Sequence[str]] | None = None
    ) -> list[float]:
        if self._backend is not None:
            return self.proba_each(
                [[*f, *(tails[i] if tails is not None else ())] for i, f in enumerate(rows)]
            )
        return super().probas(rows, tails)


@dataclass
class MulticlassModel:
    """Multinomial logistic model over ``classes``: one weight row per feature."""

    classes: Sequence[str]
    weights: dict[str, Sequence[float]]
    intercepts: Sequence[float]
    meta: dict[str, Any] = field(default_factory=dict)

    def proba(self, feats: Iterable[str]) -> list[float]:
        z = list(self.intercepts)
        w = self.weights
        for f in dict.fromkeys(feats):  # each distinct feature once, as in training
            row = w.get(f)
            if row is not None:
                for k, v in enumerate(row):
                    z[k] += v
        return _softmax(z)

    def proba_each(self, rows: Sequence[Iterable[str]]) -> list[list[float]]:
        """``proba`` of each row."""
        return [self.proba(r) for r in rows]

    def predict(self, feats: Iterable[str]) -> tuple[str, float]:
        p = self.proba(feats)
        k = max(range(len(p)), key=p.__getitem__)
        return self.classes[k], p[k]

    def to_json(self) -> dict[str, Any]:
        items = sorted(self.weights.items())
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "kind": "multiclass",
            "meta": self.meta,
            "classes": list(self.classes),
            "intercepts": [round(v, 5) for v in self.intercepts],
            "features": [k for k, _ in items],
            "weights": [[round(v, 4) for v in row] for _, row in items],
        }

    @classmethod
    def from_json(cls, obj: dict[str, Any]) -> MulticlassModel:
        _check(obj, "multiclass")
        return cls(
            list(obj["classes"]),
            dict(zip(obj["features"], obj["weights"], strict=True)),
            list(obj["intercepts"]),
            obj.get("meta", {}),
        )


class DeferredMulticlassModel(MulticlassModel):
    """``DeferredLinearModel``'s multiclass twin: scored by its compiled
    ``backend``; the weights dict is read from JSON only if asked for."""

    def __init__(
        self,
        path: str | Path,
        classes: Sequence[str],
        intercepts: Sequence[float],
        meta: dict[str, Any],
        backend: Backend,
    ) -> None:
        self._path = Path(path)
        self._weights: dict[str, Sequence[float]] | None = None
        self._backend = backend
        self.classes = list(classes)
        self.intercepts = list(intercepts)
        self.meta = meta

    @property  # type: ignore[override]
    def weights(self) -> dict[str, Sequence[float]]:
        if self._weights is None:
            obj = load_json(self._path)
            _check(obj, "multiclass")
            self._weights = dict(zip(obj["features"], obj["weights"], strict=True))
        return self._weights

    @weights.setter
    def weights(self, value: dict[str, Sequence[float]]) -> None:
        self._weights = value

    def proba(self, feats: Iterable[str]) -> list[float]:
        return self.proba_each([feats])[0]

    def proba_each(self, rows: Sequence[Iterable[str]]) -> list[list[float]]:
        return [_softmax(z) for z in self._backend.class_scores(rows, self.intercepts)]


def _softmax(z: list[float]) -> list[float]:
    m = max(z)
    ex = [math.exp(v - m) for v in z]
    s = ordered_sum(ex)
    return [v / s for v in ex]


def _check(obj: Any, kind: str) -> None:
    if not isinstance(obj, dict) or obj.get("format") != FORMAT:
        raise ModelFileError(f"not a {FORMAT} model file")
    if obj.get("format_version") != FORMAT_VERSION:
        raise ModelFileError(
            f"model format version {obj.get('format_version')!r}; "
            f"this rhetoric reads {FORMAT_VERSION}"
        )
    if obj.get("kind") != kind:
        raise ModelFileError(f"expected a {kind} model, got {obj.get('kind')!r}")
    if len(obj.get("features", ())) != len(obj.get("weights", ())):
        raise ModelFileError("features and weights differ in length")
    if "scales" in obj and len(obj["scales"]) != len(obj.get("features", ())):
        raise ModelFileError("features and scales differ in length")


def load_json(path: str | Path) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        raise ModelFileError(f"{path}: cannot read model ({e})") from None
