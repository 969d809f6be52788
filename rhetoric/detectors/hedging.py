"""Hedging: speculation dressed as news. Modals, speculative verbs and adverbs,
appearance ("looks to be"), predictions ("just a matter of time") and
conditional speculation ("If the US is indeed complicit")."""

from __future__ import annotations

import itertools

from ..document import Document, Span
from ..report import Finding
from .base import FunctionDetector, LexiconDetector, clause_end, finding

CATEGORY = "hedging"

# Inside an if-clause these turn a condition into an insinuation: the writer
# raises the charge while declining to make it.
_INSINUATION = frozenset(
    ["indeed", "really", "truly", "actually", "true", "accurate", "confirmed", "proven", "correct"]
)
_INSINUATION_PHRASES = (
    ("in", "fact"),
    ("as", "alleged"),
    ("as", "suspected"),
    ("as", "reported"),
    ("as", "claimed"),
    ("turns", "out"),
)
_MODALS = frozenset(["might", "may", "could", "would", "should"])
CONDITIONAL_EXPLANATION = (
    "A conditional that raises an accusation without asserting it: the reader is "
    "invited to assume the 'if' is true, though no evidence is given."
)


def conditional_speculation(doc: Document) -> list[Finding]:
    """Clause-initial "if" clauses that insinuate ("If X is indeed ...").

    Plain conditions ("If it rains, the match moves") are not flagged; an
    if-clause in a sentence whose main clause speculates with a modal gets a
    low-confidence finding.
    """
    out: list[Finding] = []
    words = doc.words
    norm = doc.norm
    for idx, w in enumerate(words):
        if w.norm != "if":
            continue
        sent = doc.sentences[doc.sentence_index(w.start)]
        lead = norm[sent.start : w.start]
        clause_initial = (
            not lead.strip()
            or lead.rstrip()[-1:] in ',;:-"('
            or (idx > 0 and words[idx - 1].norm in ("and", "but", "so", "even", "only"))
        )
        if not clause_initial:
            continue
        end = clause_end(doc, w.end)
        inner = [t.norm for t in words[idx + 1 :] if t.start < end]
        pairs = set(itertools.pairwise(inner))
        insinuates = any(t in _INSINUATION for t in inner) or any(
            p in pairs for p in _INSINUATION_PHRASES
        )
        rest = [t.norm for t in doc.words_in(Span(end, sent.end))]
        if insinuates:
            conf = 0.75
        elif any(t in _MODALS for t in rest[:8]):
            conf = 0.3
        else:
            continue
        out.append(
            finding(
                doc,
                w.start,
                end,
                CATEGORY,
                "conditional",
                conf,
                "hedging.conditional_speculation",
                CONDITIONAL_EXPLANATION,
            )
        )
    return out


DETECTORS = (
    LexiconDetector("hedging.modal", "hedging_modal.tsv", strict_case=True),
    LexiconDetector("hedging.speculative", "hedging_speculative.tsv", strict_case=True),
    LexiconDetector("hedging.appearance", "hedging_appearance.tsv"),
    LexiconDetector("hedging.prediction", "hedging_prediction.tsv"),
    LexiconDetector("hedging.conditional", "hedging_conditional.tsv"),
    FunctionDetector("hedging.conditional_speculation", CATEGORY, conditional_speculation),
)
