"""Training the hedging models (``rhetoric train hedging``): the cue tagger
and cue-type model on the Szeged Uncertainty Corpus, and the sentence
uncertainty model on WikiWeasel train, stacked on the tagger.

Szeged wiki sentences whose wording is not in WikiWeasel train are left out
of everything here (``hedging_data.exclude_unseen_wiki``: they are very
likely the CoNLL-2010 sentences held back for evaluation); how many, and why,
is recorded in ``meta.cv.szeged_wiki_excluded`` and ``hedging_cv.json``.

Cross-validation is sentence-level and deterministic: WikiWeasel sentence
``i`` goes to fold ``i % k``; a Szeged sentence with the same wording takes
the same fold (most WikiWeasel train sentences are also in Szeged wiki), any
other Szeged sentence ``j`` goes to fold ``j % k``. The tagger probabilities
the sentence model trains on are out-of-fold. The sentence threshold is chosen
for the decision the report makes ("uncertain when a hedging or attribution
finding has confidence >= 0.5"), simulated with the out-of-fold probabilities:
rule verdicts, and the hedge and weasel cues' confidences as
``hedge.cue_confidences`` gives them, caps included.

``tools/wikiweasel_report_cv.py`` measures the whole procedure out of fold
(the real report on held-out WikiWeasel sentences, every model retrained
without them).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..core.document import Document, Span
from ..evaluation.metrics import overlap_prf, prf
from ..io.datasets import Example
from ..io.hedging_data import SZEGED_WIKI, UNSEEN_WIKI_REASON, exclude_unseen_wiki, wording_key
from ..models.features import token_features
from ..models.hedge import (
    HEDGE_THRESHOLD,
    cue_confidences,
    cue_type_features,
    has_weasel_word,
    stacked_sentence_features,
    weasel_confidence,
)
from ..models.spans import token_labels, word_runs
from .estimators import FeatureLogReg
from .train import Log, model_meta, quiet

__all__ = ["HedgingConfig", "rule_uncertain", "train_hedging"]


class HedgingConfig:
    """Hyper-parameters chosen by 5-fold sentence-level CV (see ``meta.cv``)."""

    cue_C = 0.3
    type_C = 1.0
    sentence_C = 0.1
    # vocabulary floor and weight pruning keep the files small (fast to load)
    min_count = 3
    prune = 0.02
    cue_thresholds = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)


def rule_uncertain(text: str) -> bool:
    """The rule layer's verdict on one sentence: a hedging or attribution
    finding from the lexicons and patterns with confidence >= 0.5."""
    from ..detectors import RULE_DETECTORS
    from ..pipeline.analyze import analyze

    rep = analyze(text, categories=("hedging", "attribution"), detectors=RULE_DETECTORS)
    return any(f.confidence >= 0.5 for f in rep.findings)


def _cue_signals(
    doc: Document, probs: Sequence[float], cue_th: float
) -> tuple[list[tuple[float, bool, bool]], bool]:
    """What ``hedge_cues`` decides a one-sentence document's cues from, given
    tagger probabilities: ``([(cue probability, attributed, on a gap cue)],
    weasel wording would be attributed)``. Attributions as the report finds
    them (rules and, when installed, the attribution models)."""
    from ..detectors.hedging_model import attribution_context

    doc.use_models = True
    attributed, gaps = attribution_context(doc)

    def inside(start: int, spans: Sequence[Span]) -> bool:
        return any(c.start <= start < c.end for c in spans)

    cues = [
        (
            max(probs[a : b + 1]),
            inside(doc.words[a].start, attributed),
            inside(doc.words[a].start, gaps),
        )
        for a, b, _ in word_runs(doc, probs, cue_th)
    ]
    # a named source's reporting caps its whole sentence
    return cues, bool(attributed)


def _best_f1(scores: Sequence[float], gold: Sequence[int], forced: Sequence[bool]) -> tuple:
    best = None
    for t in range(10, 91, 2):
        th = t / 100
        tp = fp = fn = 0
        for s, g, r in zip(scores, gold, forced, strict=True):
            p = s >= th or r
            tp += p and g
            fp += p and not g
            fn += (not p) and g
        r_ = prf(tp, fp, fn)
        if best is None or r_["f1"] > best[0]["f1"]:
            best = (r_, th)
    return best  # type: ignore[return-value]


def train_hedging(
    szeged: Sequence[Example],
    weasel: Sequence[Example],
    *,
    folds: int = 5,
    cfg: HedgingConfig | None = None,
    log: Log = quiet,
    source: dict[str, Any] | None = None,
    oof: dict[str, Any] | None = None,
    type_cv: bool = True,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Fit the three hedging models and measure them; returns ``(models, cv)``.
    ``oof``, when given, receives the out-of-fold WikiWeasel sentence
    probabilities, rule verdicts, gold labels and tagger cue flags (for
    analysis scripts). ``type_cv=False`` skips measuring the cue-type model
    (it chooses nothing; cross-validation scripts save the time)."""
    cfg = cfg or HedgingConfig()
    k = folds
    szeged, unseen = exclude_unseen_wiki(szeged, weasel)
    excluded = {
        "sentences": len(unseen),
        "uncertain": sum(1 for e in unseen if e.label),
        "wiki_kept": sum(1 for e in szeged if e.id.startswith(SZEGED_WIKI)),
        "reason": UNSEEN_WIKI_REASON,
    }
    log(
        f"left out {len(unseen)} Szeged wiki sentences whose wording is not in WikiWeasel "
        f"train (kept {excluded['wiki_kept']} wiki sentences and the bio part)"
    )
    sz_docs = [Document(e.text, e.id) for e in szeged]
    ww_docs = [Document(e.text, e.id) for e in weasel]
    ww_fold = {wording_key(e.text): i % k for i, e in enumerate(weasel)}
    sz_fold = [ww_fold.get(wording_key(e.text), j % k) for j, e in enumerate(szeged)]
    log(f"features for {len(sz_docs)} Szeged and {len(ww_docs)} WikiWeasel sentences")
    X = [token_features(d) for d in sz_docs]
    Y = [
        token_labels(d, [(s.start, s.end) for s in e.spans])
        for d, e in zip(sz_docs, szeged, strict=True)
    ]
    WX = [token_features(d) for d in ww_docs]
    P_sz: list[list[float]] = [[] for _ in sz_docs]
    P_ww: list[list[float]] = [[] for _ in ww_docs]
    for f in range(k):
        tr = [j for j in range(len(sz_docs)) if sz_fold[j] != f]
        m = FeatureLogReg(C=cfg.cue_C, min_count=cfg.min_count, prune=cfg.prune).fit(
            [x for j in tr for x in X[j]], [v for j in tr for v in Y[j]]
        )
        te = [j for j in range(len(sz_docs)) if sz_fold[j] == f]
        flat = m.predict_proba([x for j in te for x in X[j]])[:, 1] if te else []
        pos = 0
        for j in te:
            P_sz[j] = [float(p) for p in flat[pos : pos + len(X[j])]]
            pos += len(X[j])
        wte = [i for i in range(len(ww_docs)) if i % k == f]
        flat = m.predict_proba([x for i in wte for x in WX[i]])[:, 1] if wte else []
        pos = 0
        for i in wte:
            P_ww[i] = [float(p) for p in flat[pos : pos + len(WX[i])]]
            pos += len(WX[i])
        log(f"cue tagger fold {f + 1}/{k} done")
    # cue threshold: partial-overlap cue F1 on Szeged (out of fold)
    gold = {e.id: [(s.start, s.end) for s in e.spans] for e in szeged}
    cue_table = []
    best_cue = None
    for th in cfg.cue_thresholds:
        pred = {
            d.id: [(d.words[a].start, d.words[b].end) for a, b, _ in word_runs(d, P_sz[j], th)]
            for j, d in enumerate(sz_docs)
        }
        r = overlap_prf(pred, gold)
        cue_table.append({"threshold": th, **r})
        if best_cue is None or r["f1"] > best_cue[0]["f1"]:
            best_cue = (r, th)
    assert best_cue is not None
    cue_th = best_cue[1]
    # Szeged sentence F1 from cues alone (a sentence is uncertain when it has a cue)
    sz_sent: dict[str, Any] = {}
    for part in ("szeged_wiki", "szeged_bio"):
        tp = fp = fn = 0
        for j, (d, e) in enumerate(zip(sz_docs, szeged, strict=True)):
            if not e.id.startswith(part):
                continue
            p = bool(word_runs(d, P_sz[j], cue_th))
            g = bool(e.label)
            tp += p and g
            fp += p and not g
            fn += (not p) and g
        sz_sent[part] = {x: round(v, 4) for x, v in prf(tp, fp, fn).items()}
    log(f"cue F1 {best_cue[0]['f1']:.3f} at {cue_th}; Szeged sentence F1 {sz_sent}")
    # sentence model on WikiWeasel, stacked on out-of-fold tagger probabilities
    SX = [
        stacked_sentence_features(d, Span(0, len(d.text)), P_ww[i]) for i, d in enumerate(ww_docs)
    ]
    Sy = [int(e.label or 0) for e in weasel]
    log("rule verdicts for WikiWeasel sentences")
    forced = [rule_uncertain(e.text) for e in weasel]
    SP = [0.0] * len(ww_docs)
    for f in range(k):
        tr = [i for i in range(len(ww_docs)) if i % k != f]
        te = [i for i in range(len(ww_docs)) if i % k == f]
        m = FeatureLogReg(C=cfg.sentence_C, prune=cfg.prune).fit(
            [SX[i] for i in tr], [Sy[i] for i in tr]
        )
        for i, p in zip(te, m.predict_proba([SX[i] for i in te])[:, 1], strict=True):
            SP[i] = float(p)
    if oof is not None:
        oof.update(
            probs=SP,
            rules=forced,
            gold=Sy,
            has_cue=[bool(word_runs(d, P_ww[i], cue_th)) for i, d in enumerate(ww_docs)],
            texts=[e.text for e in weasel],
        )
    combined, combined_th = _best_f1(SP, Sy, forced)
    # the decision the shipped report makes, simulated with the out-of-fold
    # probabilities: rule findings; hedge and gap-weasel cues through
    # ``hedge.cue_confidences`` (boost, HEDGE_THRESHOLD, the attributed-caution
    # and gap caps, from ``attribution_context`` as the detector computes it);
    # a weasel cue in a sentence with no cue when it has a weasel word. The
    # sentence threshold is chosen for this decision.
    log("attribution context for WikiWeasel sentences")
    sim = [_cue_signals(d, P_ww[i], cue_th) for i, d in enumerate(ww_docs)]
    weaselly = [has_weasel_word(d) for d in ww_docs]

    def shipped(th: float) -> list[bool]:
        out = []
        for p, r, (cues, w_att), w in zip(SP, forced, sim, weaselly, strict=True):
            conf = [cue_confidences(p, pc, th, att, gap) for pc, att, gap in cues]
            hit = r or any(h >= 0.5 or (x is not None and x >= 0.5) for h, x in conf)
            if not hit and not cues and w and p >= th:
                hit = weasel_confidence(p, th, w_att) >= 0.5
            out.append(hit)
        return out

    best_shipped: tuple[dict[str, float], float] | None = None
    for t in range(10, 91, 2):
        dec = shipped(t / 100)
        r_ = prf(
            sum(1 for x, g in zip(dec, Sy, strict=True) if x and g),
            sum(1 for x, g in zip(dec, Sy, strict=True) if x and not g),
            sum(1 for x, g in zip(dec, Sy, strict=True) if not x and g),
        )
        if best_shipped is None or r_["f1"] > best_shipped[0]["f1"]:
            best_shipped = (r_, t / 100)
    assert best_shipped is not None
    routed_prf, s_th = best_shipped
    alone, alone_th = _best_f1(SP, Sy, [False] * len(SP))
    rules = prf(
        sum(1 for r, g in zip(forced, Sy, strict=True) if r and g),
        sum(1 for r, g in zip(forced, Sy, strict=True) if r and not g),
        sum(1 for r, g in zip(forced, Sy, strict=True) if not r and g),
    )
    log(
        f"WikiWeasel sentence F1: as shipped (simulated) {routed_prf['f1']:.3f} at {s_th}; "
        f"model or rules {combined['f1']:.3f} at {combined_th}; model alone "
        f"{alone['f1']:.3f}; rules alone {rules['f1']:.3f}"
    )
    # cue type model on gold cues (accuracy by CV over the same folds)
    TX, Ty, Tf = [], [], []
    for j, (d, e) in enumerate(zip(sz_docs, szeged, strict=True)):
        for s in e.spans:
            idx = [i for i, w in enumerate(d.words) if w.start < s.end and s.start < w.end]
            if idx:
                TX.append(cue_type_features(d, idx[0], idx[-1]))
                Ty.append(s.label)
                Tf.append(sz_fold[j])
    correct = 0
    for f in range(k if type_cv else 0):
        tr = [i for i in range(len(TX)) if Tf[i] != f]
        te = [i for i in range(len(TX)) if Tf[i] == f]
        tm = FeatureLogReg(C=cfg.type_C, min_count=1).fit([TX[i] for i in tr], [Ty[i] for i in tr])
        correct += sum(
            1 for i, p in zip(te, tm.predict([TX[i] for i in te]), strict=True) if p == Ty[i]
        )
    type_acc = correct / len(TX) if TX else 0.0
    cv = {
        "folds": k,
        "szeged_wiki_excluded": excluded,
        "cue": {**best_cue[0], "threshold": cue_th},
        "cue_table": cue_table,
        "szeged_sentence_from_cues": sz_sent,
        "wikiweasel_sentence_threshold": s_th,
        "wikiweasel_sentence_as_shipped": {
            **{x: round(v, 4) for x, v in routed_prf.items()},
            "hedge_threshold": max(s_th, HEDGE_THRESHOLD),
        },
        "wikiweasel_sentence_model_or_rules": {
            **{x: round(v, 4) for x, v in combined.items()},
            "threshold": combined_th,
        },
        "wikiweasel_sentence_model_alone": {
            **{x: round(v, 4) for x, v in alone.items()},
            "threshold": alone_th,
        },
        "wikiweasel_sentence_rules_alone": {x: round(v, 4) for x, v in rules.items()},
    }
    if type_cv:
        cv["cue_type_accuracy"] = round(type_acc, 4)
        log(f"cue type accuracy {type_acc:.3f}")
    meta = model_meta(source, cv, drop=("cue_table",))
    cue_m = FeatureLogReg(C=cfg.cue_C, min_count=cfg.min_count, prune=cfg.prune).fit(
        [x for xs in X for x in xs], [v for ys in Y for v in ys]
    )
    sent_m = FeatureLogReg(C=cfg.sentence_C, prune=cfg.prune).fit(SX, Sy)
    type_m = FeatureLogReg(C=cfg.type_C, min_count=1).fit(TX, Ty)
    return {
        "cue": cue_m.export({**meta, "role": "hedge cue tagger (word level)"}, cue_th),
        "type": type_m.export({**meta, "role": "hedge cue type"}),
        "sentence": sent_m.export(
            {**meta, "role": "sentence uncertainty probability (stacked on the cue tagger)"}, s_th
        ),
    }, cv
