"""The document model: the original text, untouched, plus spans into it.

Every later stage (detectors, scoring, renderers, grading) speaks in character
offsets into ``Document.text``. Matching happens on ``Document.norm``, a copy of
the text of *exactly the same length* in which case, quotes, dashes and odd
spaces are normalised one character for one character, so an offset found in
``norm`` is valid in ``text`` without any mapping table.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Generic, Protocol, TypeVar

from .words import MONTH_ABBREVIATIONS

__all__ = [
    "BLANK_LINE",
    "LINE_BREAK",
    "TITLES",
    "Coverage",
    "Document",
    "Span",
    "Token",
    "line_starts",
    "normalize",
    "spans_overlap",
    "split_lines",
]

# One character in, one character out: keeps offsets identical.
_CHAR_MAP = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "`": "'",
    "\u00b4": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2015": "-",
    "\u2212": "-",
    "\u00ad": "-",
    "\u00a0": " ",
    "\u2007": " ",
    "\u202f": " ",
    "\u2009": " ",
    "\u200a": " ",
    "\u2002": " ",
    "\u2003": " ",
    "\u2004": " ",
    "\u2005": " ",
    "\u2006": " ",
    "\u2008": " ",
    "\u3000": " ",
    "\u2026": ".",
}


_TRANSLATE = str.maketrans(_CHAR_MAP)


def _norm_char(ch: str) -> str:
    mapped = _CHAR_MAP.get(ch)
    if mapped is not None:
        return mapped
    low = ch.lower()
    return low if len(low) == 1 else ch


def normalize(text: str) -> str:
    """Lower-case and unify quotes, dashes and spaces, keeping the length.

    ``len(normalize(s)) == len(s)`` always, so offsets carry over unchanged.
    """
    if text.isascii():
        return text.lower().replace("`", "'")
    mapped = text.translate(_TRANSLATE)
    low = mapped.lower()
    # lower() never shortens a character; a longer lower case ("İ") is kept
    # as it is, and a capital sigma is lowered on its own, not by context
    if len(low) == len(mapped) and "\u03a3" not in mapped:
        return low
    return "".join(_norm_char(c) for c in text)


def spans_overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    """``[a_start, a_end)`` and ``[b_start, b_end)`` share at least one
    character: the one overlap rule of matching (evaluation, grading,
    sourcing)."""
    return a_start < b_end and b_start < a_end


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range ``[start, end)`` into the original text."""

    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start

    def contains(self, pos: int) -> bool:
        return self.start <= pos < self.end

    def overlaps(self, other: Span) -> bool:
        return spans_overlap(self.start, self.end, other.start, other.end)


