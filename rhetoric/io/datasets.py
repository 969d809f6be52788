"""Dataset adapters: each turns one annotated corpus into ``Example`` records
(text plus character spans), so training and evaluation never care where the
data came from.

- PTC (SemEval-2020 Task 11): ``article<ID>.txt`` plus tab-separated label files.
- BABE: a CSV of sentences with ``label_bias`` and ``biased_words``.
- our own corpora JSONL (``corpora/`` format).
"""

from __future__ import annotations

import ast
import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .corpus import read_corpus

__all__ = [
    "DataError",
    "Example",
    "GoldSpan",
    "read_babe",
    "read_corpus_examples",
    "read_ptc",
    "read_ptc_articles",
    "read_ptc_labels",
]


@dataclass(frozen=True, slots=True)
class GoldSpan:
    start: int
    end: int
    label: str = ""


@dataclass
class Example:
    """One annotated text. ``label`` is a document-level label where the
    corpus has one (BABE: 1 biased, 0 not)."""

    id: str
    text: str
    spans: list[GoldSpan] = field(default_factory=list)
    label: int | None = None
    # BABE: 1 when annotators found the sentence opinionated (writer's opinion,
    # or factual but also opinionated), 0 when entirely factual, None when
    # they did not agree
    opinion: int | None = None


_ARTICLE_RE = re.compile(r"article(\d+)\.txt$")


def read_ptc_articles(folder: str | Path) -> Iterator[tuple[str, str]]:
    """``(article_id, text)`` for every ``article<digits>.txt`` in ``folder``,
    sorted by id. Text is read exactly (no newline translation) so offsets hold."""
    paths = []
    for p in Path(folder).iterdir():
        m = _ARTICLE_RE.search(p.name)
        if m:
            paths.append((m.group(1), p))
    for aid, p in sorted(paths):
        with open(p, encoding="utf-8", newline="") as f:
            yield aid, f.read()


class DataError(ValueError):
    """Annotated data that cannot be read; the message names the file (and line)."""


def read_ptc_labels(path: Path) -> dict[str, list[GoldSpan]]:
    """SemEval label lines ``id<TAB>technique<TAB>start<TAB>end`` (TC) or
    ``id<TAB>start<TAB>end`` (SI); errors name the line."""
    out: dict[str, list[GoldSpan]] = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            parts = line.rstrip("\n").split("\t")
            if not line.strip():
                continue
            try:
                if len(parts) == 4:
                    aid, tech, s, e = parts
                elif len(parts) == 3:
                    (aid, s, e), tech = parts, ""
                else:
                    raise ValueError
                out.setdefault(aid, []).append(GoldSpan(int(s), int(e), tech))
            except ValueError:
                raise DataError(f"{path}:{n}: expected id, [technique,] start, end") from None
    return out


def read_ptc(root: str | Path, task: str = "TC") -> list[Example]:
    """PTC train split under ``root`` (the ``ptc-semeval2020`` folder).

    ``task="TC"`` gives technique-labelled spans (duplicates kept: one span can
    carry two techniques); ``task="SI"`` gives the span-only file."""
    root = Path(root)
    labels = read_ptc_labels(
        root / ("train-task2-TC.labels" if task == "TC" else "train-task1-SI.labels")
    )
    return [
        Example(aid, text, sorted(labels.get(aid, []), key=lambda s: (s.start, s.end, s.label)))
        for aid, text in read_ptc_articles(root / "train-articles")
    ]


def _find_words(text: str, words: list[str]) -> list[GoldSpan]:
    """Character spans of BABE's biased words (given as strings) in ``text``:
    each occurrence as a whole word, case-insensitive."""
    spans = []
    low = text.lower()
    for w in words:
        w = w.strip().lower()
        if not w:
            continue
        for m in re.finditer(r"(?<!\w)" + re.escape(w) + r"(?!\w)", low):
            spans.append(GoldSpan(m.start(), m.end(), "biased"))
    return sorted(set(spans), key=lambda s: (s.start, s.end))


def read_babe(path: str | Path) -> list[Example]:
    """BABE sentences with label 1 (Biased) / 0 (Non-biased) and the biased
    words located in the text; rows with no agreement are skipped."""
    out = []
    with open(path, encoding="utf-8", newline="") as f:
        for i, row in enumerate(csv.DictReader(f)):
            lab = row.get("label_bias", "")
            if lab not in ("Biased", "Non-biased"):
                continue
            try:
                words = ast.literal_eval(row.get("biased_words") or "[]")
            except (ValueError, SyntaxError):
                words = []
            text = row["text"]
            op = row.get("label_opinion", "")
            out.append(
                Example(
                    f"babe-{i}",
                    text,
                    _find_words(text, [w for w in words if isinstance(w, str)]),
                    1 if lab == "Biased" else 0,
                    None if op in ("", "No agreement") else int(op != "Entirely factual"),
                )
            )
    return out


def read_corpus_examples(path: str | Path, split: str | None = None) -> list[Example]:
    """Our own ``corpora/`` JSONL: spans of category loaded_language or
    propaganda, with their labels."""
    out = []
    for rec in read_corpus(path, split):
        spans = [
            GoldSpan(s["start"], s["end"], s["label"])
            for s in rec["spans"]
            if s["category"] in ("loaded_language", "propaganda")
        ]
        out.append(Example(rec["id"], rec["text"], spans, 1 if spans else 0))
    return out
