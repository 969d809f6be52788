"""Whose words a finding is on: the writer's, or someone quoted.

A loaded word inside a quotation is the speaker's rhetoric, not the
writer's; an article's scores are about the writer. This module finds the
*direct quotations* of a document and, for each finding, says whether it lies
inside one (``voice = "quoted"``) and, when the quotation is credited to a
source, which attribution it belongs to and who the speaker is.

What counts as quoted (measured on BASIL, whose annotators mark whether each
biased span is a quote; see docs/schema.md):

* A quoted passage of 4 or more words: the speaker's own words.
* Not a quoted word or short phrase inside the writer's sentence ("called the
  plan a 'disaster'", "a 'scheme'"): the writer chose to lift those words, and
  BASIL's annotators count them as the writer's (with them quoted, 89% of
  findings on the writer's wording said ``author``; without, 98%). Whether such
  a phrase is credited to someone (``credited_quote``) decides whether it is a
  scare quote, not its voice.
* A paragraph that opens a quotation which does not close in it: the news
  convention for a quotation running on into the next paragraph.

Reported speech ("Officials said the attack may have been planned") is the
writer's wording of someone's claim: such findings keep ``voice = "author"``
but carry the attribution and speaker too (``reported``), so scoring can
credit a reported hedge to its source while a loaded word the writer chose to
paraphrase with stays the writer's.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, replace

from ..core.document import CacheSlot, Document
from ..core.lexicon import base_forms
from ..core.report import Attribution, Finding
from ..core.text import quote_pairs
from ..core.words import PLAIN_SPEECH_VERBS, SPEECH_VERBS
from .rules import rule_attributions

__all__ = [
    "AUTHOR",
    "QUOTED",
    "VoiceRegion",
    "assign_voice",
    "credited_quote",
    "plausible_speaker",
    "voice_regions",
]

AUTHOR = "author"
QUOTED = "quoted"

# A quoted passage this long is someone's words even with no speaker named.
MIN_QUOTE_WORDS = 4
# Words right before a short quotation that credit it to someone: "called it
# a 'disaster'", "described as 'reckless'", "what he termed 'a hoax'".
CREDITING_WORDS = frozenset(
    [
        "said",
        "says",
        "say",
        "saying",
        "told",
        "tell",
        "called",
        "calls",
        "call",
        "calling",
        "described",
        "describe",
        "describes",
        "describing",
        "dubbed",
        "dub",
        "dubbing",
        "termed",
        "term",
        "terms",
        "labelled",
        "labeled",
        "branded",
        "as",
        "word",
        "words",
        "phrase",
        "titled",
        "named",
        "promised",
        "vowed",
        "pledged",
        "wrote",
        "tweeted",
        "added",
    ]
)
# Words after a short quotation that credit it ("'a disgrace', he said").
_AFTER_SPEAKERS = frozenset(["he", "she", "they", "i", "we", "it"])
_REPORTED_CUES = (
    SPEECH_VERBS
    | PLAIN_SPEECH_VERBS
    | frozenset(["claim", "allege", "argue", "insist", "contend", "assert", "maintain", "suggest"])
)
_PERSONAL = frozenset(["he", "she", "they", "him", "her", "them", "it", "i", "we"])


@dataclass(frozen=True, slots=True)
class VoiceRegion:
    """A stretch of text in someone else's voice. ``direct``: a quotation (the
    speaker's own words); else reported speech (the writer's words for the
    speaker's claim). ``attribution``: index into the attributions, or None
    for a quotation credited to nobody the extractor found."""

    start: int
    end: int
    direct: bool
    attribution: int | None


def _prev_words(doc: Document, pos: int, n: int = 3) -> list[str]:
    """Up to ``n`` words before ``pos`` (nearest first), stopping at a
    sentence's or clause's punctuation."""
    k = bisect.bisect_right(doc.word_starts, pos) - 1
    while k >= 0 and doc.words[k].end > pos:
        k -= 1
    out: list[str] = []
    end = pos
    while k >= 0 and len(out) < n:
        gap = doc.norm[doc.words[k].end : end]
        if any(c in gap for c in ".!?;:()"):
            break
        out.append(doc.words[k].norm)
        end = doc.words[k].start
        k -= 1
    return out


def _said_after(doc: Document, pos: int) -> bool:
    """``pos`` is followed by "he said", "said Smith", "she told ...":
    the quotation just closed is credited."""
    k = bisect.bisect_left(doc.word_starts, pos)
    words = doc.words[k : k + 2]
    if not words or doc.norm[pos : words[0].start].strip(" ,") != "":
        return False
    first = words[0].norm
    if any(b in SPEECH_VERBS for b in base_forms(first)):
        return True
    return (
        first in _AFTER_SPEAKERS
        and len(words) == 2
        and any(b in SPEECH_VERBS for b in base_forms(words[1].norm))
    )


def credited_quote(doc: Document, start: int, end: int, atts: list[Attribution]) -> bool:
    """The quotation marks at ``start`` and ``end`` (both inclusive) enclose
    words credited to someone, not a writer's scare quote."""
    # "called it a 'disaster'", "what he termed the 'ritualistic reading'"
    if any(w in CREDITING_WORDS for w in _prev_words(doc, start)):
        return True
    if _said_after(doc, end + 1):
        return True
    near = _contents(doc, atts).near(start, start + 1)  # not a scan of all of them
    return any(
        a.source is not None and a.content is not None and a.content.start <= start < a.content.end
        for a in (atts[i] for i in near)
    )


