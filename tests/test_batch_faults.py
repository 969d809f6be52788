"""rhetoric batch under faults (issue 16): a worker killed, a document that
never ends, Ctrl-C, the batch process killed, two runs on one output, kills
between a document and its duplicate. Each waits for a condition (a worker
blocked on a FIFO, a line in the output), never for a fixed time, and gives
deadlines that hold on a loaded two-core machine.

A FIFO stands in for a document that never finishes: a worker that opens it
waits for a writer; when the test opens the other end without writing, the
worker's open returns and its read waits instead, which also tells the test
that the worker is holding that document."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs and fork")

ARTICLE = "Critics say the so-called reform is a total disaster, sources said."


def _start(args: list[str], **kw: object) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "rhetoric", "batch", *args, "--no-progress", "--no-models"],
        stdout=kw.pop("stdout", subprocess.DEVNULL),  # type: ignore[arg-type]
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,  # its own process group, like a terminal job
        **kw,  # type: ignore[arg-type]
    )


def _until(
    cond: object, what: str, proc: subprocess.Popen[bytes] | None, limit: float = 90
) -> None:
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if cond():  # type: ignore[operator]
            return
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"the batch ended before {what}: {proc.stderr.read()!r}")  # type: ignore[union-attr]
        time.sleep(0.05)
    raise AssertionError(f"no {what} in {limit} s")


@contextlib.contextmanager
def _holding(fifo: Path, proc: subprocess.Popen[bytes]) -> Iterator[None]:
    """Wait until a worker has opened ``fifo`` (our non-blocking open of the
    writing end succeeds only then), and keep it waiting on the read."""
    fd: list[int] = []

    def opened() -> bool:
        try:
            fd.append(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        except OSError:  # ENXIO: no reader yet
            return False
        return True

    _until(opened, "worker on the FIFO", proc)
    try:
        yield
    finally:
        os.close(fd[0])


def _children(pid: int) -> list[int]:
    return [int(x) for x in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _holds(pid: int, path: Path) -> bool:
    """Whether process ``pid`` has ``path`` open."""
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        return False
    for fd in fds:
        with contextlib.suppress(OSError):
            if os.path.realpath(f"/proc/{pid}/fd/{fd}") == str(path):
                return True
    return False


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _lines(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def docs(tmp_path: Path) -> tuple[list[Path], Path]:
    """Three articles and a FIFO that no one writes."""
    files = []
    for i in range(3):
        p = tmp_path / f"a{i}.txt"
        p.write_text(ARTICLE + f" Number {i}.", encoding="utf-8")
        files.append(p)
    fifo = tmp_path / "stuck.txt"
    os.mkfifo(fifo)
    return files, fifo


needs_proc = pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs /proc")


@needs_proc
def test_a_killed_worker_is_one_failed_document_and_the_run_finishes(
    docs: tuple[list[Path], Path], tmp_path: Path
) -> None:
    files, fifo = docs
    out = tmp_path / "r.jsonl"
    proc = _start([str(files[0]), str(fifo), str(files[1]), str(files[2]), "-o", str(out),
                   "--jobs", "2", "--timeout", "600"])  # fmt: skip
    with _holding(fifo, proc):
        holder: list[int] = []

        def found() -> bool:
            # the worker's open() returns (and its descriptor shows in /proc)
            # a moment after our writing end connects to it
            holder[:] = [k for k in _children(proc.pid) if _holds(k, fifo)]
            return len(holder) == 1

        _until(found, "the worker holding the FIFO", proc)
        os.kill(holder[0], signal.SIGKILL)  # as the OOM killer would
        _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err.decode()
    assert b"Traceback" not in err
    assert sorted(d["id"] for d in _lines(out)) == sorted(str(f) for f in files)
    (error,) = _lines(tmp_path / "r.errors.jsonl")
    assert error["id"] == str(fifo)
    assert "worker process scoring it was killed by SIGKILL" in error["error"]


def test_timeout_bounds_a_document_that_never_ends(
    docs: tuple[list[Path], Path], tmp_path: Path
) -> None:
    files, fifo = docs
    out = tmp_path / "r.csv"
    t0 = time.monotonic()
    proc = _start([str(files[0]), str(fifo), *map(str, files[1:]), "-o", str(out),
                   "--timeout", "2"])  # fmt: skip
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err.decode()
    assert time.monotonic() - t0 < 100  # not forever (2 s for the FIFO, plus start-up)
    rows = out.read_text(encoding="utf-8").splitlines()
    assert len(rows) == 1 + 3  # header and the three articles, in input order
    assert [r.split(",")[0] for r in rows[1:]] == [str(f) for f in files]
    (error,) = _lines(tmp_path / "r.errors.jsonl")
    assert error == {"id": str(fifo), "error": f"{fifo}: timed out after 2 s (see --timeout)"}


def test_ctrl_c_once_stops_at_once_with_130(docs: tuple[list[Path], Path], tmp_path: Path) -> None:
    files, fifo = docs
    out = tmp_path / "r.jsonl"
    proc = _start([str(files[0]), str(fifo), str(files[1]), "-o", str(out), "--jobs", "2",
                   "--timeout", "600"])  # fmt: skip
    with _holding(fifo, proc):
        t0 = time.monotonic()
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C reaches the whole group
        _, err = proc.communicate(timeout=60)
        latency = time.monotonic() - t0
    assert proc.returncode == 130, err.decode()
    assert b"Traceback" not in err and b"--resume" in err
    assert latency < 30  # in practice a tenth of a second; generous for a loaded machine
    assert str(fifo) not in {d["id"] for d in _lines(out)}


@needs_proc
def test_killing_the_batch_kills_its_workers_and_frees_stdout(
    docs: tuple[list[Path], Path], tmp_path: Path
) -> None:
    files, fifo = docs
    proc = _start([str(fifo), str(files[0]), "-o", str(tmp_path / "r.jsonl"), "--jobs", "2",
                   "--timeout", "600"], stdout=subprocess.PIPE)  # fmt: skip
    with _holding(fifo, proc):
        workers = _children(proc.pid)
        assert len(workers) == 2
        os.kill(proc.pid, signal.SIGKILL)  # only the batch process, as `kill -9 PID`
        assert proc.stdout is not None
        done = threading.Event()
        threading.Thread(target=lambda: (proc.stdout.read(), done.set()), daemon=True).start()  # type: ignore[union-attr]
        assert done.wait(30), "a worker still holds stdout (| tee would never end)"
        _until(lambda: not any(_alive(w) for w in workers), "workers exiting", None, limit=30)
    proc.wait(30)


def test_a_second_run_on_the_same_output_is_refused(
    docs: tuple[list[Path], Path], tmp_path: Path
) -> None:
    files, fifo = docs
    out = tmp_path / "r.jsonl"
    first = _start([str(fifo), str(files[0]), "-o", str(out), "--timeout", "600"])
    with _holding(fifo, first):
        second = _start([str(files[1]), "-o", str(out), "--resume"])
        _, err = second.communicate(timeout=120)
        assert second.returncode == 2
        lines = err.decode().strip().splitlines()
        assert lines == [
            f"rhetoric: error: {out}: another rhetoric batch is writing it "
            f"(process {first.pid}); wait for it to finish"
        ]
        os.killpg(first.pid, signal.SIGTERM)
        _, err = first.communicate(timeout=60)
    assert first.returncode == 130 and b"Traceback" not in err
    assert not (tmp_path / ".r.jsonl.lock").exists()  # removed as the run ends
    # a kill -9 leaves the lock file, but the lock goes with the process
    (tmp_path / ".r.jsonl.lock").write_text("999999\n", encoding="ascii")
    third = _start([str(files[1]), "-o", str(out), "--resume"])
    assert third.wait(120) == 0


@needs_proc
def test_a_kill_between_a_document_and_its_duplicate_loses_nothing(
    docs: tuple[list[Path], Path], tmp_path: Path
) -> None:
    """The duplicate's error used to be written before the document itself
    (listing ran ahead) under the same id; a kill in between made --resume
    skip the document for good. Now it comes after it, under its own key."""
    files, fifo = docs
    out = tmp_path / "r.jsonl"
    args = [str(files[0]), str(fifo), str(files[1]), str(fifo), "-o", str(out), "--jobs", "2",
            "--timeout", "600"]  # fmt: skip
    proc = _start(args)
    with _holding(fifo, proc):
        _until(lambda: out.exists() and out.read_bytes().count(b"\n") >= 1, "a line", proc)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(60)
    assert [e["id"] for e in _lines(tmp_path / "r.errors.jsonl")] == []  # not ahead of it
    # this time the document can be read: the same name, now a plain file (no
    # FIFO rendezvous with a reader, which a loaded machine could make late)
    fifo.unlink()
    fifo.write_text(ARTICLE, encoding="utf-8")
    proc = _start([*args, "--resume"])
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err.decode()
    ids = [d["id"] for d in _lines(out)]
    assert sorted(ids) == sorted([str(files[0]), str(fifo), str(files[1])])
    assert _lines(tmp_path / "r.errors.jsonl") == [
        {"id": f"{fifo} #2", "error": f"{fifo} #2: duplicate id {str(fifo)!r} (an earlier "
         "document has it)"}
    ]  # fmt: skip


def test_kills_at_fixed_points_then_resume_give_every_key_once(tmp_path: Path) -> None:
    """The deterministic kin of tools/kill_sweep.py: a corpus with duplicate
    and awkward ids, the whole job killed with SIGKILL after 2, 5 and 9 lines,
    then resumed to the end, to JSONL and to CSV."""
    sys.path.insert(0, str(ROOT))
    from tools.kill_sweep import expected_keys, make_corpus, recorded_keys

    corpus = tmp_path / "corpus.jsonl"
    make_corpus(corpus, 40, seed=7)
    for out in (tmp_path / "r.jsonl", tmp_path / "r.csv"):
        args = [str(corpus), "-o", str(out), "--jobs", "2"]
        for n in (2, 5, 9):
            proc = _start([*args, "--resume"])

            def enough(n: int = n, out: Path = out) -> bool:
                return out.exists() and out.read_bytes().count(b"\n") >= n

            _until(enough, f"{n} lines", proc)
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(60)
        proc = _start([*args, "--resume"])
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()
        got = recorded_keys(out)
        assert sorted(got) == sorted(expected_keys(corpus)), out
