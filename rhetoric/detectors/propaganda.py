"""Propaganda techniques with fixed wording (PTC technique names as labels):
flag-waving, slogans, thought-terminating cliches, black-and-white framing,
whataboutism, appeals to fear, bandwagon, and repetition of a phrase."""

from __future__ import annotations

from collections import Counter, defaultdict

from ..core.document import Document
from ..core.lexicon import FUNCTION_WORDS, joinable_words
from ..core.report import Finding
from .base import FunctionDetector, LexiconDetector, finding

CATEGORY = "propaganda"

# reporting verbs are glue in news, not the words of a slogan
_STOP = FUNCTION_WORDS | {"said", "says"}
REPETITION_EXPLANATION = (
    "The same phrase is hammered home again and again; repetition makes a claim "
    "feel familiar, and familiar claims feel true."
)


def repetition(doc: Document, min_count: int = 3) -> list[Finding]:
    """A content phrase of 3-6 words repeated ``min_count`` or more times; the
    longest repeated phrase wins ("stop the tax grab", not "stop the tax")."""
    words = doc.words
    joinable = joinable_words(doc)
    text = doc.text
    norms = [w.norm for w in words]
    stop = [x in _STOP for x in norms]
    lower_content = [text[w.start].islower() and not st for w, st in zip(words, stop, strict=True)]
    out: list[Finding] = []
    taken: set[int] = set()
    # a phrase said min_count times starts with three words said as often: only
    # those places can start one (same counts for every phrase that matters)
    threes = Counter(tuple(norms[i : i + 3]) for i in range(len(words) - 2))
    places = [i for i in range(len(words) - 2) if threes[tuple(norms[i : i + 3])] >= min_count]
    for n in range(6, 2, -1):
        # count the n-grams first (cheap); check only those seen often enough
        here = [i for i in places if i + n <= len(words)]
        counts = Counter(tuple(norms[i : i + n]) for i in here)
        seen: dict[tuple[str, ...], list[int]] = defaultdict(list)
        for i in here:
            key = tuple(norms[i : i + n])
            if counts[key] < min_count:
                continue
            if n - sum(stop[i : i + n]) < 2 or not all(joinable[i : i + n - 1]):
                continue
            # names and boilerplate ("Global Research Articles") are not slogans
            if not any(lower_content[i : i + n]):
                continue
            if (stop[i] and n > 3) or stop[i + n - 1]:
                continue
            seen[key].append(i)
        for starts in seen.values():
            starts = [i for i in starts if not taken.intersection(range(i, i + n))]
            if len(starts) < min_count:
                continue
            conf = min(0.4 + 0.05 * (len(starts) - min_count), 0.6)
            for i in starts:
                taken.update(range(i, i + n))
                out.append(
                    finding(
                        doc,
                        words[i].start,
                        words[i + n - 1].end,
                        CATEGORY,
                        "Repetition",
                        conf,
                        "propaganda.repetition",
                        REPETITION_EXPLANATION,
                    )
                )
    return out


DETECTORS = (
    LexiconDetector("propaganda.phrases", "propaganda.tsv"),
    FunctionDetector("propaganda.repetition", CATEGORY, repetition),
)
