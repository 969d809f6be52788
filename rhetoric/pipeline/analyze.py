"""The pipeline: text -> Document -> detectors -> findings -> overlap policy ->
scores -> Report."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from ..attribution.extract import extract_attributions
from ..attribution.sourcing import sourcing_profile
from ..attribution.voice import QUOTED, assign_voice, voice_regions
from ..core.boilerplate import Boilerplate, boilerplate
from ..core.document import Coverage, Document, Span
from ..core.report import CATEGORIES, Attribution, Finding, Passage, Report, SentenceScore
from ..core.text import whole_compounds
from ..detectors import DEFAULT_DETECTORS, MODEL_DETECTORS, Detector
from ..readability import readability
from .calibrate import calibrate
from .overlap import merge_model_findings, resolve_overlaps
from .scoring import (
    ARTICLE_FLOOR,
    PASSAGE_FLOOR,
    author_findings,
    evidence,
    region_scores,
    scores_from_evidence,
)

__all__ = ["Candidates", "analyze", "candidates"]


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
    from ..models.bias import sentence_bias
    from ..models.hedge import sentence_uncertainty
    from ..models.ptc import sentence_propaganda
    from ..models.store import load_bundle

    loaded, prop_asked = "loaded_language" in cats, "propaganda" in cats
    ptc = load_bundle("ptc") if loaded or prop_asked else None
    babe = load_bundle("babe") if loaded else None
    hedging = load_bundle("hedging") if "hedging" in cats else None
    prop = sentence_propaganda(doc, ptc) if ptc else None
    bias = sentence_bias(doc, babe["sentence"]) if babe else None
    opinion = sentence_bias(doc, babe["opinion"]) if babe else None
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
            opinion[i] if opinion else None,
        )
        for i, s in enumerate(doc.sentences)
    ]


@dataclass
class Candidates:
    """A document's findings before calibration (for ``analyze`` and for
    training the calibration on judged findings): voice set, with each
    finding's model support, the sentence scores and boilerplate lines."""

    doc: Document
    findings: list[Finding]
    support: list[float]
    sentence_scores: list[SentenceScore]
    attributions: list[Attribution]
    boilerplate: list[Boilerplate]
    with_models: bool


def candidates(
    text: str,
    id: str = "-",
    *,
    cats: Sequence[str] = CATEGORIES,
    detectors: Sequence[Detector] = DEFAULT_DETECTORS,
    keep: Callable[[Finding], bool] | None = None,
) -> Candidates:
    """Run the detectors on ``text``; drop findings on page furniture; merge
    model findings into the rule findings they support; say whose voice each
    is on."""
    with_models = bool({d.name for d in detectors} & MODEL_DETECTORS)
    # the attribution extractor adds the trained taggers' cues only when models run
    doc = Document(text, id, use_models=with_models)
    furniture = boilerplate(doc)
    on_furniture = Coverage(furniture)
    raw = [
        f
        for d in detectors
        if d.category in cats
        for f in (_whole(doc, g) for g in d.detect(doc))
        if (keep is None or keep(f)) and not on_furniture.covers(f.start)
    ]
    merged, support = merge_model_findings(raw)
    attributions = extract_attributions(doc)
    merged = assign_voice(doc, merged, attributions)
    return Candidates(
        doc,
        merged,
        support,
        _sentence_scores(doc, detectors, cats),
        attributions,
        furniture,
        with_models,
    )


T = TypeVar("T")


