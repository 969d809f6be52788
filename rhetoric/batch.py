"""Batch runs: many documents to one JSONL or CSV file, safely resumable.

Design, so that nothing is lost or written twice:

* The main process only lists the inputs (``inputs.iter_sources``, streaming:
  corpora are read a row at a time) and writes; workers read, extract, analyse
  and render. At most ``4 * jobs`` documents are in flight, so memory stays
  flat however large the corpus; only the set of ids grows (for resume and
  duplicate checks).
* Each finished document is written as one whole line with one ``write`` and
  flushed at once. A run that is killed loses at most the documents in flight;
  ``resume`` drops a truncated last line, then skips every id already in the
  output or in the errors file.
* A document that fails (binary, undecodable, too large, empty, a page that
  will not load) goes to the errors file (JSONL: ``{"id", "error"}``) and the
  batch goes on.
* One analyser per worker process (``config.Analyzer``), built once.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from .config import Analyzer, ConfigError, Options
from .io.inputs import MAX_BYTES, InputError, Source, is_url, iter_sources, load, walk_folder

__all__ = [
    "CSV_COLUMNS",
    "BatchError",
    "BatchOptions",
    "BatchResult",
    "Outcome",
    "process",
    "read_done_ids",
    "run_batch",
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
OUT_FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}


class BatchError(Exception):
    """A batch that cannot start (bad output path, existing output without
    resume, bad configuration); ``str(err)`` is one line."""


@dataclass(frozen=True)
class BatchOptions:
    """Everything a worker needs, picklable (sent to worker processes)."""

    fmt: str = "jsonl"
    max_bytes: int = MAX_BYTES
    timeout: float | None = None
    text_column: str = "text"
    id_column: str = "id"
    analysis: Options = field(default_factory=Options)


@dataclass
class BatchResult:
    written: int = 0
    failed: int = 0
    skipped: int = 0
    seconds: float = 0.0
    interrupted: bool = False
    errors_path: Path | None = None

    @property
    def rate(self) -> float:
        done = self.written + self.failed
        return done / self.seconds if self.seconds > 0 else 0.0


@dataclass(frozen=True)
class Outcome:
    """A worker's answer for one document: an output line or an error."""

    id: str
    line: str | None
    error: str | None


# ---------------------------------------------------------------- workers

_WORKER: dict[str, Any] = {}


def _analyzer(opts: BatchOptions) -> Analyzer:
    """This process's analyser, built on first use and kept (once per worker)."""
    hit = _WORKER.get("analyzer")
    if hit is None or _WORKER.get("options") != opts.analysis:
        hit = _WORKER["analyzer"] = Analyzer(opts.analysis)
        _WORKER["options"] = opts.analysis
        _WORKER["builds"] = _WORKER.get("builds", 0) + 1
    return hit


def warm_up(opts: BatchOptions) -> None:
    """Build the analyser and load lexicons and models now, not on the first
    document (a worker pays this once)."""
    from .io.inputs import InputDoc

    _analyzer(opts).analyze(InputDoc("warm-up", "Critics say the plan may fail, sources said."))


def _init_worker(opts: BatchOptions) -> None:
    # Ctrl-C goes to the whole process group: the main process handles it and
    # lets workers finish or be cancelled, with no traceback from each.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    warm_up(opts)


def render_line(report: Any, fmt: str) -> str:
    """One output line (no newline) for a report."""
    if fmt == "csv":
        import csv
        import io

        meta = report.metadata
        row = [
            report.id,
            *(report.scores.get(k, 0) for k in CSV_COLUMNS[1:6]),
            len(report.findings),
            report.words,
            report.sentences,
            len(report.passages),
            meta.get("title", ""),
            meta.get("author", ""),
            meta.get("date", ""),
            meta.get("url", ""),
            "; ".join(report.notes),
        ]
        buf = io.StringIO()
        # one physical line per record, so a truncated record is a truncated line
        csv.writer(buf, lineterminator="\n").writerow([_one_line(v) for v in row])
        return buf.getvalue().rstrip("\n")
    from .render.jsonfmt import render_jsonl_line

    return render_jsonl_line(report)


def _one_line(v: Any) -> Any:
    return " ".join(v.split()) if isinstance(v, str) else v


def process(source: Source, opts: BatchOptions) -> Outcome:
    """Read, analyse and render one document; every failure becomes an error
    outcome (never an exception), so a batch always goes on."""
    try:
        doc = load(source, max_bytes=opts.max_bytes, timeout=opts.timeout)
        if not doc.text.strip():
            raise InputError(f"{source.id}: empty document (nothing to analyse)")
        report = _analyzer(opts).analyze(doc)
        if doc.notes:
            report.notes[:0] = doc.notes
        return Outcome(source.id, render_line(report, opts.fmt), None)
    except (InputError, ConfigError) as e:
        return Outcome(source.id, None, str(e))
    except Exception as e:  # a bug on one odd document must not stop a million-document run
        return Outcome(source.id, None, f"{source.id}: internal error ({type(e).__name__}: {e})")


# ---------------------------------------------------------------- output files


