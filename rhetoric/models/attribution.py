"""Word features of the PolNeAR-trained attribution cue and source taggers
(inference; plain Python). The taggers' runs of words join the rule-based
extractor in ``rhetoric.attribution.combine``."""

from __future__ import annotations

import bisect
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
    rv_idx = [i for i in range(n) if is_rv[i]]
    out: list[list[str]] = []
    for i, w in enumerate(words):
        f: list[str] = []
        si = sent_of[i]
        if is_rv[i]:
            f.append("rv")
        k = bisect.bisect_left(rv_idx, i)
        best = None
        for j in (k - 1, k, k + 1):
            if 0 <= j < len(rv_idx) and sent_of[rv_idx[j]] == si and rv_idx[j] != i:
                d = rv_idx[j] - i
                if best is None or abs(d) < abs(best):
                    best = d
        if best is not None:
            f.append(f"rvd={_bucket(best)}")
        before = norm[words[i - 1].end : w.start].strip() if i > 0 else ""
        after = norm[w.end : words[i + 1].start].strip() if i + 1 < n else norm[w.end :].strip()
        if before:
            f.append(f"pre={before[-1]}")
        if after:
            f.append(f"post={after[:1]}")
        if w.norm in _PRONOUNS:
            f.append("pron")
        cap = text[w.start].isupper()
        if cap and (
            (i > 0 and sent_of[i - 1] == si and text[words[i - 1].start].isupper())
            or (i + 1 < n and sent_of[i + 1] == si and text[words[i + 1].start].isupper())
        ):
            f.append("caprun")
        out.append([sys.intern(x) for x in f])  # one copy of each feature string
    doc.cache.put(EXTRA_FEATURES, out)
    return out
