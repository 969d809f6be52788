"""The ``rhetoric`` command line: parse arguments, call the library, render.

No analysis happens here. Heavy modules are imported inside the commands so
``rhetoric --help`` stays fast.
"""

from __future__ import annotations

import errno
import os
import sys
from enum import Enum
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from ._version import __version__

try:  # typer >= 0.20 vendors click
    from typer._click.exceptions import UsageError as _UsageError
except ImportError:  # pragma: no cover - older typer uses click itself
    from click.exceptions import UsageError as _UsageError

EXIT_OK, EXIT_OVER, EXIT_INPUT = 0, 1, 2


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so that flushing it at exit raises nothing."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # pragma: no cover - no real stdout
        pass


class _OneLineErrors(TyperGroup):
    """The contract for every command: a usage mistake is one line on stderr
    and exit 2 (no usage box), a closed pipe (``| head``) is a quiet exit 0,
    output that cannot be written (a full disk) is one line, exit 2, and
    Ctrl-C is one line, exit 130."""

    def make_context(self, info_name: Any, args: Any, parent: Any = None, **extra: Any) -> Any:
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except _UsageError as e:
            _usage_exit(e)

    def invoke(self, ctx: Any) -> Any:
        try:
            rv = super().invoke(ctx)
            sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
            return rv
        except _UsageError as e:
            _usage_exit(e)
        except KeyboardInterrupt:  # typer would exit 130 without a word
            sys.stderr.write("rhetoric: interrupted\n")
            raise typer.Exit(130) from None
        except OSError as e:
            if isinstance(e, BrokenPipeError) or e.errno == errno.EPIPE:
                _quiet_stdout()
                raise typer.Exit(EXIT_OK) from None
            where = f"{e.filename}: " if e.filename else "cannot write output: "
            _fail(f"{where}{e.strerror or e}")


def _usage_exit(e: Any) -> NoReturn:
    if type(e).__name__ == "NoArgsIsHelpError":  # typer has printed the help
        raise e
    ctx = getattr(e, "ctx", None)
    hint = f"; see '{ctx.command_path} --help'" if ctx is not None else ""
    _err(" ".join(e.format_message().split()).rstrip(".") + hint)
    raise typer.Exit(getattr(e, "exit_code", EXIT_INPUT)) from None


