"""rhetoric batch: errors file, resume (also after a kill), CSV, jobs."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rhetoric.batch import BatchOptions, read_done_ids, run_batch
from rhetoric.cli import app

from .conftest import CORPUS, ROOT

runner = CliRunner()
PASSAGES = [json.loads(x)["text"] for x in CORPUS.read_text(encoding="utf-8").splitlines()]


def _lines(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Five good articles, one binary file, one empty file, a PDF, a hidden file."""
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    for i in range(4):
        (d / f"good{i}.txt").write_text("\n\n".join(PASSAGES[i * 3 : i * 3 + 3]), encoding="utf-8")
    (d / "sub" / "good4.md").write_text(PASSAGES[20], encoding="utf-8")
    (d / "blob.txt").write_bytes(b"\x00\x01\x02\x03binary\x00" * 20)
    (d / "empty.txt").write_bytes(b"")
    (d / "scan.pdf").write_bytes(b"%PDF-1.4")
    (d / ".DS_Store").write_bytes(b"\x00\x00")
    return d


def test_folder_with_binary_and_empty_files(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "results.jsonl"
    r = runner.invoke(app, ["batch", str(folder), "--out", str(out)])
    assert r.exit_code == 0, r.output
    ids = [d["id"] for d in _lines(out)]
    good = sorted(str(p) for p in folder.rglob("good*"))
    assert sorted(ids) == good and len(ids) == len(set(ids))
    errors = {e["id"]: e["error"] for e in _lines(tmp_path / "results.errors.jsonl")}
    assert set(errors) == {str(folder / n) for n in ("blob.txt", "empty.txt", "scan.pdf")}
    assert "binary" in errors[str(folder / "blob.txt")]
    assert "empty document" in errors[str(folder / "empty.txt")]
    assert "unsupported format '.pdf'" in errors[str(folder / "scan.pdf")]
    assert "5 written" in r.stderr and "3 failed" in r.stderr
    # the same reports as `rhetoric score -f jsonl`, line for line
    r2 = runner.invoke(app, ["score", "-f", "jsonl", *good])
    assert sorted(r2.stdout.splitlines()) == sorted(out.read_text(encoding="utf-8").splitlines())

    # resume: nothing to do, nothing written twice
    r = runner.invoke(app, ["batch", str(folder), "--out", str(out), "--resume"])
    assert r.exit_code == 0 and "8 skipped" in r.stderr
    assert len(_lines(out)) == 5 and len(_lines(tmp_path / "results.errors.jsonl")) == 3
    # without --resume an existing output is not overwritten
    before = out.read_bytes()
    r = runner.invoke(app, ["batch", str(folder), "--out", str(out)])
    assert r.exit_code == 2 and "--resume" in r.stderr and out.read_bytes() == before


def test_csv_output_and_corpus_errors(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    rows = [
        {"key": "a", "body": PASSAGES[0]},
        {"key": "b", "body": PASSAGES[1]},
        {"key": "a", "body": PASSAGES[2]},  # duplicate id
        {"key": "c", "body": "   "},  # empty
        {"key": "d", "body": "x " * 600},  # too large for --max-bytes 1000
    ]
    corpus.write_text(
        "\n".join(json.dumps(r) for r in rows) + "\n{broken\n" + json.dumps({"key": "e"}) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "scores.csv"
    args = ["batch", str(corpus), "-o", str(out), "--text-column", "body", "--id-column", "key"]
    r = runner.invoke(app, [*args, "--max-bytes", "1000"])
    assert r.exit_code == 0, r.output
    with out.open(encoding="utf-8", newline="") as f:
        table = list(csv.DictReader(f))
    assert [t["id"] for t in table] == ["a", "b"]
    assert set(table[0]) >= {"overall", "loaded_language", "hedging", "findings", "words"}
    assert int(table[0]["words"]) > 0
    errors = {e["id"]: e["error"] for e in _lines(tmp_path / "scores.errors.jsonl")}
    # a later row with an id already taken is reported under its own line, so
    # "a" is in the results once and each row in one file exactly once
    assert errors[f"{corpus}:3"] == f"{corpus}:3: duplicate id 'a' (an earlier document has it)"
    assert "a" not in errors and "empty document" in errors["c"]
    assert "limit" in errors["d"]
    assert "malformed JSON" in errors[f"{corpus}:6"]
    assert "string 'body' field" in errors[f"{corpus}:7"]
    r = runner.invoke(app, [*args, "--max-bytes", "1000", "--resume"])
    assert r.exit_code == 0 and len(out.read_text().splitlines()) == 3  # header + 2
    assert len(_lines(tmp_path / "scores.errors.jsonl")) == 5


def test_refuses_to_write_over_an_input(folder: Path, tmp_path: Path) -> None:
    target = folder / "good0.txt"
    before = target.read_bytes()
    r = runner.invoke(app, ["batch", str(target), "--out", str(target)])
    assert r.exit_code == 2 and "must end in .jsonl or .csv" in r.stderr
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"id": "x", "text": PASSAGES[0]}) + "\n", encoding="utf-8")
    r = runner.invoke(app, ["batch", str(corpus), "--out", str(corpus), "--resume"])
    assert r.exit_code == 2 and "is an input" in r.stderr
    assert target.read_bytes() == before and len(corpus.read_text().splitlines()) == 1
    r = runner.invoke(app, ["batch", str(tmp_path / "nope"), "--out", str(tmp_path / "r.jsonl")])
    assert r.exit_code == 2 and "no such file" in r.stderr
    # an output inside the input folder is not read back as an input
    out = folder / "results.jsonl"
    assert runner.invoke(app, ["batch", str(folder), "-o", str(out)]).exit_code == 0
    assert runner.invoke(app, ["batch", str(folder), "-o", str(out), "--resume"]).exit_code == 0
    assert len(_lines(out)) == 5


