"""Classroom commands: ``worksheet``, ``grade``, ``compare``, ``quiz``.

Registered on the main app when ``rhetoric/cli/__init__.py`` imports this
module. Like the rest of the CLI they only parse arguments, call the library
(``rhetoric.classroom``) and print; heavy imports stay inside the commands.
"""

from __future__ import annotations

import sys
from enum import Enum
from typing import Annotated, Any

import typer

from ._common import ExitCode, err, fail, info, stdout, unreadable


class SheetFormat(str, Enum):
    md = "md"
    html = "html"


class GradeFormat(str, Enum):
    text = "text"
    json = "json"
    csv = "csv"


class CompareFormat(str, Enum):
    text = "text"
    html = "html"


ModelsOpt = Annotated[
    bool,
    typer.Option("--models/--no-models", help="Use the trained models as well as the rules."),
]
ConfigOpt = Annotated[
    str | None,
    typer.Option(
        "--config",
        help="Configuration file (default: .rhetoric.toml or pyproject.toml "
        "\\[tool.rhetoric] found by walking up from the article), e.g. a class lexicon.",
    ),
]


def _analyzer(models: bool, config: str | None) -> Any:
    """The same analyser ``rhetoric score`` builds (configuration, class
    lexicons, ignores), or exit 2 with one line on a bad configuration."""
    from ..config import Analyzer, ConfigError, Options

    try:  # --models is the default, so only --no-models overrides the configuration
        return Analyzer(Options(None, None, None if models else False, config))
    except ConfigError as e:
        fail(str(e))


def _analyze_one(path: str, models: bool, config: str | None) -> Any:
    """Read and analyse exactly one article, or exit 2 with one line."""
    from ..config import ConfigError
    from ..io.inputs import InputError, iter_inputs

    docs = []
    for item in iter_inputs([path]):
        if isinstance(item, InputError):
            fail(str(item))
        docs.append(item)
    if len(docs) != 1:
        fail(f"{path}: expected one article, found {len(docs)}")
    for note in docs[0].notes:
        info(f"note: {note}")
    try:
        return _analyzer(models, config).analyze(docs[0])
    except ConfigError as e:
        fail(str(e))


def worksheet(
    article: Annotated[str, typer.Argument(help="The article (a .txt/.md file, or - for stdin).")],
    format: Annotated[SheetFormat, typer.Option("--format", "-f", help="Output format.")] = (
        SheetFormat.md
    ),
    answer_key: Annotated[
        bool,
        typer.Option("--answer-key", help="The teacher's version: highlights and answers."),
    ] = False,
    models: ModelsOpt = True,
    config: ConfigOpt = None,
) -> None:
    """A student worksheet: numbered sentences and tasks from the analysis.

    --answer-key prints the teacher's version with highlights and answers."""
    from ..classroom.worksheet import make_worksheet, render_worksheet_html, render_worksheet_md

    report = _analyze_one(article, models, config)
    if not report.text.strip():  # a sheet of blank sentences helps no one
        fail(f"{article}: the article is empty; nothing to make a worksheet from")
    ws = make_worksheet(report)
    render = render_worksheet_html if format is SheetFormat.html else render_worksheet_md
    stdout().write(render(ws, answer_key))


def grade(
    answers: Annotated[
        list[str],
        typer.Argument(
            help="Answer files, one per student: corpora-format .jsonl, or plain text "
            "lines 'sentence number | category | phrase'.",
            show_default=False,
        ),
    ],
    key: Annotated[
        str,
        typer.Option(
            "--key",
            "-k",
            help="Annotated .jsonl (corpora format), or an article graded against "
            "the tool's own findings.",
        ),
    ],
    format: Annotated[GradeFormat, typer.Option("--format", "-f", help="Output format.")] = (
        GradeFormat.text
    ),
    min_confidence: Annotated[
        float | None,
        typer.Option(
            "--min-confidence",
            min=0.0,
            max=1.0,
            help="Article key only: findings at or above this form the key "
            "(default: the exercise floor, rhetoric/classroom/policy.py).",
            show_default=False,
        ),
    ] = None,
    models: ModelsOpt = True,
    config: ConfigOpt = None,
) -> None:
    """Grade students' answers against a key: precision and recall per category.

    Overlap matching; lists missed and extra phrases with explanations and a
    class summary. Exit 2 if any answer file is malformed (the rest are graded)."""
    from ..classroom import grade as g

    try:
        key_passages = g.load_key(key, min_confidence, _analyzer(models, config))
    except g.GradeError as e:
        fail(str(e))
    results, errors = g.grade_files(answers, key_passages)
    for e in errors:
        err(e)
    if results:
        if format is GradeFormat.json:
            stdout().write(g.render_json(key, results) + "\n")
        elif format is GradeFormat.csv:
            stdout().write(g.render_csv(results))
        else:
            stdout().write(g.render_text(results, key_passages))
    if errors:
        raise typer.Exit(ExitCode.INPUT)


def compare(
    a: Annotated[str, typer.Argument(help="The first article.")],
    b: Annotated[str, typer.Argument(help="The second article.")],
    format: Annotated[CompareFormat, typer.Option("--format", "-f", help="Output format.")] = (
        CompareFormat.text
    ),
    top: Annotated[int, typer.Option("--top", min=1, help="Loaded phrases to list.")] = 5,
    models: ModelsOpt = True,
    config: ConfigOpt = None,
) -> None:
    """Two articles side by side: scores, loaded phrases, sources.

    Scores per category, the strongest loaded phrases and who each one quotes."""
    from ..classroom.compare import render_compare_html, render_compare_text

    if a == "-" and b == "-":
        fail("only one of the two articles can come from stdin")
    ra, rb = _analyze_one(a, models, config), _analyze_one(b, models, config)
    render = render_compare_html if format is CompareFormat.html else render_compare_text
    stdout().write(render(ra, rb, top))


def _tell(line: str) -> None:
    out = stdout()
    out.write(line + "\n")
    out.flush()


def _ask(prompt: str) -> str | None:
    out = stdout()
    out.write(prompt)
    out.flush()
    line = sys.stdin.readline()
    return line if line else None


def quiz(
    corpus: Annotated[
        str | None,
        typer.Argument(
            help="Annotated .jsonl (default: corpora/passages.jsonl, else the glossary's "
            "examples).",
            show_default=False,
        ),
    ] = None,
    questions: Annotated[int, typer.Option("--questions", "-n", min=1, help="How many.")] = 10,
    seed: Annotated[
        int | None, typer.Option("--seed", help="Same seed, same questions in the same order.")
    ] = None,
) -> None:
    """A terminal quiz on annotated passages: which category, which technique?

    Feedback with each answer, a score at the end. Type the number (or the
    name); q stops."""
    from ..classroom.quiz import default_corpus, load_items, make_questions, run_quiz
    from ..io.corpus import CorpusError

    path = corpus if corpus is not None else default_corpus()
    try:
        items = load_items(path)
    except CorpusError as e:
        fail(str(e))
    except FileNotFoundError:
        fail(f"{path}: no such file")
    except IsADirectoryError:
        fail(f"{path}: is a folder; the quiz reads an annotated .jsonl file")
    except (UnicodeDecodeError, OSError) as e:
        fail(unreadable(path, e))
    if not items:
        fail(f"{path}: no annotated spans to ask about")
    qs = make_questions(items, questions, seed)
    run_quiz(qs, _ask, _tell)