app = typer.Typer(
    cls=_OneLineErrors,
    name="rhetoric",
    help="Show, passage by passage, how a news article tries to persuade.",
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Options shared by `score` and `batch`.
TextColumnOpt = Annotated[
    str, typer.Option("--text-column", help="CSV/JSONL corpora: the column with the text.")
]
IdColumnOpt = Annotated[
    str, typer.Option("--id-column", help="CSV/JSONL corpora: the column with the id.")
]


class Format(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"
    lines = "lines"
    html = "html"


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


def _fail(message: str) -> NoReturn:
    """One ``rhetoric: error:`` line and exit 2: bad input never ends in a
    traceback (the exception being handled is not chained)."""
    _err(message)
    raise typer.Exit(EXIT_INPUT) from None


def _unreadable(path: object, e: OSError | UnicodeDecodeError) -> str:
    """The one-line message for a file that cannot be read or decoded."""
    if isinstance(e, UnicodeDecodeError):
        return f"{path}: not valid UTF-8 text"
    return f"{path}: cannot read ({e.strerror or e})"


def _info(message: str) -> None:
    sys.stderr.write(f"rhetoric: {message}\n")


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
) -> None:
    """Score articles and show the findings.

    Exit codes: 0 done, 1 a score is over --fail-over, 2 usage or input error.
    """
    from .config import Analyzer, ConfigError, Options
    from .core.report import CATEGORIES
    from .io.inputs import InputError, iter_inputs

    cats = tuple(category or ())
    for c in cats:
        if c not in CATEGORIES:
            _fail(f"unknown category {c!r}; choose from {', '.join(CATEGORIES)}")
    if out_dir is not None and format is not Format.html:
        _fail("--out is for --format html")
    if out_dir is not None and os.path.exists(out_dir) and not os.path.isdir(out_dir):
        _fail(f"{out_dir}: not a folder (--out needs a folder)")
    reports = []
    written: set[str] = set()
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
    try:  # --models is the default, so only --no-models overrides the configuration
        options = Options(cats or None, min_confidence, None if models else False, config)
        analyzer = Analyzer(options)
    except ConfigError as e:
        _fail(str(e))
    inputs = iter_inputs(
        paths or [], max_bytes=max_bytes, text_column=text_column, id_column=id_column
    )
    for item in inputs:
        if isinstance(item, InputError):
            _err(str(item))
            failed = True
            continue
        for note in item.notes:
            sys.stderr.write(f"rhetoric: note: {note}\n")
        try:
            report = analyzer.analyze(item)
        except ConfigError as e:
            _fail(str(e))
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
        elif format is Format.html and out_dir is not None:
            from .render.html import HtmlOutputError, write_html_report

            try:
                _info(f"wrote {write_html_report(report, out_dir, paths or [], written)}")
            except HtmlOutputError as e:
                _err(str(e))
                failed = True
        else:
            if format is Format.html and reports:  # say so now, not after scoring them all
                _fail("several inputs make several pages: use --out DIR")
            reports.append(report)
    if format is Format.json and reports:
        from .render.jsonfmt import render_json

        out.write(render_json(reports) + "\n")
    if format is Format.html and reports:
        from .render.html import render_html

        out.write(render_html(reports[0]))
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
    from .core.glossary import GlossaryError, lookup, render_entry, render_index

    if label is None:
        typer.echo(render_index())
        return
    try:
        entries = lookup(label)
    except GlossaryError as e:
        _fail(str(e))
    typer.echo("\n\n".join(render_entry(e) for e in entries))


class Dataset(str, Enum):
    auto = "auto"
    corpus = "corpus"
    ptc = "ptc"
    babe = "babe"
    hedging = "hedging"
    polnear = "polnear"


def _guess_dataset(path: str) -> Dataset:
    from .evaluation.datasets import sniff_dataset

    return Dataset(sniff_dataset(path))


@app.command()
def evaluate(
    data: Annotated[
        str,
        typer.Argument(
            help="Annotated data: corpora/ JSONL, a PTC folder (article<ID>.txt and "
            ".labels files), a BABE CSV, hedging data (WikiWeasel CSV or Szeged "
            "JSONL) or a PolNeAR split folder."
        ),
    ],
    dataset: Annotated[
        Dataset, typer.Option("--dataset", "-d", help="Data format (default: from the path).")
    ] = Dataset.auto,
    split: Annotated[
        str | None, typer.Option("--split", help="Corpus only: records with this split.")
    ] = None,
    labels: Annotated[
        list[str] | None,
        typer.Option("--labels", help="PTC only: label files (default: *.labels beside it)."),
    ] = None,
    threshold: Annotated[
        float,
        typer.Option(
            "--threshold",
            min=0.0,
            max=1.0,
            help="Confidence at which findings count (corpus precision, BABE and hedging "
            "decisions).",
        ),
    ] = 0.5,
) -> None:
    """Measure the detectors and models on labelled data they did not train on.

    Corpus JSONL: span recall and precision. PTC folder: SemEval-2020 span F1,
    technique micro-F1, sentence F1. BABE CSV: macro-F1. Hedging data: sentence
    and cue F1. PolNeAR: attribution cue and source F1.
    """
    import json

    from .evaluation.corpus import evaluate_corpus
    from .evaluation.datasets import (
        DataError,
        evaluate_babe,
        evaluate_hedging,
        evaluate_polnear,
        evaluate_ptc,
    )
    from .io.corpus import CorpusError, read_corpus

    kind = _guess_dataset(data) if dataset is Dataset.auto else dataset
    if split is not None and kind is not Dataset.corpus:
        _fail(f"--split is for corpus JSONL, not {kind.value} data")
    if labels and kind is not Dataset.ptc:
        _fail(f"--labels is for a PTC folder, not {kind.value} data")
    try:
        if kind is Dataset.ptc:
            result = evaluate_ptc(data, labels or ())
        elif kind is Dataset.babe:
            result = evaluate_babe(data, threshold)
        elif kind is Dataset.hedging:
            result = evaluate_hedging(data, threshold)
        elif kind is Dataset.polnear:
            result = evaluate_polnear(data)
        else:
            records = list(read_corpus(data, split))
            if not records:  # zeros would read as a measurement
                raise CorpusError(_no_passages(data, split, read_corpus))
            result = evaluate_corpus(records, threshold=threshold).to_dict()
    except (CorpusError, DataError) as e:
        _fail(str(e))
    except (UnicodeDecodeError, OSError) as e:
        _fail(_unreadable(data, e))
    typer.echo(json.dumps(result, indent=2))


def _no_passages(data: str, split: str | None, read: Any) -> str:
    if split is None:
        return f"{data}: no passages to evaluate"
    splits = sorted({str(r["split"]) for r in read(data) if r.get("split") is not None})
    return f"{data}: no passages with split {split!r} (splits: {', '.join(splits) or 'none'})"


def _unwritable_folder(dest: Any) -> str | None:
    """Why models cannot be written to ``dest`` (checked before hours of
    training, not after), or None."""
    p = dest
    while not p.exists() and p.parent != p:
        p = p.parent
    if not p.is_dir():
        return f"{p}: not a folder (--out)"
    if not os.access(p, os.W_OK):
        return f"{p}: not writable (--out)"
    return None


class TrainSet(str, Enum):
    ptc = "ptc"
    babe = "babe"
    hedging = "hedging"
    attribution = "attribution"
    corpus = "corpus"


DEFAULT_DATA = {
    TrainSet.ptc: "../shared/data/ptc-semeval2020",
    TrainSet.babe: "../shared/data/babe/babe_train.csv",
    TrainSet.hedging: "../shared/data/hedging",
    TrainSet.attribution: "../shared/data/polnear/train",
    TrainSet.corpus: "corpora/passages.jsonl",
}


@app.command()
def train(
    dataset: Annotated[TrainSet, typer.Argument(help="Which models to train.")],
    data: Annotated[
        str | None,
        typer.Option("--data", help="Training data (default: the ../shared copy, or corpora/)."),
    ] = None,
    out: Annotated[
        str | None,
        typer.Option("--out", "-o", help="Folder for the model files (default: the package's)."),
    ] = None,
    folds: Annotated[int, typer.Option("--folds", min=2, help="Cross-validation folds.")] = 5,
) -> None:
    """Train models (deterministic) and report their article-level CV scores.

    ptc: propaganda spans, techniques and sentence probability (SemEval-2020
    PTC); babe: sentence bias and biased words (BABE); hedging: hedge cues, cue
    types and sentence uncertainty (Szeged, WikiWeasel); attribution: cue and
    source taggers (PolNeAR train); corpus: a PTC-style model from our own
    corpora/ JSONL (small; for tests and custom data; needs --out).
    """
    import json
    from pathlib import Path

    from .models.store import models_dir
    from .training.run import TrainingError, run_training

    src = data or DEFAULT_DATA[dataset]
    if dataset is TrainSet.corpus and out is None:
        # a model from a few dozen passages must never replace the shipped
        # PTC models by accident
        _fail("train corpus writes a small PTC-format model: give --out FOLDER")
    dest = Path(out) if out else models_dir()
    problem = _unwritable_folder(dest)
    if problem:
        _fail(problem)
    try:
        written, cv = run_training(dataset.value, src, dest, folds, log=_info)
    except TrainingError as e:
        _fail(str(e))
    for p in written:
        _info(f"wrote {p}")
    typer.echo(json.dumps(cv, indent=2))


ptc_app = typer.Typer(
    help="SemEval-2020 Task 11 submissions from the PTC models.", no_args_is_help=True
)
app.add_typer(ptc_app, name="ptc")


@ptc_app.command("predict")
def ptc_predict(
    articles: Annotated[str, typer.Argument(help="Folder of article<ID>.txt files.")],
    template: Annotated[
        str | None,
        typer.Option(
            "--template",
            help="TC template (article_id, ?, start, end per line): fill in the techniques.",
        ),
    ] = None,
) -> None:
    """Print SemEval-2020 Task 11 lines for the predicted spans.

    article_id<TAB>technique<TAB>start<TAB>end for every predicted span, or
    for every span of --template with its technique."""
    from .evaluation.datasets import DataError, ptc_predict_lines

    try:
        lines = list(ptc_predict_lines(articles, template))
    except DataError as e:
        _fail(str(e))
    except UnicodeDecodeError:
        _fail(f"{articles}: an article or label file is not valid UTF-8 text")
    except OSError as e:
        _fail(f"{template or articles}: cannot read ({e.strerror or e})")
    out = sys.stdout
    for line in lines:
        out.write(line + "\n")
    out.flush()


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


from . import cli_classroom  # noqa: E402,F401  (registers commands)
from .cli_batch import batch as _batch  # noqa: E402,F401  (registers commands)
