"""Mine ``rhetoric/lexicons/loaded_mined.tsv`` from annotations, as facts.

A word (or two-word phrase) goes in when expert annotators marked it as loaded
in most of the places it occurs: inside a Loaded_Language,
Name_Calling,Labeling or Exaggeration,Minimisation span of the SemEval-2020
PTC train split, or in BABE's ``biased_words`` of a sentence labelled Biased.
Only the word, the counts and a weight go in the file: no text from either
corpus. Weights stay below 0.5 (a mined word is "worth a look", never a flag on
its own), rising with the measured precision and support.

    python tools/mine_loaded.py [--shared ../shared] [--out rhetoric/lexicons/loaded_mined.tsv]
"""

from __future__ import annotations

import argparse
import itertools
import re
from collections import Counter
from pathlib import Path

from rhetoric.core.labels import LOADED_TECHNIQUES
from rhetoric.core.lexicon import load_lexicon, shipped_lexicons
from rhetoric.io.datasets import read_babe, read_ptc
from rhetoric.models.features import is_content_word

WORD = re.compile(r"[a-z]+(?:[-'][a-z]+)*")
MIN_SUPPORT = 3  # marked in at least this many different documents
# Words naming groups of people are never loaded in themselves, however often
# annotators marked phrases containing them.
GROUP_WORDS = frozenset(
    [
        "jew",
        "jews",
        "jewish",
        "muslim",
        "muslims",
        "islam",
        "islamic",
        "christian",
        "christians",
        "catholic",
        "black",
        "blacks",
        "white",
        "whites",
        "immigrant",
        "immigrants",
        "migrants",
        "migrant",
        "gay",
        "gays",
        "women",
        "men",
        "trump",
        "trumps",
        "biden",
        "obama",
        "clinton",
        "democrats",
        "republicans",
        "democrat",
        "republican",
        "america",
        "american",
        "americans",
        "western",
        "folks",
        "people",
        "mexican",
        "mexicans",
        "arab",
        "arabs",
        "asian",
        "asians",
        "refugee",
        "refugees",
    ]
)
MIN_PRECISION = 0.5  # marked in at least half of its occurrences
# Curated out after reading the mined list: ordinary news words and names that
# were marked only inside longer loaded phrases of a few articles.
NEUTRAL = frozenset(
    [
        "absolutely nothing",
        "bite",
        "brains",
        "classic",
        "conciliar",
        "confused",
        "cracker",
        "cried",
        "cries",
        "darkness",
        "delighted",
        "demolition",
        "doings",
        "dog",
        "donation",
        "dreamed",
        "drum",
        "duly",
        "dems",
        "endemic",
        "extinction",
        "extraordinary",
        "feeding",
        "flood",
        "great man",
        "hunt",
        "intrinsically disordered",
        "kick",
        "machine",
        "masters",
        "miscarriage",
        "nevertrump",
        "pals",
        "porn",
        "profound",
        "ring",
        "serial",
        "silent donation",
        "spies",
        "spy ring",
        "striking",
        "tapestry",
        "thoroughly",
        "trumpism",
        "unequivocally",
        "unequivocally deny",
        "very great",
        "vichy",
        "vigorously",
    ]
)
OWN = "loaded_mined.tsv"


def _ngrams(text: str) -> list[tuple[str, int, int]]:
    toks = [(m.group(), m.start(), m.end()) for m in WORD.finditer(text.lower())]
    out = [(t, s, e) for t, s, e in toks]
    out += [(f"{a} {b}", s, e2) for (a, s, _), (b, _, e2) in itertools.pairwise(toks)]
    return out


def _known_terms() -> set[str]:
    terms = set()
    for name in shipped_lexicons():
        if name == OWN:
            continue
        for e in load_lexicon(name).entries:
            terms.add(e.term.lower().lstrip("="))
    return terms


def mine(shared: Path) -> list[tuple[str, int, int, float]]:
    total: Counter[str] = Counter()
    marked: Counter[str] = Counter()
    docs: dict[str, set[str]] = {}
    for ex in read_ptc(shared / "data" / "ptc-semeval2020", "TC"):
        spans = [(s.start, s.end) for s in ex.spans if s.label in LOADED_TECHNIQUES]
        for g, s, e in _ngrams(ex.text):
            total[g] += 1
            if any(a <= s and e <= b for a, b in spans):
                marked[g] += 1
                docs.setdefault(g, set()).add(ex.id)
    for ex in read_babe(shared / "data" / "babe" / "babe_train.csv"):
        spans = [(s.start, s.end) for s in ex.spans] if ex.label == 1 else []
        for g, s, e in _ngrams(ex.text):
            total[g] += 1
            if any(a <= s and e <= b for a, b in spans):
                marked[g] += 1
                docs.setdefault(g, set()).add(ex.id)
    known = _known_terms()
    rows = []
    for g, m in marked.items():
        words = g.split()
        if (
            len(docs[g]) < MIN_SUPPORT
            or g in known
            or g in NEUTRAL
            or not all(is_content_word(w) and w not in GROUP_WORDS for w in words)
        ):
            continue
        prec = m / total[g]
        if prec >= MIN_PRECISION:
            rows.append((g, m, total[g], prec))
    # a two-word phrase is kept only when it is more precise than its words
    singles = {g: p for g, _, _, p in rows if " " not in g}
    rows = [
        r for r in rows if " " not in r[0] or r[3] > max(singles.get(w, 0) for w in r[0].split())
    ]
    return sorted(rows)


def weight(marked: int, prec: float) -> float:
    """0.25-0.45: higher for words marked often and consistently."""
    support = min(1.0, marked / 20)
    return round(0.25 + 0.2 * ((prec - MIN_PRECISION) / (1 - MIN_PRECISION)) * support, 2)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default="../shared", type=Path)
    ap.add_argument("--out", default=f"rhetoric/lexicons/{OWN}", type=Path)
    args = ap.parse_args()
    rows = mine(args.shared)
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(
            "# family: loaded_mined\n"
            "# category: loaded_language\n"
            "# source: mined by tools/mine_loaded.py from expert annotations, as facts (word"
            " and counts only): SemEval-2020 Task 11 PTC train split (Da San Martino et al."
            " 2020; Loaded_Language, Name_Calling,Labeling, Exaggeration,Minimisation spans)"
            " and BABE biased words (Spinde et al. 2021). A term is kept when marked at least"
            f" in {MIN_SUPPORT} different documents and in at least"
            f" {int(MIN_PRECISION * 100)}% of its occurrences, no curated lexicon has it, and"
            " it is not an ordinary news word (the NEUTRAL list in the tool).\n"
            "# explanation: Annotators of news marked this word as loaded or biased in most"
            " places it appears: it colours the account rather than describing it. A weak"
            " signal on its own.\n"
            "# weight: 0.25-0.45 from measured precision and support; never a flag alone.\n"
            "term\tlabel\tweight\texplanation\n"
        )
        for g, m, _t, p in rows:
            f.write(f"{g}\temotive\t{weight(m, p)}\t\n")
    print(f"{len(rows)} terms -> {args.out}")


if __name__ == "__main__":
    main()
