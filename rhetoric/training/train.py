"""Training and cross-validation for the shipped models (``rhetoric train``).

Everything is deterministic: folds are assigned by sorted document id
(document ``i`` goes to fold ``i % k``; one article never spans two folds),
estimators have a fixed ``random_state``, and features are strings sorted
before they are written. scikit-learn is imported here only.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Sequence
from typing import Any

from .._version import __version__
from ..core.document import Document, Span
from ..evaluation.metrics import macro_f1, prf, si_scores, tc_micro_f1
from ..io.datasets import Example
from ..models.features import sentence_features, token_features
from ..models.ptc import classify_spans, stacked_token_features
from ..models.spans import decode_spans, token_labels
from .estimators import FeatureLogReg

__all__ = ["Log", "TrainConfig", "model_meta", "quiet", "train_babe", "train_ptc"]

Log = Callable[[str], None]


def quiet(_: str) -> None:
    pass


class TrainConfig:
    """Hyper-parameters, chosen by article-level CV on PTC train (see the
    model metadata for the figures)."""

    sentence_C = 0.05  # the NB-LR sentence model (as the earlier plain one)
    sentence_tfidf_C = 1.0  # the TF-IDF sentence model (scikit-learn's default)
    token_C = 0.1
    technique_C = 1.0
    babe_C = 0.1
    word_C = 0.3
    thresholds = (0.15, 0.175, 0.2, 0.225, 0.25, 0.3)
    seeds = (0.25, 0.3, 0.325, 0.35, 0.4, 0.5)
    gaps = (0, 1, 2, 3, 5, 8)


def _folds(n: int, k: int) -> list[list[int]]:
    return [[i for i in range(n) if i % k == f] for f in range(k)]


def _sentence_rows(docs: Sequence[Document], exs: Sequence[Example]) -> tuple[list, list, list]:
    X, y, owner = [], [], []
    for i, (d, e) in enumerate(zip(docs, exs, strict=True)):
        for s in d.sentences:
            X.append(sentence_features(d, s) if d.word_count(s) else [])
            y.append(int(any(g.start < s.end and s.start < g.end for g in e.spans)))
            owner.append(i)
    return X, y, owner


def _fit_sentence(X, y, rows, cfg: TrainConfig) -> tuple[FeatureLogReg, FeatureLogReg]:
    """The two PTC sentence models on ``rows``: NB-LR and TF-IDF logistic
    regression over the same features; their mean probability is the
    sentence probability (``ptc.sentence_probs``)."""
    Xr, yr = [X[j] for j in rows], [y[j] for j in rows]
    return (
        FeatureLogReg(C=cfg.sentence_C, weighting="nb").fit(Xr, yr),
        FeatureLogReg(C=cfg.sentence_tfidf_C, weighting="tfidf").fit(Xr, yr),
    )


def _oof_sentence_probs(
    docs: Sequence[Document],
    X: list,
    y: list,
    owner: list,
    arts: Sequence[int],
    k: int,
    cfg: TrainConfig,
) -> dict[int, list[float]]:
    """Out-of-fold sentence probabilities for the articles ``arts``, per article."""
    arts = sorted(arts)
    pool = set(arts)
    out: dict[int, list[float]] = {}
    for f in range(k):
        test = set(arts[f::k])
        train_rows = [j for j in range(len(X)) if owner[j] in pool and owner[j] not in test]
        m = _fit_sentence(X, y, train_rows, cfg)
        out.update(_apply_sentence(m, X, owner, test, docs))
    return out


def _apply_sentence(ms: Sequence[FeatureLogReg], X, owner, arts, docs) -> dict[int, list[float]]:
    arts = set(arts)
    rows = [j for j in range(len(X)) if owner[j] in arts]
    probs = sum(m.predict_proba([X[j] for j in rows])[:, 1] for m in ms) / len(ms) if rows else []
    out: dict[int, list[float]] = {a: [] for a in arts}
    for j, p in zip(rows, probs, strict=True):
        out[owner[j]].append(float(p) if X[j] else 0.0)
    return out


def _isotonic_curve(scores: Sequence[float], hits: Sequence[float], points: int = 12) -> list:
    """Isotonic fit of hit rate against score, reduced to a few knots."""
    from sklearn.isotonic import IsotonicRegression

    if not scores:
        return []
    iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(scores, hits)
    lo, hi = min(scores), max(scores)
    xs = [lo + (hi - lo) * i / (points - 1) for i in range(points)] if hi > lo else [lo]
    return [[round(x, 4), round(float(y), 4)] for x, y in zip(xs, iso.predict(xs), strict=True)]


def train_ptc(
    si: Sequence[Example],
    tc: Sequence[Example],
    *,
    folds: int = 5,
    cfg: TrainConfig | None = None,
    log: Log = quiet,
    source: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Fit the sentence, token and technique models on PTC-style data and
    measure them with article-level ``folds``-fold CV.

    ``si`` carries span-only gold (merged spans), ``tc`` technique-labelled
    spans over the same articles. Returns ``(models, cv_report)``.
    """
    cfg = cfg or TrainConfig()
    docs = [Document(e.text, e.id) for e in si]
    n = len(docs)
    log(f"features for {n} documents")
    SX, Sy, Sown = _sentence_rows(docs, si)
    TY = [
        token_labels(d, [(s.start, s.end) for s in e.spans]) for d, e in zip(docs, si, strict=True)
    ]
    by_id = {e.id: e for e in tc}
    # -- cross-validation -------------------------------------------------
    oof_tok: dict[int, list[float]] = {}
    oof_sent: dict[int, list[float]] = {}
    tc_gold: list[str] = []
    tc_pred: list[str] = []
    fold_tech: dict[int, Any] = {}
    k = max(2, min(folds, n))
    for f, test in enumerate(_folds(n, k)):
        train = [i for i in range(n) if i % k != f]
        sp = _oof_sentence_probs(docs, SX, Sy, Sown, train, min(4, len(train)), cfg)
        pool = set(train)
        sm = _fit_sentence(SX, Sy, [j for j in range(len(SX)) if Sown[j] in pool], cfg)
        sp.update(_apply_sentence(sm, SX, Sown, set(test), docs))
        for i in test:
            oof_sent[i] = sp[i]
        Xtr = [r for i in train for r in stacked_token_features(docs[i], sp[i])]
        ytr = [v for i in train for v in TY[i]]
        tm = FeatureLogReg(C=cfg.token_C).fit(Xtr, ytr)
        for i in test:
            oof_tok[i] = [
                float(p) for p in tm.predict_proba(stacked_token_features(docs[i], sp[i]))[:, 1]
            ]
        # technique classifier on gold spans
        tech = _fit_technique(
            [tc_ex for i in train if (tc_ex := by_id.get(docs[i].id))], docs, train, cfg
        )
        fold_tech[f] = tech.export() if tech is not None else None
        if tech is not None:
            g, p = _predict_techniques(
                tech, [docs[i] for i in test], [by_id.get(docs[i].id) for i in test]
            )
            tc_gold += g
            tc_pred += p
        log(f"fold {f + 1}/{k} done")
    gold = {docs[i].id: [(s.start, s.end) for s in si[i].spans] for i in range(n)}
    best = None
    table = []
    for th in cfg.thresholds:
        for seed in cfg.seeds:
            if seed < th:
                continue
            for gap in cfg.gaps:
                pred = {
                    docs[i].id: [
                        (s, e) for s, e, _ in decode_spans(docs[i], oof_tok[i], th, gap, seed)
                    ]
                    for i in range(n)
                }
                r = si_scores(pred, gold)
                table.append(
                    {
                        "threshold": th,
                        "seed_threshold": seed,
                        "max_gap": gap,
                        **{x: round(r[x], 4) for x in ("precision", "recall", "f1")},
                    }
                )
                if best is None or r["f1"] > best[0]["f1"]:
                    best = (r, th, gap, seed)
    assert best is not None
    si_best, th, gap, seed = best
    # calibration: P(predicted span overlaps gold) against its mean word probability
    scores, hits, ll_pred, ll_gold = [], [], {}, {}
    for i in range(n):
        spans = decode_spans(docs[i], oof_tok[i], th, gap, seed)
        g = gold[docs[i].id]
        for s, e, sc in spans:
            scores.append(sc)
            hits.append(1.0 if any(a < e and s < b for a, b in g) else 0.0)
        tech_m = fold_tech.get(i % k)
        ranked = classify_spans(docs[i], tech_m, [(s, e) for s, e, _ in spans]) if tech_m else []
        ll_pred[docs[i].id] = [
            (s, e)
            for (s, e, _), r in zip(spans, ranked, strict=True)
            if r[0][0] == "Loaded_Language"
        ]
        ex = by_id.get(docs[i].id)
        ll_gold[docs[i].id] = (
            [(s.start, s.end) for s in ex.spans if s.label == "Loaded_Language"] if ex else []
        )
    curve = _isotonic_curve(scores, hits)
    # sentence-level F1: a sentence is positive when its probability (mean of
    # the sentence models and the max word probability) passes a threshold
    s_scores, s_gold, s_fold = [], [], []
    for i in range(n):
        d = docs[i]
        mx = [0.0] * len(d.sentences)
        for si_, p in zip(d.word_sentences, oof_tok[i], strict=True):
            mx[si_] = max(mx[si_], p)
        for si_, (ps, pm) in enumerate(zip(oof_sent[i], mx, strict=True)):
            s = d.sentences[si_]
            if not d.word_count(s):
                continue
            s_scores.append((ps + pm) / 2)
            s_gold.append(int(any(a < s.end and s.start < b for a, b in gold[d.id])))
            s_fold.append(i % k)
    s_cv = _sentence_cv(s_scores, s_gold, s_fold, k)
    # the shipped threshold: the best over all out-of-fold scores
    s_best = max((_bin_f1(s_scores, s_gold, t), t) for t in _SENTENCE_THRESHOLDS)
    # Loaded_Language span F1: predicted spans the (fold's) technique model
    # labels Loaded_Language against gold Loaded_Language spans, same metric.
    ll = si_scores(ll_pred, ll_gold)
    cv = {
        "folds": k,
        "si": {x: round(si_best[x], 4) for x in ("precision", "recall", "f1")},
        "si_threshold": th,
        "si_max_gap": gap,
        "si_seed_threshold": seed,
        "si_table": table,
        "loaded_language_si": {x: round(ll[x], 4) for x in ("precision", "recall", "f1")},
        "tc_micro_f1": round(tc_micro_f1(tc_gold, tc_pred)["micro_f1"], 4) if tc_gold else None,
        "tc_per_class": {
            c: {x: round(v, 4) for x, v in r.items()}
            for c, r in tc_micro_f1(tc_gold, tc_pred)["per_class"].items()
        }
        if tc_gold
        else {},
        # honest figure: each fold decided at the threshold chosen on the
        # other folds' out-of-fold scores (never on its own)
        "sentence_f1": s_cv["f1"],
        "sentence_precision": s_cv["precision"],
        "sentence_recall": s_cv["recall"],
        "sentence_fold_thresholds": s_cv["thresholds"],
        # the shipped threshold, chosen on all out-of-fold scores, and the F1
        # there (optimistic: the threshold saw the scores it is measured on)
        "sentence_threshold": s_best[1],
        "sentence_f1_at_shipped_threshold": round(s_best[0], 4),
    }
    log(
        f"CV: SI F1 {cv['si']['f1']:.3f} at threshold {th} gap {gap}; "
        f"TC micro-F1 {cv['tc_micro_f1']}; sentence F1 {cv['sentence_f1']:.3f}"
    )
    # -- final fit on everything -----------------------------------------
    all_idx = list(range(n))
    sp_all = _oof_sentence_probs(docs, SX, Sy, Sown, all_idx, min(folds, n), cfg)
    sm = _fit_sentence(SX, Sy, list(range(len(SX))), cfg)
    tm = FeatureLogReg(C=cfg.token_C).fit(
        [r for i in all_idx for r in stacked_token_features(docs[i], sp_all[i])],
        [v for i in all_idx for v in TY[i]],
    )
    tech = _fit_technique(list(tc), docs, all_idx, cfg)
    meta = model_meta(source, cv)
    models = {
        # the threshold applies to the combined sentence probability
        # (ptc.sentence_propaganda); the two models' mean is the sentence part
        "sentence": sm[0].export(
            {**meta, "role": "PTC sentence propaganda probability (NB-LR, averaged with tfidf)"},
            s_best[1],
        ),
        "sentence_tfidf": sm[1].export(
            {**meta, "role": "PTC sentence propaganda probability (TF-IDF, averaged with NB-LR)"},
            s_best[1],
        ),
        "token": tm.export(
            {
                **meta,
                "role": "PTC span identification (word level)",
                "max_gap": gap,
                "seed_threshold": seed,
                "calibration": curve,
            },
            th,
        ),
    }
    if tech is not None:
        models["technique"] = tech.export({**meta, "role": "PTC technique classification"})
    return models, cv