class _Ranged(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


class Coverage:
    """Some spans merged into sorted, disjoint stretches (touching ones
    joined): whether an offset or a range meets any of them is then one
    binary search, not a scan of every span per question.

    Anything with ``start`` and ``end`` will do (``Span``, ``SpanText``,
    findings, page furniture)."""

    __slots__ = ("ends", "starts")

    def __init__(self, spans: Iterable[_Ranged]) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        for sp in sorted(spans, key=lambda sp: sp.start):
            if self.ends and sp.start <= self.ends[-1]:
                self.ends[-1] = max(self.ends[-1], sp.end)
            else:
                self.starts.append(sp.start)
                self.ends.append(sp.end)

    def covers(self, pos: int) -> bool:
        """Whether ``pos`` lies inside one of the spans."""
        i = bisect.bisect_right(self.starts, pos) - 1
        return i >= 0 and pos < self.ends[i]

    def overlaps(self, start: int, end: int) -> bool:
        """Whether the non-empty ``[start, end)`` shares a character with one
        of the spans (``spans_overlap``; an empty span counts when it lies
        strictly inside)."""
        j = bisect.bisect_right(self.ends, start)
        return j < len(self.starts) and spans_overlap(self.starts[j], self.ends[j], start, end)


@dataclass(frozen=True, slots=True)
class Token:
    """A word or a punctuation mark. ``norm`` is the normalised form used for matching."""

    start: int
    end: int
    norm: str
    is_word: bool


_TOKEN_RE = re.compile(r"\w+(?:'\w+)*|[^\w\s]")

# Titles before a name, after whose full stop a sentence does not end (and
# which the attribution extractor joins to the name: "Mr. Obama").
TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "mx",
        "dr",
        "prof",
        "gen",
        "lt",
        "col",
        "maj",
        "capt",
        "cpt",
        "sgt",
        "cmdr",
        "adm",
        "sen",
        "rep",
        "gov",
        "pres",
        "rev",
        "fr",
        "st",
        "sr",
        "jr",
        "hon",
        "supt",
        "insp",
        "det",
        "amb",
        "atty",
        "messrs",
        "mme",
        "mlle",
    ]
)
_OTHER_ABBREV = frozenset(
    [
        "no",
        "nos",
        "vol",
        "vols",
        "art",
        "p",
        "pp",
        "fig",
        "figs",
        "approx",
        "est",
        "dept",
        "corp",
        "inc",
        "ltd",
        "co",
        "bros",
        "vs",
        "v",
        "etc",
        "al",
        "e.g",
        "i.e",
        "cf",
        "ca",
        "min",
        "max",
        "mt",
        "ft",
        "av",
        "ave",
        "blvd",
        "rd",
        "univ",
        "assn",
        "govt",
        "intl",
        "natl",
        "op",
        "ed",
    ]
)
# Words that usually start a sentence; after "U.S." they tell a sentence break from
# "the U.S. Army".
_SENTENCE_STARTERS = frozenset(
    [
        "the",
        "a",
        "an",
        "it",
        "he",
        "she",
        "they",
        "we",
        "i",
        "you",
        "this",
        "that",
        "these",
        "those",
        "there",
        "but",
        "and",
        "so",
        "yet",
        "however",
        "meanwhile",
        "in",
        "on",
        "at",
        "for",
        "after",
        "before",
        "when",
        "while",
        "if",
        "as",
        "his",
        "her",
        "their",
        "our",
        "its",
        "one",
        "some",
        "many",
        "most",
        "no",
        "not",
        "what",
        "who",
        "why",
        "how",
        "earlier",
        "later",
        "then",
        "still",
        "also",
    ]
)
_LIST_MARKER_RE = re.compile(r"^\s*(?:[-*\u2022\u2023\u25e6\u2043\u2219]|\d{1,3}[.)]|[a-z][.)])\s+")
#: A line ends in ``\n``, ``\r\n`` or a lone ``\r`` (old Mac files): every
#: reader of lines (paragraphs, sentences, line numbers, suppression) uses this.
LINE_BREAK = re.compile(r"\r\n|\r|\n")
#: Paragraphs are separated by a blank line (white space only between two line ends).
BLANK_LINE = re.compile(r"(?:\r\n|\r|\n)[ \t\f\v]*(?:\r\n|\r|\n)")
_CLOSERS = "\"')]}\u201d\u2019\u00bb"


T = TypeVar("T")


