"""Sentence-level bias (BABE-trained) and the biased-word tagger (inference).

A sentence's bias probability comes from the sentence model; the words that
carry the bias come from the word tagger. The report gets one finding per
flagged word: its confidence is the sentence's bias probability when the
sentence is judged biased and the tagger is fairly sure of the word (>=
``STRONG_WORD``); otherwise it stays below 0.5 ("worth a look").
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.document import CacheSlot, Document
from .apply import sentence_probabilities, word_probabilities
from .features import is_content_word
from .linear import LinearModel
from .store import BabeBundle

__all__ = ["STRONG_WORD", "BiasFinding", "bias_findings", "sentence_bias"]

# A word the tagger is less sure of than this is shown as "worth a look"
# (confidence < 0.5) even in a biased sentence: below it the tagger mostly
# points at neutral nouns ("council", "hotel") on our dev passages.
STRONG_WORD = 0.4
# Words from this probability up are shown as "worth a look" (below 0.5): the
# operating point where, in 5-fold CV on BABE, the report's loaded-language
# findings cover 53% of the words experts marked as biased while 31% of those
# findings fall inside a marked word (at the CV-optimal 0.2: 48% and 36%).
LOW_TIER = 0.12


@dataclass(frozen=True, slots=True)
class BiasFinding:
    start: int
    end: int
    confidence: float
    sentence_prob: float
    word_prob: float


def sentence_bias(doc: Document, model: LinearModel) -> list[float]:
    """P(biased) for each sentence."""
    return sentence_probabilities(doc, model)


def _joined(doc: Document, i: int, j: int) -> bool:
    """Only spaces or a hyphen between words i and j."""
    gap = doc.norm[doc.words[i].end : doc.words[j].start]
    return len(gap) <= 1 and gap in ("", " ", "-")


BABE_FINDINGS: CacheSlot[list[BiasFinding]] = CacheSlot("BABE findings")


def bias_findings(doc: Document, models: BabeBundle) -> list[BiasFinding]:
    """Word runs the tagger marks as biased, with confidences as described above."""
    cached = doc.cache.get(BABE_FINDINGS)
    if cached is not None:
        return cached
    sent_m: LinearModel = models["sentence"]
    word_m: LinearModel = models["word"]
    sp = sentence_bias(doc, sent_m)
    words = doc.words
    s_th = sent_m.threshold
    w_th = min(word_m.threshold, LOW_TIER)
    out: list[BiasFinding] = []
    by_sent: dict[int, list[tuple[int, float]]] = {}
    probs = word_probabilities(doc, word_m)
    for i, (si, p) in enumerate(zip(doc.word_sentences, probs, strict=True)):
        by_sent.setdefault(si, []).append((i, p))
    # a flagged word must be a content word: "the" is never the biased word
    for si in by_sent:
        by_sent[si] = [(i, p) for i, p in by_sent[si] if is_content_word(words[i].norm)]
    for si, items in by_sent.items():
        p_s = sp[si]
        chosen = [(i, p) for i, p in items if p >= w_th]
        # adjacent flagged words ("bloodthirsty thugs") form one finding;
        # runs never cross a sentence
        runs: list[list[tuple[int, float]]] = []
        for i, p in chosen:
            if runs and runs[-1][-1][0] == i - 1 and _joined(doc, i - 1, i):
                runs[-1].append((i, p))
            else:
                runs.append([(i, p)])
        for run in runs:
            p = max(q for _, q in run)
            strong = p_s >= s_th and p >= STRONG_WORD
            conf = p_s if strong else min(p_s, p, 0.45)
            out.append(BiasFinding(words[run[0][0]].start, words[run[-1][0]].end, conf, p_s, p))
    doc.cache.put(BABE_FINDINGS, out)
    return out
