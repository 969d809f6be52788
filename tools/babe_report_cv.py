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
from rhetoric.evaluation.datasets import BabeTally, babe_tally
from rhetoric.evaluation.metrics import macro_f1
from rhetoric.io.datasets import read_babe
from rhetoric.training.train import train_babe


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data/babe/babe_train.csv"))
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args()
    exs = read_babe(args.data)
    shipped = store.load_bundle
    tally = BabeTally()
    try:
        for k in range(args.folds):
            train = [e for i, e in enumerate(exs) if i % args.folds != k]
            test = [e for i, e in enumerate(exs) if i % args.folds == k]
            models, _ = train_babe(train, folds=3)
            store.load_bundle = lambda name, m=models: m if name == "babe" else shipped(name)
            babe_tally(test, 0.5, tally, model_threshold=models["sentence"].threshold)
            print(f"fold {k + 1}/{args.folds} done", flush=True)
    finally:
        store.load_bundle = shipped
    print(f"sentences: {len(tally.gold)}")
    print(f"report macro-F1 (finding >= 0.5): {macro_f1(tally.gold, tally.by_report):.4f}")
    print(f"sentence model alone: {macro_f1(tally.gold, tally.by_model):.4f}")
    print(f"biased words covered by a loaded finding: {tally.covered_share}")
    print(f"loaded findings inside a biased word: {tally.inside_share}")


if __name__ == "__main__":
    main()
