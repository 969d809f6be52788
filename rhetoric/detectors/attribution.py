"""Attribution gaps: anonymous sources, vague or weasel attribution, rumour,
and self-citation. Named attributions are not gaps: they are listed in the
report's ``attributions`` by ``rhetoric.attribution.rules`` and never flagged."""

from __future__ import annotations

from ..attribution.extract import extract_attributions
from ..attribution.rules import MODEL_CUES
from ..attribution.words import BE_FORMS, SOURCE_NOUNS
from ..core.document import Document
from ..core.report import Finding
from .base import FunctionDetector, LexiconDetector, finding

CATEGORY = "attribution"

_ANON_WORDS = frozenset(["unnamed", "anonymous", "unidentified"])
# The nouns a source phrase ends in: shared with the who-said-what extractor.
_HEADS = SOURCE_NOUNS
_LEADS = frozenset(["a", "an", "the", "one", "two", "three", "four", "several", "some"])
UNNAMED_EXPLANATION = (
    "The source is deliberately not named, so the reader cannot judge their "
    "position, motive or reliability."
)


def unnamed_source(doc: Document) -> list[Finding]:
    """'an unnamed US State Department official': from the article to the head
    noun, across any titles and organisation names in between (up to 6 words)."""
    out: list[Finding] = []
    words = doc.words
    for i, w in enumerate(words):
        if w.norm not in _ANON_WORDS:
            continue
        end_idx = None
        for j in range(i + 1, min(i + 8, len(words))):
            if doc.norm[words[j - 1].end : words[j].start].strip() not in ("", "-", "."):
                break
            if words[j].norm in _HEADS:
                end_idx = j
                if j + 1 < len(words) and words[j + 1].norm in _HEADS:
                    continue
                break
        if end_idx is None:
            continue
        start_idx = i - 1 if i > 0 and words[i - 1].norm in _LEADS else i
        out.append(
            finding(
                doc,
                words[start_idx].start,
                words[end_idx].end,
                CATEGORY,
                "anonymous_source",
                0.8,
                "attribution.unnamed_source",
                UNNAMED_EXPLANATION,
            )
        )
    return out


_EXPLICIT_ANON = (
    "unnamed",
    "anonymous",
    "anonymity",
    "source",
    "familiar",
    "close to",
    "knowledge",
    "friend",
    "insider",
    "briefed",
    "not authori",
    "declined to be",
)
SOURCE_EXPLANATIONS = {
    "anonymous": "The claim rests on a source the reader cannot identify, so it cannot be "
    "checked or weighed.",
    "vague": "A vague crowd ('some', 'critics', 'many') is cited instead of a named source; "
    "it could be anyone, including the writer.",
    "self": "The writer cites their own earlier claims, which is not independent evidence.",
}


# Gaps found only through the PolNeAR-trained cue tagger stay "worth a look":
# on our dev passages they were right less often than the rule-found ones.
MODEL_GAP_CAP = 0.45


def source_gaps(doc: Document) -> list[Finding]:
    """Attributions whose source is anonymous, vague or the writer, from the
    who-said-what extractor: 'Many locals believe', 'say experts', 'a friend
    of the minister said'. The finding spans the source and the cue; gaps only
    the trained cue tagger found are capped at ``MODEL_GAP_CAP``."""
    out: list[Finding] = []
    atts = extract_attributions(doc)
    model_cues = doc.cache.get(MODEL_CUES) or set()
    for a in atts:
        if a.kind not in SOURCE_EXPLANATIONS or a.source is None:
            continue
        if a.source.text.lower() in ("he", "she", "they", "it"):
            continue  # a pronoun inherits its antecedent's kind; the gap is flagged there
        start = min(a.source.start, a.cue.start)
        end = max(a.source.end, a.cue.end)
        src = a.source.text.lower()
        if a.kind == "anonymous":
            conf = 0.7 if any(m in src for m in _EXPLICIT_ANON) else 0.4
            label = "anonymous_source"
        elif a.kind == "vague":
            conf, label = 0.6, "vague_attribution"
        else:
            conf, label = 0.6, "self_citation"
        if (a.cue.start, a.cue.end) in model_cues:
            conf = min(conf, MODEL_GAP_CAP)
        out.append(
            finding(
                doc,
                start,
                end,
                CATEGORY,
                label,
                conf,
                "attribution.sources",
                SOURCE_EXPLANATIONS[a.kind],
            )
        )
    return out


_PASSIVE_CUES = frozenset(
    [
        "believed",
        "thought",
        "said",
        "understood",
        "reported",
        "rumoured",
        "rumored",
        "alleged",
        "claimed",
        "reputed",
        "considered",
        "known",
        "feared",
        "suspected",
        "assumed",
        "presumed",
        "expected",
        "estimated",
    ]
)
# Weaker when wire-style: "widely expected", "estimated to" are routine forecasts.
_PASSIVE_WEAK = frozenset(["considered", "known", "expected", "estimated"])
PASSIVE_EXPLANATION = (
    "An agentless passive ('is believed to', 'is said to'): the claim is attributed "
    "to nobody, so the reader cannot tell who believes or says it."
)