class _Contents:
    """The attributions' contents sorted by start, to find those that can
    overlap a stretch by binary search (a content starts at most ``longest``
    characters before the stretch) instead of scanning all of them for each
    quotation, which was quadratic in a long article."""

    def __init__(self, atts: list[Attribution]) -> None:
        order = sorted((a.content.start, i) for i, a in enumerate(atts) if a.content is not None)
        self.starts = [s for s, _ in order]
        self.index = [i for _, i in order]
        self.longest = max(
            (a.content.end - a.content.start for a in atts if a.content is not None), default=0
        )

    def near(self, start: int, end: int) -> list[int]:
        """Indexes (in ``atts`` order) of the contents that may overlap."""
        lo = bisect.bisect_left(self.starts, start - self.longest)
        hi = bisect.bisect_left(self.starts, end)
        return sorted(self.index[lo:hi])


_CONTENTS: CacheSlot[tuple[list[Attribution], _Contents]] = CacheSlot("attribution contents")


def _contents(doc: Document, atts: list[Attribution]) -> _Contents:
    """``_Contents`` of ``atts``, built once per document and list."""
    hit = doc.cache.get(_CONTENTS)
    if hit is None or hit[0] is not atts:
        hit = doc.cache.put(_CONTENTS, (atts, _Contents(atts)))
    return hit[1]


def _owner(
    start: int, end: int, atts: list[Attribution], contents: _Contents | None = None
) -> int | None:
    """The attribution whose content holds the quotation ``[start, end)``."""
    best: int | None = None
    near = range(len(atts)) if contents is None else contents.near(start, end)
    for i in near:
        a = atts[i]
        c = a.content
        if c is None or c.end <= start or c.start >= end:
            continue
        if a.source is None and best is not None:
            continue
        if best is None or atts[best].source is None:
            best = i
    return best


def _reported_cue(doc: Document, a: Attribution) -> bool:
    """A cue of saying or claiming ("said", "told", "argued", "according to")."""
    k = bisect.bisect_left(doc.word_starts, a.cue.start)
    if k >= len(doc.words) or doc.words[k].start >= a.cue.end:
        return False
    w = doc.words[k].norm
    return w == "according" or any(b in _REPORTED_CUES for b in base_forms(w))


_VOICE_REGIONS: CacheSlot[tuple[list[Attribution], list[VoiceRegion]]] = CacheSlot("voice regions")


def voice_regions(doc: Document, atts: list[Attribution]) -> list[VoiceRegion]:
    """The document's quotations and reported contents, sorted by start;
    built once per document and list (giving voice and scoring the writer's
    sentences both ask). Read it, do not change it."""
    hit = doc.cache.get(_VOICE_REGIONS)
    if hit is None or hit[0] is not atts:
        hit = doc.cache.put(_VOICE_REGIONS, (atts, _voice_regions(doc, atts)))
    return hit[1]


