"""Evaluation against annotated JSONL (the ``corpora/`` format).

Matching is by overlap: a gold span is *found* when a finding of the same
category overlaps it by at least one character; a finding is *correct* when it
overlaps a gold span of its category. Passages with no spans are neutral
controls: we count how many get any finding at or above a confidence threshold,
and how many get one in the writer's voice (what the scores count: a source's
reported forecast "could still bring heavy rain" is the source's hedge).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..core.document import spans_overlap
from ..core.report import CATEGORIES
from ..detectors import Detector
from ..pipeline.analyze import analyze
from ..pipeline.scoring import author_findings

__all__ = ["CorpusScores", "evaluate_corpus"]


@dataclass
class CorpusScores:
    gold: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))
    found: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))
    predicted: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))
    correct: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))
    neutral: int = 0
    neutral_flagged: list[str] = field(default_factory=list)
    # controls whose *writer* is flagged: a finding >= threshold that the
    # scores count (not a quoted one, not a source's reported hedge)
    neutral_flagged_writer: list[str] = field(default_factory=list)
    passages: int = 0
    threshold: float = 0.5

    def recall(self, cat: str | None = None) -> float:
        g = sum(self.gold.values()) if cat is None else self.gold[cat]
        f = sum(self.found.values()) if cat is None else self.found[cat]
        return f / g if g else 0.0

    def precision(self, cat: str | None = None) -> float:
        p = sum(self.predicted.values()) if cat is None else self.predicted[cat]
        c = sum(self.correct.values()) if cat is None else self.correct[cat]
        return c / p if p else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "passages": self.passages,
            "threshold": self.threshold,
            "recall_any_confidence": {c: round(self.recall(c), 3) for c in CATEGORIES}
            | {"all": round(self.recall(), 3)},
            "precision_at_threshold": {c: round(self.precision(c), 3) for c in CATEGORIES}
            | {"all": round(self.precision(), 3)},
            "gold_spans": dict(self.gold),
            "neutral_controls": self.neutral,
            "neutral_flagged_at_threshold": list(self.neutral_flagged),
            "neutral_writer_flagged_at_threshold": list(self.neutral_flagged_writer),
        }


def evaluate_corpus(
    records: Iterable[dict[str, Any]],
    threshold: float = 0.5,
    detectors: Sequence[Detector] | None = None,
) -> CorpusScores:
    """Score ``records`` with ``detectors`` (default: all, models included)."""
    sc = CorpusScores(threshold=threshold)
    for rec in records:
        sc.passages += 1
        if detectors is None:
            report = analyze(rec["text"], rec["id"])
        else:
            report = analyze(rec["text"], rec["id"], detectors=detectors)
        gold = rec["spans"]
        if not gold:
            sc.neutral += 1
            if any(f.confidence >= threshold for f in report.findings):
                sc.neutral_flagged.append(rec["id"])
            if any(f.confidence >= threshold for f in author_findings(report.findings)):
                sc.neutral_flagged_writer.append(rec["id"])
            continue
        for g in gold:
            cat = g["category"]
            sc.gold[cat] += 1
            if any(
                f.category == cat and spans_overlap(f.start, f.end, g["start"], g["end"])
                for f in report.findings
            ):
                sc.found[cat] += 1
        for f in report.findings:
            if f.confidence < threshold:
                continue
            sc.predicted[f.category] += 1
            if any(
                f.category == g["category"] and spans_overlap(f.start, f.end, g["start"], g["end"])
                for g in gold
            ):
                sc.correct[f.category] += 1
    return sc