def _bin_counts(scores: Sequence[float], gold: Sequence[int], th: float) -> tuple[int, int, int]:
    tp = sum(1 for s, g in zip(scores, gold, strict=True) if s >= th and g)
    fp = sum(1 for s, g in zip(scores, gold, strict=True) if s >= th and not g)
    fn = sum(1 for s, g in zip(scores, gold, strict=True) if s < th and g)
    return tp, fp, fn


def _bin_f1(scores: Sequence[float], gold: Sequence[int], th: float) -> float:
    return prf(*_bin_counts(scores, gold, th))["f1"]


_SENTENCE_THRESHOLDS = tuple(t / 100 for t in range(10, 61, 2))


def _sentence_cv(
    scores: Sequence[float], gold: Sequence[int], fold: Sequence[int], k: int
) -> dict[str, Any]:
    """Sentence P/R/F1 with the threshold chosen out of fold: fold ``f``'s
    sentences are decided at the threshold that maximises F1 over the other
    folds' out-of-fold scores; counts are pooled over the folds."""
    tp = fp = fn = 0
    chosen = []
    for f in range(k):
        tr = [j for j, g in enumerate(fold) if g != f]
        te = [j for j, g in enumerate(fold) if g == f]
        if not tr or not te:
            continue
        s_tr, g_tr = [scores[j] for j in tr], [gold[j] for j in tr]
        th = max((_bin_f1(s_tr, g_tr, t), t) for t in _SENTENCE_THRESHOLDS)[1]
        a, b, c = _bin_counts([scores[j] for j in te], [gold[j] for j in te], th)
        tp, fp, fn = tp + a, fp + b, fn + c
        chosen.append(th)
    r = prf(tp, fp, fn)
    return {
        **{x: round(r[x], 4) for x in ("precision", "recall", "f1")},
        "thresholds": chosen,
    }