def _id_of_jsonl(line: str) -> str | None:
    """The ``id`` of a report or error line, without parsing the whole report."""
    i = line.find('"id":')
    if i >= 0:
        try:
            value, _ = json.JSONDecoder().raw_decode(line, i + 5)
            if isinstance(value, str):
                return value
        except json.JSONDecodeError:
            pass
    try:
        obj = json.loads(line)
    except json.JSONDecodeError:
        return None
    return str(obj["id"]) if isinstance(obj, dict) and "id" in obj else None


def _id_of_csv(line: str) -> str | None:
    import csv

    row = next(csv.reader([line]), None)
    return row[0] if row else None


CSV_HEADER = ",".join(CSV_COLUMNS)


def _not_ours(path: Path, fmt: str) -> BatchError:
    what = "a rhetoric batch CSV (its header row differs)" if fmt == "csv" else f"a {fmt} record"
    return BatchError(f"{path}: line is not {what}; fix or remove the file")


def read_done_ids(path: Path, fmt: str, repair: bool = True) -> set[str]:
    """Ids already in an output or errors file. A last line with no newline
    (a run killed mid-write) is cut off when ``repair``, so appending starts on
    a fresh line and that document is done again. A file that is not one this
    program wrote (a CSV without our header row, a line that is not a record,
    an unfinished line that does not start like one) raises ``BatchError``
    and is left as it is."""
    ids: set[str] = set()
    if not path.exists():
        return ids
    with path.open("rb+" if repair else "rb") as f:
        good_end = 0
        first = True
        tail = b""
        for raw in f:
            if not raw.endswith(b"\n"):
                tail = raw
                break
            line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
            end = good_end + len(raw)
            if fmt == "csv" and first:
                first = False
                if line.lstrip("\ufeff") != CSV_HEADER:
                    raise _not_ours(path, fmt)
                good_end = end
                continue  # header row
            doc_id = _id_of_csv(line) if fmt == "csv" else _id_of_jsonl(line)
            if doc_id is None and line.strip():
                raise _not_ours(path, fmt)
            if doc_id is not None:
                ids.add(doc_id)
            good_end = end
        if tail and not _partial_record(tail, fmt, first):
            raise _not_ours(path, fmt)
        if repair and f.seek(0, os.SEEK_END) != good_end:
            f.truncate(good_end)
    return ids


def _partial_record(tail: bytes, fmt: str, no_header: bool) -> bool:
    """Whether an unfinished last line can be the start of a line a batch
    writes (so cutting it loses nothing of the user's)."""
    if fmt == "csv":
        if no_header:  # the header itself was cut short
            return CSV_HEADER.encode("utf-8").startswith(tail.lstrip(b"\xef\xbb\xbf"))
        return True  # after our header, any row is ours
    starts = (b'{"schema_version"', b'{"id"')
    return any(tail.startswith(p) or p.startswith(tail) for p in starts)


class _Writer:
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
            self._f.write((line + "\n").encode("utf-8"))
            self._f.flush()
        except OSError as e:  # a full disk, a file removed or made read-only mid-run
            raise BatchError(f"{self.path}: cannot write ({e.strerror or e})") from None

    def close(self) -> None:
        if self._f is not None:
            self._f.close()
            self._f = None


def errors_path_for(out: Path) -> Path:
    """``results.jsonl`` -> ``results.errors.jsonl`` beside it."""
    return out.with_name(out.stem + ".errors.jsonl")


def _check_paths(paths: Sequence[str], out: Path, errors: Path) -> None:
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


def count_sources(paths: Sequence[str], exclude: set[Path]) -> int | None:
    """A quick estimate of the number of documents, for the progress bar's
    ETA: files in folders, lines in corpora. ``None`` when stdin is read."""
    total = 0
    for raw in paths:
        if raw == "-":
            return None
        if is_url(raw):
            total += 1
            continue
        p = Path(raw)
        files = walk_folder(p, True, exclude) if p.is_dir() else [p]
        for f in files:
            if f.suffix.lower() in (".jsonl", ".csv"):
                n = 0
                with f.open("rb") as fh:
                    while chunk := fh.read(1 << 20):
                        n += chunk.count(b"\n")
                total += max(0, n - (f.suffix.lower() == ".csv"))
            else:
                total += 1
    return total


# ---------------------------------------------------------------- the run


def _start_pool(opts: BatchOptions, jobs: int) -> Executor | None:
    """Start ``jobs`` warm worker processes (None for one job: this process is
    warmed instead). Done before any progress-bar thread exists, so forking
    copies no lock that a thread holds."""
    if jobs <= 1:
        warm_up(opts)
        return None
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    # fork: workers start at once, sharing the parent's imported code; the
    # analyser itself is built in each worker by the initializer
    method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
    pool = ProcessPoolExecutor(
        jobs, mp_context=mp.get_context(method), initializer=_init_worker, initargs=(opts,)
    )
    for f in [pool.submit(os.getpid) for _ in range(jobs)]:
        f.result()
    return pool


