"""Features for the linear models, as strings (``"w=smoking"``): a readable
vocabulary that ships as JSON next to its weights.

Token features describe a word, its window, the shipped lexicon families that
cover it or its neighbours, whether it sits in a quotation, and where its
sentence falls; span features (for technique classification) describe a span,
its context and how often it recurs in the article; sentence features are
n-grams plus lexicon counts. The same functions serve training and inference,
so the two cannot drift apart.
"""

from __future__ import annotations

import bisect
import itertools
import re
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..core.document import CacheSlot, Document, Span
from ..core.lexicon import FUNCTION_WORDS, load_lexicon, shipped_lexicons

__all__ = [
    "TokenParts",
    "is_content_word",
    "lexicon_hits",
    "sentence_features",
    "span_features",
    "stem",
    "token_features",
    "token_parts",
]

_SUFFIXES = ("ingly", "ings", "ing", "edly", "ed", "ies", "es", "ly", "s")
# a wider list than the lexicon's: auxiliaries and connectives carry no
# topic either, which matters for recurrence counts and content words
_STOP = FUNCTION_WORDS | frozenset(
    [
        "about",
        "after",
        "before",
        "being",
        "did",
        "do",
        "does",
        "if",
        "into",
        "must",
        "over",
        "should",
        "so",
        "than",
        "then",
        "these",
        "those",
        "when",
        "where",
        "whom",
    ]
)


def is_content_word(w: str) -> bool:
    """Alphabetic, three letters or more, not a function word."""
    return len(w) >= 3 and w.isalpha() and w not in _STOP


@lru_cache(maxsize=1 << 16)
def stem(w: str) -> str:
    """A crude, deterministic stem: enough to pool inflections of one word.
    Memoised: sentence and span features ask for the same words' stems."""
    if w.endswith("'s"):
        w = w[:-2]
    for suf in _SUFFIXES:
        if len(w) > len(suf) + 3 and w.endswith(suf):
            return w[: -len(suf)]
    return w


def _shape(s: str) -> str:
    if s.isdigit():
        return "d"
    if s.isupper() and len(s) > 1:
        return "X"
    if s[:1].isupper():
        return "Xx"
    if any(c.isdigit() for c in s):
        return "xd"
    return "x"


LEXICON_HITS: CacheSlot[list[tuple[str, ...]]] = CacheSlot("lexicon families per word")
TOKEN_FEATURES: CacheSlot[list[list[str]]] = CacheSlot("word features")
# by the sentence's offsets
SENTENCE_FEATURES: CacheSlot[tuple[str, ...]] = CacheSlot("sentence features")


_NO_HITS: tuple[str, ...] = ()


def lexicon_hits(doc: Document) -> list[tuple[str, ...]]:
    """For each word of ``doc``, the shipped lexicon families (and labels)
    covering it, sorted. Cached on the document: detectors and models share it.
    Sorted, not a set: features are built in this order, and a set's order
    changes with ``PYTHONHASHSEED``, which moved probabilities in the last bit
    between two processes."""
    cached = doc.cache.get(LEXICON_HITS)
    if cached is not None:
        return cached
    # most words are in no lexicon: they share one empty set (a set per word
    # was a tenth of the memory a long article needs)
    hits: dict[int, set[str]] = {}
    for name in shipped_lexicons():
        lex = load_lexicon(name)
        for m in lex.match(doc):
            tag = f"{lex.family}:{m.entry.label}" if m.entry.label != lex.family else lex.family
            for i in range(m.first_word, m.last_word + 1):
                h = hits.setdefault(i, set())
                h.add(lex.family)
                h.add(tag)
    out = [_NO_HITS] * len(doc.words)
    for i, h in hits.items():
        out[i] = tuple(sorted(h))
    doc.cache.put(LEXICON_HITS, out)
    return out


def _quote_depth(doc: Document) -> list[bool]:
    """For each word: inside a double-quoted stretch of its paragraph (one
    left-to-right pass; the count restarts at every paragraph)."""
    norm = doc.norm
    inside = []
    paras = doc.paragraphs
    pi = 0
    pos = paras[0].start if paras else 0
    odd = False
    for w in doc.words:
        while pi + 1 < len(paras) and paras[pi + 1].start <= w.start:
            pi += 1
            pos, odd = paras[pi].start, False
        odd ^= norm.count('"', pos, w.start) % 2 == 1
        pos = w.start
        inside.append(odd)
    return inside


def _bucket(n: float, edges: Sequence[float]) -> int:
    return bisect.bisect_right(edges, n)


