"""Kill sweep for ``rhetoric batch --jobs 2`` (issue 16): random ``kill -9``,
then ``--resume``, until the run finishes; every key must then be in the
results or in the errors file exactly once, with the same lines as a run that
was never interrupted.

    python tools/kill_sweep.py [--kills 50] [--docs 2000] [--seed 1] [--format jsonl|csv|both]

The corpus (JSONL, written to a temporary folder) has duplicate ids (strings
and numbers that read alike: 7 and "7"), awkward ids (spaces, a line break,
a tab, commas and quotes, a leading ``=``, ``+``, ``-`` or ``@``, accents,
an emoji, 300 bytes), empty texts, a missing id and malformed lines. Each kill
lands after a random number of new lines and a random delay, on the whole job
(as the OOM killer takes a process group on a full machine) or on the batch
process alone (its workers must die with it), alternately; ``--kills`` per
output format. The figures go to stdout; exit 1 on any loss or repeat.
``tests/test_batch_faults.py`` runs a small fixed version in CI.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_TEXTS = [
    json.loads(line)["text"]
    for line in (ROOT / "corpora" / "passages.jsonl").read_text(encoding="utf-8").splitlines()
]
_AWKWARD = [
    "a  b",  # two spaces
    "line\nbreak",
    "tab\there",
    'comma, "quoted"',
    '=HYPERLINK("http://example.invalid")',
    "+1",
    "-1",
    "@sum",
    "'=already quoted",
    "café naïve",
    "emoji \U0001f600",
    "x" * 300,
    " padded ",
]


def make_corpus(path: Path, n: int, seed: int = 1) -> None:
    """``n`` rows of our own passages with awkward and duplicate ids."""
    rng = random.Random(seed)
    lines = []
    for i in range(n):
        text = _TEXTS[i % len(_TEXTS)]
        roll = rng.random()
        row: dict[str, object]
        if i < len(_AWKWARD):
            row = {"id": _AWKWARD[i], "text": text}
        elif roll < 0.08 and i > 20:  # a duplicate of an earlier id
            row = {"id": f"doc{rng.randrange(20, i)}", "text": text}
        elif roll < 0.11:
            row = {"id": 7 if rng.random() < 0.5 else "7", "text": text}
        elif roll < 0.13:
            row = {"id": f"doc{i}", "text": "   "}  # empty: an error
        elif roll < 0.14:
            row = {"text": text}  # no id: FILE:LINE
        else:
            row = {"id": f"doc{i}", "text": text}
        lines.append(json.dumps(row, ensure_ascii=False))
        if roll > 0.985:
            lines.append("{not json")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _out_keys(out: Path) -> list[str]:
    if not out.exists():
        return []
    if out.suffix == ".csv":
        sys.path.insert(0, str(ROOT))
        from rhetoric.batch.files import csv_unescape

        with out.open(encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        return [csv_unescape(r[0]) for r in rows[1:]]
    return [json.loads(x)["id"] for x in out.read_text(encoding="utf-8").splitlines()]


def _errors(out: Path) -> Path:
    return out.with_name(out.stem + ".errors.jsonl")


def recorded_keys(out: Path) -> list[str]:
    """Every key in the results and the errors file (with repeats, if any)."""
    errs = _errors(out)
    err_keys = (
        [json.loads(x)["id"] for x in errs.read_text(encoding="utf-8").splitlines()]
        if errs.exists()
        else []
    )
    return _out_keys(out) + err_keys


def expected_keys(corpus: Path, extra: Sequence[str] = ("--no-models",)) -> list[str]:
    """The keys of a run that is never interrupted (in a scratch folder)."""
    with tempfile.TemporaryDirectory(prefix="rhetoric-sweep-ref-") as d:
        ref = Path(d) / "ref.jsonl"
        _batch([str(corpus), "-o", str(ref), "--jobs", "2", *extra]).wait()
        return recorded_keys(ref)


def _batch(args: list[str]) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "rhetoric", "batch", *args, "--no-progress"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        start_new_session=True,
    )


def _lines_in(out: Path) -> int:
    n = 0
    for p in (out, _errors(out)):
        if p.exists():
            n += p.read_bytes().count(b"\n")
    return n


def sweep(
    corpus: Path, out: Path, kills: int, rng: random.Random, models: bool
) -> dict[str, object]:
    """Kill and resume ``kills`` times, then finish; the figures. Each kill
    lands after a random number of new lines (1 to 8) and a random delay
    (up to 0.3 s), so it falls while documents are in flight and anywhere in
    a write."""
    args = [str(corpus), "-o", str(out), "--jobs", "2", "--resume"]
    if not models:
        args.append("--no-models")
    landed = 0
    for k in range(kills):
        proc = _batch(args)
        target = _lines_in(out) + rng.randint(1, 8)
        while proc.poll() is None and _lines_in(out) < target:
            time.sleep(0.01)
        time.sleep(rng.uniform(0, 0.3))
        if proc.poll() is not None:  # it finished first: nothing left to kill
            break
        if k % 2:
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            os.kill(proc.pid, signal.SIGKILL)  # the workers must die with it
        proc.wait()
        landed += 1
    final = _batch(args)
    code = final.wait()
    got = Counter(recorded_keys(out))
    return {"kills": landed, "exit": code, "keys": got}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kills", type=int, default=50)
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--format", choices=("jsonl", "csv", "both"), default="both")
    ap.add_argument("--no-models", action="store_true", help="lexicons and rules only (faster)")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    formats = ["jsonl", "csv"] if a.format == "both" else [a.format]
    bad = 0
    with tempfile.TemporaryDirectory(prefix="rhetoric-sweep-") as d:
        corpus = Path(d) / "corpus.jsonl"
        make_corpus(corpus, a.docs, a.seed)
        want = Counter(expected_keys(corpus, ("--no-models",) if a.no_models else ()))
        print(f"corpus: {a.docs} rows, {len(want)} keys expected", flush=True)
        per_format = a.kills
        total_kills = 0
        for fmt in formats:
            out = Path(d) / f"r.{fmt}"
            t0 = time.monotonic()
            res = sweep(corpus, out, per_format, rng, not a.no_models)
            got: Counter[str] = res["keys"]  # type: ignore[assignment]
            total_kills += res["kills"]  # type: ignore[operator]
            missing = sorted(want - got)
            repeated = sorted(k for k, c in got.items() if c > 1)
            extra = sorted(got - want)
            ok = not missing and not repeated and not extra and res["exit"] == 0
            bad += not ok
            print(
                f"{fmt}: {res['kills']} kills, final exit {res['exit']}, {sum(got.values())} "
                f"lines, missing {len(missing)}, repeated {len(repeated)}, unexpected "
                f"{len(extra)} ({time.monotonic() - t0:.0f} s){'' if ok else '  FAIL'}",
                flush=True,
            )
            for k in (missing + repeated + extra)[:10]:
                print(f"  {k!r}", flush=True)
        print(f"total: {total_kills} kills, {'OK' if not bad else 'FAILED'}", flush=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
