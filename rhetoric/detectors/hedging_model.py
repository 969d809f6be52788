"""Trained hedge detectors: uncertainty cues from the Szeged-trained tagger,
typed, extended over the clause they govern, with a confidence from the
WikiWeasel-trained sentence uncertainty model (see ``models/hedge.py``).

Weasel wording the sentence model finds with no hedge cue ("some
researchers", "widely regarded") is reported in the attribution category:
it hides who holds the view. Silent when the ``hedging`` model bundle is not
installed. Findings merge
with the hedging lexicon findings (``analyze.merge_model_findings``): a cue the
lexicons already flag keeps its curated span and label and takes the higher
confidence.
"""

from __future__ import annotations

from ..document import Document, Span
from ..report import Finding
from .base import FunctionDetector, finding

__all__ = ["DETECTORS", "HEDGE_DETECTOR", "MODEL_DETECTORS", "WEASEL_DETECTOR"]

HEDGE_DETECTOR = "hedging_model"
# Weasel wording ("some say", "widely regarded") hides who holds a view: it is
# reported as an attribution gap, not as a hedge.
WEASEL_DETECTOR = "weasel_model"
MODEL_DETECTORS = frozenset({HEDGE_DETECTOR, WEASEL_DETECTOR})
_GAP_KINDS = frozenset(["anonymous", "vague", "self"])
# Cues below this confidence are left out of reports.
REPORT_FLOOR = 0.15

EXPLANATIONS = {
    "epistemic_modal": "A modal marks the statement as a possibility, not an established fact.",
    "speculative": "The wording marks the claim as probable or suggested rather than shown.",
    "doxastic": "Reports a belief or suspicion rather than a fact; ask whose belief, and on "
    "what evidence.",
    "conditional": "Builds on a condition that has not been shown to hold, so the conclusion "
    "is only as good as the premise.",
    "investigation": "Raises an open question ('whether') that the text does not answer.",
    "weasel": "Vague wording that suggests support or doubt without saying whose: the "
    "claim cannot be checked.",
}
_SUFFIX = (
    " Found by the uncertainty model trained on the Szeged Uncertainty Corpus and "
    "CoNLL-2010 WikiWeasel; the highlighted clause is the cue's scope."
)
_WEASEL_SUFFIX = " Found by the uncertainty model trained on CoNLL-2010 WikiWeasel sentences."


_BELIEF = frozenset(
    [
        "believe",
        "think",
        "expect",
        "suspect",
        "assume",
        "consider",
        "feel",
        "fear",
        "hope",
        "doubt",
        "suggest",
        "speculate",
        "guess",
        "estimate",
        "predict",
        "wonder",
        "suppose",
    ]
)


def _is_speech(doc: Document, start: int, end: int) -> bool:
    """A reporting (speech) cue: a reporting-verb form, "according to", a colon
    or a quotation mark; not a belief verb."""
    from ..lexicon import base_forms, report_verbs

    words = [w.norm for w in doc.words_in(Span(start, end))]
    if not words:
        return True  # a colon or an opening quotation mark
    verbs = report_verbs()
    forms = {b for w in words for b in base_forms(w)}
    if forms & _BELIEF:
        return False
    return words[0] == "according" or bool(forms & verbs)


def _cues(doc: Document) -> list:  # type: ignore[type-arg]
    """The hedging bundle's cues for ``doc`` (cached: both detectors use them)."""
    from ..attribution import extract_attributions
    from ..models.hedge import hedge_cues
    from ..models.store import load_bundle

    cached = doc.cache.get("hedge_cues")
    if cached is not None:
        return cached  # type: ignore[return-value]
    bundle = load_bundle("hedging")
    if not bundle:
        doc.cache["hedge_cues"] = []
        return []
    # Ordinary attributed caution: a named source *reports* the hedge ("the
    # company said it may cut jobs"): the sentence of a named source's
    # reporting cue (said, told, according to; not a belief verb such as
    # "believes", which is itself the hedge), and the content credited to it.
    attributed: list[Span] = []
    atts = extract_attributions(doc)
    speech = [a for a in atts if _is_speech(doc, a.cue.start, a.cue.end)]
    sourced = frozenset(doc.sentence_index(a.cue.start) for a in speech)
    # "Many locals believe", "Many observers think": the belief verb is the cue
    # of a vague or anonymous source, a gap the attribution findings report
    attributed += [Span(a.cue.start, a.cue.end) for a in atts if a.kind in _GAP_KINDS]
    for a in speech:
        if a.kind != "named":
            continue
        attributed.append(doc.sentences[doc.sentence_index(a.cue.start)])
        if a.content is not None:
            attributed.append(Span(a.content.start, a.content.end))
    cues = [c for c in hedge_cues(doc, bundle, attributed, sourced) if c.confidence >= REPORT_FLOOR]
    doc.cache["hedge_cues"] = cues
    return cues


def _hedges(doc: Document) -> list[Finding]:
    return [
        finding(
            doc,
            c.start,
            c.scope_end,
            "hedging",
            c.label,
            c.confidence,
            HEDGE_DETECTOR,
            EXPLANATIONS.get(c.label, EXPLANATIONS["speculative"]) + _SUFFIX,
        )
        for c in _cues(doc)
        if c.label != "weasel"
    ]


def _weasels(doc: Document) -> list[Finding]:
    return [
        finding(
            doc,
            c.start,
            c.end,
            "attribution",
            "weasel",
            c.confidence,
            WEASEL_DETECTOR,
            EXPLANATIONS["weasel"] + _WEASEL_SUFFIX,
        )
        for c in _cues(doc)
        if c.label == "weasel"
    ]


DETECTORS = (
    FunctionDetector(HEDGE_DETECTOR, "hedging", _hedges),
    FunctionDetector(WEASEL_DETECTOR, "attribution", _weasels),
)
