"""Who-said-what on PolNeAR train with out-of-fold taggers: cue and source
partial-overlap F1, and per source kind the share of sources that overlap an
annotated Source span (for ``named``: the named-source precision of issue 14).

    python tools/polnear_sources.py [--part design|check|all] [--cache OOF.json]

The cue and source taggers are refitted five times (article ``i`` in fold
``i % 5``, as ``rhetoric train attribution`` does; about 8 minutes) so that each
article is scored by taggers that never saw it; ``--cache`` keeps those
probabilities for reruns. ``design`` is folds 0-3 (the rules were tuned on it),
``check`` is fold 4 (left untouched while tuning). Dev is measured with
``rhetoric evaluate ../shared/data/polnear/dev``.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
from pathlib import Path

from rhetoric.attribution.combine import combine_attributions
from rhetoric.attribution.rules import rule_attributions
from rhetoric.core.document import Document, spans_overlap
from rhetoric.evaluation.metrics import overlap_prf
from rhetoric.io.polnear import read_polnear
from rhetoric.models.store import load_bundle

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "polnear" / "train"


def out_of_fold(arts: list, folds: int = 5) -> dict[str, list[list[float]]]:
    from rhetoric.models.attribution import attribution_token_features
    from rhetoric.models.spans import token_labels
    from rhetoric.training.attribution import AttributionConfig
    from rhetoric.training.estimators import FeatureLogReg

    cfg = AttributionConfig()
    docs = [Document(a.text, a.id) for a in arts]
    X = [attribution_token_features(d) for d in docs]
    YC = [token_labels(d, a.spans("cue")) for d, a in zip(docs, arts, strict=True)]
    YS = [token_labels(d, a.spans("source")) for d, a in zip(docs, arts, strict=True)]
    n = len(docs)
    PC: list[list[float]] = [[] for _ in range(n)]
    PS: list[list[float]] = [[] for _ in range(n)]
    for f in range(folds):
        train = [i for i in range(n) if i % folds != f]
        for Y, P, C in ((YC, PC, cfg.cue_C), (YS, PS, cfg.source_C)):
            m = FeatureLogReg(C=C, min_count=cfg.min_count, prune=cfg.prune).fit(
                [x for i in train for x in X[i]], [v for i in train for v in Y[i]]
            )
            for i in range(n):
                if i % folds == f and X[i]:
                    P[i] = [round(float(p), 5) for p in m.predict_proba(X[i])[:, 1]]
        print(f"fold {f + 1}/{folds}", flush=True)
    return {a.id: [PC[i], PS[i]] for i, a in enumerate(arts)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(DATA))
    ap.add_argument("--part", choices=("design", "check", "all"), default="all")
    ap.add_argument("--cache", help="JSON file for the out-of-fold probabilities")
    args = ap.parse_args()
    arts = read_polnear(args.data)
    if args.cache and os.path.exists(args.cache):
        with open(args.cache, encoding="utf-8") as f:
            oof = json.load(f)
    else:
        oof = out_of_fold(arts)
        if args.cache:
            with open(args.cache, "w", encoding="utf-8") as f:
                json.dump(oof, f)
    bundle = load_bundle("attribution")
    assert bundle, "the attribution model bundle is not installed"
    cth, sth = bundle["cue"].threshold, bundle["source"].threshold
    pc, ps, gc, gs = {}, {}, {}, {}
    n: collections.Counter[str] = collections.Counter()
    ok: collections.Counter[str] = collections.Counter()
    for i, a in enumerate(arts):
        if args.part != "all" and (args.part == "check") != (i % 5 == 4):
            continue
        d = Document(a.text, a.id)
        p_cue, p_src = oof[a.id]
        atts = combine_attributions(d, rule_attributions(d), p_cue, p_src, cth, sth)
        gold = a.spans("source")
        pc[a.id] = [(x.cue.start, x.cue.end) for x in atts]
        ps[a.id] = [(x.source.start, x.source.end) for x in atts if x.source]
        gc[a.id], gs[a.id] = a.spans("cue"), gold
        for x in atts:
            if x.source is not None:
                n[x.kind] += 1
                ok[x.kind] += any(
                    spans_overlap(x.source.start, x.source.end, s, e) for s, e in gold
                )
    c, s = overlap_prf(pc, gc), overlap_prf(ps, gs)
    print(f"{args.part}: {len(pc)} articles")
    print(f"cue F1 {c['f1']:.3f} (P {c['precision']:.3f} R {c['recall']:.3f})")
    print(f"source F1 {s['f1']:.3f} (P {s['precision']:.3f} R {s['recall']:.3f})")
    for k in sorted(n):
        share = f"{ok[k]}/{n[k]} = {ok[k] / n[k]:.3f}"
        print(f"  {k:10s} sources overlapping an annotated source: {share}")


if __name__ == "__main__":
    main()
