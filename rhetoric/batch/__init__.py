"""Batch runs: many documents to one JSONL or CSV file, safely resumable.

Design, so that nothing is lost or written twice, nothing stops the run and
nothing outlives it:

* The main process only lists the inputs (``inputs.iter_sources``, streaming:
  corpora are read a row at a time) and writes; worker processes
  (``batch.pool``, one per ``--jobs``, at least one) read, extract, analyse
  and render, one document at a time each. At most ``4 * jobs`` documents are
  in flight, so memory stays flat however large the corpus; only the set of
  ids grows (for resume and duplicate checks).
* Lines are written in input order (listing errors and duplicates too), each
  whole with one ``write`` and flushed at once. A run that is killed loses at
  most the documents in flight; ``resume`` drops a truncated last line, then
  skips every id already in the output or in the errors file.
* A document that fails (binary, undecodable, too large, empty, a page that
  will not load, over ``--timeout``, a worker that died on it) goes to the
  errors file (JSONL: ``{"id", "error"}``) and the batch goes on. A row whose
  id an earlier row has is reported under its own place (``FILE:LINE``), so
  every key is in the output or the errors file exactly once.
* ``--timeout`` bounds each document's whole time in a worker (fetch,
  extraction, analysis): the main process kills a worker that overruns and
  starts another. Ctrl-C and SIGTERM kill the workers at once.
* A second run on the same output is refused while the first holds its lock
  (``batch.files``).
* One analyser, built and warmed (lexicons and models loaded) in the batch
  process before the workers are forked: they share its pages copy-on-write
  instead of each loading its own copy, and a replacement worker starts at
  once. Each worker freezes what it inherited (``gc.freeze``), so its
  collector never writes to (and so copies) those shared objects.
"""

from __future__ import annotations

import gc
import json
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import Analyzer, ConfigError, Options
from ..core.safe import clean_surrogates, csv_line, json_loads
from ..io.inputs import (
    MAX_BYTES,
    InputError,
    Source,
    is_url,
    iter_sources,
    load,
    walk_folder,
)
from .files import (
    CSV_COLUMNS,
    CSV_HEADER,
    BatchError,
    Writer,
    check_paths,
    errors_path_for,
    lock_outputs,
    read_done_ids,
)
from .pool import Event, PoolError, WorkerPool, can_fork

__all__ = [
    "CSV_COLUMNS",
    "DEFAULT_TIMEOUT",
    "BatchError",
    "BatchOptions",
    "BatchResult",
    "Outcome",
    "process",
    "read_done_ids",
    "run_batch",
]

