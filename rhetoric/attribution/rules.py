"""Who said what: reporting cues, their sources and contents, and the kind of
each source (named, anonymous, vague, self, unattributed).

This fills the report's ``attributions`` list. It is rule-based: a cue is a
reporting verb or "according to"; the source is the name, title or noun phrase
next to it; the content is the adjacent quotation or the reported clause.
Gaps (anonymous, vague, self) are *also* flagged as findings by the
attribution detectors; named attributions are listed here and never flagged.

Source spans: a title abbreviation belongs to the name after it ("Mr.
Obama"); a time phrase ("on Tuesday") and a sentence opener ("As", "If")
are never part of a source; the name before an apposition or aside is the
source ("Flynn, a top surrogate, said"); the subject of a passive cue, of a
question ("does the Latin say?") or of "it would ..." is not. Pronoun
sources keep their span (PolNeAR marks the pronoun) and take their kind from
what they stand for (``refer_back``).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, replace

from ..core.document import TITLES, CacheSlot, Coverage, Document, Span, Token
from ..core.lexicon import base_forms, report_verbs
from ..core.report import Attribution, SpanText
from ..core.text import quote_pairs
from ..core.words import SPEECH_VERBS
from .words import (
    ANON_MARKERS,
    ANON_PHRASES,
    ANON_SENTENCE,
    ASIDE_LEADS,
    AUX,
    BE_FORMS,
    DAYS,
    DETERMINERS,
    GENERIC_OFFICIALS,
    INDEFINITE,
    INSTITUTIONAL,
    LEAD_FUNCTION,
    MONTHS,
    NOUN_MARKERS,
    OFFICIAL_ROLES,
    PERSON_NOUNS,
    POSSESSIVE_DETERMINERS,
    PRONOUNS,
    RELATIVE,
    SELF,
    SKIP_AFTER_CUE,
    SOURCE_NOUNS,
    THING_PRONOUNS,
    TIME_LEADS,
    TIME_WORDS,
    VAGUE_HEADS,
)

__all__ = [
    "MODEL_CUES",
    "Cue",
    "antecedent",
    "classify_source",
    "content_text",
    "hypothetical_it",
    "impersonal_it",
    "in_quotation",
    "is_question",
    "is_temporal",
    "outer_attributions",
    "participle",
    "refer_back",
    "rule_attributions",
    "sentence_initial",
    "title_name",
]


@dataclass(frozen=True)
class Cue:
    start: int
    end: int
    first: int  # word index of the cue's first word
    last: int


def _report_cues(doc: Document) -> list[Cue]:
    words = doc.words
    text = doc.text
    verbs = report_verbs()
    cues: list[Cue] = []
    for i, w in enumerate(words):
        if w.norm == "according" and i + 1 < len(words) and words[i + 1].norm == "to":
            cues.append(Cue(w.start, words[i + 1].end, i, i + 1))
            continue
        if text[w.start].isupper() and i > 0 and not sentence_initial(doc, w):
            continue
        if w.norm == "point" and i + 1 < len(words) and words[i + 1].norm == "out":
            cues.append(Cue(w.start, words[i + 1].end, i, i + 1))
            continue
        if w.norm in verbs or any(b in verbs for b in base_forms(w.norm)[1:]):
            if i > 0 and (
                words[i - 1].norm in NOUN_MARKERS
                or words[i - 1].norm.endswith("'s")
                or doc.norm[words[i - 1].end : w.start] == "-"
            ):
                continue  # "Moscow's claims", "the report", "cross-post": nouns, not cues
            if _not_a_cue(doc, i):
                continue
            cues.append(Cue(w.start, w.end, i, i))
    return cues


_QUANTIFIERS = frozenset(["many", "some", "several", "few", "numerous", "other", "more", "most"])
_AFTER_PARTICIPLE = frozenset(["in", "with", "for", "over", "after", "during", "under"])
_STATE_LEADS = frozenset(["to", "will", "would", "did", "does", "must", "should", "also", "not"])


def _not_a_cue(doc: Document, i: int) -> bool:
    """A reporting verb's form used otherwise: "secretary of state", "state
    Senator" (a noun); "many demands" (a plural noun after a quantifier);
    "the officers charged in the death" (a participle after a common noun)."""
    words = doc.words
    w = words[i].norm
    prev = words[i - 1].norm if i > 0 else ""
    nxt = words[i + 1].norm if i + 1 < len(words) else ""
    if prev in ("of", "in"):
        return True  # "secretary of state", "a pattern of claims", "in charge"
    if w == "state" and nxt != "that" and prev not in _STATE_LEADS:
        return True  # "state Senator John Keenan", "the state said" aside
    if prev in _QUANTIFIERS and w.endswith("s") and not w.endswith("ss"):
        return True
    return (
        w.endswith("ed")
        and nxt in _AFTER_PARTICIPLE
        and i > 0
        and prev.isalpha()
        and prev not in AUX
        and prev not in PRONOUNS | SELF | RELATIVE
        and not doc.text[words[i - 1].start].isupper()
        and doc.norm[words[i - 1].end : words[i].start] == " "
    )


def sentence_initial(doc: Document, w: Token) -> bool:
    s = doc.sentences[doc.sentence_index(w.start)]
    return not any(c.isalnum() for c in doc.text[s.start : w.start])


def _gap(doc: Document, a: Token, b: Token) -> str:
    return doc.norm[a.end : b.start]


def is_temporal(doc: Document, i: int) -> bool:
    """A day, a month (capitalised, and not a name: "Theresa May", "Women's
    March") or a time word ("yesterday", "morning")."""
    words = doc.words
    n = words[i].norm
    if n in DAYS:
        return True
    if n in TIME_WORDS:  # "Dallas Morning News" is a name
        return not doc.text[words[i].start].isupper() or sentence_initial(doc, words[i])
    if n not in MONTHS or not doc.text[words[i].start].isupper():
        return False
    prev = words[i - 1].norm if i > 0 else ""
    nxt = words[i + 1].norm if i + 1 < len(words) else ""
    if prev in TIME_LEADS or nxt[:1].isdigit() or prev.isdigit():
        return True
    return n not in ("may", "march") and not (i > 0 and doc.text[words[i - 1].start].isupper())


def _before_time(doc: Document, i: int) -> int | None:
    """When the words up to ``i`` end in a time phrase ("on Tuesday", "in
    February", "Monday afternoon", "earlier this month", "on Feb. 25", "in
    2016"), the index of the word before the phrase; else None."""
    words = doc.words
    k = i
    saw = False
    while k >= 0:
        if k < i and _gap(doc, words[k], words[k + 1]).strip() not in ("", "."):
            break
        n = words[k].norm
        if is_temporal(doc, k):
            saw = True
        elif n.isdigit() and len(n) <= 4:
            if len(n) == 4 and k > 0 and words[k - 1].norm in TIME_LEADS:
                saw = True  # "in 2016"
        elif not (n in TIME_LEADS and k < i):
            break
        k -= 1
    return k if saw else None


def title_name(doc: Document, a: int, b: int, limit: int | None = None) -> tuple[int, int]:
    """Widen the word range ``a..b`` over a title abbreviation and the name it
    belongs to: "Mr" -> "Mr. Obama", "Obama" after "Mr." -> "Mr. Obama",
    "the Rev" -> "the Rev. David W. Dockery". ``limit``: the last word index
    the range may reach (the word before a cue)."""
    words = doc.words
    text = doc.text
    last = len(words) - 1 if limit is None else limit
    while (
        a > 0
        and words[a - 1].norm in TITLES
        and text[words[a - 1].start].isupper()
        and _gap(doc, words[a - 1], words[a]).strip() in ("", ".")
    ):
        a -= 1
    if words[b].norm not in TITLES or not text[words[b].start].isupper():
        return a, b
    k = b
    while (
        k < last
        and text[words[k + 1].start].isupper()
        and k - b < 5
        and words[k + 1].norm not in LEAD_FUNCTION
        and not is_temporal(doc, k + 1)
    ):
        g = _gap(doc, words[k], words[k + 1]).strip()
        if g not in ("", ".", "-") or (
            g == "." and words[k].norm not in TITLES and len(words[k].norm) > 1
        ):
            break  # a full stop ends the name unless it closes a title or an initial
        k += 1
    return a, k


def _passive(doc: Document, a: int, cue: Cue) -> bool:
    """A form of "be" between the source's end ``a`` and a cue that is not an
    -ing form: "she was asked to", "It was later revealed", "it is feared"
    -- the subject is who was told, not who told."""
    words = doc.words
    if words[cue.first].norm.endswith("ing") or words[cue.first].norm == "according":
        return False
    return any(w.norm in BE_FORMS for w in words[a + 1 : cue.first])


_MODALS = frozenset(
    [
        "would",
        "could",
        "can",
        "may",
        "might",
        "will",
        "should",
        "must",
        "cannot",
        "can't",
        "won't",
        "wouldn't",
        "couldn't",
        "not",
        "does",
        "doesn't",
        "did",
        "didn't",
        "goes",
    ]
)


def hypothetical_it(doc: Document, k: int, cue_first: int) -> bool:
    """The pronoun "it" at word ``k`` with a modal, a negation or a form of "be" between
    it and the cue's first word ``cue_first`` (that word included): "it would
    suggest that", "It can also recognize", "It does not appear", "It was
    reported by" -- "it" reports nothing there."""
    words = doc.words
    if words[k].norm not in THING_PRONOUNS:
        return False
    # the cue's own first word counts: a tagged cue may open with "would", "was"
    return any(w.norm in _MODALS or w.norm in BE_FORMS for w in words[k + 1 : cue_first + 1])


def impersonal_it(doc: Document, k: int, cue_first: int) -> bool:
    """ "It is understood that", "It was reported by": "it" at word ``k``, then
    only a form of "be" and adverbs before the cue's first word (or opening
    it). Nobody is named: an agentless, vague attribution."""
    words = doc.words
    if words[k].norm != "it":
        return False
    between = words[k + 1 : cue_first + 1]
    return any(w.norm in BE_FORMS for w in between) and not any(w.norm in _MODALS for w in between)


def _apposition(doc: Document, i: int) -> tuple[int, int] | None:
    """'Flynn, a top Trump surrogate, said', 'Mitch McConnell, R-Ky., said',
    'Lindsey Graham (R-S.C.) told': word ``i`` closes an apposition or a
    parenthesis; the source is the name before it, through the apposition
    (a parenthesis is left out)."""
    words = doc.words
    text = doc.text
    sent_start = doc.sentences[doc.sentence_index(words[i].start)].start
    close = _gap(doc, words[i], words[i + 1]).strip()
    paren = close.startswith(")") or close.startswith(".)")
    if not (paren or close in (",", ".,")):
        return None
    k = i
    while k > 0 and words[k - 1].start >= sent_start and i - k < 8:
        g = _gap(doc, words[k - 1], words[k]).strip()
        if g in ("", "-", ".", "'", "’"):
            k -= 1
            continue
        break
    if k == 0 or words[k - 1].start < sent_start:
        return None
    opening = _gap(doc, words[k - 1], words[k]).strip()
    if paren != opening.endswith("("):
        return None
    aside = False  # "The ACLU, in a statement, said": a prepositional aside
    if not paren:
        if opening not in (",",) or words[k].norm in RELATIVE:
            return None
        first = words[k]
        party = len(first.norm) == 1 and _gap(doc, first, words[k + 1]).strip() == "-"
        aside = first.norm in ASIDE_LEADS
        if not (
            party
            or aside
            or first.norm in ("a", "an", "the")
            or first.norm in POSSESSIVE_DETERMINERS
            or text[first.start].isupper()
        ):
            return None
        if any(
            w.norm in report_verbs() or w.norm in BE_FORMS or w.norm in AUX
            for w in words[k : i + 1]
        ):
            return None  # a clause, not an apposition
    name = k - 1
    if (
        words[name].norm.isdigit()
        and name > 0
        and _gap(doc, words[name - 1], words[name]).strip() == ","
    ):
        name -= 1  # "Courtney Tolliver, 26, a teacher in the district, agrees"
    if not (text[words[name].start].isupper() or words[name].norm in SOURCE_NOUNS):
        return None
    src = _np_before(doc, name, name)
    if src is None:
        return None
    return (src[0], src[1] if paren or aside else i)


# "close to", "briefed on", "a source in", "an aide to": the preposition
# joins the rest of the phrase to the source
_LINKS = frozenset(["to", "on", "in", "at", "within", "inside"])
_LINKED = frozenset(
    [
        "employee",
        "employees",
        "worker",
        "workers",
        "staffer",
        "staffers",
        "officer",
        "officers",
        "executive",
        "executives",
        "close",
        "briefed",
        "aide",
        "aides",
        "adviser",
        "advisers",
        "source",
        "sources",
        "official",
        "officials",
        "insider",
        "insiders",
    ]
)


def _np_before(doc: Document, i: int, last: int) -> tuple[int, int] | None:
    """The source noun phrase ending at word ``i`` (names, titles, source
    nouns, determiners; at most 12 words, one apposition comma), or None."""
    words = doc.words
    text = doc.text
    end = i
    sent_start = doc.sentences[doc.sentence_index(words[i].start)].start
    j = i
    taken = 0
    while j >= 0 and words[j].start >= sent_start and taken < 12:
        w = words[j]
        gap_after = _gap(doc, w, words[j + 1]).strip() if j < end else ""
        if gap_after not in ("", ",", "-", "."):
            break
        cap = text[w.start].isupper()
        if (
            w.norm in _LINKS
            and j > 0
            and words[j - 1].norm in _LINKED
            and words[j - 1].start >= sent_start
        ):
            j -= 1  # "sources close to the minister", "a source in the ministry"
            taken += 1
            continue
        if (
            cap
            or w.norm in SOURCE_NOUNS
            or w.norm in DETERMINERS
            or w.norm in ANON_MARKERS
            or w.norm in SELF
            or w.norm in PRONOUNS
            or w.norm in VAGUE_HEADS
            or w.norm in PERSON_NOUNS
            or w.norm
            in (
                "of",
                "for",
                "with",
                "close",
                "familiar",
                "senior",
                "top",
                "former",
                "state",
                "us",
                "u.s",
            )
            or w.norm.endswith("'s")
        ):
            if gap_after == "," and not (
                (cap or w.norm in SOURCE_NOUNS) and words[j + 1].norm in ("a", "an", "the")
            ):
                break
            if j < end and is_temporal(doc, j):
                break  # "dated Tuesday, ...": a time word ends the phrase
            j -= 1
            taken += 1
            if (w.norm in SELF or w.norm in PRONOUNS) and not text[w.start : w.end].isupper():
                break
            continue
        break
    j += 1
    if j > end:
        outer = _linked(doc, end + 1, last) if end + 1 < len(words) else None
        return (outer, end) if outer is not None else None
    # trim leading function words: "As Paul wrote", "Moreover, the New Yorker"
    while j <= end and words[j].norm in LEAD_FUNCTION:
        j += 1
    if j > end:
        return None
    j, end = title_name(doc, j, end, last)
    head = words[end].norm
    if is_temporal(doc, end) or (head.isdigit() and j == end):
        return None
    phrase = {w.norm for w in words[j : end + 1]}
    has_name = any(
        text[w.start].isupper() and not sentence_initial(doc, w) for w in words[j : end + 1]
    )
    if not (
        has_name
        or phrase & (SOURCE_NOUNS | SELF | PRONOUNS | VAGUE_HEADS | ANON_MARKERS | PERSON_NOUNS)
        or text[words[j].start].isupper()
    ):
        return None
    if head in RELATIVE:
        return None
    outer = _linked(doc, j, last)
    return (outer, end) if outer is not None else (j, end)


def _linked(doc: Document, j: int, last: int) -> int | None:
    """'a source in the finance ministry', 'employees at the plant': from
    word ``j`` back over at most four words to a linking preposition after a
    source word; the first word of the source phrase there, or None."""
    words = doc.words
    sent_start = doc.sentences[doc.sentence_index(words[j].start)].start
    k = j - 1
    while k > 0 and j - k <= 4 and words[k].start >= sent_start:
        if _gap(doc, words[k], words[k + 1]).strip():
            return None
        if words[k].norm in _LINKS and words[k - 1].norm in _LINKED:
            if _gap(doc, words[k - 1], words[k]).strip():
                return None
            outer = _np_before(doc, k - 1, last)
            return outer[0] if outer is not None else None
        k -= 1
    return None


def _source_before(doc: Document, cue: Cue) -> tuple[int, int] | None:
    """Word-index range of the source phrase ending just before the cue,
    across auxiliaries ("has also said") and a time phrase ("on Tuesday")."""
    words = doc.words
    i = cue.first - 1
    while i >= 0:
        gap = _gap(doc, words[i], words[i + 1]).strip()
        if words[i].norm in AUX and gap == "":
            i -= 1
            continue
        t = _before_time(doc, i) if gap in ("", ",") else None
        if t is not None and t >= 0 and t < i:
            i = t
            continue
        break
    if i < 0:
        return None
    gap = _gap(doc, words[i], words[i + 1]).strip()
    if gap == "," and doc.text[words[i].start].isupper():
        src = _apposition(doc, i)  # "Fiorina, speaking to Iowans, said"
        if src is not None and not _passive(doc, src[1], cue):
            return src
    if gap not in ("",) and not (gap == "," and doc.text[words[i].start].isupper()):
        # "Amos Hochstein, said": an apposition may close with a comma
        src = _apposition(doc, i)
        if src is None or _passive(doc, src[1], cue):
            return None
        return src
    if words[i].norm not in SOURCE_NOUNS and not doc.text[words[i].start].isupper():
        # "We have on any number of occasions suggested": pronoun + auxiliary, then an adverbial
        for k in range(i, max(-1, i - 9), -1):
            if _gap(doc, words[k], words[k + 1]).strip() not in ("", ","):
                break
            if words[k].norm in SELF | PRONOUNS and k + 1 <= i and words[k + 1].norm in AUX:
                if words[k].norm in THING_PRONOUNS or _passive(doc, k, cue):
                    return None  # "It was later revealed", "it is worth noting"
                return k, k
    src = _np_before(doc, i, cue.first - 1)
    if (
        src is not None
        and _passive(doc, src[1], cue)
        and classify_source(doc, src[0], src[1]) != "vague"
    ):
        # "Mr. Quiros was accused of": the target, not the source; a vague
        # crowd stays ("Fans are said to be demanding": a vague attribution)
        return None
    if src is not None and src[0] == src[1] and hypothetical_it(doc, src[0], cue.first):
        return None  # "it would suggest that", "It would also explain why"
    if src is not None and is_question(doc, src[0], cue):
        return None  # "what does the Latin say?": a question, not an attribution
    return src


# "-ing" cues after a comma report what the clause's subject says: "Cruz took
# the stage with a shot at Trump, saying ..." (Cruz, not Trump)
def participle(doc: Document, cue: Cue) -> bool:
    words = doc.words
    w = words[cue.first].norm
    return (
        cue.first > 0
        and w.endswith("ing")
        and w != "according"
        and _gap(doc, words[cue.first - 1], words[cue.first]).strip() == ","
    )


def _clause_subject(doc: Document, cue: Cue) -> tuple[int, int] | None:
    """The source of a cue that does not follow its subject:

    * inverted after a comma or quotation ("..., said Steve Elmendorf"): the
      noun phrase after the cue;
    * a relative clause between subject and cue ("Mr. Khan, who had addressed
      the convention on Thursday, said"; "A police officer who declined to
      give his name said"): the noun phrase before "who";
    * a participle after a comma ("Cruz took a shot at Trump, saying"): the
      subject that opens the sentence.

    None when none of these applies (the usual search then runs)."""
    words = doc.words
    if cue.first == 0:
        return None
    si = doc.sentence_index(words[cue.first].start)
    sent_start = doc.sentences[si].start
    gap = _gap(doc, words[cue.first - 1], words[cue.first]).strip()
    if (
        gap
        and gap[-1] in ",\"'"
        and words[cue.first].norm in _INVERTING
        and words[cue.first].norm not in ("told", "asked")
    ):
        after = _source_after(doc, cue)
        if after is not None and _phrase_closes(doc, after[1]):
            return after
    # a relative clause closing just before the cue (at most 15 words long)
    k = cue.first - 1
    while k >= 0 and words[k].start >= sent_start and cue.first - k <= 15:
        if words[k].norm == "who" and k > 0 and words[k - 1].start >= sent_start:
            inner = words[k + 1 : cue.first]
            if (
                len(inner) < 2
                or any(w.norm in ("said", "says", "told") for w in inner)
                or all(w.norm in AUX or w.norm in _MODALS for w in inner)
            ):
                break  # "executives who could not tell": no clause between
            g = _gap(doc, words[k - 1], words[k]).strip()
            closes = _gap(doc, words[cue.first - 1], words[cue.first]).strip()
            inside = [_gap(doc, words[x], words[x + 1]).strip() for x in range(k, cue.first - 1)]
            clean = (
                all(x in ("", "-") for x in inside)
                if g == ""
                else not any(q in x for x in inside for q in "\"'“”")
            )
            if clean and ((g == "," and closes == ",") or (g == "" and closes == "")):
                src = _np_before(doc, k - 1, k - 1)
                if src is not None and not _passive(doc, cue.first - 1, cue):
                    return src
            break
        if _gap(doc, words[k], words[k + 1]).strip() in (".", ";", ":"):
            break
        k -= 1
    if participle(doc, cue):
        return _sentence_subject(doc, si, cue.first)
    return None


_AFTER_SOURCE = frozenset(
    ["in", "on", "at", "during", "who", "of", "from", "after", "before", "when"]
)


def _phrase_closes(doc: Document, b: int) -> bool:
    """Word ``b`` ends its clause: punctuation or the sentence's end follows,
    or a preposition or "who" ("said Ann Lee, who ...", "said Ann Lee in a
    statement"); not a verb ("says Ali would attend": Ali is the content)."""
    words = doc.words
    if b + 1 >= len(words) or doc.sentence_index(words[b + 1].start) != doc.sentence_index(
        words[b].start
    ):
        return True
    return bool(_gap(doc, words[b], words[b + 1]).strip()) or words[b + 1].norm in _AFTER_SOURCE


def _sentence_subject(doc: Document, si: int, limit: int) -> tuple[int, int] | None:
    """The noun phrase that opens sentence ``si`` (after an opening adverbial
    phrase closed by a comma: "At Sunday's debate, Sanders ..."), when it names
    someone: a name, a pronoun or a source noun, directly followed by a word
    that is not part of a name."""
    words = doc.words
    sent = doc.sentences[si]
    idx = bisect.bisect_left(doc.word_starts, sent.start)
    if idx >= limit:
        return None
    i = idx
    if words[i].norm in LEAD_FUNCTION or words[i].norm in TIME_LEADS or is_temporal(doc, i):
        # skip an opening phrase up to its comma
        j = i
        while j < limit and _gap(doc, words[j], words[j + 1]).strip() != ",":
            j += 1
        if j >= limit - 1 or j - i > 8:
            return None
        i = j + 1
        if words[i].norm in ("and", "but", "so"):
            i += 1
    j = i
    while j < limit and (
        doc.text[words[j].start].isupper()
        or words[j].norm in DETERMINERS
        or words[j].norm in POSSESSIVE_DETERMINERS
        or words[j].norm in SOURCE_NOUNS
        or words[j].norm.endswith("'s")
    ):
        if j > i and _gap(doc, words[j - 1], words[j]).strip() not in ("", ".", "-"):
            break
        j += 1
    if j == i and words[i].norm in PRONOUNS | SELF and words[i].norm != "it":
        return i, i
    if j == i:
        return None
    end = j - 1
    while end >= i and words[end].norm in DETERMINERS:
        end -= 1
    if end < i or _gap(doc, words[end], words[end + 1]).strip() not in ("", ","):
        return None
    if not any(doc.text[w.start].isupper() or w.norm in SOURCE_NOUNS for w in words[i : end + 1]):
        return None
    if all(w.norm in LEAD_FUNCTION for w in words[i : end + 1]):
        return None
    return title_name(doc, i, end, limit - 1)


def is_question(doc: Document, first: int, cue: Cue) -> bool:
    """'Does Mr. Ferrara believe ...?', 'what does the Latin say?': "do" just
    before the source and a question mark closing the sentence."""
    words = doc.words
    k = first - 1
    while k >= 0 and words[k].norm in ("the", "a", "an"):
        k -= 1
    if k < 0 or words[k].norm not in ("do", "does", "did", "don't", "doesn't", "didn't"):
        return False
    sent = doc.sentences[doc.sentence_index(words[cue.first].start)]
    return doc.text[words[cue.last].end : sent.end].rstrip().endswith("?")


def _source_after(doc: Document, cue: Cue) -> tuple[int, int] | None:
    """Inverted order: '..., said Mark Toner' or 'according to the Pentagon'."""
    words = doc.words
    text = doc.text
    i = cue.last + 1
    if i >= len(words) or _gap(doc, words[cue.last], words[i]).strip() not in ("",):
        return None
    agent = words[i].norm == "by" and i + 1 < len(words)
    if agent:
        i += 1  # "It was first declared by President Richard Nixon"
    if is_temporal(doc, i):
        return None  # "noted Friday that": the source is not after the cue
    if not agent and not _inversion(doc, cue):
        return None  # "believe AL 303 implies": the name after is what is believed
    if words[i].norm in ("of", "with"):
        return None  # "a key demand of Parkland students", "agreed with the statement"
    sent_end = doc.sentences[doc.sentence_index(words[cue.first].start)].end
    j = i
    while j < len(words) and words[j].start < sent_end and j - i < 10:
        w = words[j]
        if j > i and _gap(doc, words[j - 1], w).strip() not in ("", "-", "."):
            break
        ok = (
            text[w.start].isupper()
            or w.norm in SOURCE_NOUNS
            or w.norm in DETERMINERS
            or w.norm in ("of", "close", "familiar", "with", "senior")
            or w.norm.endswith("'s")
        )
        if not ok:
            break
        j += 1
    if j == i:
        return None
    end = j - 1
    while end >= i and (
        words[end].norm in ("of", "with", "the", "a", "an") or is_temporal(doc, end)
    ):
        end -= 1
    if end < i:
        return None
    if not any(text[w.start].isupper() or w.norm in SOURCE_NOUNS for w in words[i : end + 1]):
        return None
    return title_name(doc, i, end)


_INVERTING = frozenset(
    [
        "said",
        "says",
        "say",
        "added",
        "adds",
        "wrote",
        "writes",
        "told",
        "asked",
        "noted",
        "explained",
        "continued",
        "replied",
        "recalled",
        "declared",
        "insisted",
        "warned",
        "argued",
        "acknowledged",
        "stressed",
        "observed",
        "remarked",
        "concluded",
        "tweeted",
    ]
)


def _inversion(doc: Document, cue: Cue) -> bool:
    """Whether a source may follow the cue: a speech verb ("..., said Mark
    Toner"), or any cue after a comma, a quotation mark or a dash."""
    words = doc.words
    if cue.first == 0:
        return words[cue.first].norm in _INVERTING
    g = doc.norm[words[cue.first - 1].end : words[cue.first].start].strip()
    if words[cue.first].norm in _INVERTING and sentence_initial(doc, words[cue.first]):
        return True
    return bool(g) and g[-1] in ",\"'-:"


def _according_to_source(doc: Document, cue: Cue) -> tuple[int, int] | None:
    """'according to figures released by the regional health authority': the
    whole noun phrase up to the clause's end (at most 12 words)."""
    words = doc.words
    i = cue.last + 1
    j = i
    while j < len(words) and j - i < 12:
        if j > i and _gap(doc, words[j - 1], words[j]).strip() not in ("", "-", "'"):
            break
        if j > i and words[j].norm in ("that", "which", "who", "and", "but"):
            break
        j += 1
    return (i, j - 1) if j > i else None


def _anon_sentence(doc: Document, first: int) -> bool:
    """The sentence of word ``first`` says its source is kept unnamed
    ("who spoke on condition of anonymity", "who declined to give his name")."""
    sent = doc.sentences[doc.sentence_index(doc.words[first].start)]
    chunk = doc.norm[sent.start : sent.end].lower()
    return any(p in chunk for p in ANON_SENTENCE)


_CROWD_LEADS = frozenset(["some", "many", "several", "most", "few", "other", "others", "numerous"])


def classify_source(doc: Document, first: int, last: int) -> str:
    """named | anonymous | vague | self, from the words of a source phrase
    (and, for anonymity, its sentence):

    * a marker or phrase of anonymity ("unnamed", "sources", "familiar
      with"), or a role with no name beside it ("a senior Justice Department
      official", "an aide", "two officers"), or any role or person when the
      sentence says the name is withheld: anonymous;
    * an unnamed person ("a man who lives nearby", "one resident"): anonymous;
    * a crowd ("critics", "many", "some Republicans"): vague;
    * "we", "I": self; a name, an institution or a definite, already
      introduced source: named.
    """
    words = doc.words[first : last + 1]
    text = doc.text
    for m in range(first + 1, last + 1):
        if "," in doc.norm[doc.words[m - 1].end : doc.words[m].start]:
            # an apposition: "Igor Konashenkov, a Defense Ministry spokesman"
            # is named by its name, "the Democratic leader, Nancy Pelosi" too
            kinds = (classify_source(doc, first, m - 1), classify_source(doc, m, last))
            return "named" if "named" in kinds else kinds[0]
    norms = [w.norm for w in words]
    joined = " ".join(norms)
    # "Business Insider", "Insider Monkey": a capitalised marker is a name
    markers = [
        w
        for w in words
        if w.norm in ANON_MARKERS and (not text[w.start].isupper() or sentence_initial(doc, w))
    ]
    if markers or any(p in joined for p in ANON_PHRASES):
        return "anonymous"
    first_text = text[words[0].start : words[0].end] if words else ""
    if norms and norms[0] in SELF and len(norms) <= 2 and first_text not in ("US", "U.S"):
        return "self"  # "we", "I", "us" -- not "US officials"
    names = [
        w
        for w in words
        if text[w.start].isupper()
        and (w.norm not in DETERMINERS or text[w.start : w.end] in ("US", "U.S"))
        and w.norm not in SOURCE_NOUNS
        and not sentence_initial(doc, w)
    ]
    # the head noun: the last word, or the word before the first preposition
    # ("employees at the plant", "an aide to the governor")
    h = len(words) - 1
    for k in range(1, len(words)):
        if norms[k] in _LINKS or norms[k] in ("of", "for", "with"):
            h = k - 1
            break
    head = norms[h] if norms else ""
    role = (head in OFFICIAL_ROLES or head in PERSON_NOUNS) and not (
        text[words[h].start].isupper() and not sentence_initial(doc, words[h])
    )  # "Business Insider", "Special Agent": part of a name
    person_named = bool(names) and not role
    definite = norms[0] in _DEFINITE or (first > 0 and doc.words[first - 1].norm in _DEFINITE)
    if role and (not definite or _anon_sentence(doc, first)):
        if norms[0] in _CROWD_LEADS and head not in OFFICIAL_ROLES:
            return "vague"  # "many residents", "some voters"
        return "anonymous"  # "a U.S. official", "White House aides", "a man"
    if not person_named and _anon_sentence(doc, first) and norms[0] not in PRONOUNS:
        return "anonymous"  # "The official, who spoke on condition of anonymity"
    if names and norms[0] in _CROWD_LEADS and head.endswith("s"):
        return "vague"  # "some Republicans", "many Democrats"
    if names:
        return "named"
    if any(n in VAGUE_HEADS for n in norms):
        return "vague"
    if any(n in GENERIC_OFFICIALS for n in norms):
        return "anonymous"
    if any(n in INSTITUTIONAL for n in norms) or (
        words and text[words[0].start].isupper() and words[0].norm not in DETERMINERS
    ):
        return "named"
    if norms and (norms[0] in _DEFINITE or definite):
        return "named"  # a definite, already-introduced source: "the office", "her lawyer"
    if (
        norms
        and norms[-1] in SOURCE_NOUNS
        and norms[-1] not in VAGUE_HEADS
        and _definite_before(doc, first)
    ):
        return "named"  # "The finance minister said", "its chief executive acknowledged"
    return "vague"


_DEFINITE = frozenset(["the", "its", "his", "her", "their"])


def _definite_before(doc: Document, first: int) -> bool:
    """True when a definite determiner or a possessive opens the noun phrase a
    source phrase ends: "The [finance] minister", "the [former] mayor",
    "the company's [chief] executive". Looks back over at most three modifier
    words in the same sentence, with nothing but spaces or hyphens between."""
    words = doc.words
    sent_start = doc.sentences[doc.sentence_index(words[first].start)].start
    k = first - 1
    for _ in range(4):
        if k < 0 or words[k].start < sent_start:
            return False
        if _gap(doc, words[k], words[k + 1]).strip() not in ("", "-"):
            return False
        w = words[k].norm
        if w in _DEFINITE or (w.endswith("'s") and len(w) > 2):
            return True
        if w in SELF or w in PRONOUNS or w in DETERMINERS or doc.text[words[k].start].isupper():
            return False
        k -= 1
    return False


_PERSONAL = frozenset(["he", "she", "they", "him", "her", "them"])
_REFERRING = _PERSONAL | THING_PRONOUNS | RELATIVE


def antecedent(doc: Document, start: int) -> tuple[int, int] | None:
    """The word range of the noun phrase a relative pronoun at char ``start``
    attaches to: "Elizabeth Deal, who describes" -> "Elizabeth Deal", "the
    European Union, which contended" -> "the European Union"."""
    words = doc.words
    k = bisect.bisect_left(doc.word_starts, start)
    if k <= 0 or k >= len(words) or words[k].start != start:
        return None
    p = k - 1
    if _gap(doc, words[p], words[k]).strip() not in ("", ",", "-", "--", "\u2013", "\u2014"):
        return None
    if doc.sentence_index(words[p].start) != doc.sentence_index(start):
        return None
    src = _np_before(doc, p, p)
    if src is not None:
        a, b = src
        if a > 0 and words[a - 1].norm in ("the", "a", "an"):
            a -= 1  # "the European Union", as it stands in the text
        return a, b
    w = words[p]
    if w.norm.isalpha() and w.norm not in NOUN_MARKERS and w.norm not in LEAD_FUNCTION:
        return p, p  # "immigration hardliners, who argued": the noun before
    return None


def _single(doc: Document, a: Attribution) -> str | None:
    """The source's one word, lower-cased, or None."""
    if a.source is None:
        return None
    t = a.source.text.strip()
    return t.lower() if t and " " not in t and t.isalpha() else None


def _speech_cue(doc: Document, a: Attribution) -> bool:
    """The cue says someone spoke or wrote ("said", "added", "tweeted")."""
    k = bisect.bisect_left(doc.word_starts, a.cue.start)
    if k >= len(doc.words) or doc.words[k].start >= a.cue.end:
        return False
    return any(b in SPEECH_VERBS for b in base_forms(doc.words[k].norm))


def refer_back(doc: Document, atts: list[Attribution]) -> list[Attribution]:
    """``atts`` (in text order) with the kinds of pronoun sources set from
    what they stand for. "he", "she", "they" take the kind of the nearest
    earlier attribution whose source is not a pronoun (named, anonymous or
    vague; "named" when there is none); "who", "which", "that" the kind of the
    noun phrase they attach to ("vague" for a question's "Who"); "it" is
    "vague" ("because it suggests that": a thing, or nobody) unless it is the
    subject of a speech verb ("it said", "it added": the company or paper
    named before, whose kind it takes); "one", "another", "both" are "vague".
    The spans stay: PolNeAR marks the pronoun itself as the source."""
    words = doc.words
    out: list[Attribution] = []
    last: str | None = None
    for a in atts:
        w = _single(doc, a)
        kind = a.kind
        if w in _PERSONAL:
            kind = last or "named"
        elif w in THING_PRONOUNS and w != "that":
            # "it said": an organisation named before speaks
            kind = (last or "named") if _speech_cue(doc, a) else "vague"
        elif w in RELATIVE and a.source is not None:
            ant = antecedent(doc, a.source.start)
            if ant is not None:
                kind = classify_source(doc, ant[0], ant[1])
            elif sentence_initial(doc, words[bisect.bisect_left(doc.word_starts, a.source.start)]):
                kind = "vague"  # "Who can read this without ...?": nobody in particular
            else:
                kind = last or "named"
        elif w in INDEFINITE:
            kind = "vague"  # "one wrote", "another asks"
        if kind != a.kind:
            a = replace(a, kind=kind)
        if (
            a.source is not None
            and w not in _PERSONAL | THING_PRONOUNS | RELATIVE
            and kind in ("named", "anonymous", "vague")
        ):
            last = kind
        out.append(a)
    return out


def _quote_spans(doc: Document) -> list[Span]:
    out = []
    for a, b in quote_pairs(doc):
        if doc.norm[a] == '"' and len(doc.text[a + 1 : b].split()) >= 3:
            out.append(Span(a, b + 1))
    return out


QUOTE_SPANS: CacheSlot[list[Span]] = CacheSlot("quotations of three words or more")


def in_quotation(doc: Document, pos: int) -> bool:
    """Whether character ``pos`` lies inside a quotation of three words or
    more (cached per document)."""
    quotes = doc.cache.get(QUOTE_SPANS)
    if quotes is None:
        quotes = doc.cache.put(QUOTE_SPANS, _quote_spans(doc))
    k = bisect.bisect_right([q.start for q in quotes], pos) - 1
    return k >= 0 and quotes[k].start < pos < quotes[k].end


def _colon_source(doc: Document, qstart: int) -> tuple[int, int, int] | None:
    """'..., here's more from the Russian MoD's Facebook: "..."': the colon is the
    cue and the last capitalised name before it, in the same sentence, the source."""
    k = qstart - 1
    while k >= 0 and doc.text[k].isspace():
        k -= 1
    if k < 0 or doc.text[k] != ":":
        return None
    sent = doc.sentences[doc.sentence_index(k)]
    words = doc.words
    idx = list(
        range(
            bisect.bisect_left(doc.word_starts, sent.start), bisect.bisect_left(doc.word_starts, k)
        )
    )
    caps = [
        i
        for i in idx
        if doc.text[words[i].start].isupper()
        and not sentence_initial(doc, words[i])
        and not is_temporal(doc, i)  # "rated this statement by Trump on June 11:"
    ]
    if not caps:
        return None
    b = caps[-1]
    a = b
    while a - 1 in idx and (
        doc.text[words[a - 1].start].isupper() or words[a - 1].norm.endswith("'s")
    ):
        a -= 1
    return k, a, b


def _span_text(doc: Document, start: int, end: int) -> SpanText:
    return SpanText(start, end, doc.text[start:end])


# What an attribution's content shows at most: a reported clause or quotation
# is rarely longer, and an unpunctuated text would otherwise give every cue the
# rest of the document as its content.
MAX_CONTENT_WORDS = 150


def content_text(doc: Document, start: int, end: int) -> SpanText:
    """The content span ``[start, end)``, cut after ``MAX_CONTENT_WORDS`` words."""
    i = bisect.bisect_left(doc.word_starts, start)
    last = i + MAX_CONTENT_WORDS - 1
    if last + 1 < len(doc.words) and doc.words[last + 1].start < end:
        end = doc.words[last].end
    return _span_text(doc, start, end)


RULE_ATTRIBUTIONS: CacheSlot[list[Attribution]] = CacheSlot("rule attributions")
# The (start, end) of the cues the trained taggers added (``combine`` fills it),
# so the gap detector can keep their anonymous/vague/self kinds below 0.5.
MODEL_CUES: CacheSlot[set[tuple[int, int]]] = CacheSlot("model attribution cues")


def rule_attributions(doc: Document) -> list[Attribution]:
    """The rule-based attributions alone (reporting verbs, "according to",
    colons and quotations), cached on ``doc.cache``."""
    cached = doc.cache.get(RULE_ATTRIBUTIONS)
    if cached is None:
        cached = doc.cache.put(RULE_ATTRIBUTIONS, _extract(doc))
    return list(cached)


def _extract(doc: Document) -> list[Attribution]:
    words = doc.words
    quotes = _quote_spans(doc)
    quote_starts = [q.start for q in quotes]
    used_quotes: set[int] = set()
    out: list[Attribution] = []
    last_src: dict[int, tuple[int, int]] = {}
    for cue in _report_cues(doc):
        cue_start = words[cue.first].start
        # quotations are disjoint and in order: only the last one opening
        # before the cue can hold it (a scan of all of them was quadratic)
        qi = bisect.bisect_left(quote_starts, cue_start) - 1
        in_quote = qi >= 0 and cue_start < quotes[qi].end
        src = None
        is_according = words[cue.first].norm == "according"
        if in_quote:
            continue  # a quoted speaker's own reported speech: the quotation is theirs
        si_cue = doc.sentence_index(cue_start)
        if participle(doc, cue) and si_cue in last_src:
            src = last_src[si_cue]  # '"...," Mr. Lee said, adding that ...'
        elif not is_according:
            src = _clause_subject(doc, cue)
            if src is None and not participle(doc, cue):
                src = _source_before(doc, cue)  # (after ", saying" it would be the object)
        if src is None and not participle(doc, cue):
            src = _according_to_source(doc, cue) if is_according else _source_after(doc, cue)
        if src is None:
            continue
        a, b = src
        last_src[si_cue] = src
        src_span = _span_text(doc, words[a].start, words[b].end)
        kind = classify_source(doc, a, b)  # a pronoun's kind: ``refer_back``
        # content: an adjacent quotation, else the reported clause
        content: Span | None = None
        sent = doc.sentences[doc.sentence_index(cue_start)]
        k = bisect.bisect_right(quote_starts, min(cue_start, src_span.start)) - 1
        lead = min(cue_start, src_span.start)
        tail = words[cue.last + 1 : bisect.bisect_left(doc.word_starts, sent.end, cue.last + 1)]
        if (
            k >= 0
            and k not in used_quotes
            and quotes[k].end <= lead
            and not doc.norm[quotes[k].end : lead].strip(" \n\t,")
            and (quotes[k].end > sent.start or not tail)
        ):
            content = quotes[k]
            used_quotes.add(k)
        else:
            after = max(words[cue.last].end, src_span.end)
            k2 = bisect.bisect_left(quote_starts, after)
            if k2 < len(quotes) and quotes[k2].start - after <= 3 and k2 not in used_quotes:
                content = quotes[k2]
                used_quotes.add(k2)
            else:
                i = max(cue.last, b) + 1
                while (
                    i < len(words) and words[i].norm in SKIP_AFTER_CUE and words[i].start < sent.end
                ):
                    i += 1
                if i < len(words) and words[i].start < sent.end:
                    end = sent.end
                    while (
                        end > words[i].start
                        and not doc.text[end - 1].isalnum()
                        and doc.text[end - 1] not in "\"'”’)"
                    ):
                        end -= 1
                    content = Span(words[i].start, end)
                elif src_span.start > sent.start:
                    content = Span(sent.start, src_span.start)
        cue_span = _span_text(doc, cue.start, cue.end)
        out.append(
            Attribution(
                cue_span,
                src_span,
                content_text(doc, content.start, content.end) if content else None,
                kind,
            )
        )
    # quotations introduced by a colon, and quotations nobody is named for
    cue_sentences = {doc.sentence_index(x.cue.start) for x in out}
    # (the attributions added below hold their own quotation, which no later,
    # disjoint quotation starts inside: only the ones found so far count)
    held = Coverage(x.content for x in out if x.content)
    for k, q in enumerate(quotes):
        if k in used_quotes or held.covers(q.start):
            continue
        colon = _colon_source(doc, q.start)
        if colon is not None:
            cue_pos, a, b = colon
            out.append(
                Attribution(
                    _span_text(doc, cue_pos, cue_pos + 1),
                    _span_text(doc, words[a].start, words[b].end),
                    content_text(doc, q.start, q.end),
                    classify_source(doc, a, b),
                )
            )
            continue
        if (
            len(doc.text[q.start : q.end].split()) < 6
            or doc.sentence_index(q.start) in cue_sentences
        ):
            continue
        out.append(
            Attribution(
                _span_text(doc, q.start, q.start + 1),
                None,
                content_text(doc, q.start, q.end),
                "unattributed",
            )
        )
    out.sort(key=lambda x: x.cue.start)
    out = outer_attributions(doc, out)
    return refer_back(doc, out)


def outer_attributions(doc: Document, atts: list[Attribution]) -> list[Attribution]:
    """Attributions without those whose cue sits in the reported clause of an
    earlier one in the same sentence ("The Post reported that Klein said ..."):
    the article's source is the outer one. Anonymous, vague and self sources
    stay ("As RT notes, an unnamed official confirmed ...")."""
    out: list[Attribution] = []
    # only the kept attributions of the same sentence can hold a cue (a scan
    # of all of them for each one was quadratic in a long article)
    by_sentence: dict[int, list[Attribution]] = {}
    for a in atts:
        si = doc.sentence_index(a.cue.start)
        if a.kind in ("anonymous", "vague", "self") and _single(doc, a) not in _REFERRING:
            out.append(a)  # a gap stays visible wherever it is reported
            by_sentence.setdefault(si, []).append(a)
            continue
        inner = any(
            o.content is not None
            and o.cue.end <= a.cue.start
            and o.content.start <= a.cue.start < o.content.end
            for o in by_sentence.get(si, ())
        )
        if not inner:
            out.append(a)
            by_sentence.setdefault(si, []).append(a)
    return out
