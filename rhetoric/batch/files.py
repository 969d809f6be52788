"""A batch's output files: what is already in them (for ``--resume``), how a
line is appended, the lock that keeps a second run off them, and the CSV
cells a spreadsheet must not run.

* Each line is written whole with one ``write`` and flushed at once; a run
  killed mid-write leaves at most one unfinished last line, which ``resume``
  cuts off (only when it can be the start of a line we write).
* A CSV id is written exactly as it is (quoted when it holds a comma, a quote
  or a line break), so ``resume`` finds it again; the reader parses records,
  not physical lines.
* A cell that a spreadsheet would take for a formula (it starts with ``=``,
  ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading ``'``
  (OWASP's advice, ``core.safe.csv_escape``); ``csv_unescape`` undoes it, so
  ids still match on resume.
* ``lock_outputs`` takes an exclusive ``flock`` on a hidden ``.NAME.lock``
  beside each file, so a second ``rhetoric batch`` on the same output stops
  with one line while the first runs; the lock goes with the process, also
  after ``kill -9``.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from ..core.safe import clean_surrogates, csv_escape, csv_unescape, json_loads

__all__ = [
    "CSV_COLUMNS",
    "CSV_HEADER",
    "BatchError",
    "Lock",
    "Writer",
    "check_paths",
    "csv_escape",
    "csv_unescape",
    "errors_path_for",
    "lock_outputs",
    "read_done_ids",
]

CSV_COLUMNS = (
    "id",
    "overall",
    "loaded_language",
    "hedging",
    "attribution",
    "propaganda",
    "findings",
    "words",
    "sentences",
    "paragraphs",
    "title",
    "author",
    "date",
    "url",
    "notes",
)
CSV_HEADER = ",".join(CSV_COLUMNS)


class BatchError(Exception):
    """A batch that cannot start (bad output path, existing output without
    resume, bad configuration, another run on the same files); ``str(err)``
    is one line."""


# ---------------------------------------------------------------- reading back


def _id_of_jsonl(line: str) -> str | None:
    """The ``id`` of a report or error line, without parsing the whole report."""
    i = line.find('"id":')
    if i >= 0:
        try:
            value, _ = json.JSONDecoder().raw_decode(line, i + 5)
            if isinstance(value, str):
                return value
        except (json.JSONDecodeError, ValueError, RecursionError):
            pass
    try:
        obj = json_loads(line)
    except json.JSONDecodeError:
        return None
    return str(obj["id"]) if isinstance(obj, dict) and "id" in obj else None


def _not_ours(path: Path, fmt: str) -> BatchError:
    what = "a rhetoric batch CSV (its header row differs)" if fmt == "csv" else f"a {fmt} record"
    return BatchError(f"{path}: line is not {what}; fix or remove the file")


def read_done_ids(path: Path, fmt: str, repair: bool = True) -> set[str]:
    """Ids already in an output or errors file. A last record with no
    newline (a run killed mid-write) is cut off when ``repair``, so appending
    starts on a fresh line and that document is done again. A file that is
    not one this program wrote (a CSV without our header row, a line that is
    not a record, an unfinished line that does not start like one) raises
    ``BatchError`` and is left as it is."""
    if not path.exists():
        return set()
    with path.open("rb+" if repair else "rb") as f:
        if fmt == "csv":
            ids, good_end, tail, first = _csv_ids(f, path)
        else:
            ids, good_end, tail, first = _jsonl_ids(f, path, fmt)
        if tail and not _partial_record(tail, fmt, first):
            raise _not_ours(path, fmt)
        if repair and f.seek(0, os.SEEK_END) != good_end:
            f.truncate(good_end)
    return ids


def _jsonl_ids(f: IO[bytes], path: Path, fmt: str) -> tuple[set[str], int, bytes, bool]:
    ids: set[str] = set()
    good_end = 0
    for raw in f:
        if not raw.endswith(b"\n"):
            return ids, good_end, raw, False
        line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
        doc_id = _id_of_jsonl(line)
        if doc_id is None and line.strip():
            raise _not_ours(path, fmt)
        if doc_id is not None:
            ids.add(doc_id)
        good_end += len(raw)
    return ids, good_end, b"", False


def _csv_ids(f: IO[bytes], path: Path) -> tuple[set[str], int, bytes, bool]:
    """Ids of a batch CSV, record by record (an id may hold a quoted line
    break), with the offset where the last complete record ends."""
    ids: set[str] = set()
    consumed = 0
    newline = False  # whether the last line read ended in one

    def lines() -> Iterator[str]:
        nonlocal consumed, newline
        for raw in f:
            consumed += len(raw)
            newline = raw.endswith(b"\n")
            yield raw.decode("utf-8", errors="replace")

    reader = csv.reader(lines(), strict=True)
    try:
        header = next(reader, None)
    except csv.Error:
        header = None
    if header is None or not newline:  # an empty file, or the header cut short
        f.seek(0)
        return ids, 0, f.read(), True
    if ",".join(header).lstrip("\ufeff") != CSV_HEADER:
        raise _not_ours(path, "csv")
    good_end = consumed
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            if "unexpected end of data" in str(e):  # a quoted cell cut short at the end
                break
            raise _not_ours(path, "csv") from None  # not a record we write
        if not newline:
            break  # the last record has no newline: cut short
        if row:
            ids.add(csv_unescape(row[0]))
        good_end = consumed
    f.seek(good_end)
    return ids, good_end, f.read(), False


def _partial_record(tail: bytes, fmt: str, no_header: bool) -> bool:
    """Whether an unfinished last line can be the start of a line a batch
    writes (so cutting it loses nothing of the user's)."""
    if fmt == "csv":
        if no_header:  # the header itself was cut short
            return CSV_HEADER.encode("utf-8").startswith(tail.lstrip(b"\xef\xbb\xbf"))
        return True  # after our header, any row is ours
    starts = (b'{"schema_version"', b'{"id"')
    return any(tail.startswith(p) or p.startswith(tail) for p in starts)


# ---------------------------------------------------------------- writing


class Writer:
    """Appends whole lines and flushes each one."""

    def __init__(self, path: Path, header: str | None = None) -> None:
        self.path = path
        self.header = header
        self._f: IO[bytes] | None = None

    def write(self, line: str) -> None:
        try:
            if self._f is None:
                new = not self.path.exists() or self.path.stat().st_size == 0
                self._f = self.path.open("ab")
                if new and self.header:
                    self._f.write((self.header + "\n").encode("utf-8"))
            self._f.write((clean_surrogates(line) + "\n").encode("utf-8"))
            self._f.flush()
        except OSError as e:  # a full disk, a file removed or made read-only mid-run
            raise BatchError(f"{self.path}: cannot write ({e.strerror or e})") from None

    def close(self) -> None:
        if self._f is not None:
            with contextlib.suppress(OSError):
                self._f.close()
            self._f = None


def errors_path_for(out: Path) -> Path:
    """``results.jsonl`` -> ``results.errors.jsonl`` beside it."""
    return out.with_name(out.stem + ".errors.jsonl")


def check_paths(paths: Sequence[str], out: Path, errors: Path, is_url: Any) -> None:
    """Refuse, before anything is scored, an output that is an input, that
    cannot be written, or that is not a regular file (a FIFO would stall the
    run, a device is no place for results)."""
    if out.resolve() == errors.resolve():
        raise BatchError(f"{out}: the output and the errors file must differ")
    for raw in paths:
        if raw == "-" or is_url(raw):
            continue
        p = Path(raw)
        if not p.exists():
            raise BatchError(f"{raw}: no such file or directory")
        for target in (out, errors):
            if p.is_file() and p.resolve() == target.resolve():
                raise BatchError(f"{target}: is an input; refusing to write over it")
    for target, opt in ((out, "--out"), (errors, "--errors")):
        if target.exists() and target.is_dir():
            raise BatchError(f"{target}: is a directory")
        if target.exists() and not stat.S_ISREG(target.stat().st_mode):
            raise BatchError(f"{target}: not a regular file (a FIFO or device); choose a file")
        if not target.parent.is_dir():
            raise BatchError(f"{target.parent}: no such directory for {opt}")
        _check_writable(target)


def _check_writable(target: Path) -> None:
    """Fail now, not after hours of scoring, when ``target`` cannot be
    written; an existing file is opened for appending and left unchanged, a
    new one is created and removed again."""
    try:
        if target.exists():
            with target.open("ab"):
                pass
        else:
            with target.open("xb"):
                pass
            target.unlink()
    except OSError as e:
        raise BatchError(f"{target}: cannot write ({e.strerror or e})") from None


# ---------------------------------------------------------------- the lock


class Lock:
    """Exclusive locks on the lock files of a batch's outputs (see
    ``lock_outputs``); ``release`` removes them."""

    def __init__(self) -> None:
        self.held: list[tuple[Path, int]] = []

    @property
    def fds(self) -> list[int]:
        return [fd for _, fd in self.held]

    def release(self) -> None:
        held, self.held = self.held, []
        for path, fd in held:
            with contextlib.suppress(OSError):
                path.unlink()  # removed while still locked: no one can take it in between
            with contextlib.suppress(OSError):
                os.close(fd)


def _lock_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.lock")


def lock_outputs(targets: Sequence[Path]) -> Lock:
    """Lock each output for this run, or raise ``BatchError`` naming the
    process that holds it."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on this system: no lock
        return Lock()
    lock = Lock()
    try:
        for target in targets:
            path = _lock_path(target)
            while True:
                try:
                    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
                except OSError as e:
                    raise BatchError(f"{path}: cannot create lock ({e.strerror or e})") from None
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
                    os.close(fd)
                    who = f" (process {holder})" if holder.isdigit() else ""
                    raise BatchError(
                        f"{target}: another rhetoric batch is writing it{who}; "
                        "wait for it to finish"
                    ) from None
                try:  # the file we locked must still be the one at that name
                    same = os.fstat(fd).st_ino == os.stat(path).st_ino
                except OSError:
                    same = False
                if same:
                    break
                os.close(fd)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
            lock.held.append((path, fd))
    except BaseException:
        lock.release()
        raise
    return lock
