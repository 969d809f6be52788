"""scikit-learn estimators for the three models, following its conventions:
hyper-parameters stored unchanged in ``__init__``, learning in ``fit``,
learned state in attributes ending in ``_``, a fixed ``random_state``.

Each estimator takes feature-string lists (from ``models/features.py``), builds its
own vocabulary in ``fit`` (features seen at least ``min_count`` times), fits a
``LogisticRegression``, and exports a ``LinearModel``/``MulticlassModel`` whose
plain-Python scoring is what ``rhetoric score`` runs.

A feature counts once per row (its value is 1), unless ``weighting`` says
otherwise (binary problems only):

* ``"nb"``: each feature's value is its naive-Bayes log-count ratio
  (Wang & Manning 2012, NB-LR); the exported weights fold the ratio in, so the
  shipped model is a plain sum over the row's distinct features;
* ``"tfidf"``: each feature's value is its idf, and the row is scaled to unit
  L2 norm; the exported model keeps the idf of every vocabulary feature
  (``LinearModel.scales``) to normalise the same way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from sklearn.base import BaseEstimator, ClassifierMixin

from ..models.linear import LinearModel, MulticlassModel

__all__ = ["FeatureLogReg"]


class FeatureLogReg(ClassifierMixin, BaseEstimator):
    """Logistic regression over lists of feature strings.

    ``X`` is a sequence of feature-string lists, ``y`` the labels. Binary
    problems export a ``LinearModel``, multiclass ones a ``MulticlassModel``.
    """

    def __init__(
        self,
        C: float = 1.0,
        min_count: int = 2,
        class_weight: str | None = None,
        max_iter: int = 1000,
        prune: float = 1e-3,
        random_state: int = 0,
        weighting: str = "binary",
    ) -> None:
        self.C = C
        self.min_count = min_count
        self.class_weight = class_weight
        self.max_iter = max_iter
        self.prune = prune
        self.random_state = random_state
        self.weighting = weighting

    def _matrix(self, X: Sequence[Sequence[str]]) -> Any:
        import numpy as np
        from scipy.sparse import csr_matrix

        vocab = self.vocabulary_
        indptr = [0]
        indices: list[int] = []
        for feats in X:
            idx = sorted({vocab[f] for f in feats if f in vocab})
            indices.extend(idx)
            indptr.append(len(indices))
        data = np.ones(len(indices), dtype=np.float64)
        return csr_matrix((data, indices, indptr), shape=(len(X), len(vocab)))

    def _weighted(self, M: Any) -> Any:
        """The binary matrix ``M`` under ``weighting`` (see the module docstring)."""
        if self.weighting == "nb":
            return M.multiply(self.scale_).tocsr()
        if self.weighting == "tfidf":
            from sklearn.preprocessing import normalize

            return normalize(M.multiply(self.scale_).tocsr())
        return M

    def fit(self, X: Sequence[Sequence[str]], y: Sequence[Any]) -> FeatureLogReg:
        from sklearn.linear_model import LogisticRegression

        counts: Counter[str] = Counter()
        for feats in X:
            counts.update(set(feats))
        names = sorted(f for f, c in counts.items() if c >= self.min_count)
        self.vocabulary_ = {f: i for i, f in enumerate(names)}
        M = self._matrix(X)
        classes = sorted(set(y))
        if self.weighting not in ("binary", "nb", "tfidf"):
            raise ValueError(f"unknown weighting {self.weighting!r}")
        if self.weighting != "binary":
            import numpy as np

            if len(classes) != 2:
                raise ValueError(f"weighting {self.weighting!r} needs a binary problem")
            if self.weighting == "nb":
                pos = np.asarray([v == classes[1] for v in y])
                p = 1.0 + np.asarray(M[pos].sum(axis=0)).ravel()
                q = 1.0 + np.asarray(M[~pos].sum(axis=0)).ravel()
                self.scale_ = np.log((p / p.sum()) / (q / q.sum()))
            else:
                df = np.asarray(M.sum(axis=0)).ravel()
                self.scale_ = np.log((1.0 + M.shape[0]) / (1.0 + df)) + 1.0
            M = self._weighted(M)
        solver = "liblinear" if len(classes) == 2 else "lbfgs"
        self.lr_ = LogisticRegression(
            C=self.C,
            solver=solver,
            class_weight=self.class_weight,
            max_iter=self.max_iter,
            random_state=self.random_state,
        ).fit(M, y)
        self.classes_ = self.lr_.classes_
        return self

    def predict_proba(self, X: Sequence[Sequence[str]]) -> Any:
        return self.lr_.predict_proba(self._weighted(self._matrix(X)))

    def predict(self, X: Sequence[Sequence[str]]) -> Any:
        return self.lr_.predict(self._weighted(self._matrix(X)))

    def export(self, meta: dict[str, Any] | None = None, threshold: float = 0.5) -> Any:
        """The fitted model as shipped data; weights below ``prune`` in absolute
        value are dropped (they change no decision at the precision we store)."""
        names = sorted(self.vocabulary_, key=self.vocabulary_.__getitem__)
        coef = self.lr_.coef_
        meta = dict(meta or {})
        if len(self.classes_) == 2:
            row = coef[0]
            if self.weighting == "binary":
                w = {n: float(row[i]) for i, n in enumerate(names) if abs(row[i]) >= self.prune}
                return LinearModel(w, float(self.lr_.intercept_[0]), threshold, meta)
            # the feature values folded into the weights
            row = row * self.scale_
            w = {n: float(row[i]) for i, n in enumerate(names) if abs(row[i]) >= self.prune}
            scales = (
                {n: float(v) for n, v in zip(names, self.scale_, strict=True)}
                if self.weighting == "tfidf"
                else None
            )
            return LinearModel(w, float(self.lr_.intercept_[0]), threshold, meta, scales)
        w2 = {
            n: [float(v) for v in coef[:, i]]
            for i, n in enumerate(names)
            if abs(coef[:, i]).max() >= self.prune
        }
        return MulticlassModel(
            [str(c) for c in self.classes_], w2, [float(v) for v in self.lr_.intercept_], meta
        )
