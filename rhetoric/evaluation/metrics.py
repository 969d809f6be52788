"""Metrics with the published definitions, so our figures compare with papers.

``si_scores`` is SemEval-2020 Task 11 span identification: precision and
recall give partial credit for partial overlap,
P = 1/|S| sum_s sum_t |s & t| / |s| and R = 1/|T| sum_t sum_s |s & t| / |t|,
summed over articles, with overlapping spans of one article merged first (as
the official scorer does for the SI task).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from ..core.document import spans_overlap

__all__ = ["auc", "f1", "macro_f1", "merge_spans", "overlap_prf", "prf", "si_scores", "tc_micro_f1"]

Spans = Sequence[tuple[int, int]]


def auc(scores: Sequence[float], labels: Sequence[bool]) -> float:
    """Area under the ROC curve (ties count half), without scikit-learn."""
    pos = [s for s, y in zip(scores, labels, strict=True) if y]
    neg = [s for s, y in zip(scores, labels, strict=True) if not y]
    if not pos or not neg:
        return float("nan")
    ranked = sorted((s, i) for i, s in enumerate(list(pos) + list(neg)))
    ranks = [0.0] * len(ranked)
    i = 0
    while i < len(ranked):
        j = i
        while j + 1 < len(ranked) and ranked[j + 1][0] == ranked[i][0]:
            j += 1
        for k in range(i, j + 1):
            ranks[ranked[k][1]] = (i + j) / 2 + 1
        i = j + 1
    r_pos = sum(ranks[: len(pos)])
    return (r_pos - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg))


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Union of overlapping (or touching) spans, sorted."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _overlap_sum(a: Spans, b: Spans) -> float:
    """sum over spans x in a of (chars of x covered by b) / |x|; a and b merged."""
    total = 0.0
    j = 0
    for s, e in a:
        while j < len(b) and b[j][1] <= s:
            j += 1
        k = j
        cov = 0
        while k < len(b) and b[k][0] < e:
            cov += min(e, b[k][1]) - max(s, b[k][0])
            k += 1
        total += cov / (e - s)
    return total


def si_scores(pred: Mapping[str, Spans], gold: Mapping[str, Spans]) -> dict[str, float]:
    """SemEval-2020 SI precision, recall and F1 over all articles in ``gold``."""
    p_num = r_num = 0.0
    n_pred = n_gold = 0
    for aid in gold:
        g = merge_spans(gold[aid])
        p = merge_spans(pred.get(aid, ()))
        n_pred += len(p)
        n_gold += len(g)
        p_num += _overlap_sum(p, g)
        r_num += _overlap_sum(g, p)
    prec = p_num / n_pred if n_pred else 0.0
    rec = r_num / n_gold if n_gold else 0.0
    return {"precision": prec, "recall": rec, "f1": f1(prec, rec), "pred": n_pred, "gold": n_gold}


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": p, "recall": r, "f1": f1(p, r), "support": tp + fn}


def tc_micro_f1(gold: Sequence[str], pred: Sequence[str]) -> dict[str, object]:
    """Technique classification on given spans: micro-F1 (equal to accuracy
    when every span gets one prediction) and a per-class table."""
    classes = sorted(set(gold) | set(pred))
    per = {}
    for c in classes:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == c and p == c)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if g != c and p == c)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == c and p != c)
        per[c] = prf(tp, fp, fn)
    correct = sum(1 for g, p in zip(gold, pred, strict=True) if g == p)
    return {"micro_f1": correct / len(gold) if gold else 0.0, "per_class": per}


def macro_f1(gold: Sequence[int], pred: Sequence[int]) -> float:
    """Mean of the F1 of class 1 and of class 0 (BABE's headline metric)."""

    def f(c: int) -> float:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == c and p == c)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if g != c and p == c)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == c and p != c)
        return prf(tp, fp, fn)["f1"]

    return (f(0) + f(1)) / 2


def _overlaps(a: tuple[int, int], spans: Iterable[tuple[int, int]]) -> bool:
    return any(spans_overlap(a[0], a[1], s, e) for s, e in spans)


def overlap_prf(pred: Mapping[str, Spans], gold: Mapping[str, Spans]) -> dict[str, float]:
    """Partial-overlap P/R/F1 (any overlap matches) and the SI-style
    character-proportional variant, over the articles in ``gold``."""
    tp_p = n_p = tp_g = n_g = 0
    for aid, g in gold.items():
        p = pred.get(aid, ())
        n_p += len(p)
        n_g += len(g)
        tp_p += sum(1 for x in p if _overlaps(x, g))
        tp_g += sum(1 for x in g if _overlaps(x, p))
    prec = tp_p / n_p if n_p else 0.0
    rec = tp_g / n_g if n_g else 0.0
    si = si_scores({k: list(v) for k, v in pred.items()}, {k: list(v) for k, v in gold.items()})
    return {
        "precision": round(prec, 4),
        "recall": round(rec, 4),
        "f1": round(f1(prec, rec), 4),
        "predicted": n_p,
        "gold": n_g,
        "char_f1": round(si["f1"], 4),
    }
