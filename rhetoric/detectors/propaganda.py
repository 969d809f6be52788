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
    for n in range(6, 2, -1):
        # count every n-gram first (cheap); check only those seen often enough
        counts = Counter(tuple(norms[i : i + n]) for i in range(len(words) - n + 1))
        seen: dict[tuple[str, ...], list[int]] = defaultdict(list)
        for i in range(len(words) - n + 1):
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
