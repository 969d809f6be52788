"""Training the calibration (``rhetoric train calibration``): the term-rate
tables, and the logistic regressions that turn a finding's evidence into
the probability that a careful reader of news agrees with it.

Labels are blind judgments of findings on real news articles
(``corpora/audits/calibration.jsonl``: article id, span, category, label,
share of judges who agreed; the articles themselves are read from
``../shared/data``). Each judged span is matched to the candidate finding
the current detectors produce at that place (same span, category and label),
so the features are always today's. Articles of the final split
(``io.news.in_final_split``) are never judged for calibration.

Cross-validation folds are by article (deterministic: articles sorted by id,
article ``i`` in fold ``i % k``), so a judged article never helps predict
itself. Judges' shares weight each example (an item half the judges agreed
with counts half as a positive and half as a negative).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..io.news import AuditItem, read_audits, read_news_pool
from ..models.calibration import TermRates
from ..models.linear import LinearModel
from .train import model_meta

__all__ = ["build_term_rates", "judged_examples", "train_calibration"]

Log = Callable[[str], None]
AUDITS = Path(__file__).resolve().parents[2] / "corpora" / "audits" / "calibration.jsonl"
_WORD = re.compile(r"[a-z]+(?:['\u2019-][a-z]+)*")


def build_term_rates(data: Path) -> TermRates:
    """Word marking rates from BABE's biased words and BASIL's lexical spans
    (training part), and uncertainty-cue rates from the Szeged corpus (bio,
    and the wiki sentences in WikiWeasel train, as for the hedging models)."""
    from ..io.datasets import read_babe
    from ..io.hedging_data import exclude_unseen_wiki, read_hedging_sources
    from ..io.news import read_basil

    occ: dict[str, int] = defaultdict(int)
    mark: dict[str, int] = defaultdict(int)

    def count(text: str, marked_spans: Sequence[tuple[int, int]]) -> None:
        low = text.lower()
        for m in _WORD.finditer(low):
            occ[m.group()] += 1
            if any(a <= m.start() < b for a, b in marked_spans):
                mark[m.group()] += 1

    babe = data / "babe" / "babe_train.csv"
    if babe.is_file():
        for e in read_babe(babe):
            count(e.text, [(s.start, s.end) for s in e.spans])
    if (data / "basil").is_dir():
        for a in read_basil(data / "basil"):
            if not a.final:
                count(a.text, [(s.start, s.end) for s in a.spans if s.bias == "lex"])
    loaded = {w: (mark[w], n) for w, n in occ.items() if n >= 3}
    hocc: dict[str, int] = defaultdict(int)
    hcue: dict[str, int] = defaultdict(int)
    if (data / "hedging").is_dir():
        szeged, weasel = read_hedging_sources(data / "hedging")
        kept, _ = exclude_unseen_wiki(szeged, weasel)
        for e in kept:
            low = e.text.lower()
            for m in _WORD.finditer(low):
                hocc[m.group()] += 1
                if any(s.start <= m.start() < s.end for s in e.spans):
                    hcue[m.group()] += 1
    hedge = {w: (hcue[w], n) for w, n in hocc.items() if n >= 3 and hcue[w] > 0}
    return TermRates(loaded, hedge)


def judged_examples(
    data: Path, audits: Sequence[AuditItem], rates: TermRates, log: Log
) -> dict[str, list[tuple[str, list[str], float]]]:
    """For each variant ("full": models on, "rules": ``--no-models``), the
    judged findings as ``(article id, features, agreement)``."""
    from ..detectors import RULE_DETECTORS
    from ..pipeline.analyze import candidates
    from ..pipeline.calibrate import finding_features

    pool = read_news_pool(data)
    by_article: dict[str, list[AuditItem]] = defaultdict(list)
    for it in audits:
        by_article[it.article].append(it)
    out: dict[str, list[tuple[str, list[str], float]]] = {"full": [], "rules": []}
    missing = unmatched = 0
    for aid in sorted(by_article):
        art = pool.get(aid)
        if art is None:
            missing += len(by_article[aid])
            continue
        if art.final:
            raise ValueError(f"{aid}: an article of the final split was judged for calibration")
        for variant in ("full", "rules"):
            c = (
                candidates(art.text, aid)
                if variant == "full"
                else candidates(art.text, aid, detectors=RULE_DETECTORS)
            )
            where = {(f.start, f.end, f.category, f.label): i for i, f in enumerate(c.findings)}
            loose = {(f.start, f.end, f.category): i for i, f in enumerate(c.findings)}
            sents = {(s.start, s.end): s for s in c.sentence_scores}
            for it in by_article[aid]:
                i = where.get((it.start, it.end, it.category, it.label))
                if i is None:
                    i = loose.get((it.start, it.end, it.category))
                if i is None:
                    if variant == "full":
                        unmatched += 1
                    continue
                f = c.findings[i]
                sent = None
                if sents and c.doc.sentences:
                    s = c.doc.sentences[c.doc.sentence_index(f.start)]
                    sent = sents.get((s.start, s.end))
                feats = finding_features(c.doc, f, c.support[i], sent, rates, variant == "full")
                out[variant].append((aid, feats, it.agree))
    log(
        f"judged findings: {len(out['full'])} matched to today's candidates "
        f"({unmatched} no longer produced, {missing} on articles not found)"
    )
    return out


def _fit(rows: Sequence[tuple[list[str], float]], c: float) -> LinearModel:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    xs, ys, ws = [], [], []
    for feats, agree in rows:
        d = dict.fromkeys(feats, 1)
        for y, w in ((1, agree), (0, 1.0 - agree)):
            if w > 0:
                xs.append(d)
                ys.append(y)
                ws.append(w)
    dv = DictVectorizer()
    x = dv.fit_transform(xs)
    lr = LogisticRegression(C=c, max_iter=5000)
    lr.fit(x, ys, sample_weight=ws)
    weights = {name: float(w) for name, w in zip(dv.feature_names_, lr.coef_[0], strict=True) if w}
    return LinearModel(weights, float(lr.intercept_[0]))


def _cv(
    rows: Sequence[tuple[str, list[str], float]], folds: int, c: float
) -> list[tuple[float, float, str]]:
    """Out-of-fold ``(probability, agreement, category feature)`` per row."""
    articles = sorted({a for a, _, _ in rows})
    fold_of = {a: i % folds for i, a in enumerate(articles)}
    preds: list[tuple[float, float, str]] = [(0.0, 0.0, "")] * len(rows)
    for k in range(folds):
        train = [(f, y) for a, f, y in rows if fold_of[a] != k]
        model = _fit(train, c)
        for i, (a, f, y) in enumerate(rows):
            if fold_of[a] == k:
                cat = next((x[4:] for x in f if x.startswith("cat=")), "")
                preds[i] = (model.proba(f), y, cat)
    return preds


def _summary(preds: Sequence[tuple[float, float, str]]) -> dict[str, Any]:
    """Log loss, and the judged precision and count of findings at >= 0.5
    and >= 0.8, overall and per category."""
    ll = -sum(
        y * math.log(max(p, 1e-9)) + (1 - y) * math.log(max(1 - p, 1e-9)) for p, y, _ in preds
    )
    out: dict[str, Any] = {"n": len(preds), "log_loss": round(ll / max(1, len(preds)), 4)}
    for cut in (0.5, 0.8):
        sel = [(p, y, c) for p, y, c in preds if p >= cut]
        out[f"n>={cut}"] = len(sel)
        out[f"precision>={cut}"] = round(sum(y for _, y, _ in sel) / len(sel), 3) if sel else None
        by: dict[str, list[float]] = defaultdict(list)
        for _, y, c in sel:
            by[c].append(y)
        out[f"by_category>={cut}"] = {
            c: [round(sum(v) / len(v), 3), len(v)] for c, v in sorted(by.items())
        }
    out["mean_predicted"] = round(sum(p for p, _, _ in preds) / max(1, len(preds)), 3)
    out["mean_judged"] = round(sum(y for _, y, _ in preds) / max(1, len(preds)), 3)
    return out


C_GRID = (0.1, 0.3, 1.0, 3.0)


def train_calibration(
    data: Path, audits_path: Path, folds: int, log: Log, source: dict[str, str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Fit both variants; C chosen by article-level CV log loss."""
    rates = build_term_rates(data)
    log(f"term rates: {len(rates.loaded)} words (loaded), {len(rates.hedge)} (hedge cues)")
    audits = read_audits(audits_path)
    examples = judged_examples(data, audits, rates, log)
    models: dict[str, Any] = {"terms": rates}
    cv: dict[str, Any] = {}
    for variant, rows in examples.items():
        best = None
        for c in C_GRID:
            s = _summary(_cv(rows, folds, c))
            log(
                f"{variant} C={c}: log loss {s['log_loss']}, precision>=0.5 "
                f"{s['precision>=0.5']} (n {s['n>=0.5']})"
            )
            if best is None or s["log_loss"] < best[1]["log_loss"]:
                best = (c, s)
        assert best is not None
        c, summary = best
        model = _fit([(f, y) for _, f, y in rows], c)
        model.meta = {
            **model_meta(source, summary),
            "kind": "calibration",
            "variant": variant,
            "C": c,
            "judged_findings": len(rows),
        }
        models[variant] = model
        cv[variant] = {"C": c, **summary}
    return models, cv
