"""Evaluating the shipped models on labelled data they did not train on, with
the published metrics (see ``metrics.py``), and writing SemEval submissions.

- PTC-format folders: SI span F1, Loaded_Language span F1, TC micro-F1 on the
  gold spans, sentence F1.
- BABE-format CSV: macro-F1 of the whole report under the rule "a sentence is
  biased when it gets a loaded_language or propaganda finding with confidence
  >= 0.5", and of the sentence model alone.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.document import Document, spans_overlap
from ..io.datasets import (
    DataError,
    Example,
    GoldSpan,
    read_babe,
    read_ptc_articles,
    read_ptc_labels,
)
from ..models.ptc import classify_spans, predict_spans, sentence_propaganda
from ..models.store import load_bundle
from .metrics import macro_f1, merge_spans, prf, si_scores, tc_micro_f1

__all__ = [
    "BabeTally",
    "DataError",
    "babe_tally",
    "evaluate_babe",
    "evaluate_hedging",
    "evaluate_polnear",
    "evaluate_ptc",
    "find_ptc_data",
    "ptc_predict_lines",
    "read_template",
    "report_uncertain",
]


def _bundle(name: str) -> dict[str, Any]:
    b = load_bundle(name)
    if not b:
        raise DataError(f"no {name} models installed; run 'rhetoric train {name}' first")
    return b


def find_ptc_data(folder: str | Path) -> tuple[Path, list[Path]]:
    """The folder holding ``article<ID>.txt`` files and the ``*.labels`` files
    beside it (a PTC release folder, or a folder of articles)."""
    root = Path(folder)
    if not root.is_dir():
        raise DataError(f"{folder}: not a folder")
    candidates = [root, *sorted(p for p in root.iterdir() if p.is_dir())]
    for c in candidates:
        if any(c.glob("article*.txt")):
            labels = sorted(set(root.glob("*.labels")) | set(c.glob("*.labels")))
            return c, labels
    raise DataError(f"{folder}: no article<ID>.txt files found")


def evaluate_ptc(folder: str | Path, labels: Sequence[str | Path] = ()) -> dict[str, Any]:
    """Scores of the shipped PTC models on a PTC-format folder."""
    bundle = _bundle("ptc")
    art_dir, found = find_ptc_data(folder)
    label_files = [Path(p) for p in labels] or found
    if not label_files:
        raise DataError(f"{folder}: no .labels files; give them with --labels")
    tc_gold: dict[str, list[GoldSpan]] = {}
    si_gold: dict[str, list[GoldSpan]] = {}
    for p in label_files:
        for aid, spans in read_ptc_labels(p).items():
            target = tc_gold if spans and spans[0].label else si_gold
            target.setdefault(aid, []).extend(spans)
    articles = dict(read_ptc_articles(art_dir))
    gold_si = {
        aid: [(s.start, s.end) for s in (si_gold.get(aid) or tc_gold.get(aid, []))]
        for aid in articles
    }
    pred_si: dict[str, list[tuple[int, int]]] = {}
    pred_ll: dict[str, list[tuple[int, int]]] = {}
    gold_ll: dict[str, list[tuple[int, int]]] = {}
    tg: list[str] = []
    tp: list[str] = []
    s_tp = s_fp = s_fn = 0
    th = bundle["sentence"].threshold
    for aid, text in articles.items():
        doc = Document(text, aid)
        spans = predict_spans(doc, bundle)
        pred_si[aid] = [(p.start, p.end) for p in spans]
        pred_ll[aid] = [(p.start, p.end) for p in spans if p.technique == "Loaded_Language"]
        gold_ll[aid] = [
            (s.start, s.end) for s in tc_gold.get(aid, []) if s.label == "Loaded_Language"
        ]
        gold_tc = tc_gold.get(aid, [])
        ranked = classify_spans(doc, bundle["technique"], [(s.start, s.end) for s in gold_tc])
        seen: dict[tuple[int, int], int] = {}
        for s, r in zip(gold_tc, ranked, strict=True):
            k = seen.get((s.start, s.end), 0)
            seen[(s.start, s.end)] = k + 1
            tg.append(s.label)
            tp.append(r[min(k, len(r) - 1)][0])
        merged = merge_spans(gold_si[aid])
        for sent, p in zip(doc.sentences, sentence_propaganda(doc, bundle), strict=True):
            if not doc.word_count(sent):
                continue
            g = any(spans_overlap(a, b, sent.start, sent.end) for a, b in merged)
            if p >= th and g:
                s_tp += 1
            elif p >= th:
                s_fp += 1
            elif g:
                s_fn += 1
    si = si_scores(pred_si, gold_si)
    out: dict[str, Any] = {
        "articles": len(articles),
        "metric": "SemEval-2020 Task 11 (partial-overlap span P/R/F1; TC micro-F1)",
        "si": {k: round(v, 4) for k, v in si.items()},
        "sentence": {k: round(v, 4) for k, v in prf(s_tp, s_fp, s_fn).items()},
    }
    if tg:
        ll = si_scores(pred_ll, gold_ll)
        tc = tc_micro_f1(tg, tp)
        out["loaded_language_si"] = {k: round(v, 4) for k, v in ll.items()}
        out["tc_micro_f1"] = round(tc["micro_f1"], 4)
        out["tc_per_class"] = {
            c: {k: round(v, 4) for k, v in r.items()} for c, r in tc["per_class"].items()
        }
    return out


def evaluate_babe(path: str | Path, threshold: float = 0.5) -> dict[str, Any]:
    """Macro-F1 on BABE-format sentences, as the report decides them and as
    the sentence model alone decides them; biased-word coverage."""
    bundle = _bundle("babe")
    try:
        exs = read_babe(path)
    except (OSError, KeyError, UnicodeDecodeError) as e:
        raise DataError(f"{path}: cannot read BABE CSV ({e})") from None
    tally = babe_tally(exs, threshold, model_threshold=bundle["sentence"].threshold)
    return {
        "sentences": len(tally.gold),
        "rule": "biased when a loaded_language or propaganda finding has confidence"
        f" >= {threshold}",
        "macro_f1_report": round(macro_f1(tally.gold, tally.by_report), 4),
        "macro_f1_sentence_model": round(macro_f1(tally.gold, tally.by_model), 4),
        "biased_words_covered": tally.covered_share,
        "loaded_findings_inside_biased_words": tally.inside_share,
    }


@dataclass
class BabeTally:
    """Per-sentence decisions and biased-word counts over BABE-style examples."""

    gold: list[int] = field(default_factory=list)
    by_report: list[int] = field(default_factory=list)
    by_model: list[int] = field(default_factory=list)
    covered: int = 0
    total: int = 0
    inside: int = 0
    flagged: int = 0

    @property
    def covered_share(self) -> float | None:
        return round(self.covered / self.total, 4) if self.total else None

    @property
    def inside_share(self) -> float | None:
        return round(self.inside / self.flagged, 4) if self.flagged else None


def babe_tally(
    exs: Sequence[Example],
    threshold: float = 0.5,
    tally: BabeTally | None = None,
    model_threshold: float = 0.5,
) -> BabeTally:
    """Score each sentence with the whole report (loaded_language and
    propaganda): biased when a finding reaches ``threshold``; the sentence bias
    model alone, read from the same report's ``sentence_scores``; and how the
    loaded findings line up with the expert-marked biased words."""
    from ..pipeline.analyze import analyze

    t = tally or BabeTally()
    for ex in exs:
        rep = analyze(ex.text, ex.id, categories=("loaded_language", "propaganda"))
        t.gold.append(ex.label or 0)
        t.by_report.append(int(any(f.confidence >= threshold for f in rep.findings)))
        bias = [s.bias for s in rep.sentence_scores if s.bias is not None]
        t.by_model.append(int(bool(bias) and max(bias) >= model_threshold))
        loaded = [f for f in rep.findings if f.category == "loaded_language"]
        for s in ex.spans:
            t.total += 1
            t.covered += any(spans_overlap(f.start, f.end, s.start, s.end) for f in loaded)
        for f in loaded:
            t.flagged += 1
            t.inside += any(s.start <= f.start and f.end <= s.end for s in ex.spans)
    return t


def read_template(path: str | Path) -> list[tuple[str, int, int]]:
    """TC template lines ``article_id<TAB>?<TAB>start<TAB>end``."""
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            parts = line.rstrip("\n").split("\t")
            try:
                aid, _, s, e = parts
                out.append((aid, int(s), int(e)))
            except ValueError:
                raise DataError(f"{path}:{n}: expected article_id, ?, start, end") from None
    return out


def ptc_predict_lines(folder: str | Path, template: str | Path | None = None) -> Iterator[str]:
    """SemEval submission lines ``article_id<TAB>technique<TAB>start<TAB>end``:
    every predicted span, or (with ``template``) the given spans, in order,
    with the technique filled in (a span listed twice gets its best technique,
    then its second best)."""
    bundle = _bundle("ptc")
    art_dir, _ = find_ptc_data(folder)
    articles = dict(read_ptc_articles(art_dir))
    if template is None:
        for aid, text in articles.items():
            for p in predict_spans(Document(text, aid), bundle):
                yield f"{aid}\t{p.technique}\t{p.start}\t{p.end}"
        return
    rows = read_template(template)
    by_article: dict[str, list[int]] = {}
    for i, (aid, _, _) in enumerate(rows):
        by_article.setdefault(aid, []).append(i)
    labels: list[str] = [""] * len(rows)
    for aid, idx in by_article.items():
        if aid not in articles:
            raise DataError(f"{template}: article {aid} not found in {art_dir}")
        doc = Document(articles[aid], aid)
        text_len = len(doc.text)
        for i in idx:
            if not 0 <= rows[i][1] < rows[i][2] <= text_len:
                raise DataError(f"{template}: span {rows[i][1]}-{rows[i][2]} outside article {aid}")
        ranked = classify_spans(doc, bundle["technique"], [(rows[i][1], rows[i][2]) for i in idx])
        seen: dict[tuple[int, int], int] = {}
        for i, r in zip(idx, ranked, strict=True):
            key = (rows[i][1], rows[i][2])
            k = seen.get(key, 0)
            seen[key] = k + 1
            labels[i] = r[min(k, len(r) - 1)][0]
    for (aid, s, e), lab in zip(rows, labels, strict=True):
        yield f"{aid}\t{lab}\t{s}\t{e}"


# the CoNLL-2010 Task 1 setting: weasel wording (category attribution) counts
WEASEL_CATEGORIES = ("hedging", "attribution")


def report_uncertain(
    text: str,
    id: str = "-",
    threshold: float = 0.5,
    categories: Sequence[str] = WEASEL_CATEGORIES,
) -> tuple[bool, Any]:
    """``(uncertain, report)`` for one sentence: uncertain when the full report
    (rules and whichever models ``load_bundle`` gives) has a finding in
    ``categories`` with confidence >= ``threshold``. ``evaluate_hedging`` and
    ``tools/wikiweasel_report_cv.py`` both decide with this."""
    from ..pipeline.analyze import analyze

    rep = analyze(text, id, categories=tuple(categories))
    return any(f.confidence >= threshold for f in rep.findings), rep


def evaluate_hedging(path: str | Path, threshold: float = 0.5) -> dict[str, Any]:
    """Uncertain-sentence F1 (and cue F1 where cues are annotated) on held-out
    hedging data, one document per sentence.

    - WikiWeasel CSV (``text,label``): a sentence is uncertain when the report
      gives it a ``hedging`` or ``attribution`` finding with confidence >=
      ``threshold`` (the CoNLL-2010 Task 1 setting, weasel wording included).
    - Szeged JSONL (``text, uncertain, cues``): uncertain when it gets a
      ``hedging`` finding >= ``threshold``; cue F1 (partial overlap) of the
      cue tagger's cues and of the report's hedging findings against the cues.
    """
    from ..io.hedging_data import read_szeged, read_wikiweasel
    from ..models.hedge import hedge_cues
    from .metrics import overlap_prf

    p = Path(path)
    try:
        exs = read_szeged(p) if p.suffix == ".jsonl" else read_wikiweasel(p)
    except (OSError, KeyError, ValueError, UnicodeDecodeError) as e:
        raise DataError(f"{path}: cannot read hedging data ({e})") from None
    if not exs:
        raise DataError(f"{path}: no labelled sentences")
    weasel = p.suffix != ".jsonl"
    cats = WEASEL_CATEGORIES if weasel else ("hedging",)
    bundle = load_bundle("hedging")
    tp = fp = fn = 0
    pred_cue: dict[str, list[tuple[int, int]]] = {}
    pred_find: dict[str, list[tuple[int, int]]] = {}
    gold_cue: dict[str, list[tuple[int, int]]] = {}
    for ex in exs:
        hit, rep = report_uncertain(ex.text, ex.id, threshold, cats)
        g = bool(ex.label)
        tp += hit and g
        fp += hit and not g
        fn += (not hit) and g
        if not weasel:
            gold_cue[ex.id] = [(s.start, s.end) for s in ex.spans]
            pred_find[ex.id] = [
                (f.start, f.end)
                for f in rep.findings
                if f.category == "hedging" and f.confidence >= threshold
            ]
            if bundle:
                pred_cue[ex.id] = [(c.start, c.end) for c in hedge_cues(Document(ex.text), bundle)]
    out: dict[str, Any] = {
        "sentences": len(exs),
        "format": "WikiWeasel CSV" if weasel else "Szeged JSONL",
        "rule": f"uncertain when a {' or '.join(cats)} finding has confidence >= {threshold}",
        "sentence": {k: round(v, 4) for k, v in prf(tp, fp, fn).items()},
        "hedging_models": bool(bundle),
    }
    if not weasel:
        out["cue_findings"] = overlap_prf(pred_find, gold_cue)
        if bundle:
            out["cue_tagger"] = overlap_prf(pred_cue, gold_cue)
    return out


def evaluate_polnear(folder: str | Path) -> dict[str, Any]:
    """Partial-overlap F1 of the report's ``attributions`` (cue spans and
    source spans) against a PolNeAR split folder (``text/`` + ``attributions/``)."""
    from ..io.polnear import read_polnear
    from ..pipeline.analyze import analyze
    from .metrics import overlap_prf

    try:
        arts = read_polnear(folder)
    except (OSError, UnicodeDecodeError) as e:
        raise DataError(f"{folder}: cannot read PolNeAR data ({e})") from None
    if not arts:
        raise DataError(f"{folder}: no PolNeAR articles (text/*.txt with attributions/*.ann)")
    pc, ps, gc, gs = {}, {}, {}, {}
    kinds: dict[str, int] = {}
    by_kind: dict[str, list[int]] = {}
    for a in arts:
        rep = analyze(a.text, a.id, categories=("attribution",))
        pc[a.id] = [(x.cue.start, x.cue.end) for x in rep.attributions]
        ps[a.id] = [(x.source.start, x.source.end) for x in rep.attributions if x.source]
        gc[a.id] = a.spans("cue")
        gs[a.id] = a.spans("source")
        for x in rep.attributions:
            kinds[x.kind] = kinds.get(x.kind, 0) + 1
            if x.source is not None:
                row = by_kind.setdefault(x.kind, [0, 0])
                row[0] += 1
                row[1] += any(
                    spans_overlap(x.source.start, x.source.end, s, e) for s, e in gs[a.id]
                )
    return {
        "articles": len(arts),
        "metric": "partial-overlap P/R/F1 (a span matches when it overlaps one of the "
        "same role); char_f1: SemEval-SI-style proportional overlap",
        "cue": overlap_prf(pc, gc),
        "source": overlap_prf(ps, gs),
        "attribution_models": bool(load_bundle("attribution")),
        "kinds": dict(sorted(kinds.items())),
        # per kind, the sources that overlap an annotated Source span (for
        # "named": how often a source called named is a source at all)
        "source_overlap_by_kind": {
            k: {"sources": n, "overlapping": o, "share": round(o / n, 3)}
            for k, (n, o) in sorted(by_kind.items())
        },
    }