def test_resume_cuts_a_truncated_last_line(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.jsonl"
    run_batch([str(folder)], out)
    lines = out.read_text(encoding="utf-8").splitlines()
    # as if killed while writing the third line
    out.write_text("\n".join(lines[:2]) + "\n" + lines[2][:50], encoding="utf-8")
    assert len(read_done_ids(out, "jsonl", repair=False)) == 2
    result = run_batch([str(folder)], out, resume=True)
    assert result.written == 3 and result.skipped == 2 + 3  # 2 done, 3 failed earlier
    again = out.read_text(encoding="utf-8").splitlines()
    assert sorted(again) == sorted(lines)


def test_two_jobs_give_the_same_results(folder: Path, tmp_path: Path) -> None:
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    run_batch([str(folder)], one, jobs=1)
    result = run_batch([str(folder)], two, jobs=2)
    assert result.written == 5 and result.failed == 3
    assert one.read_bytes() == two.read_bytes()  # same order too


def test_models_are_loaded_once_before_the_workers_fork(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The batch process loads the models and the workers inherit them: every
    model file read is the batch process's own (a worker that loaded its own
    copy would share no pages). Reads are logged to a file, which forked
    workers would append to as well."""
    from rhetoric.models import store

    log = tmp_path / "reads.log"
    real = store.load_json

    def logged(path):  # type: ignore[no-untyped-def]
        with open(log, "a", encoding="utf-8") as f:
            f.write(f"{os.getpid()}\n")
        return real(path)

    monkeypatch.setattr(store, "load_json", logged)
    store._shipped.cache_clear()
    try:
        result = run_batch([str(folder)], tmp_path / "out.jsonl", jobs=2)
    finally:
        store._shipped.cache_clear()  # the next tests load unpatched models
    assert result.written == 5
    readers = set(log.read_text(encoding="utf-8").split())
    assert readers == {str(os.getpid())}


def _corpus(path: Path, n: int) -> list[str]:
    """n short articles (our passages, two at a time) as a JSONL corpus."""
    ids = []
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            text = "\n\n".join(PASSAGES[(i + k) % len(PASSAGES)] for k in range(2))
            ids.append(f"doc{i:04d}")
            f.write(json.dumps({"id": ids[-1], "text": text}) + "\n")
    return ids


def _start(args: list[str]) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "rhetoric", "batch", *args, "--no-progress"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,  # its own process group, like a terminal job
    )


def _wait_for_lines(out: Path, n: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 240  # models load slowly on a loaded machine
    while time.monotonic() < deadline:
        if out.exists() and out.read_bytes().count(b"\n") >= n:
            return
        assert proc.poll() is None, "the batch ended before it could be interrupted"
        time.sleep(0.02)
    raise AssertionError("no output in 240 s")


@pytest.mark.parametrize(("sig", "jobs"), [(signal.SIGKILL, "1"), (signal.SIGINT, "2")])
def test_interrupted_run_resumes_with_no_duplicates(
    tmp_path: Path, sig: signal.Signals, jobs: str
) -> None:
    corpus = tmp_path / "corpus.jsonl"
    ids = _corpus(corpus, 400)  # far more than a loaded machine scores between poll and kill
    out = tmp_path / "r.jsonl"
    proc = _start([str(corpus), "--out", str(out), "--jobs", jobs])
    _wait_for_lines(out, 5, proc)
    os.killpg(proc.pid, sig)  # the whole job: workers too, as Ctrl-C or kill -9 would
    _, err = proc.communicate(timeout=120)
    if sig == signal.SIGINT:
        assert proc.returncode == 130 and b"--resume" in err and b"Traceback" not in err
    else:
        assert proc.returncode == -signal.SIGKILL
    data = out.read_bytes()
    done = data.count(b"\n")
    assert 5 <= done < len(ids)  # stopped midway
    with out.open("ab") as f:  # as if the kill had landed in the middle of a write
        f.write(b'{"schema_version":1,"id":"doc99')
    proc = _start([str(corpus), "--out", str(out), "--jobs", jobs, "--resume"])
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err.decode()
    got = [d["id"] for d in _lines(out)]
    assert sorted(got) == ids and len(got) == len(set(got))  # all there, none twice
    assert f"{done} skipped".encode() in err
    assert not (tmp_path / "r.errors.jsonl").exists()


def test_batch_options_are_picklable() -> None:
    import pickle

    opts = BatchOptions(fmt="csv", max_bytes=10)
    assert pickle.loads(pickle.dumps(opts)) == opts
