"""The pipeline: text -> Document -> detectors -> findings -> scores -> Report."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from .attribution.extract import USE_MODELS_KEY, extract_attributions
from .attribution.sourcing import sourcing_profile
from .core.document import Document
from .core.report import CATEGORIES, Finding, Passage, Report, SentenceScore
from .detectors import DEFAULT_DETECTORS, MODEL_DETECTORS, Detector
from .readability import readability
from .scoring import ARTICLE_FLOOR, PASSAGE_FLOOR, region_scores

__all__ = ["analyze", "merge_model_findings", "resolve_overlaps"]


def merge_model_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Model/rule policy: a trained-model finding that overlaps a rule
    (lexicon or pattern) finding of the same category is not added; instead the
    rule finding keeps its curated span, label and explanation and takes the
    higher of the two confidences (two independent detectors agree). Model
    findings that overlap no rule finding of their category stay as they are."""
    rules = [f for f in findings if f.detector not in MODEL_DETECTORS]
    models = [f for f in findings if f.detector in MODEL_DETECTORS]
    if not models:
        return rules
    boosted = list(rules)
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
                r = boosted[i]
                if m.start < r.end:
                    hit = True
                    if m.confidence > r.confidence:
                        boosted[i] = replace(r, confidence=m.confidence)
        if not hit:
            kept_models.append(m)
    return boosted + kept_models


def resolve_overlaps(findings: Iterable[Finding]) -> list[Finding]:
    """Overlap policy: first ``merge_model_findings``; then, within one
    category, overlapping findings are not duplicated: the more confident one
    wins, then the longer one, then the earlier one. Findings of different
    categories may overlap (a loaded word inside a hedged clause is both).
    Returns findings sorted by offset."""
    out: list[Finding] = []
    # the kept findings of a category never overlap, so sorted by start they
    # are sorted by end too: only the last one starting before f ends can overlap f
    spans: dict[str, list[tuple[int, int]]] = {}
    ranked = sorted(
        merge_model_findings(findings),
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


def _sentence_scores(
    doc: Document, detectors: Sequence[Detector], cats: Sequence[str]
) -> list[SentenceScore]:
    """Sentence probabilities from the models, when model detectors ran, for
    the categories asked for: propaganda (PTC) with loaded_language or
    propaganda, bias (BABE) with loaded_language, uncertainty with hedging.
    A score not asked for is None (and costs nothing)."""
    names = {d.name for d in detectors}
    if not names & MODEL_DETECTORS or not doc.sentences:
        return []
    from .models.bias import sentence_bias
    from .models.hedge import sentence_uncertainty
    from .models.ptc import sentence_propaganda
    from .models.store import load_bundle

    loaded, prop_asked = "loaded_language" in cats, "propaganda" in cats
    ptc = load_bundle("ptc") if loaded or prop_asked else None
    babe = load_bundle("babe") if loaded else None
    hedging = load_bundle("hedging") if "hedging" in cats else None
    prop = sentence_propaganda(doc, ptc) if ptc else None
    bias = sentence_bias(doc, babe["sentence"]) if babe else None
    unc = sentence_uncertainty(doc, hedging) if hedging else None
    if prop is None and bias is None and unc is None:
        return []
    return [
        SentenceScore(
            s.start,
            s.end,
            prop[i] if prop else None,
            bias[i] if bias else None,
            unc[i] if unc else None,
        )
        for i, s in enumerate(doc.sentences)
    ]


def analyze(
    text: str,
    id: str = "-",
    *,
    categories: Sequence[str] | None = None,
    min_confidence: float = 0.0,
    detectors: Sequence[Detector] = DEFAULT_DETECTORS,
    keep: Callable[[Finding], bool] | None = None,
) -> Report:
    """Analyse one article. ``text`` is kept as given; every offset points into it.

    ``categories`` limits the detectors run (default: all four);
    ``min_confidence`` drops weaker findings before scoring; ``keep`` (when
    given) drops the findings it returns False for, before overlaps are
    resolved and scores computed (configured ignores, inline suppression).
    """
    cats = tuple(categories) if categories else CATEGORIES
    unknown = [c for c in cats if c not in CATEGORIES]
    if unknown:
        raise ValueError(f"unknown category {unknown[0]!r}; choose from {', '.join(CATEGORIES)}")
    doc = Document(text, id)
    # the attribution extractor adds the trained taggers' cues only when models run
    doc.cache[USE_MODELS_KEY] = bool({d.name for d in detectors} & MODEL_DETECTORS)
    raw = [
        f for d in detectors if d.category in cats for f in d.detect(doc) if keep is None or keep(f)
    ]
    # the threshold applies to what the report shows: after overlaps are
    # resolved and model findings have boosted the rule findings they confirm
    # (cutting before would drop a 0.45 lexicon hit a model raised to 0.81)
    findings = [f for f in resolve_overlaps(raw) if f.confidence >= min_confidence]
    passages = []
    for para in doc.paragraphs:
        inside = [f for f in findings if para.start <= f.start < para.end]
        words = doc.word_count(para)
        sc = region_scores(inside, words, PASSAGE_FLOOR, cats)
        passages.append(
            Passage(
                para.start, para.end, sc["overall"], {c: sc[c] for c in cats}, words, len(inside)
            )
        )
    scores = region_scores(findings, len(doc.words), ARTICLE_FLOOR, cats)
    scores = {k: scores.get(k, 0) for k in ("overall", *CATEGORIES)}
    attributions = extract_attributions(doc) if "attribution" in cats else []
    notes = []
    if not text.strip():
        notes.append("empty input: nothing to analyse")
    return Report(
        sentence_scores=_sentence_scores(doc, detectors, cats),
        id=id,
        text=text,
        scores=scores,
        findings=findings,
        passages=passages,
        attributions=attributions,
        sourcing=sourcing_profile(doc, attributions) if "attribution" in cats else {},
        readability=readability(doc),
        notes=notes,
        words=len(doc.words),
        sentences=len(doc.sentences),
    )
