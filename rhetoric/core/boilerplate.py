"""Page furniture that is not the article: share and subscribe prompts, ads,
donation appeals, reader polls and comment counts, related-story links,
photo captions and credits, bylines, contact lines, embedded-post signatures
and video-player text.

Articles taken from the web keep such lines (the SemEval-2019 hyperpartisan
articles keep them as published), and a detector reading them would flag a
reader poll's question as "Doubt" or a sponsored headline as loaded. They are
recognised line by line from patterns kept as data (``data/boilerplate.tsv``),
shown as such where the article is displayed, and left out of findings and
scores. A line is only ever furniture when it is short: running prose that
happens to mention a newsletter stays article text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .document import CacheSlot, Document, Span, split_lines

__all__ = ["BOILERPLATE_KINDS", "MAX_WORDS", "Boilerplate", "boilerplate", "boilerplate_patterns"]

# Longer lines are article text whatever they contain.
MAX_WORDS = 40
BOILERPLATE_KINDS = (
    "share",
    "subscribe",
    "ad",
    "donate",
    "comments",
    "poll",
    "related",
    "credit",
    "caption",
    "disclaimer",
    "player",
    "link",
    "byline",
    "contact",
    "embed",
)


@dataclass(frozen=True, slots=True)
class Boilerplate:
    """A line of page furniture: ``[start, end)`` and its kind."""

    start: int
    end: int
    kind: str

    def to_dict(self) -> dict[str, object]:
        return {"start": self.start, "end": self.end, "kind": self.kind}


@lru_cache(maxsize=1)
def boilerplate_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """``(kind, pattern)`` rows of ``data/boilerplate.tsv``, compiled once."""
    text = resources.files("rhetoric").joinpath("data/boilerplate.tsv").read_text("utf-8")
    rows = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        kind, _, pattern = line.partition("\t")
        if kind not in BOILERPLATE_KINDS or not pattern:
            raise ValueError(f"data/boilerplate.tsv:{n}: expected KIND<TAB>PATTERN, got {line!r}")
        rows.append((kind, re.compile(pattern, re.IGNORECASE)))
    return tuple(rows)


def _lines(doc: Document) -> list[Span]:
    """The non-blank lines of every paragraph, stripped of outer spaces."""
    return [line for para in doc.paragraphs for line in split_lines(doc.text, para.start, para.end)]


def classify_line(line: str) -> str | None:
    """The boilerplate kind of one stripped line, or None for article text."""
    if len(line.split()) > MAX_WORDS:
        return None
    for kind, pattern in boilerplate_patterns():
        if pattern.search(line):
            return kind
    return None


BOILERPLATE: CacheSlot[list[Boilerplate]] = CacheSlot("boilerplate")


# An author's bio closes a page: "Jane Roe is a senior fellow at the X Institute."
_BIO = re.compile(
    r"^[A-Z][\w.'’-]+( [A-Z][\w.'’-]+){0,3},? (is|was) (a|an|the) [\w ,-]{0,60}?"
    r"\b(fellow|professor|columnist|editor|writer|author|contributor|correspondent|analyst|"
    r"director|reporter|journalist|host|historian|commentator|blogger|president|founder)\b",
)
BIO_LINES = 3  # how many of the last lines can be a bio
# A run of this many short lines with no closing punctuation is a list of links
# or headlines ("Related stories", a tag cloud), not prose.
RUN = 3
RUN_MAX_WORDS = 16
# A reader poll: a question line followed by at least two short answer lines
# ("Yes", "No", "Not sure"). A question in the article is followed by prose.
POLL_OPTIONS = 2
OPTION_MAX_WORDS = 4


def _poll_at(texts: list[str], i: int) -> int:
    """How many lines from ``i`` form a poll (0 when line ``i`` opens none)."""
    if not texts[i].rstrip().endswith("?"):
        return 0
    j = i + 1
    while (
        j < len(texts)
        and 0 < len(texts[j].split()) <= OPTION_MAX_WORDS
        and texts[j].rstrip()[-1:] not in ".:;,"
    ):
        j += 1
    return j - i if j - i - 1 >= POLL_OPTIONS else 0


def _headline_like(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= RUN_MAX_WORDS and line.rstrip()[-1:] not in ".:;,!?\"”'"


def boilerplate(doc: Document) -> list[Boilerplate]:
    """The document's furniture lines, in text order (cached on ``doc``):
    lines that match a pattern, an author's bio among the last lines, reader
    polls (a question and its answer lines), and runs of headline-like lines
    (link lists) after the first paragraph."""
    cached = doc.cache.get(BOILERPLATE)
    if cached is not None:
        return cached
    lines = _lines(doc)
    texts = [doc.text[s.start : s.end] for s in lines]
    kinds: list[str | None] = [classify_line(t) for t in texts]
    for i in range(max(0, len(lines) - BIO_LINES), len(lines)):
        if kinds[i] is None and len(texts[i].split()) <= MAX_WORDS and _BIO.search(texts[i]):
            kinds[i] = "byline"
    for i in range(len(lines)):
        for k in range(i, i + _poll_at(texts, i)):
            kinds[k] = kinds[k] or "poll"
    i = 1  # the first line is the headline
    while i < len(lines):
        j = i
        while j < len(lines) and _headline_like(texts[j]):
            j += 1
        if j - i >= RUN:
            for k in range(i, j):
                kinds[k] = kinds[k] or "related"
        i = max(j, i + 1)
    out = [
        Boilerplate(s.start, s.end, k) for s, k in zip(lines, kinds, strict=True) if k is not None
    ]
    return doc.cache.put(BOILERPLATE, out)