class CacheSlot(Generic[T]):
    """A named, typed place in ``Document.cache``; the module that computes
    the value declares the slot beside the function (``T`` is what it holds)."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"CacheSlot({self.name!r})"


class DocCache:
    """Work several detectors share, computed once per document (never in
    module globals): each value under a ``CacheSlot`` and an optional hashable
    argument (a model's identity, a sentence's offsets)."""

    __slots__ = ("_values",)

    def __init__(self) -> None:
        self._values: dict[tuple[CacheSlot[Any], Hashable], Any] = {}

    def get(self, slot: CacheSlot[T], arg: Hashable = None) -> T | None:
        """The value stored under ``slot`` (and ``arg``), or None."""
        return self._values.get((slot, arg))  # type: ignore[no-any-return]

    def put(self, slot: CacheSlot[T], value: T, arg: Hashable = None) -> T:
        """Store ``value`` under ``slot`` (and ``arg``) and return it."""
        self._values[(slot, arg)] = value
        return value


@dataclass
class Document:
    """An article: the original ``text`` and offset spans for its structure.

    ``text`` is never modified. ``paragraphs``, ``sentences`` and ``tokens`` are
    computed lazily on first use and cached on the instance.
    """

    text: str
    id: str = "-"
    meta: dict[str, str] = field(default_factory=dict)
    #: Whether trained models take part (``analyze`` sets it False for
    #: ``--no-models``; the attribution extractor then uses its rules alone).
    use_models: bool = True
    #: Derived analyses shared by several detectors (e.g. attributions), so each
    #: is computed once per document.
    cache: DocCache = field(default_factory=DocCache, repr=False, compare=False)

    @cached_property
    def norm(self) -> str:
        return normalize(self.text)

    @cached_property
    def tokens(self) -> list[Token]:
        norm = self.norm
        return [
            Token(m.start(), m.end(), m.group(), m.group()[0].isalnum() or m.group()[0] == "_")
            for m in _TOKEN_RE.finditer(norm)
        ]

    @cached_property
    def words(self) -> list[Token]:
        return [t for t in self.tokens if t.is_word]

    @cached_property
    def paragraphs(self) -> list[Span]:
        """Blocks separated by blank lines, trimmed of surrounding whitespace."""
        spans: list[Span] = []
        text = self.text
        pos = 0
        for sep in [*BLANK_LINE.finditer(text), None]:
            stop = sep.start() if sep else len(text)
            span = _trimmed(text, pos, stop)
            if span is not None:
                spans.append(span)
            if sep:
                pos = sep.end()
        return spans

    @cached_property
    def sentences(self) -> list[Span]:
        out: list[Span] = []
        for para in self.paragraphs:
            for line in _logical_lines(self.text, para):
                out.extend(_split_sentences(self.text, self.norm, line))
        return out

    def sentence_index(self, pos: int) -> int:
        """Index of the sentence containing ``pos`` (or the one before it)."""
        import bisect

        starts = self._sentence_starts
        return max(0, bisect.bisect_right(starts, pos) - 1)

    @cached_property
    def word_sentences(self) -> list[int]:
        """Sentence index of every word, in word order (many detectors and
        every model walk words sentence by sentence)."""
        return [self.sentence_index(w.start) for w in self.words]

    def paragraph_index(self, pos: int) -> int:
        import bisect

        starts = self._paragraph_starts
        return max(0, bisect.bisect_right(starts, pos) - 1)

    @cached_property
    def word_starts(self) -> list[int]:
        return [w.start for w in self.words]

    @cached_property
    def token_starts(self) -> list[int]:
        return [t.start for t in self.tokens]

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s.start for s in self.sentences]

    @cached_property
    def _paragraph_starts(self) -> list[int]:
        return [p.start for p in self.paragraphs]

    def line_col(self, pos: int) -> tuple[int, int]:
        """1-based line and column of ``pos``, for editor-style output."""
        starts = self._line_starts
        i = bisect.bisect_right(starts, pos) - 1
        return i + 1, pos - starts[i] + 1

    @cached_property
    def _line_starts(self) -> list[int]:
        return line_starts(self.text)

    def words_in(self, span: Span) -> list[Token]:
        """The words starting inside ``span`` (binary search, not a scan)."""
        import bisect

        starts = self.word_starts
        return self.words[
            bisect.bisect_left(starts, span.start) : bisect.bisect_left(starts, span.end)
        ]

    def word_count(self, span: Span | None = None) -> int:
        if span is None:
            return len(self.words)
        return len(self.words_in(span))


def line_starts(text: str) -> list[int]:
    """Offsets at which each line begins (lines end in ``\n``, ``\r\n`` or ``\r``)."""
    return [0, *(m.end() for m in LINE_BREAK.finditer(text))]


def _trimmed(text: str, start: int, end: int) -> Span | None:
    """``[start, end)`` without the white space at either end, or None when
    nothing else is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end) if start < end else None


