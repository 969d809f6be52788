"""Who said what: reporting cues, their sources and contents, and the kind of
each source (named, anonymous, vague, self, unattributed).

This fills the report's ``attributions`` list. It is rule-based: a cue is a
reporting verb or "according to"; the source is the name, title or noun phrase
next to it; the content is the adjacent quotation or the reported clause.
Gaps (anonymous, vague, self) are *also* flagged as findings by the
attribution detectors; named attributions are listed here and never flagged.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from .document import Document, Span, Token
from .lexicon import base_forms, report_verbs
from .report import Attribution, SpanText

__all__ = ["USE_MODELS_KEY", "classify_source", "extract_attributions", "rule_attributions"]

SOURCE_NOUNS = frozenset(
    [
        "official",
        "officials",
        "source",
        "sources",
        "diplomat",
        "diplomats",
        "aide",
        "aides",
        "insider",
        "insiders",
        "person",
        "people",
        "staffer",
        "staffers",
        "executive",
        "executives",
        "officer",
        "officers",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "spokespeople",
        "employee",
        "employees",
        "member",
        "members",
        "adviser",
        "advisers",
        "advisor",
        "advisors",
        "analyst",
        "analysts",
        "minister",
        "ministers",
        "lawmaker",
        "lawmakers",
        "legislator",
        "legislators",
        "investigator",
        "investigators",
        "agent",
        "agents",
        "figure",
        "figures",
        "banker",
        "bankers",
        "trader",
        "traders",
        "worker",
        "workers",
        "expert",
        "experts",
        "critic",
        "critics",
        "observer",
        "observers",
        "economist",
        "economists",
        "scientist",
        "scientists",
        "researcher",
        "researchers",
        "police",
        "prosecutors",
        "prosecutor",
        "authorities",
        "authority",
        "government",
        "ministry",
        "department",
        "company",
        "firm",
        "agency",
        "council",
        "committee",
        "court",
        "judge",
        "lawyer",
        "lawyers",
        "attorney",
        "statement",
        "report",
        "study",
        "survey",
        "poll",
        "residents",
        "witnesses",
        "witness",
        "doctors",
        "doctor",
        "president",
        "secretary",
        "envoy",
        "ambassador",
        "chief",
        "director",
        "head",
        "leader",
        "leaders",
        "chairman",
        "chairwoman",
        "chair",
        "coordinator",
        "general",
        "commander",
        "governor",
        "mayor",
        "senator",
        "representative",
        "candidate",
        "campaign",
        "party",
        "friend",
        "friends",
        "ally",
        "allies",
        "relative",
        "relatives",
        "associate",
        "associates",
        "colleague",
        "colleagues",
        "neighbour",
        "neighbours",
        "neighbor",
        "neighbors",
    ]
)
_ANON_MARKERS = frozenset(
    ["unnamed", "anonymous", "unidentified", "insider", "insiders", "source", "sources"]
)
_ANON_PHRASES = (
    "familiar with",
    "close to",
    "condition of anonymity",
    "declined to be named",
    "asked not to be named",
    "not authorized",
    "not authorised",
    "friend of",
    "friends of",
    "allies of",
    "ally of",
    "aide to",
    "aides to",
    "knowledge of",
    "briefed on",
    "people around",
)
_VAGUE_HEADS = frozenset(
    [
        "some",
        "many",
        "most",
        "others",
        "critics",
        "experts",
        "observers",
        "analysts",
        "people",
        "everyone",
        "everybody",
        "commentators",
        "pundits",
        "skeptics",
        "sceptics",
        "opponents",
        "supporters",
        "detractors",
        "voices",
        "several",
        "few",
        "numerous",
        "locals",
        "residents",
        "economists",
        "researchers",
        "scientists",
        "allies",
        "insiders",
        "onlookers",
        "fans",
        "viewers",
        "readers",
    ]
)
_INSTITUTIONAL = frozenset(
    [
        "police",
        "prosecutors",
        "authorities",
        "government",
        "ministry",
        "department",
        "company",
        "firm",
        "agency",
        "council",
        "committee",
        "court",
        "statement",
        "report",
        "study",
        "survey",
        "poll",
        "office",
        "bureau",
        "service",
        "commission",
        "regulator",
        "board",
        "institute",
        "university",
        "hospital",
    ]
)
_GENERIC_OFFICIALS = frozenset(["official", "officials", "diplomat", "diplomats", "aide", "aides"])
_SELF = frozenset(["we", "i", "us"])
_PRONOUNS = frozenset(["he", "she", "they", "it"])
_DETERMINERS = frozenset(
    ["a", "an", "the", "one", "two", "three", "four", "several", "some", "many", "our", "us"]
)
_AUX = frozenset(
    [
        "has",
        "have",
        "had",
        "was",
        "were",
        "is",
        "are",
        "will",
        "would",
        "also",
        "later",
        "then",
        "again",
        "previously",
        "earlier",
        "repeatedly",
        "recently",
        "once",
        "has't",
        "didn't",
        "did",
        "does",
        "do",
    ]
)
_NOUN_MARKERS = frozenset(
    [
        "the",
        "a",
        "an",
        "his",
        "her",
        "their",
        "its",
        "our",
        "my",
        "your",
        "this",
        "that",
        "these",
        "those",
        "such",
        "no",
        "any",
        "every",
    ]
)
_SKIP_AFTER_CUE = frozenset(["that", "on", "in", "at", "to", "reporters", "journalists"])


@dataclass(frozen=True)
class _Cue:
    start: int
    end: int
    first: int  # word index of the cue's first word
    last: int


def _report_cues(doc: Document) -> list[_Cue]:
    words = doc.words
    text = doc.text
    verbs = report_verbs()
    cues: list[_Cue] = []
    for i, w in enumerate(words):
        if w.norm == "according" and i + 1 < len(words) and words[i + 1].norm == "to":
            cues.append(_Cue(w.start, words[i + 1].end, i, i + 1))
            continue
        if text[w.start].isupper() and i > 0 and not _sentence_initial(doc, w):
            continue
        if w.norm == "point" and i + 1 < len(words) and words[i + 1].norm == "out":
            cues.append(_Cue(w.start, words[i + 1].end, i, i + 1))
            continue
        if w.norm in verbs or any(b in verbs for b in base_forms(w.norm)[1:]):
            if i > 0 and (
                words[i - 1].norm in _NOUN_MARKERS
                or words[i - 1].norm.endswith("'s")
                or doc.norm[words[i - 1].end : w.start] == "-"
            ):
                continue  # "Moscow's claims", "the report", "cross-post": nouns, not cues
            cues.append(_Cue(w.start, w.end, i, i))
    return cues


def _sentence_initial(doc: Document, w: Token) -> bool:
    s = doc.sentences[doc.sentence_index(w.start)]
    return not any(c.isalnum() for c in doc.text[s.start : w.start])


def _gap(doc: Document, a: Token, b: Token) -> str:
    return doc.norm[a.end : b.start]


def _source_before(doc: Document, cue: _Cue) -> tuple[int, int] | None:
    """Word-index range of the source phrase ending just before the cue."""
    words = doc.words
    text = doc.text
    i = cue.first - 1
    while i >= 0 and words[i].norm in _AUX and _gap(doc, words[i], words[i + 1]).strip() == "":
        i -= 1
    if i < 0:
        return None
    gap = _gap(doc, words[i], words[i + 1]).strip()
    if gap not in ("",) and not (gap == "," and doc.text[words[i].start].isupper()):
        return None  # "Amos Hochstein, said": an apposition may close with a comma
    if words[i].norm not in SOURCE_NOUNS and not doc.text[words[i].start].isupper():
        # "We have on any number of occasions suggested": pronoun + auxiliary, then an adverbial
        for k in range(i, max(-1, i - 9), -1):
            if _gap(doc, words[k], words[k + 1]).strip() not in ("", ","):
                break
            if words[k].norm in _SELF | _PRONOUNS and k + 1 <= i and words[k + 1].norm in _AUX:
                return k, k
    end = i
    sent_start = doc.sentences[doc.sentence_index(words[cue.first].start)].start
    j = i
    taken = 0
    while j >= 0 and words[j].start >= sent_start and taken < 12:
        w = words[j]
        gap_after = _gap(doc, w, words[j + 1]).strip() if j < end else ""
        if gap_after not in ("", ",", "-", "."):
            break
        cap = text[w.start].isupper()
        if (
            cap
            or w.norm in SOURCE_NOUNS
            or w.norm in _DETERMINERS
            or w.norm in _ANON_MARKERS
            or w.norm in _SELF
            or w.norm in _PRONOUNS
            or w.norm in _VAGUE_HEADS
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
            j -= 1
            taken += 1
            if (w.norm in _SELF or w.norm in _PRONOUNS) and not text[w.start : w.end].isupper():
                break
            continue
        break
    j += 1
    # trim leading function words
    while j <= end and words[j].norm in ("of", "for", "with", "the", "and"):
        j += 1
    if j > end:
        return None
    head = words[end].norm
    phrase = {w.norm for w in words[j : end + 1]}
    has_name = any(
        text[w.start].isupper() and not _sentence_initial(doc, w) for w in words[j : end + 1]
    )
    if not (
        has_name
        or phrase & (SOURCE_NOUNS | _SELF | _PRONOUNS | _VAGUE_HEADS | _ANON_MARKERS)
        or text[words[j].start].isupper()
    ):
        return None
    if head in ("that", "which", "who"):
        return None
    return j, end


def _source_after(doc: Document, cue: _Cue) -> tuple[int, int] | None:
    """Inverted order: '..., said Mark Toner' or 'according to the Pentagon'."""
    words = doc.words
    text = doc.text
    i = cue.last + 1
    if i >= len(words) or _gap(doc, words[cue.last], words[i]).strip() not in ("",):
        return None
    sent_end = doc.sentences[doc.sentence_index(words[cue.first].start)].end
    j = i
    while j < len(words) and words[j].start < sent_end and j - i < 10:
        w = words[j]
        if j > i and _gap(doc, words[j - 1], w).strip() not in ("", "-", "."):
            break
        ok = (
            text[w.start].isupper()
            or w.norm in SOURCE_NOUNS
            or w.norm in _DETERMINERS
            or w.norm in ("of", "close", "familiar", "with", "senior")
            or w.norm.endswith("'s")
        )
        if not ok:
            break
        j += 1
    if j == i:
        return None
    end = j - 1
    while end >= i and words[end].norm in ("of", "with", "the", "a", "an"):
        end -= 1
    if end < i:
        return None
    if not any(text[w.start].isupper() or w.norm in SOURCE_NOUNS for w in words[i : end + 1]):
        return None
    return i, end


def _according_to_source(doc: Document, cue: _Cue) -> tuple[int, int] | None:
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


def classify_source(doc: Document, first: int, last: int) -> str:
    """named | anonymous | vague | self, from the words of a source phrase."""
    words = doc.words[first : last + 1]
    text = doc.text
    norms = [w.norm for w in words]
    joined = " ".join(norms)
    if any(m in norms for m in _ANON_MARKERS) or any(p in joined for p in _ANON_PHRASES):
        return "anonymous"
    if norms and norms[0] in _SELF and len(norms) <= 2:
        return "self"
    names = [
        w
        for w in words
        if text[w.start].isupper()
        and w.norm not in _DETERMINERS
        and w.norm not in SOURCE_NOUNS
        and not _sentence_initial(doc, w)
    ]
    if names:
        return "named"
    if any(n in _VAGUE_HEADS for n in norms):
        return "vague"
    if any(n in _GENERIC_OFFICIALS for n in norms):
        return "anonymous"
    if any(n in _INSTITUTIONAL for n in norms) or (
        words and text[words[0].start].isupper() and words[0].norm not in _DETERMINERS
    ):
        return "named"
    if norms and norms[0] in _DEFINITE:
        return "named"  # a definite, already-introduced source: "the office", "her lawyer"
    if (
        norms
        and norms[-1] in SOURCE_NOUNS
        and norms[-1] not in _VAGUE_HEADS
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
        if w in _SELF or w in _PRONOUNS or w in _DETERMINERS or doc.text[words[k].start].isupper():
            return False
        k -= 1
    return False


def _quote_spans(doc: Document) -> list[Span]:
    from .detectors.loaded_language import _quote_pairs

    out = []
    for a, b in _quote_pairs(doc):
        if doc.norm[a] == '"' and len(doc.text[a + 1 : b].split()) >= 3:
            out.append(Span(a, b + 1))
    return out


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
    idx = [i for i, w in enumerate(words) if sent.start <= w.start < k]
    caps = [
        i
        for i in idx
        if doc.text[words[i].start].isupper() and not _sentence_initial(doc, words[i])
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


def rule_attributions(doc: Document) -> list[Attribution]:
    """The rule-based attributions alone (reporting verbs, "according to",
    colons and quotations), cached on ``doc.cache``."""
    cached = doc.cache.get("rule_attributions")
    if cached is None:
        cached = doc.cache["rule_attributions"] = _extract(doc)
    return list(cached)  # type: ignore[call-overload]


# ``analyze`` sets this key to False on a document when no trained-model
# detector runs (``--no-models``), so the extractor uses its rules alone.
USE_MODELS_KEY = "use_models"


def extract_attributions(doc: Document) -> list[Attribution]:
    """Every attribution in ``doc``, named ones included, in text order: the
    rules' attributions plus the cues the PolNeAR-trained taggers add (when the
    ``attribution`` model bundle is installed). Cached on ``doc.cache``."""
    cached = doc.cache.get("attributions")
    if cached is None:
        rules = rule_attributions(doc)
        bundle = None
        if doc.cache.get(USE_MODELS_KEY, True):
            from .models.store import load_bundle

            bundle = load_bundle("attribution")
        if bundle:
            from .models.attribution_model import model_attributions

            cached = model_attributions(doc, rules, bundle)
        else:
            cached = rules
        doc.cache["attributions"] = cached
    return list(cached)  # type: ignore[call-overload]


def _extract(doc: Document) -> list[Attribution]:
    words = doc.words
    quotes = _quote_spans(doc)
    quote_starts = [q.start for q in quotes]
    used_quotes: set[int] = set()
    out: list[Attribution] = []
    prev_kind: str | None = None
    for cue in _report_cues(doc):
        cue_start = words[cue.first].start
        in_quote = any(q.start < cue_start < q.end for q in quotes)
        src = None
        is_according = words[cue.first].norm == "according"
        if not is_according:
            src = _source_before(doc, cue)
        if src is None:
            src = _according_to_source(doc, cue) if is_according else _source_after(doc, cue)
        if src is None:
            continue
        a, b = src
        src_span = _span_text(doc, words[a].start, words[b].end)
        kind = classify_source(doc, a, b)
        head = words[a].norm
        if head in _PRONOUNS and b == a:
            kind = prev_kind or "named"
        if kind == "self" and in_quote:
            continue  # a speaker's "we said" inside their own quotation
        # content: an adjacent quotation, else the reported clause
        content: Span | None = None
        sent = doc.sentences[doc.sentence_index(cue_start)]
        k = bisect.bisect_right(quote_starts, min(cue_start, src_span.start)) - 1
        lead = min(cue_start, src_span.start)
        tail = [w for w in words[cue.last + 1 :] if w.start < sent.end]
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
                    i < len(words)
                    and words[i].norm in _SKIP_AFTER_CUE
                    and words[i].start < sent.end
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
                _span_text(doc, content.start, content.end) if content else None,
                kind,
            )
        )
        prev_kind = kind
    # quotations introduced by a colon, and quotations nobody is named for
    cue_sentences = {doc.sentence_index(x.cue.start) for x in out}
    for k, q in enumerate(quotes):
        if k in used_quotes or any(
            x.content and x.content.start <= q.start < x.content.end for x in out
        ):
            continue
        colon = _colon_source(doc, q.start)
        if colon is not None:
            cue_pos, a, b = colon
            out.append(
                Attribution(
                    _span_text(doc, cue_pos, cue_pos + 1),
                    _span_text(doc, words[a].start, words[b].end),
                    _span_text(doc, q.start, q.end),
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
                _span_text(doc, q.start, q.end),
                "unattributed",
            )
        )
    out.sort(key=lambda x: x.cue.start)
    return out
