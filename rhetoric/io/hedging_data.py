"""Hedging data adapters: the Szeged Uncertainty Corpus (cue spans with types)
and CoNLL-2010 Task 1 WikiWeasel sentence labels.

- Szeged JSONL: ``{"id", "text", "uncertain", "cues": [{"start", "end", "type"}]}``,
  one sentence per line; the type names (``speculation_modal_probable_``,
  ``speculation_hypo_doxastic _``, ...) map to our labels with ``cue_label``.
- WikiWeasel CSV: ``text,label`` with 1 = uncertain (hedge or weasel wording).

Szeged's wiki part is a re-annotation of CoNLL-2010 Wikipedia: 6,898 of the
7,363 WikiWeasel train sentences are in it, and most of its other sentences
are very likely the CoNLL-2010 sentences held back for evaluation. Their cue
spans nearly determine their labels, so ``exclude_unseen_wiki`` drops every
Szeged wiki sentence whose wording (``wording_key``) is not in WikiWeasel
train, and no hedging model, threshold or CV fold sees them.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Sequence
from pathlib import Path

from ..core.safe import json_loads
from .datasets import Example, GoldSpan

__all__ = [
    "MODAL_WORDS",
    "SZEGED_WIKI",
    "UNSEEN_WIKI_REASON",
    "cue_label",
    "exclude_unseen_wiki",
    "read_hedging_sources",
    "read_szeged",
    "read_wikiweasel",
    "wording_key",
]

# id prefix of the Szeged wiki sentences (``read_szeged`` names them after the file)
SZEGED_WIKI = "szeged_wiki-"
UNSEEN_WIKI_REASON = (
    "Szeged wiki sentences whose wording is not in WikiWeasel train: Szeged wiki "
    "re-annotates CoNLL-2010 Wikipedia, so these are very likely the CoNLL-2010 "
    "sentences held back for evaluation; no hedging model, threshold or CV fold sees them"
)

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


def wording_key(text: str) -> str:
    """A sentence's wording for matching across corpora: lower case, letters
    and digits only (so whitespace, quotes, dashes and PTB brackets
    ``-LRB-``/``-RRB-`` do not matter), the first 120 of them."""
    return re.sub(r"[^a-z0-9]", "", text.lower().replace("-lrb-", "").replace("-rrb-", ""))[:120]


def exclude_unseen_wiki(
    szeged: Sequence[Example], weasel: Sequence[Example]
) -> tuple[list[Example], list[Example]]:
    """``(kept, excluded)``: the Szeged sentences minus the wiki ones whose
    wording is not among ``weasel``'s (see the module note); the bio part and
    the order are kept. Deterministic."""
    seen = {wording_key(e.text) for e in weasel}
    kept: list[Example] = []
    excluded: list[Example] = []
    for e in szeged:
        unseen = e.id.startswith(SZEGED_WIKI) and wording_key(e.text) not in seen
        (excluded if unseen else kept).append(e)
    return kept, excluded


def read_szeged(path: str | Path) -> list[Example]:
    """Szeged sentences as examples: ``label`` 1 when uncertain, spans are the
    cues with our label."""
    out = []
    name = Path(path).stem
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f):
            if not line.strip():
                continue
            try:
                r = json_loads(line)
            except json.JSONDecodeError as e:
                raise ValueError(f"line {n + 1}: malformed JSON ({e.msg})") from None
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
