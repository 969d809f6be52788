"""Trained attribution cues and sources (PolNeAR), and how they join the
rule-based who-said-what extractor (inference; plain Python).

Two word taggers share one feature function: the cue tagger marks the words
that signal an attribution ("said", "according to", "told reporters",
"believes", "accused"), the source tagger the words naming who ("Trump", "a
campaign spokesman", "he"). Their runs of words become cue and source spans;
each model cue that no rule cue overlaps becomes an attribution, with the
nearest source run in its sentence and a kind from the same classifier the
rules use. Rule attributions always stay (they carry the curated source
phrases the seed checks rely on).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from ..core.document import CacheSlot, Document, Span
from ..core.report import Attribution, SpanText
from ..models.apply import token_probabilities
from ..models.attribution import attribution_extra_features
from ..models.linear import LinearModel
from ..models.spans import word_runs
from ..models.store import AttributionBundle
from .rules import (
    MODEL_CUES,
    Cue,
    classify_source,
    content_text,
    hypothetical_it,
    impersonal_it,
    in_quotation,
    is_question,
    is_temporal,
    participle,
    refer_back,
    sentence_initial,
    title_name,
)
from .words import PARTY_TAG, TIME_LEADS, VAGUE_HEADS

__all__ = [
    "combine_attributions",
    "model_attributions",
]


def _title_case(doc: Document, si: int) -> bool:
    """Most words of sentence ``si`` are capitalised (a title-case headline).
    Cached per sentence: asked once per source run."""
    hit = doc.cache.get(TITLE_CASE_SENTENCE, si)
    if hit is None:
        sent = doc.words_in(doc.sentences[si])
        hit = doc.cache.put(
            TITLE_CASE_SENTENCE,
            sum(doc.text[w.start].isupper() for w in sent) > 0.5 * len(sent),
            si,
        )
    return bool(hit)


def _content(doc: Document, sent: Span, cue: tuple[int, int], src: tuple[int, int] | None) -> Span:
    """The reported clause: after the cue (and an inverted source) to the
    sentence end, or, when the cue closes the sentence, what precedes it."""
    words = doc.words
    lead = min(words[cue[0]].start, words[src[0]].start if src else len(doc.text))
    norm = doc.norm
    j = lead
    while j > sent.start and norm[j - 1].isspace():
        j -= 1
    # three words or more before a comma (counted without copying a long sentence)
    if j > sent.start and norm[j - 1] == "," and len(norm[sent.start : j].split(None, 3)) >= 3:
        # "No party is expected to win, the institute said in its report."
        return Span(sent.start, j - 1)
    after = max(words[cue[1]].end, words[src[1]].end if src else 0)
    k = bisect.bisect_left(doc.word_starts, after)
    first = words[k] if k < len(words) and words[k].start < sent.end else None
    if first is not None:
        end = sent.end
        while (
            end > first.start
            and not doc.text[end - 1].isalnum()
            and doc.text[end - 1] not in "\"'”’)"
        ):
            end -= 1
        return Span(first.start, end)
    return Span(sent.start, max(sent.start, lead))


TITLE_CASE_SENTENCE: CacheSlot[bool] = CacheSlot("title-case sentence")
# A rule cue the cue tagger gives less than this is dropped when its source is
# named ("the state senator", "they think" in a question): PolNeAR annotators
# did not mark it. Gaps (anonymous, vague, self) always stay.
VETO = 0.1


def _vetted(
    doc: Document, rules: Sequence[Attribution], p_cue: Sequence[float]
) -> list[Attribution]:
    """Rule attributions the tagger does not contradict. A quotation nobody is
    named for is dropped when a reporting cue sits in its paragraph (the
    speaker continues from there: '"...," Blackwell continued. "..."')."""
    words = doc.words
    starts = doc.word_starts
    cue_paras = {doc.paragraph_index(a.cue.start) for a in rules if a.kind != "unattributed"}
    out = []
    for a in rules:
        if a.kind == "unattributed":
            if doc.paragraph_index(a.cue.start) in cue_paras:
                continue
            out.append(a)
            continue
        i = bisect.bisect_left(starts, a.cue.start)
        is_word = i < len(words) and words[i].start == a.cue.start
        if (
            is_word
            and (a.kind == "named" or _pronoun_source(a))
            and max(p_cue[i : bisect.bisect_left(starts, a.cue.end, i)], default=0.0) < VETO
        ):
            continue
        out.append(a)
    return out


_EDGE_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "as",
        "of",
        "and",
        "or",
        "to",
        "in",
        "on",
        "at",
        "for",
        "have",
        "has",
        "had",
        "is",
        "was",
        "were",
        "are",
        "be",
        "been",
        "but",
        "so",
        "then",
        "when",
        "while",
    ]
)


# more words a source run never opens or closes with: "by the Office of ...",
# "including House Intelligence Committee Chairman Devin Nunes", "MGM, though,",
# "Josephine Ralisiarisoa firmly", "Peter Schweizer first"
_LEAD_EDGE = frozenset(
    [
        "by",
        "from",
        "including",
        "if",
        "though",
        "although",
        "because",
        "with",
        "further",
        "moreover",
        "now",
        "does",
        "did",
        "do",
        "also",
        "even",
        "just",
        "only",
        "let's",
        "let’s",
        "after",
        "before",
        "since",
        "until",
        "once",
        "yet",
        "still",
        "here",
        "take",
    ]
)
_TAIL_EDGE = frozenset(
    [
        "first",
        "firmly",
        "both",
        "all",
        "also",
        "now",
        "still",
        "just",
        "again",
        "already",
        "too",
        "often",
        "later",
        "earlier",
        "recently",
        "repeatedly",
        "never",
        "always",
    ]
)
# a run that is only one of these names nobody: "his" ("his announcement"),
# "2016", "Tuesday"
_NOT_A_SOURCE = frozenset(
    [
        "his",
        "her",
        "their",
        "its",
        "my",
        "our",
        "your",
        "him",
        "them",
        "top",
        "senior",
        "former",
        "local",
        "news",
        "two",
        "three",
        "four",
        "five",
        "both",
        "all",
    ]
)


def _whole_name(doc: Document, a: int, b: int) -> tuple[int, int]:
    """Widen ``a..b`` to the whole capitalised name it cuts: a dotted
    abbreviation ("S" -> "U.S", "F" -> "F.B.I"), the name after a title noun
    ("South Korean President" -> "... President Moon Jae-in") or before a
    surname ("Ghebreyesus" -> "Tedros Adhanom Ghebreyesus"); at most four
    words each way, in the same sentence, never over a sentence opener."""
    words = doc.words
    text = doc.text
    si = doc.sentence_index(words[a].start)

    def cap(k: int) -> bool:
        w = words[k]
        return text[w.start].isupper() and doc.sentence_index(w.start) == si

    def joins(k: int) -> bool:  # words k and k + 1 belong to one name
        g = doc.norm[words[k].end : words[k + 1].start]
        if g in (" ", "-"):
            return True
        return g in (".", ". ") and len(words[k].norm) == 1  # "U.S", "J. Smith"

    if not (cap(a) and cap(b)):
        return a, b
    if _title_case(doc, si):
        return a, b  # a headline in title case: every word looks like a name
    n = 0
    while a > 0 and n < 4 and cap(a - 1) and joins(a - 1) and not _sentence_opener(doc, a - 1):
        a -= 1
        n += 1
    n = 0
    while b + 1 < len(words) and n < 4 and cap(b + 1) and joins(b):
        b += 1
        n += 1
    return a, b


def _sentence_opener(doc: Document, k: int) -> bool:
    """Word ``k`` opens its sentence ("The", "But"): not part of a name."""
    return sentence_initial(doc, doc.words[k])


_REFERRING = frozenset(["he", "she", "they", "it", "him", "her", "them", "who", "which", "that"])


def _pronoun_source(a: Attribution) -> bool:
    """A one-word source that refers back ("he", "it", "who"; not "we" or
    "I"): its kind is borrowed, so the veto treats it like a named one."""
    t = a.source.text.strip().lower() if a.source else ""
    return t in _REFERRING


def _party_tag(doc: Document, k: int) -> bool:
    """Word ``k`` is the party letter of a tag like "D-N.C." or "R-Ky.", or a
    state abbreviation inside one."""
    words = doc.words
    w = words[k]
    if w.norm in PARTY_TAG and k + 1 < len(words) and doc.norm[w.end : words[k + 1].start] == "-":
        return doc.text[w.start].isupper()
    return (
        k > 0
        and words[k - 1].norm in PARTY_TAG
        and doc.norm[words[k - 1].end : w.start] == "-"
        and doc.text[words[k - 1].start].isupper()
    )


def _trim(doc: Document, run: tuple[int, int, float]) -> tuple[int, int, float] | None:
    """A source run without function words at its edges ("The", "As",
    "who have", "by the Office"), cut before a relative pronoun inside it
    ("Swarthmore who called Mr" -> "Swarthmore"), widened over a title
    abbreviation ("Mr" -> "Mr. Obama"); None when nothing is left or the run
    names nobody (a possessive determiner, a number, a day or month)."""
    a, b, p = run
    words = doc.words
    text = doc.text
    for k in range(a, b):
        if any(c in "\u2014\u2013" for c in text[words[k].end : words[k + 1].start]):
            b = k  # "President—one of the few": a dash ends the phrase
            break
    while a <= b and (
        words[a].norm in _EDGE_WORDS
        or words[a].norm in _LEAD_EDGE
        or is_temporal(doc, a)
        or words[a].norm in TIME_LEADS
    ):
        a += 1  # "last Friday, the governor"
    while b >= a and (is_temporal(doc, b) or _party_tag(doc, b)):
        b -= 1
    if a <= b and _party_tag(doc, a):
        return None  # "D-N.C", "R-Calif": a party and state, never who spoke
    if a <= b and words[a].norm in ("who", "which", "that"):
        b = a  # "who has extensively", "who in February"
    for k in range(a + 1, b + 1):
        if words[k].norm in ("who", "which", "that"):
            b = k - 1  # "Swarthmore who called", "the person who released"
            break
    while b >= a and (
        words[b].norm in _EDGE_WORDS
        or words[b].norm in _TAIL_EDGE
        or (words[b].norm in ("who", "which", "that") and b > a)
    ):
        b -= 1
    if a > b:
        return None
    if a == b and words[a].norm in ("who", "which", "that") and a != run[0]:
        return None
    a, b = title_name(doc, a, b)
    a, b = _whole_name(doc, a, b)
    if a == b and (
        words[a].norm in _NOT_A_SOURCE
        or words[a].norm.replace(",", "").isdigit()
        or is_temporal(doc, a)
    ):
        return None
    return a, b, p


# A cue run that is only one of these words marks no attribution ("second
# thoughts about", "remarks Trump had made"); a run does not open with the
# first four ("to admit" -> "admit", "a statement" -> "statement").
_CUE_EDGE = frozenset(["to", "a", "an", "the"])
_NOT_A_CUE = frozenset(
    [
        "about",
        "has",
        "have",
        "had",
        "is",
        "was",
        "are",
        "were",
        "be",
        "been",
        "not",
        "did",
        "do",
        "does",
        "of",
        "for",
        "on",
        "with",
        "to",
        "a",
        "an",
        "the",
        "that",
        "it",
    ]
)
_PREPOSITIONS = frozenset(
    ["to", "of", "about", "for", "with", "from", "by", "on", "at", "in", "against", "amid"]
)


def _cue_trim(doc: Document, run: tuple[int, int, float]) -> tuple[int, int, float] | None:
    """A model cue run without a leading "to"/"a"/"the"; None when what is
    left is a function word alone, or a plural noun after a preposition
    ("vulnerable to claims about", "respond to calls to condemn"): a noun
    nobody is said to have spoken there."""
    a, b, p = run
    words = doc.words
    while a < b and words[a].norm in _CUE_EDGE:
        a += 1
    if a == b and words[a].norm in _NOT_A_CUE:
        return None
    w = words[a].norm
    if (
        a > 0
        and words[a - 1].norm in _PREPOSITIONS
        and w.endswith("s")
        and not w.endswith("ss")
        and doc.norm[words[a - 1].end : words[a].start].strip() == ""
    ):
        return None
    return a, b, p


# A model source more than this many words from its cue is not its source (and
# looking further makes a long unpunctuated text quadratic).
SOURCE_WINDOW = 40


# How sure the source tagger must be of a run (its mean word probability) for
# the run to be a model cue's source: right before the cue, further before it,
# after it. Chosen on four fifths of PolNeAR train (out-of-fold taggers) for
# the share of named sources that overlap an annotated source (0.73 -> 0.86)
# at a cost in source recall (0.70 -> 0.58); the cue stays either way.
PAIR_ADJACENT, PAIR_BEFORE, PAIR_AFTER = 0.45, 0.65, 0.75
DISTANCE_COST = 0.02  # per word between cue and source run


def _paired(src: tuple[int, int, float], a: int) -> bool:
    """Whether the source run ``src`` is likely enough the source of the cue
    starting at word ``a``."""
    p = src[2]
    if src[1] < a:
        return p >= (PAIR_ADJACENT if src[1] == a - 1 else PAIR_BEFORE)
    return p >= PAIR_AFTER


def _mark(mask: bytearray, start: int, end: int) -> None:
    """Set characters ``[start, end)`` of ``mask`` as taken."""
    mask[start:end] = b"\x01" * (end - start)


def combine_attributions(
    doc: Document,
    rules: Sequence[Attribution],
    p_cue: Sequence[float],
    p_src: Sequence[float],
    cue_th: float,
    src_th: float,
) -> list[Attribution]:
    """Rule attributions plus the model's cues that no rule cue overlaps, each
    with the nearest model source run in its sentence (before the cue
    preferred). Model cues with no source are kept only when very likely."""
    words = doc.words
    out = _vetted(doc, rules, p_cue)
    # characters already taken by a cue / a source: a flat mask, so checking a
    # span costs its length, not the number of attributions so far (a long
    # unpunctuated text is one sentence with thousands of them)
    taken = bytearray(len(doc.text) + 1)
    src_taken = bytearray(len(doc.text) + 1)
    for att in out:
        _mark(taken, att.cue.start, att.cue.end)
    for att in rules:
        if att.source:
            _mark(src_taken, att.source.start, att.source.end)
    srcs = [r for r in (_trim(doc, r) for r in word_runs(doc, p_src, src_th)) if r]
    by_sent: dict[int, list[tuple[int, int, float]]] = {}
    for r in srcs:
        by_sent.setdefault(doc.sentence_index(words[r[0]].start), []).append(r)
    firsts = {si: [r[0] for r in rs] for si, rs in by_sent.items()}
    added: set[tuple[int, int]] = set()
    for run in word_runs(doc, p_cue, cue_th):
        cue_run = _cue_trim(doc, run)
        if cue_run is None:
            continue
        a, b, conf = cue_run
        cs, ce = words[a].start, words[b].end
        if any(taken[cs:ce]):
            continue
        if in_quotation(doc, cs):
            continue  # a quoted speaker's own reported speech
        si = doc.sentence_index(cs)
        # sources within SOURCE_WINDOW words of the cue (runs are sorted)
        runs = by_sent.get(si, [])
        lo = bisect.bisect_left(firsts.get(si, []), a - SOURCE_WINDOW)
        hi = bisect.bisect_right(firsts.get(si, []), b + SOURCE_WINDOW)
        cands = [
            r
            for r in runs[lo:hi]
            if not (r[0] <= b and a <= r[1])
            and not any(src_taken[words[r[0]].start : words[r[1]].end])
        ]
        src = None
        if cands:
            # runs sure enough to be this cue's source: the likeliest before the
            # cue (a little less likely the further it is), else after it
            sure = [r for r in cands if _paired(r, a)]
            before = [r for r in sure if r[1] < a]
            after = [r for r in sure if r[1] >= a]
            if participle(doc, Cue(cs, ce, a, b)):
                # ", saying ...": the clause's subject, the first run of the sentence
                after = []
                before = before[:1]
            if before:
                src = max(before, key=lambda r: r[2] - DISTANCE_COST * (a - r[1] - 1))
            elif after:
                src = max(after, key=lambda r: r[2] - DISTANCE_COST * (r[0] - b - 1))
            else:
                conf = 1.0  # too weak a pairing to name anyone: the cue stays, sourceless
        if src is None and conf < 0.7:
            continue
        if src is not None and src[1] < a and is_question(doc, src[0], Cue(cs, ce, a, b)):
            continue  # "what does the Latin say?"
        if src is not None and src[0] == src[1] and impersonal_it(doc, src[0], a):
            src = None  # "It is understood that": nobody is named
        elif src is not None and src[0] == src[1] and hypothetical_it(doc, src[0], a):
            continue  # "It would seem", "It does not appear that"
        sent = doc.sentences[si]
        if src is not None:
            kind = classify_source(doc, src[0], src[1])
            if kind == "vague" and not any(
                w.norm in VAGUE_HEADS for w in words[src[0] : src[1] + 1]
            ):
                # the rules call a phrase they cannot place "vague"; a tagged
                # source with no vague head ("the army's eastern district",
                # "a charity") is someone the article names nearby
                kind = "named"
            if kind == "self" and doc.text[words[src[0]].start : words[src[1]].end].isupper():
                kind = "named"  # "US", not "us"
            if src[0] == src[1] and words[src[0]].norm in ("we", "i"):
                kind = "self"  # other pronouns: ``refer_back`` below
            named = SpanText(
                words[src[0]].start,
                words[src[1]].end,
                doc.text[words[src[0]].start : words[src[1]].end],
            )
            _mark(src_taken, named.start, named.end)
            source: SpanText | None = named
        else:
            kind, source = "vague", None
        c = _content(doc, sent, (a, b), (src[0], src[1]) if src else None)
        out.append(
            Attribution(
                SpanText(cs, ce, doc.text[cs:ce]),
                source,
                content_text(doc, c.start, c.end) if c.end > c.start else None,
                kind,
            )
        )
        _mark(taken, cs, ce)
        added.add((cs, ce))
    doc.cache.put(MODEL_CUES, added)
    out.sort(key=lambda x: x.cue.start)
    return refer_back(doc, out)


def model_attributions(
    doc: Document, rules: Sequence[Attribution], bundle: AttributionBundle
) -> list[Attribution]:
    """``combine_attributions`` with the shipped cue and source taggers."""
    cue_m: LinearModel = bundle["cue"]
    src_m: LinearModel = bundle["source"]
    extra = attribution_extra_features(doc)
    p_cue = token_probabilities(doc, cue_m, extra)
    p_src = token_probabilities(doc, src_m, extra)
    return combine_attributions(doc, rules, p_cue, p_src, cue_m.threshold, src_m.threshold)
