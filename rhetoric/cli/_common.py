"""What every command shares: the Typer app with its one-line error contract,
the exit codes, the error and info lines, and the options several commands
take. The commands live one group per module (``score``, ``evaluate``,
``train``, ``classroom``, ``batch``), registered on ``app`` when
``rhetoric/cli/__init__.py`` imports them.

No analysis happens in the CLI. Heavy modules are imported inside the
commands so ``rhetoric --help`` stays fast.
"""

from __future__ import annotations

import errno
import os
import sys
from enum import IntEnum
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from .._version import __version__

try:  # typer >= 0.20 vendors click
    from typer._click.exceptions import UsageError as _UsageError
except ImportError:  # pragma: no cover - older typer uses click itself
    from click.exceptions import UsageError as _UsageError

__all__ = [
    "ExitCode",
    "IdColumnOpt",
    "TextColumnOpt",
    "app",
    "err",
    "fail",
    "info",
    "main",
    "unreadable",
    "use_color",
]


class ExitCode(IntEnum):
    """0 done, 1 a score over ``--fail-over``, 2 a usage or input error, 130
    interrupted (Ctrl-C; ``batch --resume`` finishes the run)."""

    OK = 0
    OVER = 1
    INPUT = 2
    INTERRUPTED = 130


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
            raise typer.Exit(ExitCode.INTERRUPTED) from None
        except OSError as e:
            if isinstance(e, BrokenPipeError) or e.errno == errno.EPIPE:
                _quiet_stdout()
                raise typer.Exit(ExitCode.OK) from None
            where = f"{e.filename}: " if e.filename else "cannot write output: "
            fail(f"{where}{e.strerror or e}")


def _usage_exit(e: Any) -> NoReturn:
    if type(e).__name__ == "NoArgsIsHelpError":  # typer has printed the help
        raise e
    ctx = getattr(e, "ctx", None)
    hint = f"; see '{ctx.command_path} --help'" if ctx is not None else ""
    err(" ".join(e.format_message().split()).rstrip(".") + hint)
    raise typer.Exit(getattr(e, "exit_code", ExitCode.INPUT)) from None


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


def err(message: str) -> None:
    sys.stderr.write(f"rhetoric: error: {message}\n")


def fail(message: str) -> NoReturn:
    """One ``rhetoric: error:`` line and exit 2: bad input never ends in a
    traceback (the exception being handled is not chained)."""
    err(message)
    raise typer.Exit(ExitCode.INPUT) from None


def unreadable(path: object, e: OSError | UnicodeDecodeError) -> str:
    """The one-line message for a file that cannot be read or decoded."""
    if isinstance(e, UnicodeDecodeError):
        return f"{path}: not valid UTF-8 text"
    return f"{path}: cannot read ({e.strerror or e})"


def info(message: str) -> None:
    sys.stderr.write(f"rhetoric: {message}\n")


def use_color(stream: object) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def main() -> None:
    """Console-script entry point; turns a closed pipe into a quiet exit."""
    try:
        app()
    except BrokenPipeError:  # e.g. `rhetoric score x | head`
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(ExitCode.OK)
    except KeyboardInterrupt:
        sys.stderr.write("rhetoric: interrupted\n")
        sys.exit(ExitCode.INTERRUPTED)
