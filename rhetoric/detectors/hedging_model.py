"""Trained hedge detectors: uncertainty cues from the Szeged-trained tagger,
typed, extended over the clause they govern, with a confidence from the
WikiWeasel-trained sentence uncertainty model (see ``models/hedge.py``).

Weasel wording the sentence model finds with no hedge cue ("some
researchers", "widely regarded") is reported in the attribution category:
it hides who holds the view. Silent when the ``hedging`` model bundle is not
installed. Findings merge
with the hedging lexicon findings (``pipeline.overlap.merge_model_findings``): a cue the
lexicons already flag keeps its curated span and label and takes the higher
confidence.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.document import CacheSlot, Document, Span
from ..core.report import Finding
from ..core.words import PLAIN_SPEECH_VERBS
from .base import MODEL_REPORT_FLOOR, FunctionDetector, finding

if TYPE_CHECKING:  # imported when a model runs, not with the detectors
    from ..models.hedge import HedgeCue

__all__ = ["DETECTORS", "HEDGE_DETECTOR", "WEASEL_DETECTOR"]

HEDGE_DETECTOR = "hedging_model"
# Weasel wording ("some say", "widely regarded") hides who holds a view: it is
# reported as an attribution gap, not as a hedge.
WEASEL_DETECTOR = "weasel_model"
_GAP_KINDS = frozenset(["anonymous", "vague", "self"])

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


def _is_plain_speech(doc: Document, start: int, end: int) -> bool:
    """A plain reporting cue: a ``PLAIN_SPEECH_VERBS`` verb form, "according to", a
    colon or a quotation mark."""
    from ..core.lexicon import base_forms

    words = [w.norm for w in doc.words_in(Span(start, end))]
    if not words:
        return True  # a colon or an opening quotation mark
    if words[0] == "according":
        return True
    return any(b in PLAIN_SPEECH_VERBS for w in words for b in base_forms(w))


def attribution_context(doc: Document) -> tuple[list[Span], list[Span]]:
    """``(attributed, gaps)`` for ``hedge_cues``. ``attributed``: ordinary
    attributed caution, where a named source *reports* the hedge ("the company
    said it may cut jobs"): the sentence of a named source's plain reporting
    cue and the content credited to it. ``gaps``: the cues of vague,
    anonymous and self sources ("many observers think", "is expected to"),
    gaps the attribution findings report."""
    from ..attribution.extract import extract_attributions

    atts = extract_attributions(doc)
    attributed: list[Span] = []
    for a in atts:
        if a.kind != "named" or not _is_plain_speech(doc, a.cue.start, a.cue.end):
            continue
        attributed.append(doc.sentences[doc.sentence_index(a.cue.start)])
        if a.content is not None:
            attributed.append(Span(a.content.start, a.content.end))
    gaps = [Span(a.cue.start, a.cue.end) for a in atts if a.kind in _GAP_KINDS]
    return attributed, gaps


HEDGE_CUES: CacheSlot[list[HedgeCue]] = CacheSlot("hedge cues")


def _cues(doc: Document) -> list[HedgeCue]:
    """The hedging bundle's cues for ``doc`` (cached: both detectors use them)."""
    from ..models.hedge import hedge_cues
    from ..models.store import load_bundle

    cached = doc.cache.get(HEDGE_CUES)
    if cached is not None:
        return cached
    bundle = load_bundle("hedging")
    if not bundle:
        doc.cache.put(HEDGE_CUES, [])
        return []
    attributed, gaps = attribution_context(doc)
    cues = [
        c for c in hedge_cues(doc, bundle, attributed, gaps) if c.confidence >= MODEL_REPORT_FLOOR
    ]
    doc.cache.put(HEDGE_CUES, cues)
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


# Weasel cues in real news were right 0 times in 24 at >= 0.5 in a blind audit
# ("some", "many", "most" as plain quantities; "I think" as opinion): they stay
# "worth a look". A vague crowd cited as a source ("some experts believe") is
# flagged by the attribution detectors, which see who is cited.
WEASEL_CAP = 0.45


def _weasels(doc: Document) -> list[Finding]:
    return [
        finding(
            doc,
            c.start,
            c.end,
            "attribution",
            "weasel",
            min(c.confidence, WEASEL_CAP),
            WEASEL_DETECTOR,
            f"“{' '.join(doc.text[c.start : c.end].split())}” may suggest support or doubt "
            "without saying whose; check whether the sentence names who holds the view."
            + _WEASEL_SUFFIX,
        )
        for c in _cues(doc)
        if c.label == "weasel"
    ]


DETECTORS = (
    FunctionDetector(HEDGE_DETECTOR, "hedging", _hedges, trained=True),
    FunctionDetector(WEASEL_DETECTOR, "attribution", _weasels, trained=True),
)
