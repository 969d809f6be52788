"""Worker processes for a batch, supervised so that no fault stops or hangs it.

Each worker is forked from the batch process and talks to it over its own
socket pair (length-prefixed messages, ``multiprocessing.connection``); it is
given one document at a time, so the supervisor always knows which document
each worker holds. That is what makes every fault a one-document failure:

* a worker that dies (``kill -9``, the OOM killer, a crash in C code): its
  socket reads end of file; its document is reported as failed, with the
  signal, and a new worker takes its place;
* a document that takes longer than its deadline: its worker is killed and
  replaced, and the document is reported as timed out;
* Ctrl-C or SIGTERM in the batch process: ``close`` kills every worker at once
  (they hold nothing that needs saving: the batch process writes);
* the batch process killed (``kill -9``): each worker dies with it, by
  ``PR_SET_PDEATHSIG`` on Linux, and on any system by a thread that polls
  ``getppid`` and by the end of file on its socket. Workers hold no copy of
  stdout, so ``rhetoric batch ... | tee log`` ends with the batch.

Workers ignore SIGINT (Ctrl-C goes to the whole process group; the batch
process decides), with SIGINT and SIGTERM blocked around ``fork`` so that a
Ctrl-C at the wrong moment cannot reach a worker's Python code.

The module knows nothing of documents: ``handle`` turns request bytes into
answer bytes in the worker and ``warm`` prepares the worker before its first
request (loading the analyser). Nothing is pickled. A pool that forks its
workers after loading models in the parent (copy-on-write) only needs
``warm`` to find them loaded.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait

__all__ = ["Event", "PoolError", "WorkerPool", "can_fork"]

#: How often a worker checks that the batch process is still there.
PARENT_POLL = 0.5
#: Workers that die while starting, one after the other, before the batch gives up.
MAX_START_FAILURES = 3


class PoolError(Exception):
    """The workers cannot be started (each one died while loading)."""


@dataclass(frozen=True)
class Event:
    """What happened to a request: ``done`` (``data`` is the answer),
    ``died`` (the worker ended; ``reason`` says how) or ``timeout``."""

    key: int
    kind: str
    data: bytes = b""
    reason: str = ""


def can_fork() -> bool:
    return hasattr(os, "fork") and hasattr(signal, "pthread_sigmask")


@dataclass
class _Worker:
    pid: int
    conn: Connection
    ready: bool = False
    key: int | None = None
    deadline: float | None = None
    started: float = 0.0


def _signal_name(sig: int) -> str:
    try:
        return signal.Signals(sig).name
    except ValueError:
        return f"signal {sig}"


class WorkerPool:
    """``jobs`` worker processes running ``handle``; see the module docstring."""

    def __init__(
        self,
        jobs: int,
        handle: Callable[[bytes], bytes],
        warm: Callable[[], None] | None = None,
        close_fds: Sequence[int] = (),
    ) -> None:
        self.jobs = max(1, jobs)
        self._handle = handle
        self._warm = warm
        self._close_fds = tuple(close_fds)
        self._workers: list[_Worker] = []
        self._start_failures = 0
        self._events: list[Event] = []

    # ------------------------------------------------------------ lifecycle

    def start(self, timeout: float | None = None) -> None:
        """Fork the workers and wait until each has warmed up."""
        for _ in range(self.jobs):
            self._spawn()
        end = None if timeout is None else time.monotonic() + timeout
        while not all(w.ready for w in self._workers):
            if end is not None and time.monotonic() > end:
                raise PoolError("the worker processes did not start in time")
            self.wait(0.5)

    def close(self) -> None:
        """Kill every worker and reap it (at once: they hold no state)."""
        workers, self._workers = self._workers, []
        for w in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(w.pid, signal.SIGKILL)
        for w in workers:
            with contextlib.suppress(OSError):
                w.conn.close()
            with contextlib.suppress(ChildProcessError):
                os.waitpid(w.pid, 0)

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ work

    def idle(self) -> int:
        """How many workers are ready and without a request."""
        return sum(1 for w in self._workers if w.ready and w.key is None)

    def busy(self) -> int:
        return sum(1 for w in self._workers if w.key is not None)

    def submit(self, key: int, request: bytes, seconds: float | None = None) -> None:
        """Give ``request`` to an idle worker; its answer (or its fate) comes
        back from ``wait`` as an ``Event`` with ``key``. ``seconds``: kill
        the worker if it has not answered by then."""
        w = next(w for w in self._workers if w.ready and w.key is None)
        w.key = key
        w.started = time.monotonic()
        w.deadline = None if seconds is None else w.started + seconds
        with contextlib.suppress(OSError):  # it died just now: reported by wait()
            w.conn.send_bytes(request)

    def wait(self, timeout: float) -> list[Event]:
        """Events since the last call, waiting up to ``timeout`` seconds for
        one. Dead workers are replaced, stuck ones killed and replaced."""
        now = time.monotonic()
        deadlines = [w.deadline for w in self._workers if w.deadline is not None]
        if deadlines:
            timeout = max(0.0, min(timeout, min(deadlines) - now))
        conns = {w.conn: w for w in self._workers}
        if conns and not self._events:
            for conn in wait(list(conns), timeout):
                self._read(conns[conn])  # type: ignore[index]
        elif not conns:
            time.sleep(timeout)
        now = time.monotonic()
        for w in list(self._workers):
            if w.deadline is not None and now >= w.deadline and w.key is not None:
                key, seconds = w.key, w.deadline - w.started
                self._bury(w, kill=True)
                self._events.append(Event(key, "timeout", reason=f"{seconds:g}"))
        events, self._events = self._events, []
        return events

    # ------------------------------------------------------------ internals

    def _read(self, w: _Worker) -> None:
        try:
            data = w.conn.recv_bytes()
        except (EOFError, OSError):
            key = w.key
            reason = self._bury(w, kill=False)
            if key is not None:
                self._events.append(Event(key, "died", reason=reason))
            return
        if not w.ready:
            w.ready = True
            self._start_failures = 0
            return
        if w.key is not None:
            self._events.append(Event(w.key, "done", data))
        w.key = w.deadline = None

    def _bury(self, w: _Worker, kill: bool) -> str:
        """Remove ``w`` (killing it first when ``kill``), reap it, start a
        replacement; returns how it ended."""
        if kill:
            with contextlib.suppress(ProcessLookupError):
                os.kill(w.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            w.conn.close()
        status = 0
        with contextlib.suppress(ChildProcessError):
            _, status = os.waitpid(w.pid, 0)
        self._workers.remove(w)
        if os.WIFSIGNALED(status):
            sig = os.WTERMSIG(status)
            reason = f"was killed by {_signal_name(sig)}"
            if sig == signal.SIGKILL:
                reason += ", as when the system runs out of memory"
        elif os.WIFEXITED(status):
            reason = f"exited with code {os.WEXITSTATUS(status)}"
        else:  # pragma: no cover
            reason = "ended"
        if not w.ready:
            self._start_failures += 1
            if self._start_failures >= MAX_START_FAILURES:
                raise PoolError(f"worker processes die while starting (the last {reason})")
        self._spawn()
        return reason

    def _spawn(self) -> None:
        parent_sock, child_sock = socket.socketpair()
        parent_conn = Connection(parent_sock.detach())
        child_conn = Connection(child_sock.detach())
        others = [w.conn for w in self._workers]
        blocked = {signal.SIGINT, signal.SIGTERM}
        old = signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
        try:
            pid = os.fork()
            if pid == 0:  # the worker; it never returns from here
                code = 70
                try:
                    parent_conn.close()
                    for c in others:
                        c.close()
                    code = _worker_main(child_conn, self._handle, self._warm, self._close_fds, old)
                finally:
                    os._exit(code)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)
        child_conn.close()
        self._workers.append(_Worker(pid, parent_conn))


def _worker_main(
    conn: Connection,
    handle: Callable[[bytes], bytes],
    warm: Callable[[], None] | None,
    close_fds: Sequence[int],
    mask: set[signal.Signals],
) -> int:
    parent = os.getppid()
    # Ctrl-C reaches the whole process group: the batch process decides what
    # happens; SIGTERM ends a worker at once. Set while both are still blocked.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    _die_with_parent(parent)
    for fd in close_fds:  # the batch's output files and locks are not ours
        with contextlib.suppress(OSError):
            os.close(fd)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1):  # hold no copy of the batch's stdin or stdout
        with contextlib.suppress(OSError):
            os.dup2(devnull, fd)
    os.close(devnull)
    if warm is not None:
        warm()
    conn.send_bytes(b"ready")
    while True:
        try:
            request = conn.recv_bytes()
        except (EOFError, OSError):  # the batch process is gone or done
            return 0
        answer = handle(request)
        try:
            conn.send_bytes(answer)
        except OSError:
            return 0


def _die_with_parent(parent: int) -> None:
    """End this worker when the batch process ends, however it ends."""
    with contextlib.suppress(Exception):  # Linux only; the thread covers the rest
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # it died before that took effect
        os._exit(0)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
