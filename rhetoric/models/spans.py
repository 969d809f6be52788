"""Token labels from gold spans, and decoding token probabilities back into
character spans."""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from ..document import Document

__all__ = ["decode_spans", "token_labels"]


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
    doc: Document, probs: Sequence[float], threshold: float, max_gap: int = 1
) -> list[tuple[int, int, float]]:
    """Runs of words with probability >= ``threshold`` become spans
    ``(start, end, confidence)``. A gap of up to ``max_gap`` words inside one
    sentence is bridged; spans never cross a sentence boundary. ``confidence``
    is the mean probability of the run's words."""
    words = doc.words
    out: list[tuple[int, int, float]] = []
    run: list[int] = []
    gap = 0
    last_sent = -1

    def close() -> None:
        if run:
            ps = [probs[k] for k in run]
            out.append((words[run[0]].start, words[run[-1]].end, sum(ps) / len(ps)))

    for i, p in enumerate(probs):
        si = doc.sentence_index(words[i].start)
        if run and si != last_sent:
            close()
            run, gap = [], 0
        if p >= threshold:
            run.append(i)
            gap = 0
            last_sent = si
        elif run:
            gap += 1
            if gap > max_gap:
                close()
                run, gap = [], 0
    close()
    return out