def agentless_passive(doc: Document) -> list[Finding]:
    """'The school is believed to have had ...', 'He is said to be furious':
    be + belief/report participle + 'to', with no 'by' agent. Lower confidence
    when a named source is given in the same sentence ('..., police said')."""
    out: list[Finding] = []
    words = doc.words
    named_sentences: set[int] | None = None
    for i in range(len(words) - 2):
        if words[i].norm not in BE_FORMS:
            continue
        j = i + 1
        if words[j].norm in ("widely", "generally", "commonly", "also", "now", "still", "often"):
            j += 1
        if j + 1 >= len(words) or words[j].norm not in _PASSIVE_CUES:
            continue
        if words[j + 1].norm != "to":
            continue
        gap = doc.norm[words[i].end : words[j + 1].start]
        if any(c not in " \t\n" and not c.isalpha() for c in gap):
            continue
        if named_sentences is None:
            named_sentences = {
                doc.sentence_index(a.cue.start)
                for a in extract_attributions(doc)
                if a.kind == "named"
            }
        cue = words[j].norm
        conf = 0.2 if cue in _PASSIVE_WEAK else 0.45
        if doc.sentence_index(words[i].start) in named_sentences:
            conf = min(conf, 0.25)
        out.append(
            finding(
                doc,
                words[i].start,
                words[j].end,
                CATEGORY,
                "vague_attribution",
                conf,
                "attribution.agentless_passive",
                PASSIVE_EXPLANATION,
            )
        )
    return out


# "reportedly", "allegedly": the adverb hedges (the hedging lexicon flags that)
# and also attributes the claim to nobody, which is the gap flagged here.
_UNATTRIBUTED_ADVERBS = frozenset(
    ["reportedly", "allegedly", "purportedly", "reputedly", "supposedly"]
)
ADVERB_EXPLANATION = (
    "The adverb passes on what unnamed others report or allege, so the reader "
    "cannot tell who says it."
)


def unattributed_adverbs(doc: Document) -> list[Finding]:
    """'The minister reportedly met the donor': a claim with no one behind it.
    Low confidence: the same word is flagged as a hedge."""
    return [
        finding(
            doc,
            w.start,
            w.end,
            CATEGORY,
            "vague_attribution",
            0.35,
            "attribution.unattributed_adverbs",
            ADVERB_EXPLANATION,
        )
        for w in doc.words
        if w.norm in _UNATTRIBUTED_ADVERBS
    ]


UNSUPPORTED_EXPLANATION = (
    "States a checkable fact (a figure, an accusation or a cause) in a paragraph that "
    "names no source at all, so the reader cannot tell where it comes from."
)
# Low on purpose: many unsourced facts are common knowledge or sourced earlier.
UNSUPPORTED_CONFIDENCE = 0.3


def unsupported_claims(doc: Document) -> list[Finding]:
    """Claim sentences (``sourcing.claim_sentences``) with no reporting word,
    in a paragraph with no attribution of any kind. Precision over recall:
    see docs/models.md for how it was measured."""
    from ..attribution.sourcing import claim_sentences, has_report_word, paragraph_has_attribution

    atts = extract_attributions(doc)
    out: list[Finding] = []
    bare: dict[int, bool] = {}
    for si in claim_sentences(doc):
        s = doc.sentences[si]
        pi = doc.paragraph_index(s.start)
        if pi not in bare:
            bare[pi] = not paragraph_has_attribution(doc, doc.paragraphs[pi], atts)
        if not bare[pi] or has_report_word(doc, si):
            continue
        end = s.end
        while end > s.start and doc.text[end - 1].isspace():
            end -= 1
        out.append(
            finding(
                doc,
                s.start,
                end,
                CATEGORY,
                "unsupported_claim",
                UNSUPPORTED_CONFIDENCE,
                "attribution.unsupported_claims",
                UNSUPPORTED_EXPLANATION,
            )
        )
    return out


DETECTORS = (
    LexiconDetector("attribution.anonymous", "attribution_anonymous.tsv"),
    LexiconDetector("attribution.vague", "attribution_vague.tsv"),
    LexiconDetector("attribution.self", "attribution_self.tsv"),
    FunctionDetector("attribution.unnamed_source", CATEGORY, unnamed_source),
    FunctionDetector("attribution.sources", CATEGORY, source_gaps),
    FunctionDetector("attribution.agentless_passive", CATEGORY, agentless_passive),
    FunctionDetector("attribution.unattributed_adverbs", CATEGORY, unattributed_adverbs),
    FunctionDetector("attribution.unsupported_claims", CATEGORY, unsupported_claims),
)
