"""The pipeline: text -> Document -> detectors -> findings -> overlap policy ->
scores -> Report."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..attribution.extract import extract_attributions
from ..attribution.sourcing import sourcing_profile
from ..core.document import Document
from ..core.report import CATEGORIES, Finding, Passage, Report, SentenceScore
from ..detectors import DEFAULT_DETECTORS, MODEL_DETECTORS, Detector
from ..readability import readability
from .overlap import resolve_overlaps
from .scoring import ARTICLE_FLOOR, PASSAGE_FLOOR, region_scores

__all__ = ["analyze"]


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
    # the attribution extractor adds the trained taggers' cues only when models run
    doc = Document(text, id, use_models=bool({d.name for d in detectors} & MODEL_DETECTORS))
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
