"""PTC sentence F1 with the decision threshold chosen by a nested CV.

``rhetoric train ptc`` reports sentence F1 with each fold decided at the
threshold chosen on the other folds' out-of-fold scores. This is the stricter
check: for each of the 5 outer folds (article ``i`` goes to fold ``i % 5``),
the sentence and word models are refitted in an inner 4-fold CV on the
training articles only, the threshold is chosen on those inner out-of-fold
scores, and the held-out fold is decided with the outer models at that
threshold. It fits 25 word models, so it takes about half an hour.

    python tools/ptc_sentence_nested_cv.py [--data ../shared/data/ptc-semeval2020]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rhetoric.core.document import Document
from rhetoric.evaluation.metrics import prf
from rhetoric.io.datasets import read_ptc
from rhetoric.models.ptc import stacked_token_features
from rhetoric.models.spans import token_labels
from rhetoric.training import train as T
from rhetoric.training.estimators import FeatureLogReg


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[2] / "shared" / "data" / "ptc-semeval2020"
    ap.add_argument("--data", default=str(default))
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args()
    cfg = T.TrainConfig()
    si = read_ptc(args.data, "SI")
    docs = [Document(e.text, e.id) for e in si]
    n, k = len(docs), args.folds
    SX, Sy, Sown = T._sentence_rows(docs, si)
    TY = [
        token_labels(d, [(s.start, s.end) for s in e.spans]) for d, e in zip(docs, si, strict=True)
    ]

    def fit(train: list[int], test: list[int]) -> tuple[dict, dict, dict]:
        """Sentence and word models on ``train``: their probabilities for
        ``test``, and the inner out-of-fold sentence probabilities of ``train``."""
        sp = T._oof_sentence_probs(docs, SX, Sy, Sown, train, min(4, len(train)), cfg)
        pool = set(train)
        sm = T._fit_sentence(SX, Sy, [j for j in range(len(SX)) if Sown[j] in pool], cfg)
        sp_test = T._apply_sentence(sm, SX, Sown, set(test), docs)
        tm = FeatureLogReg(C=cfg.token_C).fit(
            [r for i in train for r in stacked_token_features(docs[i], sp[i])],
            [v for i in train for v in TY[i]],
        )
        tok = {
            i: list(tm.predict_proba(stacked_token_features(docs[i], sp_test[i]))[:, 1])
            for i in test
        }
        return sp_test, tok, sp

    def scores(sp: dict, tok: dict, arts: list[int]) -> tuple[list[float], list[int]]:
        out, gold = [], []
        for i in arts:
            d = docs[i]
            mx = [0.0] * len(d.sentences)
            for s, p in zip(d.word_sentences, tok[i], strict=True):
                mx[s] = max(mx[s], p)
            for j, s in enumerate(d.sentences):
                if d.word_count(s):
                    out.append((sp[i][j] + mx[j]) / 2)
                    gold.append(int(any(g.start < s.end and s.start < g.end for g in si[i].spans)))
        return out, gold

    tp = fp = fn = 0
    for f in range(k):
        train = [i for i in range(n) if i % k != f]
        test = [i for i in range(n) if i % k == f]
        sp_test, tok_test, sp_train = fit(train, test)
        inner_tok: dict = {}
        for g in range(4):
            itest = train[g::4]
            itrain = [i for i in train if i not in set(itest)]
            inner_tok.update(fit(itrain, itest)[1])
        s_in, g_in = scores(sp_train, inner_tok, train)
        th = max((T._bin_f1(s_in, g_in, t), t) for t in T._SENTENCE_THRESHOLDS)[1]
        a, b, c = T._bin_counts(*scores(sp_test, tok_test, test), th)
        tp, fp, fn = tp + a, fp + b, fn + c
        print(f"fold {f + 1}/{k}: threshold {th}, F1 {prf(a, b, c)['f1']:.4f}", flush=True)
    r = prf(tp, fp, fn)
    print(f"nested sentence F1 {r['f1']:.4f} (P {r['precision']:.4f}, R {r['recall']:.4f})")


if __name__ == "__main__":
    main()
