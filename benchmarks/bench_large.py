"""Large and awkward articles: time and peak memory against size (issue 16).

    python benchmarks/bench_large.py [--sizes 250k,1m,2m,4m,10m] [--formats json,html,text]
                                     [--shapes] [--no-models] [--runs 1]

Each article is built from the project's own passages (corpora/passages.jsonl
and corpora/examples), repeated to the size asked for, so it reads like news.
Every measurement is one fresh ``rhetoric score -f FORMAT FILE > /dev/null``
process: wall time, CPU time (user + system) and peak resident memory, all
from ``wait4`` on that process alone. CPU time does not depend on other load
on a shared machine, so the ratios use it. ``--shapes`` adds the inputs that
were quadratic: 100,000 one-word paragraphs, 64,000 ``<!-- rhetoric: off -->``
lines, a 1 MB article on one line, 18,000 findings in one paragraph.

The acceptance figures: a 1 MB article in at most 4 times the time of a
250 KB one and under 400 MB; a 10 MB article finishes under 1.5 GB or is
refused up front (it is: over ``io.inputs.MAX_CHARS``, one line, exit 2).
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZES = {"250k": 250_000, "1m": 1_000_000, "2m": 2_000_000, "4m": 4_000_000, "10m": 10_000_000}


def _base() -> str:
    passages = [
        json.loads(line)["text"]
        for line in (ROOT / "corpora" / "passages.jsonl").read_text("utf-8").splitlines()
    ]
    examples = [
        Path(p).read_text("utf-8") for p in sorted(glob.glob(str(ROOT / "corpora/examples/*.txt")))
    ]
    return "\n\n".join(passages + examples) + "\n\n"


def article(size: int, base: str) -> str:
    data = (base * (size // len(base.encode("utf-8")) + 1)).encode("utf-8")[:size]
    return data.decode("utf-8", "ignore")


def shapes(base: str) -> dict[str, str]:
    one_line = " ".join(article(1_000_000, base).split())
    return {
        "100k one-word paragraphs": "\n\n".join(["disaster"] * 100_000),
        "64k off markers": "\n".join(
            ["<!-- rhetoric: off --> Critics say it is a total disaster."] * 64_000
        ),
        "1 MB on one line": one_line,
        "18k findings, one paragraph": " ".join(["disaster slammed cronies"] * 6_000),
    }


def measure(path: Path, fmt: str, models: bool) -> dict[str, float | int]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = [sys.executable, "-m", "rhetoric", "score", "-f", fmt, str(path)]
    if not models:
        args.append("--no-models")
    t0 = time.monotonic()
    with open(os.devnull, "wb") as null:
        proc = subprocess.Popen(args, stdout=null, stderr=subprocess.PIPE, env=env)
        assert proc.stderr is not None
        err = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {
        "exit": proc.returncode,
        "wall": time.monotonic() - t0,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss_mb": usage.ru_maxrss / 1024,  # KB on Linux
        "message": err.decode("utf-8", "replace").strip().splitlines()[-1:] or [""],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="250k,1m,2m,4m,10m")
    ap.add_argument("--formats", default="json,html,text")
    ap.add_argument("--shapes", action="store_true")
    ap.add_argument("--no-models", action="store_true")
    ap.add_argument("--runs", type=int, default=1, help="median of this many runs")
    a = ap.parse_args()
    base = _base()
    formats = a.formats.split(",")
    rows: list[tuple[str, str, dict[str, float | int]]] = []
    with tempfile.TemporaryDirectory(prefix="rhetoric-bench-large-") as d:
        inputs: list[tuple[str, Path]] = []
        for name in a.sizes.split(","):
            p = Path(d) / f"{name}.txt"
            p.write_text(article(SIZES[name], base), encoding="utf-8")
            inputs.append((name, p))
        if a.shapes:
            for i, (name, text) in enumerate(shapes(base).items()):
                p = Path(d) / f"shape{i}.txt"
                p.write_text(text, encoding="utf-8")
                inputs.append((name, p))
        print(f"{'input':30} {'format':6} {'exit':>4} {'wall s':>8} {'cpu s':>8} {'peak MB':>8}")
        for name, p in inputs:
            for fmt in formats:
                runs = sorted((measure(p, fmt, not a.no_models) for _ in range(a.runs)),
                              key=lambda r: r["cpu"])  # fmt: skip
                r = runs[len(runs) // 2]
                rows.append((name, fmt, r))
                note = f"  {r['message'][0][:70]}" if r["exit"] else ""  # type: ignore[index]
                print(
                    f"{name:30} {fmt:6} {r['exit']:>4} {r['wall']:8.1f} {r['cpu']:8.1f} "
                    f"{r['rss_mb']:8.0f}{note}",
                    flush=True,
                )
    by = {(n, f): r for n, f, r in rows}
    for fmt in formats:
        small, big = by.get(("250k", fmt)), by.get(("1m", fmt))
        if small and big:
            print(
                f"1 MB / 250 KB, {fmt}: {big['cpu'] / small['cpu']:.2f}x CPU time "
                f"({big['wall'] / small['wall']:.2f}x wall); 1 MB peak {big['rss_mb']:.0f} MB"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