def _voice_regions(doc: Document, atts: list[Attribution]) -> list[VoiceRegion]:
    out: list[VoiceRegion] = []
    norm = doc.norm
    contents = _contents(doc, atts)
    for qa, qb in quote_pairs(doc):
        if len(doc.text[qa + 1 : qb].split()) >= MIN_QUOTE_WORDS:
            out.append(VoiceRegion(qa, qb + 1, True, _owner(qa, qb + 1, atts, contents)))
    for para in doc.paragraphs:
        text = doc.text[para.start : para.end]
        lead = len(text) - len(text.lstrip())
        if norm[para.start + lead : para.start + lead + 1] == '"' and (
            norm[para.start : para.end].count('"') % 2 == 1
        ):
            start = para.start + lead
            out.append(VoiceRegion(start, para.end, True, _owner(start, para.end, atts, contents)))
    ruled = {(a.cue.start, a.cue.end) for a in rule_attributions(doc)}
    for i, a in enumerate(atts):
        if (
            a.source is not None
            and a.content is not None
            and (a.cue.start, a.cue.end) in ruled  # the taggers' extra cues are less sure
            and a.kind in ("named", "anonymous", "vague")
            and a.content.start >= a.cue.end  # "X said (that) ...", "according to X, ..."
            and _reported_cue(doc, a)
            and plausible_speaker(a.source.text)
        ):
            out.append(VoiceRegion(a.content.start, a.content.end, False, i))
    out.sort(key=lambda r: (r.start, not r.direct))
    return out


_NOT_SPEAKERS = frozenset(
    ["which", "who", "that", "this", "these", "those", "what", "it", "there", "here"]
)
_DANGLING = frozenset(["of", "for", "to", "at", "in", "on", "and", "the", "a", "an", "by"])


def plausible_speaker(text: str) -> bool:
    """Whether a source's words can be shown as who said something: not a
    bare relative or demonstrative, not a fragment ending in "of"."""
    words = text.split()
    if not words or not any(c.isalpha() for c in text):
        return False
    low = [w.lower().strip(".,;:'\u2019\"") for w in words]
    return low[0] not in _NOT_SPEAKERS and low[-1] not in _DANGLING


def _speaker(doc: Document, atts: list[Attribution], i: int | None) -> str | None:
    """The source's words for attribution ``i``; a pronoun ("he said") is
    replaced by the nearest earlier source that is not one; None when the
    source does not read as a speaker."""
    if i is None or atts[i].source is None:
        return None
    src = atts[i].source
    assert src is not None
    if src.text.strip().lower() not in _PERSONAL:
        return src.text if plausible_speaker(src.text) else None
    for j in range(i - 1, -1, -1):
        s = atts[j].source
        if s is not None and s.text.strip().lower() not in _PERSONAL and atts[j].kind != "self":
            return s.text if plausible_speaker(s.text) else None
    return None


def assign_voice(doc: Document, findings: list[Finding], atts: list[Attribution]) -> list[Finding]:
    """``findings`` with ``voice``, ``attribution`` and ``speaker`` set. A
    finding is quoted when its middle lies in a direct quotation; inside
    reported speech it stays the writer's but names the source."""
    regions = voice_regions(doc, atts)
    if not regions:
        return findings
    starts = [r.start for r in regions]
    longest = max(r.end - r.start for r in regions)
    out = []
    for f in findings:
        mid = (f.start + f.end - 1) // 2
        lo = bisect.bisect_left(starts, mid - longest)
        hi = bisect.bisect_right(starts, mid)
        direct: VoiceRegion | None = None
        reported: VoiceRegion | None = None
        for r in regions[lo:hi]:
            if r.start <= mid < r.end:
                if r.direct and (direct is None or r.start >= direct.start):
                    direct = r
                elif not r.direct and (reported is None or r.start >= reported.start):
                    reported = r
        if direct is not None:
            idx = direct.attribution
            if idx is None and reported is not None:
                idx = reported.attribution
            who = _speaker(doc, atts, idx)
            f = replace(f, voice=QUOTED, attribution=idx if who else None, speaker=who)
        elif reported is not None:
            idx = reported.attribution
            f = replace(f, attribution=idx, speaker=_speaker(doc, atts, idx))
        out.append(f)
    return out
