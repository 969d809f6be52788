"""Hedging: speculation dressed as news. Modals, speculative verbs and adverbs,
appearance ("looks to be"), predictions ("just a matter of time") and
conditional speculation ("If the US is indeed complicit")."""

from __future__ import annotations

import itertools

from ..core.document import Document, Span
from ..core.report import Finding
from ..core.text import clause_end
from .base import FunctionDetector, LexiconDetector, finding

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
# Words that open a conditional clause: "if", "unless", and the inverted
# "Should X turn out to be ..." / "Were X to ..." (checked further below).
_OPENERS = frozenset(["if", "unless", "should", "were"])
# In "Unless lawmakers act, it will be too late" the main clause is a forecast.
_UNLESS_CONSEQUENCE = frozenset(["will", "too", "late", "doomed", "inevitably"])
# "Should the sale price turn out to be ...": the premise is one the writer floats.
_INVERTED_PROOF = (
    ("turn", "out"),
    ("turns", "out"),
    ("prove", "to"),
    ("prove", "true"),
    ("be", "found"),
    ("be", "confirmed"),
    ("be", "true"),
)
CONDITIONAL_EXPLANATION = (
    "A conditional that raises an accusation without asserting it: the reader is "
    "invited to assume the 'if' is true, though no evidence is given."
)


def conditional_speculation(doc: Document) -> list[Finding]:
    """Clause-initial "if" clauses that insinuate ("If X is indeed ...").

    Plain conditions ("If it rains, the match moves") are not flagged; an
    if- or unless-clause in a sentence whose main clause speculates with a
    modal (or, after "unless", forecasts with "will") gets a low-confidence
    finding. Inverted conditionals that float an unproven premise ("Should the
    price turn out to be ...") get a medium one; "Were X to ..." a low one.
    """
    out: list[Finding] = []
    words = doc.words
    norm = doc.norm
    for idx, w in enumerate(words):
        if w.norm not in _OPENERS:
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
        inner = [t.norm for t in doc.words_in(Span(w.end, end))]
        pairs = set(itertools.pairwise(inner))
        insinuates = any(t in _INSINUATION for t in inner) or any(
            p in pairs for p in _INSINUATION_PHRASES
        )
        rest = [t.norm for t in doc.words_in(Span(end, sent.end))]
        if w.norm in ("should", "were"):
            # inverted conditionals: "Should the price turn out to be ...",
            # "Were the minister to resign ..."; a question is not one
            if norm[sent.start : sent.end].rstrip().endswith("?"):
                continue
            if w.norm == "should" and not any(p in pairs for p in _INVERTED_PROOF):
                continue
            if w.norm == "were" and "to" not in inner[:6]:
                continue
            conf = 0.55 if w.norm == "should" else 0.4
        elif insinuates:
            conf = 0.75
        elif any(t in _MODALS for t in rest[:8]) or (
            w.norm == "unless" and any(t in _UNLESS_CONSEQUENCE for t in rest[:8])
        ):
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