OUT_FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}
#: The longest one document may take in a batch, fetch included (``--timeout``).
DEFAULT_TIMEOUT = 60.0
#: How much longer than ``timeout`` a worker may run before it is killed (the
#: worker's own fetch deadline fires first and gives the finer message).
KILL_GRACE = 1.0


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
    document."""
    from ..io.inputs import InputDoc
    from ..models.store import prepare_for_many_documents
    from ..readability import load_tables

    _analyzer(opts).analyze(InputDoc("warm-up", "Critics say the plan may fail, sources said."))
    load_tables()
    if opts.analysis.models is not False:
        # many documents follow: every feature of the compiled models in a dict now
        prepare_for_many_documents()


#: Allocations between young-generation collections in a worker (Python's
#: default is 700): an analysis makes millions of short-lived objects and
#: almost no cycles, so the default collected about every 0.1 ms of work.
WORKER_GC_THRESHOLD = 50_000


def _load_before_fork(opts: BatchOptions) -> None:
    """Warm up in the batch process, so that the forked workers find
    everything loaded and share its pages."""
    try:
        warm_up(opts)
    except ConfigError:
        raise
    except Exception as e:  # a model file that cannot be read, say
        raise BatchError(f"cannot load the analyser: {e}") from None


def _worker_ready() -> None:
    """In each worker, after the fork (everything is loaded already): the
    inherited objects go to the collector's permanent generation (O(1), no
    page written), so no collection here walks, and so copies, them."""
    gc.freeze()
    gc.set_threshold(WORKER_GC_THRESHOLD, *gc.get_threshold()[1:])


def render_line(report: Any, fmt: str) -> str:
    """One output line (no newline) for a report."""
    if fmt == "csv":
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
        # the id exactly as it is (resume finds it again; a line break in it is
        # quoted); the other text cells on one line, for spreadsheets
        return csv_line([row[0], *(_one_line(v) for v in row[1:])])
    from ..render.jsonfmt import render_jsonl_line

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
        why = clean_surrogates(f"{type(e).__name__}: {e}")
        return Outcome(source.id, None, f"{source.id}: internal error ({why})")


def _request(source: Source) -> bytes:
    """A source as a worker request (JSON: nothing is pickled)."""
    return json.dumps(
        [source.id, source.kind, source.ref, source.origin, list(source.notes), source.where]
    ).encode("utf-8", "surrogatepass")


def _handler(opts: BatchOptions) -> Callable[[bytes], bytes]:
    """What a worker does with a request: ``L`` + the output line, or ``E``
    + the error."""

    def handle(request: bytes) -> bytes:
        doc_id, kind, ref, origin, notes, where = json.loads(
            request.decode("utf-8", "surrogatepass")
        )
        o = process(Source(doc_id, kind, ref, origin, tuple(notes), where), opts)
        if o.line is not None:
            return b"L" + o.line.encode("utf-8", "surrogatepass")
        return b"E" + (o.error or "").encode("utf-8", "surrogatepass")

    return handle


def _outcome(source: Source, event: Event, timeout: float | None) -> Outcome:
    if event.kind == "done":
        text = event.data[1:].decode("utf-8", "surrogatepass")
        if event.data[:1] == b"L":
            return Outcome(source.id, text, None)
        return Outcome(source.id, None, text)
    if event.kind == "timeout":
        return Outcome(
            source.id, None, f"{source.id}: timed out after {timeout:g} s (see --timeout)"
        )
    return Outcome(
        source.id,
        None,
        f"{source.id}: the worker process scoring it {event.reason}; the batch went on without it",
    )


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
            if f.suffix.lower() in (".jsonl", ".csv") and f.is_file():  # never a FIFO
                n = 0
                with f.open("rb") as fh:
                    while chunk := fh.read(1 << 20):
                        n += chunk.count(b"\n")
                total += max(0, n - (f.suffix.lower() == ".csv"))
            else:
                total += 1
    return total


# ---------------------------------------------------------------- the run


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@dataclass
class _Slot:
    """A document in the window: its source (None for a listing error) and,
    once known, its outcome. Slots are written in the order they were listed."""

    key: str
    source: Source | None
    outcome: Outcome | None = None


def _check_corpus_columns(paths: Sequence[str], text_column: str, id_column: str) -> None:
    """Refuse to start when a corpus named on the command line has no such
    text column (a CSV header without it, or a JSONL whose first record lacks
    it): every row would fail, and ``score`` says so with exit 2 too."""
    import csv

    for raw in paths:
        p = Path(raw)
        suffix = p.suffix.lower()
        if raw == "-" or is_url(raw) or suffix not in (".csv", ".jsonl") or not p.is_file():
            continue
        try:
            with p.open("rb") as f:
                if suffix == ".csv":
                    first = f.readline(1 << 20).decode("utf-8-sig", "replace")
                    header = next(csv.reader([first]), [])
                    keys = set(header)
                else:
                    keys = None
                    for line in f:
                        if line.strip():
                            try:
                                obj = json_loads(line)
                            except (json.JSONDecodeError, UnicodeDecodeError):
                                break  # a malformed line: reported with its number
                            keys = set(obj) if isinstance(obj, dict) else None
                            break
        except OSError:
            continue  # reported when it is read
        if not keys:
            continue
        where = f"{raw}: no {{!r}} {'column' if suffix == '.csv' else 'field in the first record'}"
        if text_column not in keys:
            raise BatchError(where.format(text_column) + " (see --text-column)")
        if id_column != "id" and id_column not in keys:  # named, so meant
            raise BatchError(where.format(id_column) + " (see --id-column)")


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
    notify: Callable[[str], None] | None = None,
) -> BatchResult:
    """Score every document in ``paths`` into ``out`` (``.jsonl`` or ``.csv``).

    ``notify`` (``--verbose``) hears which configuration applies, once per
    configuration.

    ``progress(done, skipped)`` is called after each document and about twice
    a second while waiting; ``start(total)`` once, with the estimated number
    of documents, when given. Raises ``BatchError`` before any work when the
    run cannot start. Ctrl-C or SIGTERM stops it at once (``interrupted`` in
    the result); the documents in flight are done again by ``--resume``."""
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
    check_paths(paths, out, err_path, is_url)
    lock = lock_outputs([out, err_path])
    try:
        return _run(
            paths, out, err_path, fmt, jobs, resume, opts, progress, start, notify, lock.fds
        )
    finally:
        lock.release()


def _run(
    paths: Sequence[str],
    out: Path,
    err_path: Path,
    fmt: str,
    jobs: int,
    resume: bool,
    opts: BatchOptions,
    progress: Callable[[int, int | None], None] | None,
    start: Callable[[int | None], None] | None,
    notify: Callable[[str], None] | None,
    lock_fds: Sequence[int],
) -> BatchResult:
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
    _check_corpus_columns(paths, opts.text_column, opts.id_column)

    exclude = {out.resolve(), err_path.resolve()}
    result = BatchResult(errors_path=err_path)
    t0 = time.perf_counter()
    writer = Writer(out, CSV_HEADER if fmt == "csv" else None)
    err_writer = Writer(err_path)
    seen: dict[str, int] = {}  # keys listed so far (ids, and the keys of errors)
    told: set[str] = set()  # configurations named (notify)

    def key_of(doc_id: str, where: str | None) -> tuple[str, str | None]:
        """``(key, duplicate message)``: a later document with an id already
        listed is reported under its place (``FILE:LINE``) or ``ID #n``."""
        n = seen.get(doc_id, 0) + 1
        seen[doc_id] = n
        if n == 1:
            return doc_id, None
        key = where if where and where not in seen else f"{doc_id} #{n}"
        seen[key] = seen.get(key, 0) + 1
        return key, f"{key}: duplicate id {doc_id!r} (an earlier document has it)"

    def listing() -> Iterator[_Slot]:
        for s in iter_sources(
            paths,
            max_bytes=opts.max_bytes,
            text_column=opts.text_column,
            id_column=opts.id_column,
            all_files=True,
            exclude=exclude,
        ):
            if isinstance(s, InputError):
                key, dup = key_of(s.id or str(s).split(": ", 1)[0], None)
                if key in done:  # in the files from the earlier run
                    result.skipped += 1
                    continue
                yield _Slot(key, None, Outcome(key, None, str(s) if dup is None else f"{key}: {s}"))
                continue
            key, dup = key_of(s.id, s.where)
            if key in done:
                result.skipped += 1
                continue
            if dup is not None:
                yield _Slot(key, None, Outcome(key, None, dup))
                continue
            if s.origin or (notify is not None and s.kind != "file"):
                checker.config_for(s.origin)  # ConfigError: stop, naming file and key
                if notify is not None:
                    said = checker.describe_config(s.origin)
                    if said not in told:
                        told.add(said)
                        notify(f"{s.id}: {said}")
            yield _Slot(key, s)

    def write(slot: _Slot) -> None:
        o = slot.outcome
        assert o is not None
        if o.line is not None:
            writer.write(o.line)
            result.written += 1
        else:
            err_writer.write(json.dumps({"id": o.id, "error": o.error}, ensure_ascii=False))
            result.failed += 1

    main_thread = threading.current_thread() is threading.main_thread()
    old_term = signal.signal(signal.SIGTERM, _raise_interrupt) if main_thread else None
    pool: WorkerPool | None = None
    try:
        if can_fork():
            _load_before_fork(opts)
            pool = WorkerPool(jobs, _handler(opts), _worker_ready, close_fds=lock_fds)
            try:
                pool.start()
            except PoolError as e:
                raise BatchError(str(e)) from None
        else:  # pragma: no cover - no fork (Windows): in this process, no timeouts
            warm_up(opts)
        if start is not None:
            start(count_sources(paths, exclude))
        if pool is None:  # pragma: no cover
            for slot in listing():
                if slot.outcome is None:
                    assert slot.source is not None
                    slot.outcome = process(slot.source, opts)
                write(slot)
                if progress is not None:
                    progress(result.written + result.failed, result.skipped)
        else:
            _supervise(pool, listing(), write, opts, max(1, jobs), result, progress)
    except KeyboardInterrupt:
        result.interrupted = True
    except ConfigError as e:
        raise BatchError(str(e)) from None
    except PoolError as e:
        raise BatchError(str(e)) from None
    finally:
        try:
            if pool is not None:
                pool.close()  # at once: a worker holds nothing that needs saving
        except KeyboardInterrupt:  # a second Ctrl-C while they stop
            result.interrupted = True
            if pool is not None:
                pool.close()
        if main_thread:
            signal.signal(signal.SIGTERM, old_term)
        writer.close()
        err_writer.close()
        result.seconds = time.perf_counter() - t0
    return result


