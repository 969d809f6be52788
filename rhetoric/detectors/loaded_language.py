"""Loaded language: emotive words, name-calling, war and crime metaphors,
idioms of accusation or ridicule, exaggeration, and scare quotes."""

from __future__ import annotations

import bisect

from ..attribution.extract import extract_attributions
from ..attribution.voice import credited_quote
from ..core.document import Document
from ..core.report import Finding
from ..core.text import quote_pairs
from .base import FunctionDetector, LexiconDetector, finding

CATEGORY = "loaded_language"

# A short quoted phrase preceded by one of these reads as a writer's sneer
# ("the 'experts'"), not as a quotation of someone's words.
_SNEER_DETERMINERS = frozenset(
    ["the", "their", "his", "her", "its", "our", "your", "this", "these", "those", "so-called"]
)
SCARE_QUOTES_EXPLANATION = (
    "Quotation marks around a word with no one being quoted: they signal doubt or "
    "mockery without saying why."
)


def scare_quotes(doc: Document) -> list[Finding]:
    """Short quoted phrases (1-3 words, lower case) inside running prose, with no
    speaker: 'the "experts"', "its 'reforms'". A phrase credited to someone
    (``attribution.voice.credited_quote``: "called it a 'disaster'", "'a
    hoax,' he said", inside a source's reported words) is a quotation, not a
    sneer."""
    out: list[Finding] = []
    norm = doc.norm
    word_ends = [w.end for w in doc.words]
    atts = extract_attributions(doc)
    for start, end in quote_pairs(doc):
        inner = doc.text[start + 1 : end]
        words = inner.split()
        if not 1 <= len(words) <= 3 or not inner[:1].islower() or inner != inner.strip():
            continue
        if any(c in inner for c in ".!?,;:\n"):
            continue
        k = bisect.bisect_right(word_ends, start) - 1
        prev = doc.words[k].norm if k >= 0 else ""
        if not prev or norm[max(0, start - 3) : start].rstrip().endswith(":"):
            continue
        if credited_quote(doc, start, end, atts):
            continue
        conf = 0.6 if prev in _SNEER_DETERMINERS else 0.4
        out.append(
            finding(
                doc,
                start,
                end + 1,
                CATEGORY,
                "scare_quotes",
                conf,
                "loaded_language.scare_quotes",
                SCARE_QUOTES_EXPLANATION,
            )
        )
    return out


DETECTORS = (
    LexiconDetector("loaded_language.emotive", "loaded_emotive.tsv"),
    LexiconDetector("loaded_language.name_calling", "loaded_name_calling.tsv"),
    LexiconDetector("loaded_language.metaphor", "loaded_metaphor.tsv"),
    LexiconDetector("loaded_language.idiom", "loaded_idiom.tsv"),
    LexiconDetector("loaded_language.exaggeration", "loaded_exaggeration.tsv"),
    LexiconDetector("loaded_language.so_called", "loaded_scare_quotes.tsv"),
    LexiconDetector("loaded_language.subjective", "loaded_subjective.tsv"),
    LexiconDetector("loaded_language.mined", "loaded_mined.tsv"),
    FunctionDetector("loaded_language.scare_quotes", CATEGORY, scare_quotes),
)