def _fit_technique(
    tc: Sequence[Example], docs: Sequence[Document], idx: Sequence[int], cfg: TrainConfig
) -> FeatureLogReg | None:
    from ..models.features import span_features

    by_id = {d.id: d for d in docs}
    X, y = [], []
    for ex in tc:
        d = by_id.get(ex.id)
        if d is None:
            continue
        for s in ex.spans:
            if s.label:
                X.append(span_features(d, s.start, s.end))
                y.append(s.label)
    if len(set(y)) < 2:
        return None
    return FeatureLogReg(C=cfg.technique_C).fit(X, y)


def _predict_techniques(
    model: FeatureLogReg, docs: Sequence[Document], exs: Sequence[Example | None]
) -> tuple[list[str], list[str]]:
    """Gold and predicted technique per gold span; a span listed twice (two
    techniques) gets the best class first, then the second best."""
    g_out, p_out = [], []
    exported = model.export()
    for d, ex in zip(docs, exs, strict=True):
        if ex is None:
            continue
        spans = [(s.start, s.end) for s in ex.spans]
        ranked = classify_spans(d, exported, spans)
        seen: dict[tuple[int, int], int] = {}
        for s, r in zip(ex.spans, ranked, strict=True):
            key = (s.start, s.end)
            rank = seen.get(key, 0)
            seen[key] = rank + 1
            g_out.append(s.label)
            p_out.append(r[min(rank, len(r) - 1)][0])
    return g_out, p_out


