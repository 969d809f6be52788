"""Token labels from gold spans, and decoding token probabilities back into
character spans (``decode_spans``) or runs of words (``word_runs``)."""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from ..core.document import Document

__all__ = ["decode_spans", "token_labels", "word_runs"]


def token_labels(doc: Document, spans: Sequence[tuple[int, int]]) -> list[int]:
    """1 for each word of ``doc`` that overlaps a gold span, else 0."""
    words = doc.words
    y = [0] * len(words)
    starts = doc.word_starts
    for s, e in spans:
        i = max(0, bisect.bisect_right(starts, s) - 1)
        while i < len(words) and words[i].start < e:
            if words[i].end > s:
                y[i] = 1
            i += 1
    return y


def decode_spans(
    doc: Document,
    probs: Sequence[float],
    threshold: float,
    max_gap: int = 1,
    seed: float | None = None,
) -> list[tuple[int, int, float]]:
    """Hysteresis decoding of word probabilities into spans
    ``(start, end, confidence)``.

    A run of words at or above ``threshold`` (bridging up to ``max_gap``
    weaker words, never crossing a sentence) becomes a span when at least one
    of its words reaches ``seed`` (default: ``threshold``): weak evidence
    extends a span but cannot start one. ``confidence`` is the mean
    probability of the run's words from first to last.
    """
    words = doc.words
    n = len(words)
    hi = threshold if seed is None else max(seed, threshold)
    sent = doc.word_sentences
    out: list[tuple[int, int, float]] = []
    j = 0
    while j < n:
        if probs[j] < threshold:
            j += 1
            continue
        last = k = j
        gap = 0
        while k + 1 < n and sent[k + 1] == sent[j]:
            k += 1
            if probs[k] >= threshold:
                last, gap = k, 0
            else:
                gap += 1
                if gap > max_gap:
                    break
        seg = probs[j : last + 1]
        if max(seg) >= hi:
            out.append((words[j].start, words[last].end, sum(seg) / len(seg)))
        j = last + 1
    return out


def word_runs(
    doc: Document, probs: Sequence[float], threshold: float
) -> list[tuple[int, int, float]]:
    """Runs of adjacent words (same sentence, nothing but spaces, hyphens or
    apostrophes between) at or above ``threshold``: ``(first, last, mean)``
    word indices."""
    words = doc.words
    out: list[tuple[int, int, float]] = []
    run: list[int] = []

    def close() -> None:
        if run:
            out.append((run[0], run[-1], sum(probs[k] for k in run) / len(run)))

    for i, p in enumerate(probs):
        if p < threshold:
            close()
            run = []
            continue
        if run:
            j = run[-1]
            gap = doc.norm[words[j].end : words[i].start]
            if (
                j != i - 1
                or gap.strip(" -'")
                or doc.sentence_index(words[j].start) != doc.sentence_index(words[i].start)
            ):
                close()
                run = []
        run.append(i)
    close()
    return out
