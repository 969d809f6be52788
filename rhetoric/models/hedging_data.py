"""Hedging data adapters: the Szeged Uncertainty Corpus (cue spans with types)
and CoNLL-2010 Task 1 WikiWeasel sentence labels.

- Szeged JSONL: ``{"id", "text", "uncertain", "cues": [{"start", "end", "type"}]}``,
  one sentence per line; the type names (``speculation_modal_probable_``,
  ``speculation_hypo_doxastic _``, ...) map to our labels with ``cue_label``.
- WikiWeasel CSV: ``text,label`` with 1 = uncertain (hedge or weasel wording).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from .data import Example, GoldSpan

__all__ = [
    "MODAL_WORDS",
    "cue_label",
    "read_hedging_sources",
    "read_szeged",
    "read_wikiweasel",
]

# Szeged's modal/probable class holds modal auxiliaries and speculative verbs,
# adjectives and adverbs; we keep the two apart for the reader.
MODAL_WORDS = frozenset(
    ["may", "might", "could", "would", "can", "must", "should", "shall", "will", "ought", "cannot"]
)


def cue_label(szeged_type: str, cue_text: str) -> str:
    """Our label for a Szeged cue: epistemic_modal, speculative, doxastic,
    conditional or investigation."""
    t = szeged_type.replace(" ", "").lower()
    if "doxastic" in t:
        return "doxastic"
    if "condition" in t:
        return "conditional"
    if "investigation" in t:
        return "investigation"
    first = cue_text.lower().split()[0] if cue_text.split() else ""
    return "epistemic_modal" if first in MODAL_WORDS else "speculative"


def read_szeged(path: str | Path) -> list[Example]:
    """Szeged sentences as examples: ``label`` 1 when uncertain, spans are the
    cues with our label."""
    out = []
    name = Path(path).stem
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f):
            if not line.strip():
                continue
            r = json.loads(line)
            text = r["text"]
            spans = [
                GoldSpan(c["start"], c["end"], cue_label(c["type"], text[c["start"] : c["end"]]))
                for c in r.get("cues", [])
                if 0 <= c["start"] < c["end"] <= len(text)
            ]
            out.append(Example(f"{name}-{n}", text, spans, int(bool(r.get("uncertain")))))
    return out


def read_wikiweasel(path: str | Path) -> list[Example]:
    """WikiWeasel sentences (``text,label``); trailing newlines stripped."""
    out = []
    with open(path, encoding="utf-8", newline="") as f:
        for n, row in enumerate(csv.DictReader(f)):
            lab = str(row.get("label", "")).strip()
            if lab not in ("0", "1"):
                continue
            out.append(Example(f"wikiweasel-{n}", row["text"].strip(), [], int(lab)))
    return out


def read_hedging_sources(folder: str | Path) -> tuple[list[Example], list[Example]]:
    """``(szeged, wikiweasel)`` from a folder holding ``szeged_*.jsonl`` and
    ``wikiweasel_train.csv`` (the ``../shared/data/hedging`` layout)."""
    root = Path(folder)
    if not root.is_dir():
        raise FileNotFoundError(f"{folder}: not a folder")
    szeged = [e for p in sorted(root.glob("szeged_*.jsonl")) for e in read_szeged(p)]
    ww = root / "wikiweasel_train.csv"
    weasel = read_wikiweasel(ww) if ww.is_file() else []
    if not szeged:
        raise FileNotFoundError(f"{folder}: no szeged_*.jsonl files")
    return szeged, weasel
