"""Factual-claim sentences and the report's sourcing profile.

A *claim sentence* asserts something checkable: a figure ("killed 40
people", "rose 3%"), an accusation ("lied", "covered up", "bribes"), or a
cause ("led to", "because of", "caused"). Questions, headlines, quotations,
first-person opinion and sentences that are themselves hedged are not
counted: they do not assert.

The *sourcing profile* says who the article lets speak: counts of named,
anonymous, vague, self and unattributed sources, the share of claim sentences
that carry an attribution, and each source with what it is quoted as saying.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import Any

from ..core.document import CacheSlot, Coverage, Document, Span, spans_overlap
from ..core.lexicon import base_forms, report_verbs
from ..core.report import ATTRIBUTION_KINDS, Attribution, Finding
from .rules import antecedent

__all__ = [
    "claim_sentences",
    "display_name",
    "has_report_word",
    "paragraph_has_attribution",
    "sentence_attributed",
    "sourcing_profile",
]

_NUMBER_WORDS = frozenset(
    [
        "hundred",
        "hundreds",
        "thousand",
        "thousands",
        "million",
        "millions",
        "billion",
        "billions",
        "trillion",
        "percent",
        "per",
        "dozens",
        "doubled",
        "tripled",
        "halved",
    ]
)
_ACCUSATION = frozenset(
    [
        "lied",
        "lies",
        "lying",
        "corrupt",
        "corruption",
        "fraud",
        "fraudulent",
        "bribe",
        "bribes",
        "bribed",
        "bribery",
        "embezzled",
        "stole",
        "stolen",
        "cover-up",
        "covered",
        "rigged",
        "colluded",
        "collusion",
        "complicit",
        "illegally",
        "illegal",
        "crimes",
        "criminal",
        "kickbacks",
        "laundering",
        "smuggled",
        "sabotaged",
        "deliberately",
        "secretly",
        "funded",
        "financed",
        "orchestrated",
        "staged",
        "faked",
        "fabricated",
        "abused",
        "tortured",
        "murdered",
        "massacred",
    ]
)
_CAUSAL = (
    ("led", "to"),
    ("leads", "to"),
    ("lead", "to"),
    ("because", "of"),
    ("due", "to"),
    ("resulted", "in"),
    ("results", "in"),
    ("caused", ""),
    ("causes", ""),
    ("responsible", "for"),
    ("blamed", "for"),
    ("thanks", "to"),
    ("triggered", ""),
    ("fuelled", ""),
    ("fueled", ""),
)
_HEDGED = frozenset(
    ["may", "might", "could", "perhaps", "possibly", "probably", "likely", "if", "whether", "seems"]
)
_FIRST_PERSON = frozenset(["i", "we", "my", "our", "me", "us"])
_DIGIT = re.compile(r"\d")


def _title(doc: Document, si: int) -> bool:
    if si != 0 or len(doc.paragraphs) < 2 or not doc.sentences:
        return False
    return doc.text[doc.sentences[0].end : doc.paragraphs[0].end].strip() == ""


CLAIM_SENTENCES: CacheSlot[list[int]] = CacheSlot("claim sentences")


def claim_sentences(doc: Document) -> list[int]:
    """Indices of the sentences that assert a figure, an accusation or a cause
    (see the module docstring), cached."""
    cached = doc.cache.get(CLAIM_SENTENCES)
    if cached is not None:
        return cached
    out = []
    for si, s in enumerate(doc.sentences):
        words = doc.words_in(s)
        if len(words) < 6 or _title(doc, si):
            continue
        chunk = doc.norm[s.start : s.end].strip()
        if chunk.endswith("?") or chunk.startswith('"') or chunk.count('"') >= 2:
            continue
        if "http" in chunk or "www." in chunk:
            continue  # a link is a pointer to the source, not a claim
        norms = [w.norm for w in words]
        if any(w in _HEDGED for w in norms) or any(w in _FIRST_PERSON for w in norms):
            continue
        pairs = set(zip(norms, [*norms[1:], ""], strict=True))
        figure = any(_DIGIT.search(w.norm) and not _year(w.norm) for w in words) or any(
            w in _NUMBER_WORDS for w in norms
        )
        accusation = any(w in _ACCUSATION for w in norms)
        causal = any((a, b) in pairs or (b == "" and a in norms) for a, b in _CAUSAL)
        if figure or accusation or causal:
            out.append(si)
    doc.cache.put(CLAIM_SENTENCES, out)
    return out


def _year(tok: str) -> bool:
    """A bare year or a date number is not a checkable figure on its own."""
    return (tok.isdigit() and (len(tok) == 4 and tok[:2] in ("19", "20"))) or (
        tok.isdigit() and len(tok) <= 2
    )


def has_report_word(doc: Document, si: int) -> bool:
    """A reporting verb (any form) or "according to" in the sentence: it names
    a source even where the extractor cannot tell whose."""
    verbs = report_verbs()
    return any(
        w.norm == "according" or any(b in verbs for b in base_forms(w.norm))
        for w in doc.words_in(doc.sentences[si])
    )


def span_has_attribution(span: Span, attributions: list[Attribution]) -> bool:
    """An attribution cue inside ``span``, or an attribution's content
    overlapping it."""
    for a in attributions:
        if span.start <= a.cue.start < span.end:
            return True
        c = a.content
        if c is not None and spans_overlap(c.start, c.end, span.start, span.end):
            return True
    return False


class _AttributionIndex:
    """``span_has_attribution`` by binary search: the cue starts sorted, and
    the contents merged into disjoint stretches (asking it of every sentence
    or paragraph of an article is linear, not quadratic)."""

    def __init__(self, attributions: list[Attribution]) -> None:
        self.cues = sorted(a.cue.start for a in attributions)
        self.contents = Coverage(a.content for a in attributions if a.content)

    def hits(self, span: Span) -> bool:
        i = bisect.bisect_left(self.cues, span.start)
        if i < len(self.cues) and self.cues[i] < span.end:
            return True
        return self.contents.overlaps(span.start, span.end)


_ATTRIBUTION_INDEX: CacheSlot[tuple[list[Attribution], _AttributionIndex]] = CacheSlot(
    "attribution index"
)


def _index(doc: Document, attributions: list[Attribution]) -> _AttributionIndex:
    hit = doc.cache.get(_ATTRIBUTION_INDEX)
    if hit is None or hit[0] is not attributions:
        hit = doc.cache.put(_ATTRIBUTION_INDEX, (attributions, _AttributionIndex(attributions)))
    return hit[1]


def sentence_attributed(doc: Document, si: int, attributions: list[Attribution]) -> bool:
    """A cue in the sentence, or the sentence inside an attribution's content."""
    return _index(doc, attributions).hits(doc.sentences[si])


