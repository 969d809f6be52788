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
    VerboseOpt,
    err,
    fail,
    info,
    stdout,
    use_color,
)
from ._common import (
    console as make_console,
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
    verbose: VerboseOpt = False,
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
    # the text format's renderer shows the article's control characters itself
    # (rich writes its own colour codes); every other format goes through
    # ``stdout()``, which shows them when the output is a terminal
    out = stdout()
    color = use_color(sys.stdout)
    console = None
    if format is Format.text:
        console = make_console(
            sys.stdout,
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
    if (not paths or "-" in paths) and sys.stdin is not None and sys.stdin.isatty():
        # a bare `rhetoric score` on a terminal would otherwise wait without a word
        info(
            "reading the article from the terminal: paste it, then press Ctrl-D "
            "(Ctrl-Z Enter on Windows); 'rhetoric score --help' for files and URLs"
        )
    inputs = iter_inputs(
        paths or [], max_bytes=max_bytes, text_column=text_column, id_column=id_column
    )
    told: set[str] = set()  # --verbose: each configuration once
    for item in inputs:
        if isinstance(item, InputError):
            err(str(item))
            failed = True
            continue
        for note in item.notes:
            info(f"note: {note}")
        try:
            if verbose:
                said = analyzer.describe_config(item.origin)
                if said not in told:
                    told.add(said)
                    info(f"{item.id}: {said}")
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
        from ..render.jsonfmt import write_json

        write_json(reports, out)
        out.write("\n")
    if format is Format.html and reports:
        from ..render.html import html_parts

        # piece by piece: a long page is never copied
        out.writelines(html_parts(reports[0], show_all))
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
