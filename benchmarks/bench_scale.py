"""Scale benchmark: cold start, per-article latency, batch throughput with 1 and
2 jobs, peak memory, and proselint and VADER on the same articles, in one run.

    pip install proselint vaderSentiment psutil   # optional: comparisons, memory
    python benchmarks/bench_scale.py [--articles 100] [--words 1000] [--runs 3]

The corpus is generated from the project's own passages (corpora/passages.jsonl):
article i is passages i, i+1, ... joined until it has --words words, so the
articles differ but share vocabulary, like a news feed. Every tool reads the same
.txt files from a temporary folder, through its own command line, in fresh
processes, so start-up is counted for all of them (as a user sees it):

* rhetoric: ``rhetoric batch DIR --out results.jsonl --jobs N``
* proselint: ``proselint check -o json DIR``
* VADER (no command line of its own): a Python process that imports it, reads
  each file and calls ``polarity_scores``.

Throughput is documents per second of wall time; each figure is the median of
--runs repetitions, the tools interleaved within each repetition so that load
from other processes on a shared machine falls on all of them alike. CPU time
per document (user + system, the tool's processes and workers together, from
getrusage) does not depend on that load, so it is the fairer comparison on a
busy machine; wall-time scaling with --jobs needs idle cores to show. Peak
memory is the largest total proportional set size (PSS: a shared page counts
once, split among its sharers) of the process and its workers, sampled every
25 ms with psutil; the largest total resident size (RSS: shared pages once
per process, an overstatement for forked workers) is shown beside it.
``--folder DIR`` scores real articles (.txt) instead of generated ones.
A tool that is not installed is skipped.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

VADER_SCRIPT = """
import sys
from pathlib import Path
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
a = SentimentIntensityAnalyzer()
for p in sorted(Path(sys.argv[1]).glob("*.txt")):
    a.polarity_scores(p.read_text(encoding="utf-8"))