_PRONOUNS = frozenset(["he", "she", "they", "it", "him", "her", "them"])
_RELATIVE = frozenset(["who", "which", "that"])
MAX_QUOTES = 5
MAX_QUOTE_CHARS = 200
_NON_SPACE = re.compile(r"\S+")


def _short(text: str) -> str:
    """Whitespace collapsed, cut at ``MAX_QUOTE_CHARS`` with an ellipsis.
    Reads only as far as the cut: a content span can be a whole
    unpunctuated text."""
    parts: list[str] = []
    n = 0
    for m in _NON_SPACE.finditer(text):
        parts.append(m.group())
        n += len(m.group()) + 1
        if n > MAX_QUOTE_CHARS + 1:
            break
    t = " ".join(parts)
    return t if len(t) <= MAX_QUOTE_CHARS else t[: MAX_QUOTE_CHARS - 1].rstrip() + "\u2026"


def display_name(source: str) -> str:
    """The name a reader knows a source by: the part of an apposition that is
    a name ("the Democratic leader, Nancy Pelosi" -> "Nancy Pelosi"; "Mara
    Lind, a nurse at the clinic" stays), spaces collapsed."""
    text = " ".join(source.split())
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if len(parts) < 2:
        return text

    def caps(p: str) -> int:
        return sum(1 for w in p.split() if w[:1].isupper())

    first = parts[0]
    best = max(parts[1:], key=caps)
    lead = first.split()[0].lower() if first.split() else ""
    if caps(best) >= 2 and (caps(first) < 2 or lead in ("the", "a", "an")):
        return best
    return text


def sourcing_profile(
    doc: Document, attributions: list[Attribution], findings: Sequence[Finding] = ()
) -> dict[str, Any]:
    """The report's ``sourcing`` field (see docs/schema.md). With ``findings``
    (voice set), each source also counts the findings in its quotations, by
    category (``quoted_findings``)."""
    counts = dict.fromkeys(ATTRIBUTION_KINDS, 0)
    sources: dict[str, dict[str, Any]] = {}
    last: str | None = None
    key_of: dict[int, str] = {}
    for i, a in enumerate(attributions):
        if a.source is None:
            if a.kind == "unattributed":
                counts[a.kind] = counts.get(a.kind, 0) + 1
            continue  # a cue whose source was not found tells nothing about sourcing
        counts[a.kind] = counts.get(a.kind, 0) + 1
        name = display_name(a.source.text)
        key = name.lower()
        start = a.source.start
        pronoun = key in _PRONOUNS
        if key in _RELATIVE:
            # "Elizabeth Deal, who describes": listed under the noun phrase
            ant = antecedent(doc, a.source.start)
            if ant is not None:
                w = doc.words
                start = w[ant[0]].start
                name = " ".join(doc.text[start : w[ant[1]].end].split())
                key = name.lower()
            else:
                pronoun = True
        if pronoun:
            if last is None:
                continue
            key = last  # "he said": the last source before it that is not a pronoun
        entry = sources.get(key)
        if entry is None:
            entry = sources[key] = {
                "source": name,
                "kind": a.kind,
                "start": start,
                "attributions": 0,
                "says": [],
            }
        entry["attributions"] += 1
        key_of[i] = key
        if a.content is not None and len(entry["says"]) < MAX_QUOTES:
            entry["says"].append(_short(a.content.text))
        if not pronoun and a.kind in ("named", "anonymous", "vague"):
            last = key
    for f in findings:
        if f.voice == "quoted" and f.attribution in key_of:
            q = sources[key_of[f.attribution]].setdefault("quoted_findings", {})
            q[f.category] = q.get(f.category, 0) + 1
    claims = claim_sentences(doc)
    attributed = sum(1 for si in claims if sentence_attributed(doc, si, attributions))
    return {
        "counts": counts,
        "claim_sentences": len(claims),
        "claim_sentences_attributed": attributed,
        "attributed_share": round(attributed / len(claims), 3) if claims else None,
        "sources": sorted(sources.values(), key=lambda e: e["start"]),
    }


def paragraph_has_attribution(doc: Document, para: Span, attributions: list[Attribution]) -> bool:
    """Any attribution cue or content in the paragraph."""
    return _index(doc, attributions).hits(para)
