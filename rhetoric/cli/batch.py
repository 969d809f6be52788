"""``rhetoric batch``: many documents to one JSONL or CSV file (rhetoric/batch.py
does the work; this module parses options and shows progress)."""

from __future__ import annotations

import os
import sys
import time
from typing import Annotated, Any

import typer

from ._common import ExitCode, IdColumnOpt, TextColumnOpt, VerboseOpt, console, fail, info

DEFAULT_TIMEOUT = 60.0  # rhetoric.batch.DEFAULT_TIMEOUT (not imported: --help stays fast)


def _progress_bar() -> Any:
    """A rich progress bar on stderr: documents, documents/s, ETA."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class Rate(ProgressColumn):
        """Documents scored per second since the start (rich's own speed is
        taken over the last updates, which with --jobs come in bursts: a
        two-document run showed tens of thousands of documents a second)."""

        def render(self, task: Any) -> Text:
            elapsed = task.elapsed
            done = task.completed - task.fields.get("skipped", 0)
            speed = done / elapsed if elapsed and done > 0 else None
            return Text(f"{speed:5.1f} docs/s" if speed else "  -.- docs/s")

    return Progress(
        TextColumn("[bold]scoring"),
        BarColumn(),
        MofNCompleteColumn(),
        Rate(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        TimeElapsedColumn(),
        console=console(sys.stderr, no_color=bool(os.environ.get("NO_COLOR"))),
        transient=False,
        # no refresh thread: the batch forks worker processes while it runs,
        # and a fork must not copy a lock another thread holds; the batch
        # calls back about twice a second instead
        auto_refresh=False,
    )


def batch(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files, folders (every file, recursively, hidden ones aside), http(s) URLs, "
            ".jsonl or .csv corpora, or - for stdin.",
            show_default=False,
        ),
    ],
    out: Annotated[
        str,
        typer.Option("--out", "-o", help="Results file: .jsonl (full reports) or .csv (scores)."),
    ],
    errors: Annotated[
        str | None,
        typer.Option(
            "--errors", help="Errors file (JSONL: id, error). Default: OUT's name + .errors.jsonl."
        ),
    ] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Worker processes.")] = 1,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume", help="Continue an interrupted run: skip ids already in OUT or ERRORS."
        ),
    ] = False,
    text_column: TextColumnOpt = "text",
    id_column: IdColumnOpt = "id",
    category: Annotated[
        list[str] | None,
        typer.Option("--category", "-c", help="Only this category (repeatable)."),
    ] = None,
    min_confidence: Annotated[
        float | None,
        typer.Option("--min-confidence", min=0.0, max=1.0, help="Drop findings below this."),
    ] = None,
    models: Annotated[
        bool,
        typer.Option("--models/--no-models", help="Use the trained models as well as the rules."),
    ] = True,
    config: Annotated[
        str | None,
        typer.Option("--config", help="Configuration file (default: found by walking up)."),
    ] = None,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", min=1, help="Refuse documents larger than this.")
    ] = 10 * 1024 * 1024,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            min=0.1,
            help="Seconds one document may take in all (fetch, extraction, analysis).",
        ),
    ] = DEFAULT_TIMEOUT,
    progress: Annotated[
        bool | None,
        typer.Option(
            "--progress/--no-progress", help="Progress bar (default: on a terminal only)."
        ),
    ] = None,
    verbose: VerboseOpt = False,
) -> None:
    """Score many documents into one results file, with progress and resume.

    Each document is written as soon as it is done; failures (binary, undecodable,
    too large, empty) go to the errors file and the batch goes on. Exit codes:
    0 done, 2 the run could not start, 130 interrupted (finish it with --resume).
    """
    from ..batch import BatchError, BatchOptions, run_batch
    from ..config import ConfigError, Options
    from ..core.report import CATEGORIES

    cats = tuple(category or ())
    for c in cats:
        if c not in CATEGORIES:
            fail(f"unknown category {c!r}; choose from {', '.join(CATEGORIES)}")
    analysis = Options(cats or None, min_confidence, None if models else False, config)
    opts = BatchOptions(
        max_bytes=max_bytes,
        timeout=timeout,
        text_column=text_column,
        id_column=id_column,
        analysis=analysis,
    )
    show = progress if progress is not None else sys.stderr.isatty()
    bar = _progress_bar() if show else None
    task: list[Any] = []

    def start(total: int | None) -> None:
        if bar is not None:
            bar.start()
            task.append(bar.add_task("scoring", total=total))

    last = [0.0]

    def step(done: int, skipped: int) -> None:
        if bar is not None and task:
            bar.update(task[0], completed=done + skipped, skipped=skipped)
            now = time.monotonic()
            if now - last[0] >= 0.2:  # at most five redraws a second
                last[0] = now
                bar.refresh()

    try:
        result = run_batch(
            paths,
            out,
            errors=errors,
            jobs=jobs,
            resume=resume,
            opts=opts,
            progress=step if show else None,
            start=start if show else None,
            notify=info if verbose else None,
        )
    except (BatchError, ConfigError) as e:
        fail(str(e))
    finally:
        if bar is not None:
            bar.stop()
    parts = [f"{result.written} written to {out}"]
    if result.failed:
        parts.append(f"{result.failed} failed (reasons in {result.errors_path})")
    if result.skipped:
        parts.append(f"{result.skipped} skipped (already done)")
    parts.append(f"{result.rate:.1f} documents/s")
    info(", ".join(parts))
    if result.interrupted:
        info("interrupted: run the same command with --resume to finish")
        raise typer.Exit(ExitCode.INTERRUPTED)