def _by_paragraph(doc: Document, items: Sequence[T], start: Callable[[T], int]) -> list[list[T]]:
    """The items (findings, sentences) that start in each paragraph, in
    their order: one pass with a binary search per item, not a scan of every
    item per paragraph (100,000 one-line paragraphs took minutes)."""
    starts = [p.start for p in doc.paragraphs]
    out: list[list[T]] = [[] for _ in starts]
    for x in items:
        pos = start(x)
        i = bisect.bisect_right(starts, pos) - 1
        if i >= 0 and pos < doc.paragraphs[i].end:
            out[i].append(x)
    return out


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
    c = candidates(text, id, cats=cats, detectors=detectors, keep=keep)
    doc = c.doc
    calibrated = calibrate(doc, c.findings, c.support, c.sentence_scores, c.with_models)
    # the threshold applies to what the report shows: after calibration and
    # after overlaps are resolved
    findings = [f for f in resolve_overlaps(calibrated) if f.confidence >= min_confidence]
    furniture_words = _furniture_words(doc, c.boilerplate)
    weights = score_weights()
    writer_sentences = _writer_sentences(c)
    mine = author_findings(findings)
    passages = []
    per_para = zip(
        doc.paragraphs,
        _by_paragraph(doc, findings, _start),
        _by_paragraph(doc, mine, _start),
        _by_paragraph(doc, writer_sentences, lambda t: t[1].start),
        strict=True,
    )
    for para, inside, mine_inside, sentences_inside in per_para:
        words = doc.word_count(para) - furniture_words.get(para.start, 0)
        sc = region_scores(mine_inside, words, PASSAGE_FLOOR, cats, sentences_inside, weights)
        passages.append(
            Passage(
                para.start, para.end, sc["overall"], {c: sc[c] for c in cats}, words, len(inside)
            )
        )
    article_words = len(doc.words) - sum(furniture_words.values())
    ev = evidence(mine, writer_sentences, article_words, ARTICLE_FLOOR)
    scores = scores_from_evidence(ev, cats, weights)
    scores = {k: scores.get(k, 0) for k in ("overall", *CATEGORIES)}
    quoted = [f for f in findings if f.voice == QUOTED]
    quoted_scores = region_scores(quoted, article_words, ARTICLE_FLOOR, cats)
    attributions = c.attributions if "attribution" in cats else []
    if "attribution" not in cats:
        findings = [replace(f, attribution=None) for f in findings]
    notes = []
    if not text.strip():
        notes.append("empty input: nothing to analyse")
    return Report(
        sentence_scores=c.sentence_scores,
        id=id,
        text=text,
        scores=scores,
        findings=findings,
        passages=passages,
        attributions=attributions,
        sourcing=sourcing_profile(doc, attributions, findings) if "attribution" in cats else {},
        readability=readability(doc),
        notes=notes,
        words=len(doc.words),
        sentences=len(doc.sentences),
        quoted={
            "scores": {k: quoted_scores[k] for k in cats},
            "findings": len(quoted),
        },
        evidence=_evidence_parts(ev, weights),
        boilerplate=[b.to_dict() for b in c.boilerplate],
    )


def _start(f: Finding) -> int:
    return f.start


def _whole(doc: Document, f: Finding) -> Finding:
    """A trained model's span widened to whole hyphenated words (the
    lexicons match whole compounds already)."""
    start, end = whole_compounds(doc.text, f.start, f.end)
    if (start, end) == (f.start, f.end):
        return f
    return replace(f, start=start, end=end, text=doc.text[start:end])


def score_weights() -> dict[str, float] | None:
    """The overall score's fitted evidence weights, or None (not installed)."""
    from ..models.store import load_bundle

    bundle = load_bundle("score")
    return dict(bundle["overall"].weights) if bundle else None


def _writer_sentences(c: Candidates) -> list[tuple[int, SentenceScore]]:
    """``(words, scores)`` of the sentences in the writer's voice: not inside a
    quotation and not on page furniture."""
    if not c.sentence_scores:
        return []
    others = Coverage(
        [*(r for r in voice_regions(c.doc, c.attributions) if r.direct), *c.boilerplate]
    )
    out = []
    for s in c.sentence_scores:
        if others.covers((s.start + s.end) // 2):
            continue
        out.append((c.doc.word_count(Span(s.start, s.end)), s))
    return out


def _evidence_parts(ev: dict[str, float], weights: dict[str, float] | None) -> dict[str, Any]:
    """Where the overall score's points come from: each evidence term, its
    weight and its share of the total (``scores.overall`` explained)."""
    weights = weights or {}
    parts = {k: weights.get(k, 0.0) * v for k, v in ev.items()}
    total = sum(parts.values())
    return {
        k: {
            "evidence": round(ev[k], 3),
            "weight": round(weights.get(k, 0.0), 4),
            "share": round(parts[k] / total, 3) if total else 0.0,
        }
        for k in ev
    }


def _furniture_words(doc: Document, furniture: Sequence[Boilerplate]) -> dict[int, int]:
    """Words on furniture lines, by the start of their paragraph."""
    out: dict[int, int] = {}
    for b in furniture:
        para = doc.paragraphs[doc.paragraph_index(b.start)]
        out[para.start] = out.get(para.start, 0) + doc.word_count(Span(b.start, b.end))
    return out
