"""Hedged-sentence F1 on our annotated passages (a news-style proxy).

    python tools/hedged_sentence_f1.py corpora/passages.jsonl [dev|test]

A sentence is positive when it holds an annotated hedging span, and predicted
positive when the report gives it a hedging finding with confidence >= 0.5.
Pass --rules to score the lexicons and rules alone.
"""

from __future__ import annotations

import json
import sys

from rhetoric.core.document import Document
from rhetoric.detectors import DEFAULT_DETECTORS, RULE_DETECTORS
from rhetoric.evaluation.metrics import prf
from rhetoric.pipeline.analyze import analyze


def main() -> None:
    args = [a for a in sys.argv[1:] if a != "--rules"]
    detectors = RULE_DETECTORS if "--rules" in sys.argv else DEFAULT_DETECTORS
    split = args[1] if len(args) > 1 else None
    tp = fp = fn = 0
    with open(args[0], encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if split and r.get("split") != split:
                continue
            doc = Document(r["text"])
            rep = analyze(r["text"], categories=("hedging",), detectors=detectors)
            gold = [(s["start"], s["end"]) for s in r["spans"] if s["category"] == "hedging"]
            for s in doc.sentences:
                if not doc.word_count(s):
                    continue
                g = any(a < s.end and s.start < b for a, b in gold)
                p = any(x.confidence >= 0.5 and s.start <= x.start < s.end for x in rep.findings)
                tp += g and p
                fp += p and not g
                fn += g and not p
    print({k: round(v, 3) for k, v in prf(tp, fp, fn).items()})


if __name__ == "__main__":
    main()
