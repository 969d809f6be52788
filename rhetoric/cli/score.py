"""``rhetoric score`` (analyse and render) and ``rhetoric explain`` (the glossary)."""

from __future__ import annotations

import os
import sys
from enum import Enum
from typing import Annotated

import typer

from ._common import (
    ExitCode,
    IdColumnOpt,
    TextColumnOpt,
    err,
    fail,
    info,
    use_color,
)


class Format(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"
    lines = "lines"
    html = "html"


def score(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            help="Files, folders (.txt/.md/.html, recursively), http(s) URLs, .jsonl "
            "or .csv corpora, or - for stdin (the default).",
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
        float | None,
        typer.Option(
            "--min-confidence", min=0.0, max=1.0, help="Drop findings below this confidence (0-1)."
        ),
    ] = None,
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
    models: Annotated[
        bool,
        typer.Option(
            "--models/--no-models",
            help="Use the trained models as well as the lexicons and rules.",
        ),
    ] = True,
    text_column: TextColumnOpt = "text",
    id_column: IdColumnOpt = "id",
    config: Annotated[
        str | None,
        typer.Option(
            "--config",
            help="Configuration file (default: .rhetoric.toml or pyproject.toml "
            "\\[tool.rhetoric] found by walking up from each input).",
        ),
    ] = None,
    out_dir: Annotated[
        str | None,
        typer.Option("--out", help="--format html: write one NAME.html per input here."),
    ] = None,
    show_all: Annotated[
        bool,
        typer.Option(
            "--all",
            help="Text and HTML: show every finding; by default those under 0.5 are "
            "hidden (and counted). JSON always has them all.",
        ),
    ] = False,
) -> None:
    """Score articles and show the findings.

    Exit codes: 0 done, 1 a score is over --fail-over, 2 usage or input error.
    """
    from ..config import Analyzer, ConfigError, Options
    from ..core.report import CATEGORIES
    from ..io.inputs import InputError, iter_inputs

    cats = tuple(category or ())
    for c in cats:
        if c not in CATEGORIES:
            fail(f"unknown category {c!r}; choose from {', '.join(CATEGORIES)}")
    if out_dir is not None and format is not Format.html:
        fail("--out is for --format html")
    if out_dir is not None and os.path.exists(out_dir) and not os.path.isdir(out_dir):
        fail(f"{out_dir}: not a folder (--out needs a folder)")
    reports = []
    written: set[str] = set()
    failed = False
    over = False
    out = sys.stdout
    color = use_color(out)
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
    try:  # --models is the default, so only --no-models overrides the configuration
        options = Options(cats or None, min_confidence, None if models else False, config)
        analyzer = Analyzer(options)
    except ConfigError as e:
        fail(str(e))
    inputs = iter_inputs(
        paths or [], max_bytes=max_bytes, text_column=text_column, id_column=id_column
    )
    for item in inputs:
        if isinstance(item, InputError):
            err(str(item))
            failed = True
            continue
        for note in item.notes:
            sys.stderr.write(f"rhetoric: note: {note}\n")
        try:
            report = analyzer.analyze(item)
        except ConfigError as e:
            fail(str(e))
        if fail_over is not None and report.scores["overall"] > fail_over:
            over = True
        if format is Format.jsonl:
            from ..render.jsonfmt import render_jsonl_line

            out.write(render_jsonl_line(report) + "\n")
        elif format is Format.lines:
            from ..render.lines import render_lines

            for line in render_lines(report):
                out.write(line + "\n")
        elif format is Format.text:
            from ..render.text import render_text

            render_text(report, console, color, show_all)  # type: ignore[arg-type]
        elif format is Format.html and out_dir is not None:
            from ..render.html import HtmlOutputError, write_html_report

            try:
                info(f"wrote {write_html_report(report, out_dir, paths or [], written, show_all)}")
            except HtmlOutputError as e:
                err(str(e))
                failed = True
        else:
            if format is Format.html and reports:  # say so now, not after scoring them all
                fail("several inputs make several pages: use --out DIR")
            reports.append(report)
    if format is Format.json and reports:
        from ..render.jsonfmt import render_json

        out.write(render_json(reports) + "\n")
    if format is Format.html and reports:
        from ..render.html import render_html

        out.write(render_html(reports[0], show_all))
    out.flush()
    if failed:
        raise typer.Exit(ExitCode.INPUT)
    if over:
        raise typer.Exit(ExitCode.OVER)


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
    from ..core.glossary import GlossaryError, lookup, render_entry, render_index

    if label is None:
        typer.echo(render_index())
        return
    try:
        entries = lookup(label)
    except GlossaryError as e:
        fail(str(e))
    typer.echo("\n\n".join(render_entry(e) for e in entries))
