"""What the trained models cost: load time, and time added per article.

    python benchmarks/bench_models.py [--runs 15]

On a 1,000-word article built from our own corpus (as bench_cli.py builds it):

* load: reading every shipped model file (fresh process, median), minus the
  same process importing rhetoric without loading them;
* per article: `analyze()` with all detectors against rules only, in one warm
  process, median of ``--runs`` (each run uses a fresh Document, so nothing is
  cached between runs);
* CLI: `rhetoric score -f json` against `--no-models` in fresh processes.

Timings on shared machines are noisy: read medians and compare runs made at
the same time.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_cli import article, median_time

LOAD = (
    "import time; t = time.perf_counter(); from rhetoric.models.store import load_bundle, "
    "MODEL_FILES; [load_bundle(b) for b in MODEL_FILES]; print(time.perf_counter() - t)"
)
NO_LOAD = (
    "import time; t = time.perf_counter(); from rhetoric.models.store import load_bundle, "
    "MODEL_FILES; print(time.perf_counter() - t)"
)


def _inner(code: str, runs: int) -> float:
    vals = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
        vals.append(float(out.stdout))
    return statistics.median(vals)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    from rhetoric.detectors import DEFAULT_DETECTORS, RULE_DETECTORS
    from rhetoric.pipeline.analyze import analyze

    text = article()
    words = len(text.split())
    load = _inner(LOAD, args.runs) - _inner(NO_LOAD, args.runs)
    analyze(text)  # load models and lexicons once
    with_m, rules = [], []
    for _ in range(args.runs):
        t = time.perf_counter()
        analyze(text, detectors=DEFAULT_DETECTORS)
        with_m.append(time.perf_counter() - t)
        t = time.perf_counter()
        analyze(text, detectors=RULE_DETECTORS)
        rules.append(time.perf_counter() - t)
    m, r = statistics.median(with_m), statistics.median(rules)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "article.txt"
        path.write_text(text, encoding="utf-8")
        base = [sys.executable, "-m", "rhetoric", "score", "-f", "json", str(path)]
        cli_m = median_time(base, args.runs)
        cli_r = median_time([*base, "--no-models"], args.runs)
    print(f"article: {words} words; medians of {args.runs} runs")
    print(f"model files load:              {load * 1000:7.0f} ms")
    print(f"analyze, rules only:           {r * 1000:7.1f} ms")
    print(f"analyze, rules + models:       {m * 1000:7.1f} ms  (+{(m - r) * 1000:.1f} ms)")
    print(f"rhetoric score --no-models:    {cli_r * 1000:7.0f} ms")
    print(f"rhetoric score (with models):  {cli_m * 1000:7.0f} ms  (+{(cli_m - cli_r) * 1000:.0f})")


if __name__ == "__main__":
    main()