# Feature strings by word type and by word pair, shared by every document of
# a process: an article builds few strings it has not seen before (building
# and interning 16 strings per word was a fifth of an analysis). Cleared when
# large, so a batch over millions of words stays flat in memory.
_BY_TYPE: dict[str, tuple[str, ...]] = {}
_BY_PAIR: dict[tuple[str, str], tuple[str, str, str]] = {}
_BY_TEXT: dict[str, str] = {}
_CACHE_LIMIT = 200_000


def _type_strings(lw: str) -> tuple[str, ...]:
    """w=, st=, suf=, then as a neighbour: w-1=, st-1=, w-2=, w+1=, st+1=,
    w+2= (interned)."""
    hit = _BY_TYPE.get(lw)
    if hit is None:
        if len(_BY_TYPE) >= _CACHE_LIMIT:
            _BY_TYPE.clear()
        st = stem(lw)
        hit = _BY_TYPE[lw] = tuple(
            sys.intern(x)
            for x in (
                f"w={lw}",
                f"st={st}",
                f"suf={lw[-3:]}",
                f"w-1={lw}",
                f"st-1={st}",
                f"w-2={lw}",
                f"w+1={lw}",
                f"st+1={st}",
                f"w+2={lw}",
            )
        )
    return hit


def _pair_strings(a: str, b: str) -> tuple[str, str, str]:
    """b-1=a|b (for b's row), b+1=a|b (for a's row) and the sentence
    feature b=a|b."""
    hit = _BY_PAIR.get((a, b))
    if hit is None:
        if len(_BY_PAIR) >= _CACHE_LIMIT:
            _BY_PAIR.clear()
        hit = _BY_PAIR[(a, b)] = (
            sys.intern(f"b-1={a}|{b}"),
            sys.intern(f"b+1={a}|{b}"),
            sys.intern(f"b={a}|{b}"),
        )
    return hit


def _shape_string(w_text: str) -> str:
    hit = _BY_TEXT.get(w_text)
    if hit is None:
        if len(_BY_TEXT) >= _CACHE_LIMIT:
            _BY_TEXT.clear()
        hit = _BY_TEXT[w_text] = sys.intern(f"sh={_shape(w_text)}")
    return hit


@dataclass(frozen=True)
class TokenParts:
    """The pieces of every word's token features, before they are put in
    rows: ``token_features`` joins them as strings (the reference, and what
    training reads); ``joint.token_id_grid`` joins their ids column by column
    in the same order, with no per-word row built. A row is: ``w``, ``st``,
    ``sh``, ``suf``, the sentence's ``info``; then ``w-1``, ``b-1``, ``st-1``
    (and ``w-2``) with a previous word in the sentence, else ``first``; then
    ``w+1``, ``b+1``, ``st+1`` (and ``w+2``) with a next one, else ``last``;
    the word's ``lex``, its neighbours' ``near``; ``inq``, ``rep``, ``capmid``
    when they hold. Absent pieces are ""."""

    types: list[tuple[str, ...]]  # per word: _type_strings
    shapes: list[str]
    info: list[tuple[str, ...]]  # per sentence
    sent_of: list[int]
    prev: list[bool]  # word i-1 is in i's sentence
    prev2: list[bool]
    next: list[bool]
    next2: list[bool]
    pair_before: list[str]  # b-1 (when prev)
    pair_after: list[str]  # b+1 (when next)
    lex: list[tuple[str, ...]]
    near: list[tuple[str, ...]]
    inq: list[bool]
    rep: list[str]
    capmid: list[bool]


TOKEN_PARTS: CacheSlot[TokenParts] = CacheSlot("word feature parts")


