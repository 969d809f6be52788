"""Measurements on real news (the figures issue #13 asks for):

* **hyperpartisan** (SemEval-2019 Task 4 by-article JSONL): does the overall
  score separate one-sided persuasion from straight reporting? AUC of the
  overall score, agreement of "overall >= 50" with the label, the median
  score of each class, and findings >= 0.5 in the writer's voice per 1,000
  words (median of each class, and their ratio).
* **basil** (a BASIL folder): loaded-language findings >= 0.5 against the
  annotators' lexical-bias spans (share of spans covered; share of findings
  inside an annotated span), and voice against the spans marked as quotes.

``split``: "final" for the final split only (``io.news.in_final_split``),
"train" for the rest, None for everything.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..core.report import Finding
from ..io.news import NewsArticle, read_basil, read_hyperpartisan
from ..pipeline.analyze import analyze
from ..pipeline.scoring import author_findings
from .metrics import auc

__all__ = ["evaluate_basil", "evaluate_hyperpartisan"]

FLAG = 0.5


def _pick(arts: Sequence[NewsArticle], split: str | None) -> list[NewsArticle]:
    if split is None:
        return list(arts)
    if split not in ("final", "train"):
        raise ValueError(f"unknown split {split!r}: choose final or train")
    return [a for a in arts if a.final == (split == "final")]


def _density(findings: Sequence[Finding], words: int) -> float:
    flagged = [f for f in author_findings(findings) if f.confidence >= FLAG]
    return 1000.0 * len(flagged) / max(words, 1)


def evaluate_hyperpartisan(path: str | Path, split: str | None = None) -> dict[str, Any]:
    arts = _pick(read_hyperpartisan(path), split)
    if not arts:
        raise ValueError(f"{path}: no articles to evaluate")
    scores, labels, dens = [], [], []
    for a in arts:
        rep = analyze(a.text, a.id)
        scores.append(rep.scores["overall"])
        labels.append(bool(a.label))
        dens.append(_density(rep.findings, rep.words))
    main = [s for s, y in zip(scores, labels, strict=True) if not y]
    hyper = [s for s, y in zip(scores, labels, strict=True) if y]
    d_main = [d for d, y in zip(dens, labels, strict=True) if not y]
    d_hyper = [d for d, y in zip(dens, labels, strict=True) if y]
    agree = sum((s >= 50) == y for s, y in zip(scores, labels, strict=True))
    med = statistics.median
    return {
        "articles": len(arts),
        "hyperpartisan": len(hyper),
        "auc_overall": round(auc(scores, labels), 4),
        "agreement_overall>=50": round(agree / len(arts), 4),
        "median_overall": {
            "mainstream": med(main) if main else None,
            "hyperpartisan": med(hyper) if hyper else None,
        },
        "share_mainstream>=50": round(sum(s >= 50 for s in main) / len(main), 4) if main else None,
        "author_findings>=0.5_per_1000_words": {
            "mainstream_median": round(med(d_main), 2) if d_main else None,
            "hyperpartisan_median": round(med(d_hyper), 2) if d_hyper else None,
            "ratio": round(med(d_hyper) / med(d_main), 2) if d_main and med(d_main) else None,
        },
    }


def evaluate_basil(root: str | Path, split: str | None = None) -> dict[str, Any]:
    arts = _pick(read_basil(root), split)
    if not arts:
        raise ValueError(f"{root}: no BASIL articles to evaluate")
    lex = lex_hit = lexq = lexq_hit = 0
    flagged = inside = 0
    words = 0
    voice = {"quote_quoted": 0, "quote_all": 0, "author_author": 0, "author_all": 0}
    voice05 = dict.fromkeys(voice, 0)
    for a in arts:
        rep = analyze(a.text, a.id)
        words += rep.words
        spans = [s for s in a.spans if s.bias in ("lex", "inf")]
        loaded = [
            f for f in rep.findings if f.category == "loaded_language" and f.confidence >= FLAG
        ]
        for s in spans:
            if s.bias != "lex":
                continue
            hit = any(f.start < s.end and s.start < f.end for f in loaded)
            lex += 1
            lex_hit += hit
            if s.quote:
                lexq += 1
                lexq_hit += hit
        for f in loaded:
            flagged += 1
            inside += any(s.start <= f.start and f.end <= s.end for s in spans)
        for f in rep.findings:
            over = [s for s in spans if f.start < s.end and s.start < f.end]
            if not over:
                continue
            key = "quote" if any(s.quote for s in over) else "author"
            right = (f.voice == "quoted") == (key == "quote")
            for tally, on in ((voice, True), (voice05, f.confidence >= FLAG)):
                if on:
                    tally[f"{key}_all"] += 1
                    tally[f"{key}_{'quoted' if key == 'quote' else 'author'}"] += right

    def share(a: int, b: int) -> float | None:
        return round(a / b, 4) if b else None

    return {
        "articles": len(arts),
        "lexical_spans": lex,
        "lexical_covered_by_loaded>=0.5": share(lex_hit, lex),
        "quoted_lexical_covered": share(lexq_hit, lexq),
        "loaded>=0.5": flagged,
        "loaded>=0.5_inside_annotated_span": share(inside, flagged),
        "loaded>=0.5_per_1000_words": round(1000 * flagged / max(words, 1), 2),
        "voice_all": {
            "quote_spans_said_quoted": share(voice["quote_quoted"], voice["quote_all"]),
            "author_spans_said_author": share(voice["author_author"], voice["author_all"]),
            "findings": voice["quote_all"] + voice["author_all"],
        },
        "voice>=0.5": {
            "quote_spans_said_quoted": share(voice05["quote_quoted"], voice05["quote_all"]),
            "author_spans_said_author": share(voice05["author_author"], voice05["author_all"]),
            "findings": voice05["quote_all"] + voice05["author_all"],
        },
    }
