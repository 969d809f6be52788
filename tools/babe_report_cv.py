"""Cross-validated BABE figures for the whole report, not just the models.

For each of 5 folds (sentence ``i`` goes to fold ``i % 5``), the BABE models
are retrained on the other folds with ``train_babe`` (which picks its own
thresholds by an inner 3-fold CV) and the full pipeline (lexicons, PTC models,
the fold's BABE models) scores the held-out sentences. Prints:

* macro-F1 of "a sentence is biased when it gets a loaded_language or
  propaganda finding with confidence >= 0.5";
* the share of expert-marked biased words overlapped by a loaded_language
  finding (any confidence), and the share of loaded_language findings that lie
  inside a marked word.

    python tools/babe_report_cv.py [--data ../shared/data/babe/babe_train.csv]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import rhetoric.models.store as store
from rhetoric.analyze import analyze
from rhetoric.models.data import read_babe
from rhetoric.models.evaluation import _macro
from rhetoric.models.train import train_babe


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data/babe/babe_train.csv"))
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args()
    exs = read_babe(args.data)
    shipped = store.load_bundle
    gold: list[int] = []
    pred: list[int] = []
    covered = total = inside = flagged = 0
    try:
        for k in range(args.folds):
            train = [e for i, e in enumerate(exs) if i % args.folds != k]
            test = [e for i, e in enumerate(exs) if i % args.folds == k]
            models, _ = train_babe(train, folds=3)
            store.load_bundle = lambda name, m=models: m if name == "babe" else shipped(name)
            for ex in test:
                r = analyze(ex.text, ex.id, categories=("loaded_language", "propaganda"))
                gold.append(ex.label or 0)
                pred.append(int(any(f.confidence >= 0.5 for f in r.findings)))
                loaded = [f for f in r.findings if f.category == "loaded_language"]
                for s in ex.spans:
                    total += 1
                    covered += any(f.start < s.end and s.start < f.end for f in loaded)
                for f in loaded:
                    flagged += 1
                    inside += any(s.start <= f.start and f.end <= s.end for s in ex.spans)
            print(f"fold {k + 1}/{args.folds} done", flush=True)
    finally:
        store.load_bundle = shipped
    print(f"sentences: {len(gold)}")
    print(f"report macro-F1 (finding >= 0.5): {_macro(gold, pred):.4f}")
    print(f"biased words covered by a loaded finding: {covered / max(1, total):.4f}")
    print(f"loaded findings inside a biased word: {inside / max(1, flagged):.4f}")


if __name__ == "__main__":
    main()