def token_parts(doc: Document) -> TokenParts:
    """``TokenParts`` of ``doc``, cached."""
    cached = doc.cache.get(TOKEN_PARTS)
    if cached is not None:
        return cached
    words = doc.words
    n = len(words)
    text = doc.text
    lows = [w.norm for w in words]
    types = [_type_strings(lw) for lw in lows]
    lex = lexicon_hits(doc)
    counts = Counter(
        t[1] for t, lw in zip(types, lows, strict=True) if lw not in _STOP and len(lw) > 3
    )
    sents = doc.sentences
    n_sent = max(1, len(sents))
    sent_of = doc.word_sentences
    titled = _has_title(doc)
    intern = sys.intern
    lex_strings = [tuple(intern(f"lex={h}") for h in hs) if hs else () for hs in lex]
    near_strings = [
        tuple(intern(f"nlex={h}") for h in hs if ":" not in h) if hs else () for hs in lex
    ]
    info: list[tuple[str, ...]] = []
    for si in range(max(1, len(sents))):
        s = sents[si] if sents else Span(0, len(text))
        sw = doc.words_in(s)
        i0 = bisect.bisect_left(doc.word_starts, s.start)  # the sentence's first word
        fam = Counter(f for hits in lex[i0 : i0 + len(sw)] for f in hits if ":" not in f)
        chunk = doc.norm[s.start : s.end]
        spos = "title" if si == 0 and titled else _bucket(si / n_sent, (0.1, 0.3, 0.7))
        info.append(
            tuple(
                intern(x)
                for x in (
                    f"slen={_bucket(len(sw), (6, 12, 20, 30, 45))}",
                    f"spos={spos}",
                    *(["s!"] if "!" in chunk else []),
                    *(["s?"] if "?" in chunk else []),
                    *(f"sfam={f}" for f, c in fam.items() if c),
                    *(f"sfam2={f}" for f, c in fam.items() if c > 1),
                )
            )
        )
    # same[i]: words i and i+1 share a sentence
    same = [a == b for a, b in itertools.pairwise(sent_of)]
    both = [a and b for a, b in itertools.pairwise(same)]
    prev = [False, *same][:n]
    nxt = [*same, False][:n]
    prev2 = [False, False, *both][:n]
    next2 = [*both, False, False][:n]
    pairs = [
        _pair_strings(a, b) if ok else ("", "", "")
        for (a, b), ok in zip(itertools.pairwise(lows), same, strict=True)
    ]
    texts = [text[w.start : w.end] for w in words]
    near: list[tuple[str, ...]] = []
    for i in range(n):
        # a family on two neighbours is one feature (every row holds distinct
        # features, as training's 0/1 matrix sees them)
        got: dict[str, None] = {}
        si = sent_of[i]
        for j in (i - 2, i - 1, i + 1, i + 2):
            if 0 <= j < n and near_strings[j] and sent_of[j] == si:
                got.update(dict.fromkeys(near_strings[j]))
        near.append(tuple(got))
    rep = []
    for t in types:
        c = counts.get(t[1], 0)
        rep.append(intern(f"rep={_bucket(c, (5, 10))}") if c >= 3 else "")
    parts = TokenParts(
        types=types,
        shapes=[_shape_string(t) for t in texts],
        info=info,
        sent_of=sent_of,
        prev=prev,
        prev2=prev2,
        next=nxt,
        next2=next2,
        pair_before=["", *(p[0] for p in pairs)][:n],
        pair_after=[*(p[1] for p in pairs), ""][:n],
        lex=lex_strings,
        near=near,
        inq=_quote_depth(doc),
        rep=rep,
        capmid=[p and t[:1].isupper() for p, t in zip(prev, texts, strict=True)],
    )
    return doc.cache.put(TOKEN_PARTS, parts)


def token_features(doc: Document) -> list[list[str]]:
    """Feature strings for every word token of ``doc`` (same order as
    ``doc.words``); each row holds distinct features. The strings are shared
    (interned) across rows and documents: "w=the" is in thousands of rows."""
    cached = doc.cache.get(TOKEN_FEATURES)
    if cached is not None:
        return cached
    p = token_parts(doc)
    types = p.types
    feats: list[list[str]] = []
    for i, t in enumerate(types):
        f = [t[0], t[1], p.shapes[i], t[2], *p.info[p.sent_of[i]]]
        if p.prev[i]:
            tp = types[i - 1]
            f += (tp[3], p.pair_before[i], tp[4])
            if p.prev2[i]:
                f.append(types[i - 2][5])
        else:
            f.append("first")
        if p.next[i]:
            tn = types[i + 1]
            f += (tn[6], p.pair_after[i], tn[7])
            if p.next2[i]:
                f.append(types[i + 2][8])
        else:
            f.append("last")
        f += p.lex[i]
        f += p.near[i]
        if p.inq[i]:
            f.append("inq")
        if p.rep[i]:
            f.append(p.rep[i])
        if p.capmid[i]:
            f.append("capmid")
        feats.append(f)
    doc.cache.put(TOKEN_FEATURES, feats)
    return feats


def _has_title(doc: Document) -> bool:
    """A headline: the first sentence is a whole paragraph of its own and more
    text follows (a lone sentence is not a title)."""
    paras = doc.paragraphs
    sents = doc.sentences
    return (
        len(paras) > 1
        and bool(sents)
        and sents[0].start >= paras[0].start
        and doc.text[sents[0].end : paras[0].end].strip() == ""
    )


_WORD_RE = re.compile(r"\w+(?:'\w+)*")
RECUR_WINDOW = 50_000


