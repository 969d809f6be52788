"""The overlap policy, named and in one place: how trained-model findings
merge into the rule findings they confirm, and which of two overlapping
findings of one category a report keeps (property-tested in
tests/test_properties.py; docs/models.md)."""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from ..core.report import CATEGORIES, Finding
from ..detectors import MODEL_DETECTORS

__all__ = ["merge_model_findings", "resolve_overlaps"]


def merge_model_findings(findings: Iterable[Finding]) -> tuple[list[Finding], list[float]]:
    """Model/rule policy: a trained-model finding that overlaps a rule
    (lexicon or pattern) finding of the same category is not added; the rule
    finding keeps its curated span, label and explanation, and the model's
    confidence becomes its *support* (the highest such confidence; 0 when no
    model finding overlaps it). Model findings that overlap no rule finding of
    their category stay, with support 0. Returns ``(findings, support)``,
    aligned. Calibration (``pipeline.calibrate``) turns a finding's own
    confidence and its support into the confidence a report shows: on real
    news a model that agrees is evidence, not a verdict (a model's 0.87 on a
    plain "if" clause was judged wrong)."""
    all_findings = list(findings)
    rules = [f for f in all_findings if f.detector not in MODEL_DETECTORS]
    models = [f for f in all_findings if f.detector in MODEL_DETECTORS]
    support = [0.0] * len(rules)
    if not models:
        return rules, support
    # rule findings of each category by start, to look only at those that can
    # overlap (a start before the model finding's end, an end after its start)
    by_cat: dict[str, list[int]] = {}
    for i in sorted(range(len(rules)), key=lambda i: rules[i].start):
        by_cat.setdefault(rules[i].category, []).append(i)
    starts = {c: [rules[i].start for i in idx] for c, idx in by_cat.items()}
    longest = {c: max(rules[i].end - rules[i].start for i in idx) for c, idx in by_cat.items()}
    kept_models = []
    for m in models:
        hit = False
        idx = by_cat.get(m.category, [])
        if idx:
            lo = bisect.bisect_left(starts[m.category], m.start - longest[m.category])
            hi = bisect.bisect_left(starts[m.category], m.end)
            for i in idx[lo:hi]:
                if m.start < rules[i].end:
                    hit = True
                    support[i] = max(support[i], m.confidence)
        if not hit:
            kept_models.append(m)
    return rules + kept_models, support + [0.0] * len(kept_models)


def resolve_overlaps(findings: Iterable[Finding]) -> list[Finding]:
    """Overlap policy: within one category, overlapping findings are not
    duplicated: the more confident one wins, then the longer one, then the
    earlier one (run after ``merge_model_findings`` and calibration). Findings of different
    categories may overlap (a loaded word inside a hedged clause is both).
    Returns findings sorted by offset."""
    out: list[Finding] = []
    # the kept findings of a category never overlap, so sorted by start they
    # are sorted by end too: only the last one starting before f ends can overlap f
    spans: dict[str, list[tuple[int, int]]] = {}
    ranked = sorted(
        findings,
        key=lambda f: (-f.confidence, -(f.end - f.start), f.start),
    )
    for f in ranked:
        taken = spans.setdefault(f.category, [])
        k = bisect.bisect_left(taken, (f.end, -1)) - 1
        if k >= 0 and taken[k][1] > f.start:
            continue
        bisect.insort(taken, (f.start, f.end))
        out.append(f)
    out.sort(
        key=lambda f: (
            f.start,
            f.end,
            CATEGORIES.index(f.category) if f.category in CATEGORIES else 99,
        )
    )
    return out