def _results(
    sources: Iterator[Source], opts: BatchOptions, pool: Executor | None, jobs: int
) -> Generator[tuple[Source, Outcome], None, None]:
    """Outcomes in input order: in this process without a pool, else from the
    pool with a bounded window of documents in flight."""
    if pool is None:
        for s in sources:
            yield s, process(s, opts)
        return
    window: deque[tuple[Source, Future[Outcome]]] = deque()
    for s in sources:
        window.append((s, pool.submit(process, s, opts)))
        if len(window) >= 4 * jobs:
            s0, fut = window.popleft()
            yield s0, fut.result()
    while window:
        s0, fut = window.popleft()
        yield s0, fut.result()


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run_batch(
    paths: Sequence[str],
    out: str | Path,
    *,
    errors: str | Path | None = None,
    jobs: int = 1,
    resume: bool = False,
    opts: BatchOptions | None = None,
    progress: Callable[[int, int | None], None] | None = None,
    start: Callable[[int | None], None] | None = None,
) -> BatchResult:
    """Score every document in ``paths`` into ``out`` (``.jsonl`` or ``.csv``).

    ``progress(done, skipped)`` is called after each document; ``start(total)``
    once, with the estimated number of documents, when given. Raises
    ``BatchError`` before any work when the run cannot start. Ctrl-C or
    SIGTERM stops it cleanly (``interrupted`` in the result)."""
    out = Path(out)
    fmt = OUT_FORMATS.get(out.suffix.lower())
    if fmt is None:
        raise BatchError(f"{out}: --out must end in .jsonl or .csv")
    opts = opts or BatchOptions()
    if opts.fmt != fmt:
        opts = BatchOptions(
            fmt, opts.max_bytes, opts.timeout, opts.text_column, opts.id_column, opts.analysis
        )
    err_path = Path(errors) if errors else errors_path_for(out)
    _check_paths(paths, out, err_path)
    for target in (out, err_path):  # never overwrite an earlier run's results
        if target.exists() and target.stat().st_size > 0 and not resume:
            raise BatchError(f"{target}: exists; add --resume to finish that run, or remove it")
    done: set[str] = set()
    if resume:
        done = read_done_ids(out, fmt) | read_done_ids(err_path, "jsonl")
    try:  # a bad configuration stops the run before it starts
        checker = Analyzer(opts.analysis)
        for raw in paths:
            checker.config_for(None if raw == "-" or "://" in raw else raw)
    except ConfigError as e:
        raise BatchError(str(e)) from None

    exclude = {out.resolve(), err_path.resolve()}
    result = BatchResult(errors_path=err_path)
    t0 = time.perf_counter()
    writer = _Writer(out, CSV_HEADER if fmt == "csv" else None)
    err_writer = _Writer(err_path)
    seen: set[str] = set()
    listing_errors: deque[InputError] = deque()

    def todo() -> Iterator[Source]:
        for s in iter_sources(
            paths,
            max_bytes=opts.max_bytes,
            text_column=opts.text_column,
            id_column=opts.id_column,
            all_files=True,
            exclude=exclude,
        ):
            if isinstance(s, InputError):
                listing_errors.append(s)
                continue
            if s.id in seen:  # every later document with an id is reported, not dropped
                listing_errors.append(
                    InputError(f"{s.id}: duplicate id (an earlier document has it)", s.id)
                )
                continue
            seen.add(s.id)
            if s.id in done:
                result.skipped += 1
                continue
            if s.origin:
                checker.config_for(s.origin)  # ConfigError: stop, naming file and key
            yield s

    def flush_listing_errors() -> None:
        while listing_errors:
            e = listing_errors.popleft()
            eid = e.id or str(e).split(": ", 1)[0]
            if eid in done:  # in the files from the earlier run
                result.skipped += 1
                continue
            err_writer.write(json.dumps({"id": eid, "error": str(e)}, ensure_ascii=False))
            result.failed += 1

    main_thread = threading.current_thread() is threading.main_thread()
    old_term = signal.signal(signal.SIGTERM, _raise_interrupt) if main_thread else None
    pool: Executor | None = None
    results: Generator[tuple[Source, Outcome], None, None] | None = None
    try:
        pool = _start_pool(opts, jobs)
        if start is not None:
            start(count_sources(paths, exclude))
        results = _results(todo(), opts, pool, jobs)
        for _src, outcome in results:
            flush_listing_errors()
            if outcome.line is not None:
                writer.write(outcome.line)
                result.written += 1
            else:
                err = {"id": outcome.id, "error": outcome.error}
                err_writer.write(json.dumps(err, ensure_ascii=False))
                result.failed += 1
            if progress is not None:
                progress(result.written + result.failed, result.skipped)
        flush_listing_errors()
    except KeyboardInterrupt:
        result.interrupted = True
    except ConfigError as e:
        raise BatchError(str(e)) from None
    finally:
        try:
            if results is not None:
                results.close()
            if pool is not None:  # queued documents are cancelled, running ones finish
                pool.shutdown(wait=True, cancel_futures=True)
        except KeyboardInterrupt:  # a second Ctrl-C while they stop
            result.interrupted = True
        if main_thread:
            signal.signal(signal.SIGTERM, old_term)
        writer.close()
        err_writer.close()
        result.seconds = time.perf_counter() - t0
    return result