def model_meta(
    source: dict[str, Any] | None,
    cv: dict[str, Any],
    drop: tuple[str, ...] = ("si_table", "tc_per_class"),
) -> dict[str, Any]:
    """What every shipped model records: who trained it, when, on what, and
    its CV scores (long tables stay in the *_cv.json file, not in each model)."""
    return {
        "trained_with": f"rhetoric {__version__}",
        "date": _dt.date.today().isoformat(),
        "data": source or {},
        "cv": {k: v for k, v in cv.items() if k not in drop},
    }


def train_babe(
    exs: Sequence[Example],
    *,
    folds: int = 5,
    cfg: TrainConfig | None = None,
    log: Log = quiet,
    source: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Fit the BABE sentence bias model and biased-word tagger; CV macro-F1
    of the sentence model and word-level F1 of the tagger."""
    cfg = cfg or TrainConfig()
    docs = [Document(e.text, e.id) for e in exs]
    whole = [Span(0, len(d.text)) for d in docs]
    X = [sentence_features(d, s) for d, s in zip(docs, whole, strict=True)]
    y = [int(e.label or 0) for e in exs]
    WX = [token_features(d) for d in docs]
    WY = [
        token_labels(d, [(s.start, s.end) for s in e.spans]) for d, e in zip(docs, exs, strict=True)
    ]
    n = len(docs)
    k = max(2, min(folds, n))
    P = [0.0] * n
    WP: list[list[float]] = [[] for _ in range(n)]
    for f, test in enumerate(_folds(n, k)):
        train = [i for i in range(n) if i % k != f]
        m = FeatureLogReg(C=cfg.babe_C).fit([X[i] for i in train], [y[i] for i in train])
        for i, p in zip(test, m.predict_proba([X[i] for i in test])[:, 1], strict=True):
            P[i] = float(p)
        wm = FeatureLogReg(C=cfg.word_C).fit(
            [r for i in train for r in WX[i]], [v for i in train for v in WY[i]]
        )
        for i in test:
            WP[i] = [float(p) for p in wm.predict_proba(WX[i])[:, 1]] if WX[i] else []
        log(f"fold {f + 1}/{k} done")
    best = max((macro_f1(y, [int(p >= t / 100) for p in P]), t / 100) for t in range(30, 71, 2))
    w_flat = [p for ps in WP for p in ps]
    w_gold = [v for ys in WY for v in ys]
    w_best = max((_bin_f1(w_flat, w_gold, t / 100), t / 100) for t in range(10, 71, 5))
    cv = {
        "folds": k,
        "sentence_macro_f1": round(best[0], 4),
        "sentence_threshold": best[1],
        "word_f1": round(w_best[0], 4),
        "word_threshold": w_best[1],
    }
    log(f"CV: sentence macro-F1 {best[0]:.3f} at {best[1]}; biased-word F1 {w_best[0]:.3f}")
    # the opinion model: sentences annotators found opinionated (the writer's
    # opinion, or factual but also opinionated) against entirely factual ones;
    # the rows they did not agree on are left out
    oi = [i for i, e in enumerate(exs) if e.opinion is not None]
    oy = [int(exs[i].opinion or 0) for i in oi]
    OP = [0.0] * len(oi)
    for f, _test in enumerate(_folds(len(oi), k)):
        tr = [j for j in range(len(oi)) if j % k != f]
        te = [j for j in range(len(oi)) if j % k == f]
        om = FeatureLogReg(C=cfg.babe_C).fit([X[oi[j]] for j in tr], [oy[j] for j in tr])
        for j, p in zip(te, om.predict_proba([X[oi[j]] for j in te])[:, 1], strict=True):
            OP[j] = float(p)
    o_best = max((macro_f1(oy, [int(p >= t / 100) for p in OP]), t / 100) for t in range(30, 71, 2))
    cv["opinion_macro_f1"] = round(o_best[0], 4)
    cv["opinion_threshold"] = o_best[1]
    cv["opinion_sentences"] = len(oi)
    log(f"CV: opinion macro-F1 {o_best[0]:.3f} at {o_best[1]} ({len(oi)} sentences)")
    meta = model_meta(source, cv)
    m = FeatureLogReg(C=cfg.babe_C).fit(X, y)
    wm = FeatureLogReg(C=cfg.word_C).fit([r for xs in WX for r in xs], w_gold)
    om = FeatureLogReg(C=cfg.babe_C).fit([X[i] for i in oi], oy)
    return {
        "sentence": m.export({**meta, "role": "BABE sentence bias probability"}, best[1]),
        "word": wm.export({**meta, "role": "BABE biased-word tagger"}, w_best[1]),
        "opinion": om.export(
            {**meta, "role": "BABE sentence opinion probability (label_opinion)"}, o_best[1]
        ),
    }, cv
