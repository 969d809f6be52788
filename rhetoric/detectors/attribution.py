"""Attribution gaps: anonymous sources, vague or weasel attribution, rumour,
and self-citation. Named attributions are not gaps: they are listed in the
report's ``attributions`` by ``rhetoric.attribution.rules`` and never flagged."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, replace

from ..attribution.extract import extract_attributions
from ..attribution.rules import MODEL_CUES, in_quotation
from ..attribution.words import (
    ANON_SENTENCE,
    AUX,
    BE_FORMS,
    COGNITION_VERBS,
    PERSON_NOUNS,
    SOURCE_NOUNS,
)
from ..core.document import Document, Span
from ..core.lexicon import base_forms, report_verbs
from ..core.report import Attribution, Finding
from ..core.words import SPEECH_VERBS
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
# How often a careful reader agrees that a source is a gap, by what marks it
# (highest first): the text says the name is withheld; a role inside an
# organisation with no name ("a senior official", "an aide"); a crowd cited as
# a source ("critics say"); an unnamed bystander ("a man who lives nearby":
# routine in news, worth a look only); the writer's own earlier claims.
ANON_EXPLICIT_CONFIDENCE = 0.75
ANON_ROLE_CONFIDENCE = 0.6
ANON_PERSON_CONFIDENCE = 0.4
VAGUE_CONFIDENCE = 0.6
SELF_CONFIDENCE = 0.6  # "We have on any number of occasions suggested"
SELF_PLAIN_CONFIDENCE = 0.35  # "as I said" once, without stress on repetition


def _sentence_text(doc: Document, pos: int) -> str:
    s = doc.sentences[doc.sentence_index(pos)]
    return doc.norm[s.start : s.end].lower()


def _cue_words(doc: Document, start: int, end: int) -> list[str]:
    return [w.norm for w in doc.words_in(Span(start, end))]  # a binary search, not a scan


def _who(a: Attribution) -> str:
    """The source and its cue as the text has them: "“critics” say",
    "according to “retailers”"."""
    assert a.source is not None
    src = f"“{' '.join(a.source.text.split())}”"
    cue = " ".join(a.cue.text.split())
    return f"{cue} {src}" if a.cue.start < a.source.start else f"{src} {cue}"


def _anonymous_gap(doc: Document, a: Attribution) -> tuple[float, str] | None:
    """Confidence and explanation of an anonymous source."""
    assert a.source is not None
    src = " ".join(a.source.text.lower().split())
    sentence = _sentence_text(doc, a.cue.start)
    withheld = next((p for p in ANON_SENTENCE if p in sentence), None)
    who = _who(a)
    if withheld is not None:
        return (
            ANON_EXPLICIT_CONFIDENCE,
            f"{who}: the article says the name is withheld (“{withheld}”), so the claim "
            "cannot be checked and the source's motive cannot be weighed.",
        )
    if any(m in src for m in _EXPLICIT_ANON):
        return (
            ANON_EXPLICIT_CONFIDENCE,
            f"{who}: an unnamed source, so the claim cannot be checked and the source's "
            "knowledge and motive cannot be weighed.",
        )
    head = src.split()[-1] if src.split() else ""
    if head in PERSON_NOUNS:
        return (
            ANON_PERSON_CONFIDENCE,
            f"{who}: a person the article does not name, so the claim cannot be checked; "
            "often routine (a witness, a spokesperson).",
        )
    return (
        ANON_ROLE_CONFIDENCE,
        f"{who}: a role with no name, so the claim cannot be checked and the speaker's "
        "interest cannot be weighed.",
    )


_REPEATED = frozenset(["have", "has", "'ve", "long", "repeatedly", "often", "been"])


def _self_gap(doc: Document, a: Attribution) -> tuple[float, str] | None:
    """Confidence and explanation of the writer citing themselves; None for
    opinion or memory ("I think", "I remember", "I wanted") and for a first
    person inside a quotation (the speaker's own words)."""
    if in_quotation(doc, a.cue.start):
        return None
    cue = _cue_words(doc, a.cue.start, a.cue.end)
    verbs = [w for w in cue if w not in AUX]
    if not verbs or any(w in COGNITION_VERBS for w in verbs):
        return None
    if not any(any(b in SPEECH_VERBS or b in report_verbs() for b in base_forms(w)) for w in verbs):
        return None
    assert a.source is not None
    between = doc.norm[a.source.end : a.cue.start].lower().split()
    repeated = any(
        w in ("have", "has", "'ve", "long", "repeatedly", "often", "been") for w in between
    )
    repeated = repeated or "'ve" in a.source.text.lower() or "occasions" in between
    lead = doc.norm[max(0, a.source.start - 4) : a.source.start].lower()
    repeated = repeated or lead.strip().endswith("as")
    phrase = doc.text[a.source.start : a.cue.end]
    if repeated:
        return (
            SELF_CONFIDENCE,
            f"“{' '.join(phrase.split())}”: the writer points to their own earlier "
            "statements as support, which is not independent evidence.",
        )
    return (
        SELF_PLAIN_CONFIDENCE,
        f"“{' '.join(phrase.split())}”: the writer cites themselves; check whether "
        "anything independent supports the claim.",
    )


def source_gaps(doc: Document) -> list[Finding]:
    """Attributions whose source is anonymous, vague or the writer, from the
    who-said-what extractor: 'Many locals believe', 'say experts', 'a friend
    of the minister said'. The finding spans the source and the cue; its
    confidence follows what marks the gap (see the constants above), and gaps
    only the trained cue tagger found are capped at ``MODEL_GAP_CAP``."""
    out: list[Finding] = []
    atts = extract_attributions(doc)
    model_cues = doc.cache.get(MODEL_CUES) or set()
    for a in atts:
        if a.kind not in SOURCE_EXPLANATIONS or a.source is None:
            continue
        if a.source.text.lower() in ("he", "she", "they", "it", "who", "which", "that"):
            continue  # a pronoun inherits its antecedent's kind; the gap is flagged there
        start = min(a.source.start, a.cue.start)
        end = max(a.source.end, a.cue.end)
        got: tuple[float, str] | None
        if a.kind == "anonymous":
            got, label = _anonymous_gap(doc, a), "anonymous_source"
        elif a.kind == "vague":
            got = (
                VAGUE_CONFIDENCE,
                f"{_who(a)}: a crowd is cited instead of a named source; it could be "
                "anyone, including the writer.",
            )
            label = "vague_attribution"
        else:
            got, label = _self_gap(doc, a), "self_citation"
        if got is None:
            continue
        conf, explanation = got
        if (a.cue.start, a.cue.end) in model_cues:
            conf = min(conf, MODEL_GAP_CAP)
        out.append(
            finding(doc, start, end, CATEGORY, label, conf, "attribution.sources", explanation)
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


# A phrase with a named source beside it is not a gap a reader would flag:
# "insider" in a name or in "insider trading"; "is accused of", "reportedly",
# "sources" in a sentence where a named source speaks ("..., CNN reported").
NAMED_NEARBY_CAP = 0.3
_NOT_SOURCE_AFTER = frozenset(
    ["trading", "dealing", "dealings", "information", "threat", "threats"]
)


def _named_cues(doc: Document) -> dict[int, list[Attribution]]:
    """Named attributions with a source, by sentence."""
    out: dict[int, list[Attribution]] = {}
    for a in extract_attributions(doc):
        if a.kind == "named" and a.source is not None:
            out.setdefault(doc.sentence_index(a.cue.start), []).append(a)
    return out


def _gap_in_context(
    doc: Document, f: Finding, named: dict[int, list[Attribution]]
) -> Finding | None:
    """``f`` as a reader would weigh it in its sentence: None when the phrase
    is no source at all ("insider trading", "Business Insider"), capped at
    ``NAMED_NEARBY_CAP`` when a named source speaks in the same sentence and
    the phrase is not that source's own description."""
    if f.label == "self_citation" and in_quotation(doc, f.start):
        return None  # "as we have said" in a speaker's quotation: the speaker's words
    k = bisect.bisect_left(doc.word_starts, f.end)
    if (
        f.label == "anonymous_source"
        and k < len(doc.words)
        and doc.words[k].norm in ("like", "including")
        and k + 1 < len(doc.words)
        and doc.text[doc.words[k + 1].start].isupper()
    ):
        return None  # "insiders like Mark Halperin": named after all
    words = doc.words_in(Span(f.start, f.end))  # a scan of every word per finding was quadratic
    for w in words:
        if w.norm not in ("insider", "insiders"):
            continue
        if (
            doc.text[w.start].isupper()
            and w.start != doc.sentences[doc.sentence_index(w.start)].start
        ):
            return None  # "Business Insider"
        nxt = bisect.bisect_right(doc.word_starts, w.start)
        if nxt < len(doc.words) and doc.words[nxt].norm in _NOT_SOURCE_AFTER:
            return None  # "insider trading"
    others = [
        a
        for a in named.get(doc.sentence_index(f.start), [])
        if not (a.cue.start < f.end and f.start < a.cue.end)
        and a.source is not None
        and not (a.source.start < f.end and f.start < a.source.end)
    ]
    if others and f.confidence > NAMED_NEARBY_CAP:
        src = " ".join(others[0].source.text.split()) if others[0].source else ""
        return replace(
            f,
            confidence=NAMED_NEARBY_CAP,
            explanation=f.explanation + f" A named source (“{src}”) speaks in the same "
            "sentence; check whether it is the one meant.",
        )
    return f


@dataclass(frozen=True)
class GapLexiconDetector(LexiconDetector):
    """A lexicon of attribution gaps, read in context (``_gap_in_context``)."""

    def detect(self, doc: Document) -> list[Finding]:
        found = super().detect(doc)
        if not found:
            return found
        named = _named_cues(doc)
        return [g for g in (_gap_in_context(doc, f, named) for f in found) if g is not None]


DETECTORS = (
    GapLexiconDetector("attribution.anonymous", "attribution_anonymous.tsv"),
    GapLexiconDetector("attribution.vague", "attribution_vague.tsv"),
    GapLexiconDetector("attribution.self", "attribution_self.tsv"),
    FunctionDetector("attribution.unnamed_source", CATEGORY, unnamed_source),
    FunctionDetector("attribution.sources", CATEGORY, source_gaps),
    FunctionDetector("attribution.agentless_passive", CATEGORY, agentless_passive),
    FunctionDetector("attribution.unattributed_adverbs", CATEGORY, unattributed_adverbs),
    FunctionDetector("attribution.unsupported_claims", CATEGORY, unsupported_claims),
)
