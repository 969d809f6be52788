"""Small text helpers over a ``Document`` that detectors, models and the
attribution extractor share: where a clause ends, which quotation marks pair."""

from __future__ import annotations

import bisect
import re

from .document import CacheSlot, Document

__all__ = ["CLAUSE_STOP", "MAX_SCOPE_WORDS", "clause_end", "quote_pairs", "whole_compounds"]

CLAUSE_STOP = frozenset(',;:.!?()[]"')
MAX_SCOPE_WORDS = 25


def _inner_full_stop(doc: Document, end: int, limit: int) -> bool:
    """A full stop with more of its sentence after it: the sentence splitter
    took it for an abbreviation or an initial ("Mr.", "Sept.", "John A.")."""
    return doc.text[end:limit].strip(" \t\n\"')]}\u201d\u2019") != ""


def clause_end(doc: Document, pos: int, max_words: int = MAX_SCOPE_WORDS) -> int:
    """End offset of the clause that continues at ``pos``: up to the next
    clause punctuation (a comma inside a number does not count), a spaced dash,
    the sentence end, or ``max_words`` words, whichever comes first."""
    sent = doc.sentences[doc.sentence_index(pos)] if doc.sentences else None
    limit = sent.end if sent is not None and sent.end >= pos else len(doc.text)
    tokens = doc.tokens
    i = bisect.bisect_left(doc.token_starts, pos)
    end = pos
    words = 0
    norm = doc.norm
    while i < len(tokens) and tokens[i].start < limit:
        t = tokens[i]
        if not t.is_word:
            ch = t.norm
            after = norm[t.end : t.end + 1]
            before = norm[t.start - 1 : t.start] if t.start else ""
            if ch == "," and after.isdigit() and before.isdigit():
                i += 1
                continue
            if ch == "." and _inner_full_stop(doc, t.end, limit):
                i += 1  # "Mr. Trump", "Sept. 11": the sentence splitter kept it inside
                continue
            if ch in CLAUSE_STOP or (ch == "-" and before == " " and after == " "):
                break
            if ch == "'" and (before in (" ", "") or after in (" ", "")):
                break
        else:
            words += 1
            if words > max_words:
                break
            end = t.end
        i += 1
    return max(end, pos)


_QUOTE_MARKS = re.compile("[\"']")
QUOTE_PAIRS: CacheSlot[list[tuple[int, int]]] = CacheSlot("quotation mark pairs")


def quote_pairs(doc: Document) -> list[tuple[int, int]]:
    """Pairs (open, close) of quotation marks within one paragraph. Double
    quotes pair in order; single quotes only when they sit at word edges, so
    apostrophes ("don't", "Moscow's", "the 90s'") are not taken for quotes.
    Cached on the document (the voice, attribution and scare-quote code all
    ask)."""
    hit = doc.cache.get(QUOTE_PAIRS)
    if hit is not None:
        return hit
    norm = doc.norm
    pairs: list[tuple[int, int]] = []
    for para in doc.paragraphs:
        open_d: int | None = None
        open_s: int | None = None
        for m in _QUOTE_MARKS.finditer(norm, para.start, para.end):
            i = m.start()
            if norm[i] == '"':
                if open_d is None:
                    open_d = i
                else:
                    pairs.append((open_d, i))
                    open_d = None
            else:
                before = norm[i - 1] if i > para.start else " "
                after = norm[i + 1] if i + 1 < para.end else " "
                if open_s is None and not before.isalnum() and after.isalnum():
                    open_s = i
                elif open_s is not None and not after.isalnum() and before != " ":
                    pairs.append((open_s, i))
                    open_s = None
    return doc.cache.put(QUOTE_PAIRS, sorted(pairs))


def whole_compounds(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` widened to whole hyphenated words: a span must not
    cut "black-and-white" to "white" or "lame-duck" to "lame"."""
    while start > 1 and text[start - 1] == "-" and text[start - 2].isalnum():
        start -= 2
        while start > 0 and text[start - 1].isalnum():
            start -= 1
    n = len(text)
    while end + 1 < n and text[end] == "-" and text[end + 1].isalnum():
        end += 2
        while end < n and text[end].isalnum():
            end += 1
    return start, end