def span_features(doc: Document, start: int, end: int) -> list[str]:
    """Features of one span for technique classification: its words and
    bigrams, length, shape, context words, lexicon families inside it, and how
    often its wording recurs in the article (the mark of Repetition)."""
    norm = doc.norm
    ws = [m.group() for m in _WORD_RE.finditer(norm, start, end)]
    raw = doc.text[start:end]
    f = [f"sw={w}" for w in ws] + [f"sst={stem(w)}" for w in ws]
    f += [f"sb={a}|{b}" for a, b in itertools.pairwise(ws)]
    nw = len(ws)
    f.append(f"len={_bucket(nw, (1, 2, 3, 5, 8, 13, 21))}")
    if nw and ws[0]:
        f.append(f"first={ws[0]}")
        f.append(f"lastw={ws[-1]}")
    if raw.isupper() and any(c.isalpha() for c in raw):
        f.append("allcaps")
    if raw.rstrip().endswith("!") or norm[end : end + 1] == "!":
        f.append("excl")
    if "?" in raw or norm[end : end + 1] == "?":
        f.append("quest")
    if norm[start - 1 : start] == '"' or norm[end : end + 1] == '"':
        f.append("quoted")
    before = [m.group() for m in _WORD_RE.finditer(norm, max(0, start - 60), start)][-3:]
    after = [m.group() for m in _WORD_RE.finditer(norm, end, min(len(norm), end + 60))][:3]
    f += [f"cb={w}" for w in before] + [f"ca={w}" for w in after]
    if before:
        f.append(f"cb1={before[-1]}")
    if after:
        f.append(f"ca1={after[0]}")
    # recurrence of the phrase (or its content words) in the article: within
    # RECUR_WINDOW characters either side, the whole of any article of normal
    # length (counting over all of a 10 MB text for every span was quadratic)
    phrase = norm[start:end].strip()
    if 3 <= len(phrase) <= 80:
        c = norm.count(phrase, max(0, start - RECUR_WINDOW), end + RECUR_WINDOW)
        f.append(f"recur={_bucket(c, (1, 2, 3, 5))}")
    lex = lexicon_hits(doc)
    ws_idx = bisect.bisect_left(doc.word_starts, start)
    we_idx = bisect.bisect_left(doc.word_starts, end)
    fams: set[str] = set()
    for i in range(ws_idx, min(we_idx, len(lex))):
        fams.update(lex[i])
    f += [f"slex={h}" for h in sorted(fams)]
    si = doc.sentence_index(start)
    if si == 0 and _has_title(doc):
        f.append("intitle")
    if doc.sentences:
        s = doc.sentences[si]
        sent_words = doc.word_count(s)
        f.append(f"cover={_bucket(nw / max(1, sent_words), (0.2, 0.5, 0.8))}")
    return f


def sentence_features(doc: Document, s: Span) -> list[str]:
    """Features of a sentence: words, stems, bigrams, lexicon families and a
    few shape cues. Used by the PTC sentence model, the BABE bias model and the
    hedging sentence model, so they are built once per sentence (cached on the
    document; each caller gets its own copy to extend). Each feature appears
    once, as training's 0/1 matrix sees it ("w=the" for two "the")."""
    key = (s.start, s.end)
    hit = doc.cache.get(SENTENCE_FEATURES, key)
    if hit is None:
        feats = dict.fromkeys(map(sys.intern, _sentence_features(doc, s)))
        hit = doc.cache.put(SENTENCE_FEATURES, tuple(feats), key)
    return list(hit)


def _sentence_features(doc: Document, s: Span) -> list[str]:
    words = doc.words_in(s)
    lows = [w.norm for w in words]
    lex = lexicon_hits(doc)
    types = [_type_strings(w) for w in lows]  # w= and st= are the token features' strings
    f = [t[0] for t in types] + [t[1] for t in types]
    f += [_pair_strings(a, b)[2] for a, b in itertools.pairwise(lows)]
    i0 = bisect.bisect_left(doc.word_starts, s.start)
    fam: Counter[str] = Counter()
    for i in range(i0, i0 + len(words)):
        for h in lex[i]:
            fam[h] += 1
    f += [f"fam={h}" for h in fam] + [f"fam2={h}" for h, c in fam.items() if c > 1]
    chunk = doc.norm[s.start : s.end]
    f.append(f"len={_bucket(len(words), (6, 12, 20, 30, 45))}")
    if "!" in chunk:
        f.append("excl")
    if "?" in chunk:
        f.append("quest")
    if '"' in chunk:
        f.append("quote")
    return f
