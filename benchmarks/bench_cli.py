"""Start-up and scoring speed of the CLI, as a user sees it (wall time).

    python benchmarks/bench_cli.py [--runs 15]

Builds a 1,000-word article from the project's own corpus (corpora/), then
times `rhetoric --help` and `rhetoric score --format json ARTICLE` in fresh
processes and prints medians. Timings on shared machines are noisy: compare
medians, and ratios between runs made at the same time.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def article(words: int = 1000) -> str:
    recs = [json.loads(x) for x in (ROOT / "corpora" / "passages.jsonl").read_text().splitlines()]
    paras, n = [], 0
    while n < words:
        for r in recs:
            paras.append(r["text"])
            n += len(r["text"].split())
            if n >= words:
                break
    text = "\n\n".join(paras)
    return " ".join(text.split(" ")[:words]) if n > words else text


def median_time(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "article.txt"
        path.write_text(article(), encoding="utf-8")
        words = len(path.read_text().split())
        base = [sys.executable, "-m", "rhetoric"]
        py = median_time([sys.executable, "-c", "pass"], args.runs)
        helps = median_time([*base, "--help"], args.runs)
        score = median_time([*base, "score", "--format", "json", str(path)], args.runs)
        text = median_time([*base, "score", str(path)], args.runs)
    print(f"python startup alone:            {py * 1000:7.0f} ms")
    print(f"rhetoric --help:                 {helps * 1000:7.0f} ms (median of {args.runs})")
    print(f"rhetoric score -f json ({words} words): {score * 1000:7.0f} ms")
    print(f"rhetoric score, text ({words} words):  {text * 1000:7.0f} ms")


if __name__ == "__main__":
    main()