def split_lines(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """The non-blank lines of ``text[start:end]``, trimmed of outer white
    space: the one notion of a line (ends at ``LINE_BREAK``) for paragraphs'
    lines and page furniture."""
    stop = len(text) if end is None else end
    lines: list[Span] = []
    pos = start
    for brk in [*LINE_BREAK.finditer(text, start, stop), None]:
        line = _trimmed(text, pos, brk.start() if brk else stop)
        if line is not None:
            lines.append(line)
        if brk:
            pos = brk.end()
    return lines


def _logical_lines(text: str, para: Span) -> list[Span]:
    """Split a paragraph at line breaks that end a unit: headlines, list items,
    and lines ending in sentence punctuation. Hard-wrapped prose is re-joined."""
    lines = split_lines(text, para.start, para.end)
    if len(lines) <= 1:
        return lines
    merged: list[Span] = [lines[0]]
    for nxt in lines[1:]:
        prev = merged[-1]
        prev_text = text[prev.start : prev.end]
        nxt_text = text[nxt.start : nxt.end]
        continues = (
            not _LIST_MARKER_RE.match(nxt_text)
            and not _LIST_MARKER_RE.match(text[merged[-1].start : merged[-1].end])
            and prev_text[-1] not in ".!?:;\u2026" + _CLOSERS
            and nxt_text[0].islower()
        )
        if continues:
            merged[-1] = Span(prev.start, nxt.end)
        else:
            merged.append(nxt)
    return merged


def _split_sentences(text: str, norm: str, line: Span) -> list[Span]:
    """Rule-based splitter: breaks after . ! ? (and closing quotes) followed by
    space and a capital, digit or opening quote, unless the full stop belongs to
    a title ("Gen."), an initial ("J."), a month before a number ("Dec. 2") or an
    acronym ("U.S.") not followed by a likely sentence starter."""
    out: list[Span] = []
    start = line.start
    i = line.start
    end = line.end
    while i < end:
        ch = norm[i]
        if ch in ".!?":
            j = i + 1
            while j < end and norm[j] in ".!?":
                j += 1
            while j < end and text[j] in _CLOSERS:
                j += 1
            k = j
            while k < end and norm[k].isspace():
                k += 1
            if k >= end:
                break
            if k == j:  # no space after: "3.5", "U.S.", "example.com"
                i = j
                continue
            nxt = text[k]
            if not (nxt.isupper() or nxt.isdigit() or nxt in "\"'\u201c\u2018(["):
                i = k
                continue
            if ch == "." and j == i + 1 and _is_abbreviation(text, norm, line.start, i, k, end):
                i = k
                continue
            out.append(Span(start, j))
            start = k
            i = k
            continue
        i += 1
    if start < end:
        out.append(Span(start, end))
    return out


def _is_abbreviation(text: str, norm: str, lo: int, dot: int, nxt: int, hi: int) -> bool:
    w = dot
    while w > lo and (norm[w - 1].isalnum() or norm[w - 1] == "."):
        w -= 1
    word = norm[w:dot]
    if not word:
        return False
    m = re.match(r"\w+", norm[nxt:hi])
    next_word = m.group() if m else ""
    if "." in word:  # dotted acronym: u.s, e.g, a.m
        return next_word not in _SENTENCE_STARTERS
    if len(word) == 1 and text[dot - 1].isupper():  # initial: "J. Smith"
        return True
    if word in TITLES:
        return True
    if word in MONTH_ABBREVIATIONS:
        return next_word[:1].isdigit()
    return word in _OTHER_ABBREV