def _supervise(
    pool: WorkerPool,
    slots: Iterator[_Slot],
    write: Callable[[_Slot], None],
    opts: BatchOptions,
    jobs: int,
    result: BatchResult,
    progress: Callable[[int, int | None], None] | None,
) -> None:
    """Feed the workers in input order and write each outcome as soon as
    everything before it is written: at most ``4 * jobs`` documents between
    the first unwritten one and the last listed."""
    window: deque[_Slot] = deque()
    waiting: deque[_Slot] = deque()  # listed, not yet given to a worker
    running: dict[int, _Slot] = {}
    limit = None if opts.timeout is None else opts.timeout + KILL_GRACE
    listed_all = False
    n = 0
    while True:
        while not listed_all and len(window) < 4 * jobs:
            slot = next(slots, None)
            if slot is None:
                listed_all = True
                break
            window.append(slot)
            if slot.outcome is None:
                waiting.append(slot)
        while waiting and pool.idle():
            slot = waiting.popleft()
            assert slot.source is not None
            n += 1
            running[n] = slot
            pool.submit(n, _request(slot.source), limit)
        wrote = False
        while window and window[0].outcome is not None:
            write(window.popleft())
            wrote = True
        if wrote and progress is not None:
            progress(result.written + result.failed, result.skipped)
        if listed_all and not window:
            return
        for event in pool.wait(0.5):
            slot = running.pop(event.key)
            assert slot.source is not None
            slot.outcome = _outcome(slot.source, event, opts.timeout)
        if progress is not None:
            progress(result.written + result.failed, result.skipped)
