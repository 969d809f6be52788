"""Training the attribution cue and source taggers on PolNeAR train
(``rhetoric train attribution``), with article-level cross-validation of the
whole extractor (rules plus taggers) under the partial-overlap metric.

Deterministic: article ``i`` (sorted by name) goes to fold ``i % k``; fixed
``random_state``; sorted features. scikit-learn is imported only through
``FeatureLogReg.fit``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..attribution.combine import combine_attributions
from ..core.document import Document
from ..evaluation.metrics import overlap_prf
from ..io.polnear import PolnearArticle
from ..models.attribution import attribution_token_features
from ..models.spans import token_labels
from .estimators import FeatureLogReg
from .train import Log, model_meta, quiet

__all__ = ["AttributionConfig", "train_attribution"]


class AttributionConfig:
    """Hyper-parameters chosen by 5-fold article-level CV on PolNeAR train."""

    cue_C = 0.3
    source_C = 0.3
    # vocabulary floor and weight pruning keep the two files near 1.2 MB each
    # (fast to load); pruning at 0.1 cost 0.001 cue F1 and 0.004 source F1
    # on a sixth of PolNeAR train
    min_count = 3
    prune = 0.1
    cue_thresholds = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55)
    source_thresholds = (0.25, 0.3, 0.35, 0.4, 0.45, 0.5)


def _evaluate(
    docs: Sequence[Document],
    arts: Sequence[PolnearArticle],
    rules: Sequence[list],
    pc: Sequence[Sequence[float]],
    ps: Sequence[Sequence[float]],
    cth: float,
    sth: float,
) -> dict[str, dict[str, float]]:
    pred_c, pred_s, gold_c, gold_s = {}, {}, {}, {}
    for d, a, r, c, s in zip(docs, arts, rules, pc, ps, strict=True):
        atts = combine_attributions(d, r, c, s, cth, sth)
        pred_c[a.id] = [(x.cue.start, x.cue.end) for x in atts]
        pred_s[a.id] = [(x.source.start, x.source.end) for x in atts if x.source]
        gold_c[a.id] = a.spans("cue")
        gold_s[a.id] = a.spans("source")
    return {"cue": overlap_prf(pred_c, gold_c), "source": overlap_prf(pred_s, gold_s)}


def train_attribution(
    arts: Sequence[PolnearArticle],
    *,
    folds: int = 5,
    cfg: AttributionConfig | None = None,
    log: Log = quiet,
    source: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Fit the cue and source taggers; CV picks both decoding thresholds by
    the mean of cue F1 and source F1 of the combined extractor."""
    from ..attribution.rules import rule_attributions

    cfg = cfg or AttributionConfig()
    docs = [Document(a.text, a.id) for a in arts]
    log(f"features for {len(docs)} articles")
    X = [attribution_token_features(d) for d in docs]
    YC = [token_labels(d, a.spans("cue")) for d, a in zip(docs, arts, strict=True)]
    YS = [token_labels(d, a.spans("source")) for d, a in zip(docs, arts, strict=True)]
    rules = [rule_attributions(d) for d in docs]
    n = len(docs)
    k = max(2, min(folds, n))
    PC: list[list[float]] = [[] for _ in range(n)]
    PS: list[list[float]] = [[] for _ in range(n)]
    for f in range(k):
        train = [i for i in range(n) if i % k != f]
        test = [i for i in range(n) if i % k == f]
        for Y, P, C in ((YC, PC, cfg.cue_C), (YS, PS, cfg.source_C)):
            m = FeatureLogReg(C=C, min_count=cfg.min_count, prune=cfg.prune).fit(
                [x for i in train for x in X[i]], [v for i in train for v in Y[i]]
            )
            for i in test:
                P[i] = [float(p) for p in m.predict_proba(X[i])[:, 1]] if X[i] else []
        log(f"fold {f + 1}/{k} done")
    table = []
    best: tuple[float, float, float, dict[str, Any]] | None = None
    for cth in cfg.cue_thresholds:
        for sth in cfg.source_thresholds:
            r = _evaluate(docs, arts, rules, PC, PS, cth, sth)
            score = (r["cue"]["f1"] + r["source"]["f1"]) / 2
            table.append({"cue_threshold": cth, "source_threshold": sth, **r})
            if best is None or score > best[0]:
                best = (score, cth, sth, r)
    assert best is not None
    _, cth, sth, r = best
    rules_only = _evaluate(
        docs, arts, rules, [[1.0] * len(x) for x in X], [[0.0] * len(x) for x in X], 1.1, 1.1
    )
    cv = {
        "folds": k,
        "metric": "partial-overlap P/R/F1 over the report's attributions (cue, source spans)",
        "cue": r["cue"],
        "source": r["source"],
        "cue_threshold": cth,
        "source_threshold": sth,
        "rules_only": rules_only,
        "table": table,
    }
    log(
        f"CV: cue F1 {r['cue']['f1']:.3f}, source F1 {r['source']['f1']:.3f} "
        f"(rules alone {rules_only['cue']['f1']:.3f} / {rules_only['source']['f1']:.3f})"
    )
    meta = model_meta(source, cv, drop=("table",))
    cm = FeatureLogReg(C=cfg.cue_C, min_count=cfg.min_count, prune=cfg.prune).fit(
        [x for xs in X for x in xs], [v for ys in YC for v in ys]
    )
    sm = FeatureLogReg(C=cfg.source_C, min_count=cfg.min_count, prune=cfg.prune).fit(
        [x for xs in X for x in xs], [v for ys in YS for v in ys]
    )
    return {
        "cue": cm.export({**meta, "role": "attribution cue tagger (word level)"}, cth),
        "source": sm.export({**meta, "role": "attribution source tagger (word level)"}, sth),
    }, cv
