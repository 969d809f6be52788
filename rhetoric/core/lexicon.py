"""Lexicon files (TSV package data) and a linear-time phrase matcher.

A lexicon is data: one row per term with its label, weight and explanation (see
``docs/lexicons.md``). The matcher walks the document's word tokens once; at
each word it looks up the entries whose first word matches one of the token's
possible base forms, then compares at most ``len(term)`` following words. There
are no regular expressions over the text, so the cost is linear in the number
of words times the (small, bounded) number of entries sharing a first word.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import NamedTuple

from .document import CacheSlot, Document, Token, normalize

__all__ = [
    "Entry",
    "Lexicon",
    "LexiconError",
    "Match",
    "base_forms",
    "load_lexicon",
    "parse_lexicon",
    "report_verbs",
]

_COLUMNS = ["term", "label", "weight", "explanation"]
_HEADER_KEY_RE = re.compile(r"^#\s*([a-z_-]+)\s*:\s*(.*)$")
_WORD_RE = re.compile(r"\w+(?:'\w+)*")


# English function words: never the substance of a phrase. The repetition
# detector and the model features both start from this list (each adds a few).
FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "but",
        "by",
        "can",
        "could",
        "for",
        "from",
        "had",
        "has",
        "have",
        "he",
        "her",
        "his",
        "i",
        "in",
        "is",
        "it",
        "its",
        "may",
        "might",
        "no",
        "not",
        "of",
        "on",
        "or",
        "our",
        "she",
        "that",
        "the",
        "their",
        "there",
        "they",
        "this",
        "to",
        "was",
        "we",
        "were",
        "what",
        "which",
        "who",
        "will",
        "with",
        "would",
        "you",
        "your",
    ]
)


class LexiconError(ValueError):
    """A lexicon file that does not follow docs/lexicons.md."""


class Word(NamedTuple):
    """One word of a term: ``text`` to match, ``exact`` disables inflection,
    ``wild`` matches any single word. A named tuple: built and hashed in C
    (5,400 terms are parsed at every start)."""

    text: str
    exact: bool = False
    wild: bool = False


class Entry(NamedTuple):
    """One row of a lexicon (a named tuple, like ``Word``: cheap to build)."""

    term: str
    words: tuple[Word, ...]
    label: str
    weight: float
    explanation: str
    family: str
    category: str


@dataclass(frozen=True, slots=True)
class Match:
    """A lexicon hit: character offsets into the original text and the entry."""

    start: int
    end: int
    entry: Entry
    first_word: int
    last_word: int


# Cache slots: a lexicon's matches (by the lexicon's identity), every word's
# base forms, and which neighbouring words may join into one phrase.
LEXICON_MATCHES: CacheSlot[list[Match]] = CacheSlot("lexicon matches")
WORD_FORMS: CacheSlot[dict[str, list[int]]] = CacheSlot("word forms")
JOINABLE_WORDS: CacheSlot[list[bool]] = CacheSlot("joinable words")


@dataclass
class Lexicon:
    """A set of entries with header metadata, indexed by their first word."""

    family: str
    category: str
    source: str
    default_explanation: str
    entries: list[Entry]
    meta: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        index: dict[str, list[Entry]] = {}
        for e in self.entries:
            index.setdefault(e.words[0].text, []).append(e)
        for bucket in index.values():  # longest first: the first hit is the longest
            bucket.sort(key=lambda e: -len(e.words))
        self._index = index
        # the words a document must contain (as a word or a base form of one)
        # for an entry to match anywhere in it; wildcards need nothing
        self._needs = {e.term: tuple(w.text for w in e.words if not w.wild) for e in self.entries}

    def __len__(self) -> int:
        return len(self.entries)

    def match(self, doc: Document) -> list[Match]:
        """All longest, left-to-right, non-overlapping matches in ``doc``.

        Cached on the document: the detectors and the models' lexicon
        features ask for the same matches."""
        hit = doc.cache.get(LEXICON_MATCHES, id(self))
        if hit is None:
            hit = doc.cache.put(LEXICON_MATCHES, self._match_all(doc), id(self))
        return hit

    def _match_all(self, doc: Document) -> list[Match]:
        # Only words with a base form that starts some entry can start a match:
        # intersect this lexicon's first words with the document's forms (a
        # set operation in C) instead of trying every word against every
        # lexicon. Same matches as a left-to-right scan of all words.
        # Entries with a word the document lacks altogether are dropped first.
        forms = word_forms(doc)
        keys = self._index.keys() & forms.keys()
        if not keys:
            return []
        index = {}
        for k in keys:
            viable = [e for e in self._index[k] if all(t in forms for t in self._needs[e.term])]
            if viable:
                index[k] = viable
        words = doc.words
        joinable = joinable_words(doc)
        norm = doc.norm
        out: list[Match] = []
        nxt = 0
        for i in sorted({i for k in index for i in forms[k]}):
            if i < nxt:
                continue
            hit = self._match_at(index, words, joinable, i)
            if hit is None:
                continue
            entry, last = hit
            if not _whole_compound(entry, words, norm, i, last):
                continue
            out.append(Match(words[i].start, words[last].end, entry, i, last))
            nxt = last + 1
        return out

    @staticmethod
    def _match_at(
        index: dict[str, list[Entry]], words: list[Token], joinable: list[bool], i: int
    ) -> tuple[Entry, int] | None:
        tok = words[i].norm
        best: tuple[Entry, int] | None = None
        for key in base_forms(tok):
            for entry in index.get(key, ()):
                if best is not None and len(entry.words) <= best[1] - i + 1:
                    break
                last = _match_words(entry.words, words, joinable, i)
                if last is not None:
                    best = (entry, last)
                    break
        return best


# Adverbs a writer may slip into a fixed phrase ("it is quite possible that",
# "it is also widely believed") without changing what the phrase does.
SKIPPABLE = frozenset(
    [
        "quite",
        "very",
        "also",
        "still",
        "now",
        "really",
        "just",
        "even",
        "already",
        "all",
        "so",
        "too",
    ]
)
MAX_SKIPS = 2


def _word_matches(w: Word, tok: str) -> bool:
    return w.wild or tok == w.text or (not w.exact and w.text in base_forms(tok))


def _whole_compound(entry: Entry, words: list[Token], norm: str, i: int, last: int) -> bool:
    """The match is not a piece of a hyphenated compound: "lame" is not
    loaded in "lame-duck", nor "would" a conditional in "would-be". Inside
    a term, hyphen and space are the same ("witch hunt", "witch-hunts"):
    writers add and drop hyphens freely."""
    del entry
    if i > 0 and norm[words[i - 1].end : words[i].start] == "-":
        return False
    return not (last + 1 < len(words) and norm[words[last].end : words[last + 1].start] == "-")


def _match_words(
    pattern: tuple[Word, ...], words: list[Token], joinable: list[bool], i: int
) -> int | None:
    n = len(words)
    j = i
    skips = 0
    for k, w in enumerate(pattern):
        while True:
            if j >= n or (k > 0 and not joinable[j - 1]):
                return None
            tok = words[j].norm
            if _word_matches(w, tok):
                break
            if k > 0 and tok in SKIPPABLE and skips < MAX_SKIPS:
                skips += 1
                j += 1
                continue
            return None
        j += 1
    return j - 1


def word_forms(doc: Document) -> dict[str, list[int]]:
    """Every base form (``base_forms``) of every word of ``doc``, with the
    indices of the words that have it. Cached on the document: all lexicons
    look their first words up here."""
    hit = doc.cache.get(WORD_FORMS)
    if hit is not None:
        return hit
    out: dict[str, list[int]] = {}
    for i, w in enumerate(doc.words):
        for f in base_forms(w.norm):
            out.setdefault(f, []).append(i)
    doc.cache.put(WORD_FORMS, out)
    return out


def joinable_words(doc: Document) -> list[bool]:
    """``joinable[i]``: word i and word i+1 may belong to one phrase (only
    spaces or hyphens between them, no line break between paragraphs).
    Cached on the document."""
    hit = doc.cache.get(JOINABLE_WORDS)
    if hit is not None:
        return hit
    words = doc.words
    norm = doc.norm
    out: list[bool] = []
    for a, b in itertools.pairwise(words):
        gap = norm[a.end : b.start]
        out.append(len(gap) <= 3 and all(c in " -\t\n" for c in gap) and gap.count("\n") < 2)
    out.append(False)
    doc.cache.put(JOINABLE_WORDS, out)
    return out


@lru_cache(maxsize=65536)
def base_forms(tok: str) -> tuple[str, ...]:
    """The token and the base forms its regular inflections could come from.

    Over-generation is harmless (a candidate only matters if a lexicon has it);
    the candidates cover plural -s/-es/-ies, -ed/-d/-ied, -ing with a dropped
    ``e`` or doubled consonant, and the possessive 's.
    """
    forms = [tok]
    if tok.endswith("'s") and len(tok) > 3:
        tok = tok[:-2]
        forms.append(tok)
    n = len(tok)
    if n > 3 and tok.endswith("ies"):
        forms.append(tok[:-3] + "y")
    if n > 3 and tok.endswith("es"):
        forms.append(tok[:-2])
    if n > 2 and tok.endswith("s") and not tok.endswith("ss"):
        forms.append(tok[:-1])
    if n > 3 and tok.endswith("ied"):
        forms.append(tok[:-3] + "y")
    if n > 3 and tok.endswith("ed"):
        stem = tok[:-2]
        forms += [stem, tok[:-1]]
        if len(stem) > 2 and stem[-1] == stem[-2]:
            forms.append(stem[:-1])
    if n > 4 and tok.endswith("ing"):
        stem = tok[:-3]
        forms += [stem, stem + "e"]
        if len(stem) > 2 and stem[-1] == stem[-2]:
            forms.append(stem[:-1])
    # British spellings match American lexicon entries: terrorised, theatre, colour
    for f in list(forms):
        for a, b in (("is", "iz"), ("ys", "yz"), ("our", "or"), ("tre", "ter")):
            if a in f[1:]:
                forms.append(f[0] + f[1:].replace(a, b))
    return tuple(dict.fromkeys(forms))


def _parse_term(term: str) -> tuple[Word, ...]:
    words: list[Word] = []
    for part in normalize(term).split():
        if part == "*":
            words.append(Word("*", wild=True))
            continue
        exact = part.startswith("=")
        if exact:
            part = part[1:]
        pieces = _WORD_RE.findall(part)
        if not pieces:
            raise LexiconError(f"term {term!r} has no word in {part!r}")
        # the matcher compares words; a hyphen between them matches a hyphen,
        # a space or a dash. Anything else would be dropped without a word
        # ("c++" would match every "c"), so it is refused.
        rest = _WORD_RE.sub(" ", part).replace("-", " ").strip()
        if rest:
            raise LexiconError(
                f"term {term!r}: {rest[0]!r} cannot be matched (terms are words, "
                "apostrophes inside words, hyphens between them)"
            )
        words.extend(Word(p, exact=exact) for p in pieces)
    if not words or words[0].wild:
        raise LexiconError(f"term {term!r} must start with a word")
    return tuple(words)


def parse_lexicon(lines: Iterable[str], name: str = "<lexicon>") -> Lexicon:
    """Parse lexicon TSV text. Raises ``LexiconError`` naming the line on any fault."""
    meta: dict[str, str] = {}
    entries: list[Entry] = []
    seen: set[tuple[Word, ...]] = set()
    header_seen = False
    raw_rows: list[tuple[int, list[str]]] = []
    for lineno, line in enumerate(lines, 1):
        line = line.rstrip("\n").rstrip("\r")
        if not line.strip():
            continue
        if line.startswith("#"):
            m = _HEADER_KEY_RE.match(line)
            if m and not header_seen:
                meta[m.group(1).lower()] = m.group(2).strip()
            continue
        cols = line.split("\t")
        if not header_seen:
            if [c.strip().lower() for c in cols[:4]] != _COLUMNS:
                raise LexiconError(f"{name}:{lineno}: expected header row {_COLUMNS}")
            header_seen = True
            continue
        raw_rows.append((lineno, cols))
    family = meta.get("family", name)
    category = meta.get("category", "")
    default = meta.get("explanation", "")
    for lineno, cols in raw_rows:
        if len(cols) < 3 or len(cols) > 4:
            raise LexiconError(f"{name}:{lineno}: expected 4 tab-separated columns")
        term, label, weight_s = (c.strip() for c in cols[:3])
        explanation = cols[3].strip() if len(cols) == 4 else ""
        try:
            weight = float(weight_s)
        except ValueError:
            raise LexiconError(f"{name}:{lineno}: weight {weight_s!r} is not a number") from None
        if not 0.0 <= weight <= 1.0:
            raise LexiconError(f"{name}:{lineno}: weight {weight} is outside 0-1")
        if not label:
            raise LexiconError(f"{name}:{lineno}: empty label")
        try:
            words = _parse_term(term)
        except LexiconError as e:
            raise LexiconError(f"{name}:{lineno}: {e}") from None
        if words in seen:
            raise LexiconError(f"{name}:{lineno}: duplicate term {term!r}")
        seen.add(words)
        entries.append(Entry(term, words, label, weight, explanation or default, family, category))
    if not header_seen:
        raise LexiconError(f"{name}: no header row")
    return Lexicon(family, category, meta.get("source", ""), default, entries, meta)


@cache
def load_lexicon(filename: str) -> Lexicon:
    """Load a lexicon shipped in ``rhetoric/lexicons`` (cached: files never change)."""
    path = resources.files("rhetoric") / "lexicons" / filename
    with path.open(encoding="utf-8") as f:
        return parse_lexicon(f, filename)


@lru_cache(maxsize=1)
def report_verbs() -> frozenset[str]:
    """Base forms of the reporting verbs (``report_verbs.tsv``), for cue lookup."""
    return frozenset(
        e.words[0].text for e in load_lexicon("report_verbs.tsv").entries if len(e.words) == 1
    )


@cache
def shipped_lexicons() -> tuple[str, ...]:
    """Names of every lexicon TSV shipped with the package, sorted. Cached:
    the model features ask for them once per document, and the package's
    files do not change while it runs."""
    return tuple(
        sorted(
            p.name
            for p in (resources.files("rhetoric") / "lexicons").iterdir()
            if p.name.endswith(".tsv")
        )
    )
