"""Precision of the unsupported-claim findings against PolNeAR gold attributions.

    python tools/unsupported_precision.py ../shared/data/polnear/dev [--show 30]

A flagged sentence counts as correct when no gold attribution span (source,
cue or content) overlaps it (sentence level) and, more strictly, when none
overlaps its paragraph. This measures the "no attribution" half of the
definition; whether a flag is a factual claim is checked by reading the
random sample that --show prints.
"""

from __future__ import annotations

import argparse
import random

from rhetoric.attribution.sourcing import claim_sentences
from rhetoric.core.document import Document
from rhetoric.detectors.attribution import unsupported_claims
from rhetoric.io.polnear import read_polnear


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder")
    ap.add_argument("--show", type=int, default=0)
    args = ap.parse_args()
    arts = read_polnear(args.folder)
    n = para_ok = sent_ok = claims = 0
    samples = []
    for a in arts:
        d = Document(a.text, a.id)
        claims += len(claim_sentences(d))
        gold = [
            p
            for r in a.relations
            for role in ("cue", "source", "content")
            for p in getattr(r, role)
        ]
        for f in unsupported_claims(d):
            n += 1
            para = d.paragraphs[d.paragraph_index(f.start)]
            para_ok += not any(s < para.end and para.start < e for s, e in gold)
            sent_ok += not any(s < f.end and f.start < e for s, e in gold)
            samples.append(f.text)
    print(
        f"articles {len(arts)}, claim sentences {claims}, flagged {n}; precision: "
        f"sentence outside any gold attribution {sent_ok / max(n, 1):.3f}, "
        f"paragraph without gold attribution {para_ok / max(n, 1):.3f}"
    )
    random.Random(0).shuffle(samples)
    for s in samples[: args.show]:
        print(" -", " ".join(s.split())[:160])


if __name__ == "__main__":
    main()
