"""What a detector is, and the lexicon-backed detector most of them are.

A detector is any object with a ``name``, a ``category`` and a
``detect(doc) -> list[Finding]`` method; findings must satisfy
``doc.text[f.start:f.end] == f.text``. Most detectors are a lexicon file plus a
declaration (``LexiconDetector``); the rest are plain functions wrapped in
``FunctionDetector`` with the same signature.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from ..core.document import CacheSlot, Document
from ..core.lexicon import Lexicon, Match, base_forms, load_lexicon, report_verbs
from ..core.report import Finding
from ..core.text import clause_end

__all__ = [
    "MODEL_REPORT_FLOOR",
    "Detector",
    "FunctionDetector",
    "LexiconDetector",
    "finding",
    "in_title_case_line",
]


# Trained detectors leave their findings below this calibrated confidence out
# of reports (``rhetoric ptc predict`` still prints them, where recall matters).
MODEL_REPORT_FLOOR = 0.15


@runtime_checkable
class Detector(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def category(self) -> str: ...

    def detect(self, doc: Document) -> list[Finding]: ...


def finding(
    doc: Document,
    start: int,
    end: int,
    category: str,
    label: str,
    confidence: float,
    detector: str,
    explanation: str,
) -> Finding:
    """Build a finding whose ``text`` is taken from the original document."""
    return Finding(
        start, end, doc.text[start:end], category, label, confidence, detector, explanation
    )


_TITLE_CASE: CacheSlot[bool] = CacheSlot("title-case sentence")


def in_title_case_line(doc: Document, pos: int) -> bool:
    """True when ``pos`` sits in a headline-style sentence where most words are
    capitalised, so capitals there do not mark proper nouns. Worked out once
    per sentence (asked for every finding, counting the sentence's words each
    time was quadratic in a long sentence)."""
    if not doc.sentences:
        return False
    si = doc.sentence_index(pos)
    hit = doc.cache.get(_TITLE_CASE, si)
    if hit is not None:
        return hit
    words = [w for w in doc.words_in(doc.sentences[si]) if len(w.norm) > 3]
    caps = sum(1 for w in words if doc.text[w.start].isupper())
    return doc.cache.put(_TITLE_CASE, len(words) >= 2 and caps / len(words) >= 0.6, si)


def _looks_proper(doc: Document, m: Match, strict: bool) -> bool:
    """A single capitalised word mid-sentence is probably a name ("May", "Fox
    News", "Great Depression"); skip it unless the line is a headline."""
    if m.first_word != m.last_word:
        return False
    text = doc.text
    if not text[m.start].isupper():
        return False
    sent = doc.sentences[doc.sentence_index(m.start)]
    first_in_sentence = not any(c.isalnum() for c in text[sent.start : m.start])
    if first_in_sentence or in_title_case_line(doc, m.start):
        return False
    if strict:
        return True
    words = doc.words
    neighbours = [words[j] for j in (m.first_word - 1, m.first_word + 1) if 0 <= j < len(words)]
    return any(text[w.start].isupper() for w in neighbours)


def _through_report_verb(doc: Document, m: Match) -> int:
    """Extend a match over a reporting verb that follows at once
    ("we have on any number of occasions" + "suggested")."""
    words = doc.words
    j = m.last_word + 1
    if j < len(words) and doc.norm[words[j - 1].end : words[j].start].strip() == "":
        verbs = report_verbs()
        if any(b in verbs for b in base_forms(words[j].norm)):
            return words[j].end
    return m.end


@dataclass(frozen=True)
class LexiconDetector:
    """A detector declared as a lexicon file.

    Header keys of the file steer it: ``scope: clause`` extends every finding
    over the clause the cue opens, ``scope-labels: a,b`` only for those labels.
    ``strict_case`` drops any capitalised single word mid-sentence (for modals:
    "May" the month, "Will" the name).
    """

    name: str
    lexicon_file: str
    strict_case: bool = False

    @property
    def lexicon(self) -> Lexicon:
        return load_lexicon(self.lexicon_file)

    @property
    def category(self) -> str:
        return self.lexicon.category

    def detect(self, doc: Document) -> list[Finding]:
        lex = self.lexicon
        scope = lex.meta.get("scope", "")
        scope_labels = {s.strip() for s in lex.meta.get("scope-labels", "").split(",") if s.strip()}
        out = []
        for m in lex.match(doc):
            if _looks_proper(doc, m, self.strict_case):
                continue
            end = m.end
            if scope == "clause" and (not scope_labels or m.entry.label in scope_labels):
                end = clause_end(doc, m.end)
            elif scope == "report-verb":
                end = _through_report_verb(doc, m)
            e = m.entry
            out.append(
                finding(
                    doc, m.start, end, lex.category, e.label, e.weight, self.name, e.explanation
                )
            )
        return out


@dataclass(frozen=True)
class FunctionDetector:
    """A detector written as code: ``func(doc) -> list[Finding]``.
    ``trained``: it reports a trained model's findings, which the overlap
    policy merges into the rule findings they confirm and ``--no-models``
    turns off."""

    name: str
    category: str
    func: Callable[[Document], list[Finding]]
    trained: bool = False

    def detect(self, doc: Document) -> list[Finding]:
        return self.func(doc)
