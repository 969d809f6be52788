"""Golden reports: what the command line prints for our own example articles
and annotated passages, in every format, with and without the trained models.

A refactor must leave these bytes alone; a change meant to alter results shows
as a diff of these files in review. Regenerate after an intended change with

    python -m tests.golden

and read the diff before committing it. The blind held-out passages
(``corpora/passages_heldout.jsonl``) are deliberately not here.

Each report comes from a fresh ``python -m rhetoric`` process with a fixed
environment: relative input paths (they are the report ids), no colour, an
80-column console and ``PYTHONHASHSEED=0``, so the bytes do not depend on the
terminal, the checkout's location or the per-process string-hash seed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent
INPUTS = ["corpora/examples", "corpora/passages.jsonl"]
VARIANTS = {"models": [], "no-models": ["--no-models"]}
# file name -> command after `python -m rhetoric`; {out} is the output path
FORMATS = {
    "report.json": ["score", "--format", "json"],
    "report.jsonl": ["score", "--format", "jsonl"],
    "report.lines": ["score", "--format", "lines"],
    "report.txt": ["score", "--format", "text"],
    "html": ["score", "--format", "html", "--out", "{out}"],
    "report.csv": ["batch", "--out", "{out}", "--no-progress"],
}


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"FORCE_COLOR", "TERM", "LINES"}}
    env.update(PYTHONHASHSEED="0", NO_COLOR="1", COLUMNS="80", PYTHONIOENCODING="utf-8")
    return env


def _run(variant: str, name: str, dest: Path) -> None:
    out = dest / variant / name
    out.parent.mkdir(parents=True, exist_ok=True)
    args = [a.replace("{out}", str(out)) for a in FORMATS[name]]
    cmd = [sys.executable, "-m", "rhetoric", *args, *INPUTS, *VARIANTS[variant]]
    proc = subprocess.run(cmd, cwd=ROOT, env=_env(), capture_output=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr.decode()}")
    if "{out}" not in FORMATS[name]:
        out.write_bytes(proc.stdout)


def render_all(dest: Path, jobs: int = 2) -> None:
    """Write every golden report under ``dest`` (``dest/VARIANT/FILE``)."""
    work = [(v, n) for v in VARIANTS for n in FORMATS]
    with ThreadPoolExecutor(jobs) as pool:
        for f in [pool.submit(_run, v, n, dest) for v, n in work]:
            f.result()


def files(top: Path) -> dict[str, bytes]:
    """Every golden file under ``top``, by path relative to it."""
    return {
        p.relative_to(top).as_posix(): p.read_bytes()
        for v in VARIANTS
        for p in sorted((top / v).rglob("*"))
        if p.is_file()
    }


def regenerate() -> None:
    import shutil

    with tempfile.TemporaryDirectory() as tmp:
        render_all(Path(tmp))
        for v in VARIANTS:
            shutil.rmtree(GOLDEN / v, ignore_errors=True)
            shutil.copytree(Path(tmp) / v, GOLDEN / v)
    print(f"wrote {len(files(GOLDEN))} files under {GOLDEN.relative_to(ROOT)}")