"""


def make_corpus(folder: Path, articles: int, words: int) -> list[Path]:
    """``articles`` texts of about ``words`` words each from our own passages."""
    recs = [
        json.loads(x)["text"]
        for x in (ROOT / "corpora" / "passages.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    paths = []
    for i in range(articles):
        paras, n, k = [], 0, i
        while n < words:
            text = recs[k % len(recs)]
            paras.append(text)
            n += len(text.split())
            k += 1
        p = folder / f"article{i:04d}.txt"
        p.write_text("\n\n".join(paras), encoding="utf-8")
        paths.append(p)
    return paths


def run_measured(
    cmd: list[str], sample_memory: bool
) -> tuple[float, tuple[float, float] | None, float]:
    """Wall time of ``cmd``, the peak total RSS and PSS (MB) of it and its
    children, and the CPU time (user + system) it and its children used.
    PSS (proportional set size) divides each shared page among the
    processes that share it, so the sum over a batch and its forked workers
    is the memory they really take; RSS counts shared pages once per process."""
    psutil = None
    if sample_memory and importlib.util.find_spec("psutil"):
        import psutil
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = peak_pss = 0.0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak, peak_pss
        try:
            root = psutil.Process(proc.pid)
        except psutil.Error:
            return
        while not stop.is_set():
            try:
                procs = [root, *root.children(recursive=True)]
                rss = pss = 0
                for p in procs:
                    with contextlib.suppress(psutil.Error, AttributeError):
                        m = p.memory_full_info()  # reads smaps: slower, so every 25 ms
                        rss += m.rss
                        pss += getattr(m, "pss", m.rss)
                peak = max(peak, rss / 2**20)
                peak_pss = max(peak_pss, pss / 2**20)
            except psutil.Error:
                return
            stop.wait(0.025)

    th = threading.Thread(target=sample, daemon=True) if psutil else None
    if th:
        th.start()
    _, err = proc.communicate()
    elapsed = time.perf_counter() - t
    stop.set()
    if th:
        th.join()
    if proc.returncode not in (0, 1):  # proselint exits 1 when it finds something
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err.decode(errors='replace')}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, ((peak, peak_pss) if psutil else None), cpu


def median_time(cmd: list[str], runs: int) -> float:
    return statistics.median(run_measured(cmd, False)[0] for _ in range(runs))


def latency_ms(paths: list[Path]) -> tuple[float, float]:
    """Median and 90th-percentile time of ``analyze`` on one article, warm."""
    sys.path.insert(0, str(ROOT))
    from rhetoric import analyze

    texts = [p.read_text(encoding="utf-8") for p in paths]
    analyze(texts[0])
    times = []
    for t in texts:
        s = time.perf_counter()
        analyze(t)
        times.append((time.perf_counter() - s) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.9 * (len(times) - 1))]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 2**20:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    load = ""
    if hasattr(os, "getloadavg"):
        load = f", load average {os.getloadavg()[0]:.1f} at start"
    return (
        f"{cpu}, {os.cpu_count()} cores{mem}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}{load}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=100)
    ap.add_argument("--words", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3, help="repetitions (medians are reported)")
    ap.add_argument("--cold-runs", type=int, default=9)
    ap.add_argument(
        "--baseline",
        metavar="DIR",
        help="also run the rhetoric rows with the code of another checkout (before/after)",
    )
    ap.add_argument(
        "--folder",
        help="score the .txt files of this folder (real articles) instead of generated ones",
    )
    args = ap.parse_args()
    py = sys.executable
    # this checkout's code, whatever is installed
    rhetoric = ["env", f"PYTHONPATH={ROOT}", py, "-m", "rhetoric"]
    versions = {"": rhetoric}
    if args.baseline:
        versions[" (baseline)"] = [
            "env",
            f"PYTHONPATH={Path(args.baseline).resolve()}",
            py,
            "-m",
            "rhetoric",
        ]
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        if args.folder:
            folder = Path(args.folder)
            paths = sorted(folder.glob("*.txt"))[: args.articles]
            if len(paths) < len(list(folder.glob("*.txt"))):
                folder = Path(tmp) / "articles"
                folder.mkdir()
                for p in paths:
                    shutil.copy(p, folder / p.name)
                paths = sorted(folder.glob("*.txt"))
        else:
            folder = Path(tmp) / "articles"
            folder.mkdir()
            paths = make_corpus(folder, args.articles, args.words)
        words = sum(len(p.read_text(encoding="utf-8").split()) for p in paths)
        print(f"corpus: {len(paths)} articles, {words / len(paths):.0f} words each on average")

        starts = {
            tag: (
                median_time([*cmd, "--help"], args.cold_runs),
                median_time([*cmd, "score", "--format", "json", str(paths[0])], args.cold_runs),
            )
            for tag, cmd in versions.items()
        }
        lat, lat90 = latency_ms(paths)

        tools: dict[str, Callable[[int], list[str]]] = {}
        for tag, cmd in versions.items():
            for jobs, extra in (("1", []), ("2", []), ("1", ["--no-models"])):
                name = f"rhetoric batch --jobs {jobs}{' ' + extra[0] if extra else ''}{tag}"
                tools[name] = lambda r, cmd=cmd, jobs=jobs, extra=extra, name=name: [
                    *cmd,
                    "batch",
                    str(folder),
                    "--out",
                    f"{tmp}/{abs(hash(name))}_{r}.jsonl",
                    "--jobs",
                    jobs,
                    *extra,
                ]
        if shutil.which("proselint") or importlib.util.find_spec("proselint"):
            exe = shutil.which("proselint")
            base = [exe] if exe else [py, "-m", "proselint"]
            tools["proselint check"] = lambda r: [*base, "check", "-o", "json", str(folder)]
        else:
            print("proselint: not installed, skipped (pip install proselint)")
        if importlib.util.find_spec("vaderSentiment"):
            tools["VADER polarity_scores"] = lambda r: [py, "-c", VADER_SCRIPT, str(folder)]
        else:
            print("VADER: not installed, skipped (pip install vaderSentiment)")

        times: dict[str, list[float]] = {k: [] for k in tools}
        peaks: dict[str, list[tuple[float, float]]] = {k: [] for k in tools}
        cpus: dict[str, list[float]] = {k: [] for k in tools}
        for r in range(args.runs):
            for name, cmd in tools.items():
                t, peak, cpu = run_measured(cmd(r), sample_memory=True)
                times[name].append(t)
                cpus[name].append(cpu)
                if peak is not None:
                    peaks[name].append(peak)

    n = len(paths)
    rate = {k: n / statistics.median(v) for k, v in times.items()}
    print()
    for tag, (help_s, cold) in starts.items():
        print(f"rhetoric{tag} --help (median of {args.cold_runs}): {help_s * 1000:.0f} ms")
        print(
            f"rhetoric{tag} score cold start, 1 article (median of {args.cold_runs}): {cold:.2f} s"
        )
    print(f"per-article latency, warm (median / p90):  {lat:7.1f} / {lat90:.1f} ms")
    print()
    print(
        f"| tool (same {n} articles, median of {args.runs}) | documents/s "
        "| CPU ms/document | peak memory, PSS (RSS) |"
    )
    print("|---|---|---|---|")
    for k in tools:
        mem = (
            f"{max(p for _, p in peaks[k]):.0f} MB ({max(r for r, _ in peaks[k]):.0f} MB)"
            if peaks[k]
            else "n/a"
        )
        cpu_ms = statistics.median(cpus[k]) / n * 1000
        print(f"| {k} | {rate[k]:.1f} | {cpu_ms:.1f} | {mem} |")
    print()
    one, two = rate["rhetoric batch --jobs 1"], rate["rhetoric batch --jobs 2"]
    print(f"rhetoric --jobs 2 / --jobs 1: {two / one:.2f}x")
    for other in ("proselint check", "VADER polarity_scores"):
        if other in rate:
            print(
                f"rhetoric --jobs 1 / {other}: {one / rate[other]:.2f}x; "
                f"--jobs 2 / {other}: {two / rate[other]:.2f}x"
            )
    if args.baseline:
        for jobs in ("1", "2"):
            now, before = (
                rate[f"rhetoric batch --jobs {jobs}"],
                rate[f"rhetoric batch --jobs {jobs} (baseline)"],
            )
            print(f"rhetoric --jobs {jobs} / baseline: {now / before:.2f}x")


if __name__ == "__main__":
    main()
