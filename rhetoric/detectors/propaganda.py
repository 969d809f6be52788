"""Propaganda techniques with fixed wording (PTC technique names as labels):
flag-waving, slogans, thought-terminating cliches, black-and-white framing,
whataboutism, appeals to fear, bandwagon, and repetition of a phrase."""

from __future__ import annotations

from collections import defaultdict

from ..document import Document
from ..report import Finding
from .base import FunctionDetector, LexiconDetector, finding

CATEGORY = "propaganda"

_STOP = frozenset(
    """the a an of to in on and or for with at by from is are was were be been it its this
    that as but not no he she they we you i his her their our your has have had will would
    can could may might said says there which who what""".split()
)
REPETITION_EXPLANATION = (
    "The same phrase is hammered home again and again; repetition makes a claim "
    "feel familiar, and familiar claims feel true."
)


def repetition(doc: Document, n: int = 3, min_count: int = 3) -> list[Finding]:
    """A content phrase of ``n`` words repeated ``min_count`` or more times."""
    words = doc.words
    seen: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i in range(len(words) - n + 1):
        gram = tuple(w.norm for w in words[i:i + n])
        if sum(1 for g in gram if g not in _STOP) < 2:
            continue
        seen[gram].append(i)
    out: list[Finding] = []
    taken: set[int] = set()
    for _gram, starts in seen.items():
        if len(starts) < min_count:
            continue
        conf = min(0.4 + 0.05 * (len(starts) - min_count), 0.6)
        for i in starts:
            if i in taken:
                continue
            taken.update(range(i, i + n))
            out.append(finding(doc, words[i].start, words[i + n - 1].end, CATEGORY,
                               "Repetition", conf, "propaganda.repetition",
                               REPETITION_EXPLANATION))
    return out


DETECTORS = (
    LexiconDetector("propaganda.phrases", "propaganda.tsv"),
    FunctionDetector("propaganda.repetition", CATEGORY, repetition),
)
