"""The ``rhetoric`` command line: parse arguments, call the library, render.

No analysis happens here. Heavy modules are imported inside the commands so
``rhetoric --help`` stays fast.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from typing import Annotated

import typer

from ._version import __version__

app = typer.Typer(
    name="rhetoric",
    help="Show, passage by passage, how a news article tries to persuade.",
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXIT_OK, EXIT_OVER, EXIT_INPUT = 0, 1, 2


class Format(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"
    lines = "lines"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"rhetoric {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[
        bool | None,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = None,
) -> None:
    """Score loaded language, hedging, attribution gaps and propaganda in news text."""


def _err(message: str) -> None:
    sys.stderr.write(f"rhetoric: error: {message}\n")


def _use_color(stream: object) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


@app.command()
def score(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            help="Files, folders (.txt/.md, recursively), .jsonl batches, or - "
            "for stdin (the default).",
            show_default=False,
        ),
    ] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    category: Annotated[
        list[str] | None,
        typer.Option(
            "--category",
            "-c",
            help="Only this category (repeatable): loaded_language, hedging, "
            "attribution, propaganda.",
        ),
    ] = None,
    min_confidence: Annotated[
        float,
        typer.Option(
            "--min-confidence", min=0.0, max=1.0, help="Drop findings below this confidence (0-1)."
        ),
    ] = 0.0,
    fail_over: Annotated[
        int | None,
        typer.Option(
            "--fail-over",
            min=0,
            max=100,
            help="Exit 1 when any document's overall score is above this.",
        ),
    ] = None,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", min=1, help="Refuse inputs larger than this.")
    ] = 10 * 1024 * 1024,
) -> None:
    """Score articles and show the findings.

    Exit codes: 0 done, 1 a score is over --fail-over, 2 usage or input error.
    """
    from .analyze import analyze
    from .inputs import InputError, iter_inputs
    from .report import CATEGORIES

    cats = tuple(category or ())
    for c in cats:
        if c not in CATEGORIES:
            _err(f"unknown category {c!r}; choose from {', '.join(CATEGORIES)}")
            raise typer.Exit(EXIT_INPUT)
    reports = []
    failed = False
    over = False
    out = sys.stdout
    color = _use_color(out)
    console = None
    if format is Format.text:
        from rich.console import Console

        console = Console(
            file=out,
            force_terminal=color,
            no_color=not color,
            highlight=False,
            soft_wrap=False,
            emoji=False,
        )
    for item in iter_inputs(paths or [], max_bytes=max_bytes):
        if isinstance(item, InputError):
            _err(str(item))
            failed = True
            continue
        for note in item.notes:
            sys.stderr.write(f"rhetoric: note: {note}\n")
        report = analyze(item.text, item.id, categories=cats or None, min_confidence=min_confidence)
        if fail_over is not None and report.scores["overall"] > fail_over:
            over = True
        if format is Format.jsonl:
            from .render.jsonfmt import render_jsonl_line

            out.write(render_jsonl_line(report) + "\n")
        elif format is Format.lines:
            from .render.lines import render_lines

            for line in render_lines(report):
                out.write(line + "\n")
        elif format is Format.text:
            from .render.text import render_text

            render_text(report, console, color)  # type: ignore[arg-type]
        else:
            reports.append(report)
    if format is Format.json and reports:
        from .render.jsonfmt import render_json

        out.write(render_json(reports) + "\n")
    out.flush()
    if failed:
        raise typer.Exit(EXIT_INPUT)
    if over:
        raise typer.Exit(EXIT_OVER)


@app.command()
def explain(
    label: Annotated[
        str | None,
        typer.Argument(
            help="A label or category (e.g. war_metaphor, hedging). Leave out to list them all.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Glossary: what each label means, why it matters to a reader, an example."""
    from .glossary import GlossaryError, lookup, render_entry, render_index

    if label is None:
        typer.echo(render_index())
        return
    try:
        entries = lookup(label)
    except GlossaryError as e:
        _err(str(e))
        raise typer.Exit(EXIT_INPUT) from None
    typer.echo("\n\n".join(render_entry(e) for e in entries))


@app.command()
def evaluate(
    corpus: Annotated[str, typer.Argument(help="Annotated JSONL (the corpora/ format).")],
    split: Annotated[
        str | None, typer.Option("--split", help="Only records with this split (dev/test).")
    ] = None,
    threshold: Annotated[
        float,
        typer.Option(
            "--threshold",
            min=0.0,
            max=1.0,
            help="Confidence at which findings count for precision.",
        ),
    ] = 0.5,
) -> None:
    """Span recall and precision (overlap matching) on an annotated corpus."""
    import json

    from .evaluate import CorpusError, evaluate_corpus, read_corpus

    try:
        scores = evaluate_corpus(read_corpus(corpus, split), threshold=threshold)
    except CorpusError as e:
        _err(str(e))
        raise typer.Exit(EXIT_INPUT) from None
    except OSError as e:
        _err(f"{corpus}: cannot read ({e.strerror or e})")
        raise typer.Exit(EXIT_INPUT) from None
    typer.echo(json.dumps(scores.to_dict(), indent=2))


def main() -> None:
    """Console-script entry point; turns a closed pipe into a quiet exit."""
    try:
        app()
    except BrokenPipeError:  # e.g. `rhetoric score x | head`
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(EXIT_OK)
    except KeyboardInterrupt:
        sys.stderr.write("rhetoric: interrupted\n")
        sys.exit(130)
