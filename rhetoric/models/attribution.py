"""Word features of the PolNeAR-trained attribution cue and source taggers
(inference; plain Python). The taggers' runs of words join the rule-based
extractor in ``rhetoric.attribution.combine``."""

from __future__ import annotations

import sys

from ..core.document import CacheSlot, Document
from ..core.lexicon import base_forms, report_verbs
from .features import token_features

__all__ = ["attribution_extra_features", "attribution_token_features"]

_PRONOUNS = frozenset(["he", "she", "they", "i", "we", "you", "it", "who", "which", "that"])
_QUOTES = frozenset('"')


def _bucket(d: int) -> str:
    if d == 0:
        return "0"
    sign = "-" if d < 0 else "+"
    a = abs(d)
    return f"{sign}{a if a <= 3 else ('4' if a <= 6 else '7')}"


EXTRA_FEATURES: CacheSlot[list[list[str]]] = CacheSlot("attribution word features")
# one interned copy of each "pre=" / "post=" feature
_STRINGS: dict[str, str] = {}
_RVD = {d: sys.intern(f"rvd={_bucket(d)}") for d in range(-7, 8)}


def _rvd(d: int) -> str:
    return _RVD.get(d) or sys.intern(f"rvd={_bucket(d)}")


def attribution_token_features(doc: Document) -> list[list[str]]:
    """The shared word features (``features.token_features``) plus what marks
    attribution (``attribution_extra_features``)."""
    return [
        [*base, *extra]
        for base, extra in zip(token_features(doc), attribution_extra_features(doc), strict=True)
    ]


def attribution_extra_features(doc: Document) -> list[list[str]]:
    """What marks attribution, for each word: reporting-verb forms in and
    around the word, the distance to the nearest reporting verb of the
    sentence, quotation marks and commas at the word's edges, pronouns and runs
    of capitalised words. Cached."""
    cached = doc.cache.get(EXTRA_FEATURES)
    if cached is not None:
        return cached
    words = doc.words
    norm = doc.norm
    text = doc.text
    verbs = report_verbs()
    n = len(words)
    rv_of: dict[str, bool] = {}
    is_rv = []
    for w in words:
        v = rv_of.get(w.norm)
        if v is None:
            v = rv_of[w.norm] = w.norm == "according" or any(b in verbs for b in base_forms(w.norm))
        is_rv.append(v)
    sent_of = doc.word_sentences
    # the nearest reporting verb of the sentence before and after each word
    # (itself excluded): one pass each way
    out: list[list[str]] = []
    upper = [text[w.start].isupper() for w in words]
    last_rv: int | None = None
    before_rv: list[int | None] = []
    for i in range(n):
        before_rv.append(
            last_rv if last_rv is not None and sent_of[last_rv] == sent_of[i] else None
        )
        if is_rv[i]:
            last_rv = i
    next_rv: int | None = None
    after_rv: list[int | None] = [None] * n
    for i in range(n - 1, -1, -1):
        after_rv[i] = next_rv if next_rv is not None and sent_of[next_rv] == sent_of[i] else None
        if is_rv[i]:
            next_rv = i
    strings = _STRINGS
    for i, w in enumerate(words):
        f: list[str] = []
        si = sent_of[i]
        if is_rv[i]:
            f.append("rv")
        b, a = before_rv[i], after_rv[i]
        # the nearer one; on a tie the earlier
        if b is not None and (a is None or i - b <= a - i):
            f.append(_rvd(b - i))
        elif a is not None:
            f.append(_rvd(a - i))
        before = norm[words[i - 1].end : w.start].strip() if i > 0 else ""
        after = norm[w.end : words[i + 1].start].strip() if i + 1 < n else norm[w.end :].strip()
        if before:
            key = "pre=" + before[-1]
            f.append(strings.get(key) or strings.setdefault(key, sys.intern(key)))
        if after:
            key = "post=" + after[:1]
            f.append(strings.get(key) or strings.setdefault(key, sys.intern(key)))
        if w.norm in _PRONOUNS:
            f.append("pron")
        if upper[i] and (
            (i > 0 and sent_of[i - 1] == si and upper[i - 1])
            or (i + 1 < n and sent_of[i + 1] == si and upper[i + 1])
        ):
            f.append("caprun")
        out.append(f)
    doc.cache.put(EXTRA_FEATURES, out)
    return out
