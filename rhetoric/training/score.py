"""Fitting the overall score's weights (``rhetoric train score``) on the
SemEval-2019 hyperpartisan by-article training articles (the final split
left out, ``io.news.in_final_split``).

Each article's evidence (``pipeline.scoring.evidence``: the writer's
findings by category and the writer's sentences the sentence models flag) is
computed by the shipped pipeline; a logistic regression with non-negative
weights (more evidence never lowers the score) predicts "hyperpartisan", and
the weights are divided by minus its intercept, so the evidence at which the
two classes are equally likely scores exactly 50. No word of the articles is a
feature: the score cannot learn which topics or outlets are partisan.

Cross-validation by article (sorted ids, article ``i`` in fold ``i % k``):
AUC of the score, agreement of "score >= 50" with the label, the median
score of each class; the L2 strength is chosen by CV log loss.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..evaluation.metrics import auc
from ..io.news import read_hyperpartisan
from ..models.linear import LinearModel
from ..pipeline.scoring import EVIDENCE
from .train import model_meta

__all__ = ["article_evidence", "fit_weights", "train_score"]

Log = Callable[[str], None]
L2_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)


def article_evidence(path: Path, log: Log) -> list[tuple[str, bool, list[float]]]:
    """``(id, hyperpartisan, evidence vector)`` for the training articles."""
    from ..pipeline.analyze import analyze

    out = []
    arts = [a for a in read_hyperpartisan(path) if not a.final]
    for i, a in enumerate(arts, 1):
        ev = analyze(a.text, a.id).evidence
        out.append((a.id, bool(a.label), [float(ev[k]["evidence"]) for k in EVIDENCE]))
        if i % 100 == 0:
            log(f"{i}/{len(arts)} articles")
    return out


def fit_weights(
    xs: Sequence[Sequence[float]], ys: Sequence[bool], l2: float
) -> tuple[list[float], float]:
    """Logistic regression with weights >= 0 (L-BFGS-B), features scaled by
    their standard deviation while fitting; returns raw-scale ``(w, b)``."""
    import numpy as np
    from scipy.optimize import minimize

    x = np.asarray(xs, dtype=float)
    y = np.asarray(ys, dtype=float)
    sd = x.std(axis=0) + 1e-9
    xs_ = x / sd
    d = x.shape[1]

    def loss(p: Any) -> tuple[float, Any]:
        w, b = p[:d], p[d]
        z = xs_ @ w + b
        s = 1.0 / (1.0 + np.exp(-z))
        val = float(np.sum(np.logaddexp(0.0, z) - y * z) + l2 * np.sum(w * w) / 2)
        return val, np.append(xs_.T @ (s - y) + l2 * w, np.sum(s - y))

    res = minimize(
        loss, np.zeros(d + 1), jac=True, method="L-BFGS-B", bounds=[(0, None)] * d + [(None, None)]
    )
    w = res.x[:d] / sd
    return [float(v) for v in w], float(res.x[d])


def _score(ev: Sequence[float], w: Sequence[float], b: float) -> float:
    x = sum(wi * ei for wi, ei in zip(w, ev, strict=True)) / max(-b, 1e-6)
    return 100.0 * (1.0 - 2.0 ** (-x))


def train_score(
    path: Path, folds: int, log: Log, source: dict[str, str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    rows = article_evidence(path, log)
    rows.sort(key=lambda r: r[0])
    k = max(2, folds)
    best = None
    for l2 in L2_GRID:
        oof = [0.0] * len(rows)
        ll = 0.0
        for f in range(k):
            train = [r for i, r in enumerate(rows) if i % k != f]
            w, b = fit_weights([r[2] for r in train], [r[1] for r in train], l2)
            for i, r in enumerate(rows):
                if i % k == f:
                    z = sum(wi * ei for wi, ei in zip(w, r[2], strict=True)) + b
                    p = 1.0 / (1.0 + math.exp(-z))
                    ll -= math.log(max(p if r[1] else 1.0 - p, 1e-9))
                    oof[i] = _score(r[2], w, b)
        labels = [r[1] for r in rows]
        cv = {
            "l2": l2,
            "log_loss": round(ll / len(rows), 4),
            "auc": round(auc(oof, labels), 4),
            "agreement>=50": round(
                sum((s >= 50) == y for s, y in zip(oof, labels, strict=True)) / len(rows), 4
            ),
            "median_mainstream": round(
                statistics.median(s for s, y in zip(oof, labels, strict=False) if not y), 1
            ),
            "median_hyperpartisan": round(
                statistics.median(s for s, y in zip(oof, labels, strict=False) if y), 1
            ),
        }
        log(
            f"L2 {l2}: CV AUC {cv['auc']}, agreement {cv['agreement>=50']}, "
            f"medians {cv['median_mainstream']} / {cv['median_hyperpartisan']}"
        )
        if best is None or cv["log_loss"] < best["log_loss"]:
            best = cv
    assert best is not None
    w, b = fit_weights([r[2] for r in rows], [r[1] for r in rows], best["l2"])
    scale = max(-b, 1e-6)
    model = LinearModel(
        {k_: round(wi / scale, 6) for k_, wi in zip(EVIDENCE, w, strict=True)},
        0.0,
        meta={
            **model_meta(source, {**best, "folds": k}),
            "kind": "article score weights",
            "meaning": "overall = 100 * (1 - 2 ** -sum(weight * evidence)); 50 is where "
            "hyperpartisan and mainstream are equally likely",
            "articles": len(rows),
        },
    )
    return {"overall": model}, {**best, "folds": k, "articles": len(rows)}
