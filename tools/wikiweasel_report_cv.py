"""Out-of-fold WikiWeasel uncertain-sentence F1 of the whole report.

The decision is the one ``rhetoric evaluate <wikiweasel.csv>`` makes: a
sentence is uncertain when the full report (lexicons, patterns, the PolNeAR
attribution models and the hedging models) gives it a ``hedging`` or
``attribution`` finding with confidence >= 0.5. The shipped hedging models
were trained on every WikiWeasel train sentence, so scoring them on it
measures nothing; this script measures the procedure instead:

* 5 folds over WikiWeasel train sentences (sentence ``i`` goes to fold
  ``i % 5``; a sentence whose wording appeared earlier goes with that one);
* for each fold, ``train_hedging`` (what ``rhetoric train hedging`` runs,
  with its own inner CV choosing the thresholds) is fitted on the other folds'
  WikiWeasel sentences and on the Szeged corpus minus every Szeged sentence
  with the wording of a held-out one (Szeged's wiki part is a re-annotation of
  CoNLL-2010 Wikipedia: 6,898 of the 7,363 WikiWeasel train sentences are in
  it, and the cue tagger must not see them either) and minus, as in
  ``rhetoric train hedging``, every Szeged wiki sentence whose wording is not
  in WikiWeasel train at all (``hedging_data.exclude_unseen_wiki``: very
  likely the CoNLL-2010 evaluation sentences);
* the held-out fold is scored by the full pipeline with the fold's models put
  in place of the shipped ones (``store.using_bundle``; no file is written).

Deterministic (the same figures whatever ``--jobs``). About 12 minutes with
two folds trained at once (the default on a machine with two or more cores);
``--jobs 1`` takes about twice as long.

    python tools/wikiweasel_report_cv.py [--data ../shared/data/hedging] [--jobs N]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "hedging"


def fold_ids(texts: list[str], k: int) -> list[int]:
    """Sentence ``i`` -> fold ``i % k``; repeated wording keeps its first fold."""
    from rhetoric.io.hedging_data import wording_key

    first: dict[str, int] = {}
    out = []
    for i, t in enumerate(texts):
        out.append(first.setdefault(wording_key(t), i % k))
    return out


def run_fold(data: Path, f: int, k: int) -> dict[str, Any]:
    """Train on every fold but ``f``, score fold ``f`` with the full report."""
    from rhetoric.evaluation.datasets import report_uncertain
    from rhetoric.io.hedging_data import (
        exclude_unseen_wiki,
        read_hedging_sources,
        wording_key,
    )
    from rhetoric.models.store import using_bundle
    from rhetoric.training.hedging import train_hedging

    szeged, weasel = read_hedging_sources(data)
    # the shipped training's exclusion, against the whole of WikiWeasel train
    szeged, unseen = exclude_unseen_wiki(szeged, weasel)
    folds = fold_ids([e.text for e in weasel], k)
    held = [e for e, g in zip(weasel, folds, strict=True) if g == f]
    train_ww = [e for e, g in zip(weasel, folds, strict=True) if g != f]
    held_keys = {wording_key(e.text) for e in held}
    train_sz = [e for e in szeged if wording_key(e.text) not in held_keys]
    t = time.perf_counter()
    models, cv = train_hedging(train_sz, train_ww, folds=k, type_cv=False)
    with using_bundle("hedging", models):
        hits = [report_uncertain(e.text, e.id)[0] for e in held]
    return {
        "fold": f,
        "ids": [e.id for e in held],
        "gold": [bool(e.label) for e in held],
        "hits": hits,
        "szeged_removed": len(szeged) - len(train_sz),
        "szeged_unseen": len(unseen),
        "szeged_unseen_in_fold": cv["szeged_wiki_excluded"]["sentences"],
        "sentence_threshold": models["sentence"].threshold,
        "cue_threshold": models["cue"].threshold,
        "inner_cv": cv["wikiweasel_sentence_as_shipped"],
        "seconds": round(time.perf_counter() - t),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument(
        "--jobs",
        type=int,
        default=min(2, os.cpu_count() or 1),
        help="folds trained at once, in separate processes (default: 2 when there are 2 cores)",
    )
    args = ap.parse_args()
    data = args.data
    if not (data / "wikiweasel_train.csv").is_file() or not any(data.glob("szeged_*.jsonl")):
        print(f"skipped: no WikiWeasel/Szeged data at {data} (../shared absent)")
        return
    from rhetoric.evaluation.metrics import prf

    k = args.folds
    print("command: python " + " ".join([sys.argv[0], *sys.argv[1:]]), flush=True)
    if args.jobs > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            results = list(pool.map(run_fold, [data] * k, range(k), [k] * k))
    else:
        results = [run_fold(data, f, k) for f in range(k)]
    tp = fp = fn = 0
    for r in results:
        pairs = list(zip(r["hits"], r["gold"], strict=True))
        counts = (
            sum(1 for h, g in pairs if h and g),
            sum(1 for h, g in pairs if h and not g),
            sum(1 for h, g in pairs if g and not h),
        )
        part = prf(*counts)
        print(
            f"fold {r['fold'] + 1}/{k}: {len(r['gold'])} sentences, F1 {part['f1']:.4f} "
            f"(P {part['precision']:.4f} R {part['recall']:.4f}); sentence threshold "
            f"{r['sentence_threshold']} (inner CV, simulated: F1 {r['inner_cv']['f1']:.4f}), "
            f"cue threshold {r['cue_threshold']}; "
            f"{r['szeged_removed']} Szeged sentences held out with it, "
            f"{r['szeged_unseen']} Szeged wiki sentences not in WikiWeasel train left out "
            f"(+{r['szeged_unseen_in_fold']} inside train_hedging); {r['seconds']} s",
            flush=True,
        )
        tp, fp, fn = tp + counts[0], fp + counts[1], fn + counts[2]
    total = prf(tp, fp, fn)
    n = sum(len(r["gold"]) for r in results)
    print(
        f"WikiWeasel train, {k}-fold out-of-fold, report decision (hedging or attribution "
        f"finding >= 0.5), {n} sentences: P {total['precision']:.4f} R {total['recall']:.4f} "
        f"F1 {total['f1']:.4f}"
    )


if __name__ == "__main__":
    main()
