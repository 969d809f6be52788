"""What every command shares: the Typer app with its one-line error contract,
the exit codes, the error and info lines, and the options several commands
take. The commands live one group per module (``score``, ``evaluate``,
``train``, ``classroom``, ``batch``), registered on ``app`` when
``rhetoric/cli/__init__.py`` imports them.

No analysis happens in the CLI. Heavy modules are imported inside the
commands so ``rhetoric --help`` stays fast.
"""

from __future__ import annotations

import contextlib
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
    "VerboseOpt",
    "app",
    "console",
    "err",
    "fail",
    "info",
    "main",
    "stdout",
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
    with contextlib.suppress(OSError, ValueError, AttributeError):  # no real stdout
        _quiet(sys.stdout.fileno())


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
            _say("rhetoric: interrupted")
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
VerboseOpt = Annotated[
    bool,
    typer.Option(
        "--verbose", "-v", help="Say on stderr which configuration file applies to the inputs."
    ),
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


def _say(line: str) -> None:
    """Write one line to stderr, made safe for a terminal (nothing from a
    server or a file name can move the cursor, retitle the window or break the
    line). Best effort: when stderr cannot be written (closed, a full disk)
    the message is dropped and the exit code still tells what happened."""
    from ..core.safe import printable

    try:
        sys.stderr.write(printable(line) + "\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):  # closed (ValueError), or None at start
        _quiet(2)


def _quiet(fd: int) -> None:
    """Point ``fd`` at /dev/null, so that later writes and the flush at exit
    raise nothing."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        if devnull != fd:  # fd was closed: /dev/null took its number
            os.dup2(devnull, fd)
            os.close(devnull)
    except (OSError, ValueError, AttributeError):  # pragma: no cover
        pass


def err(message: str) -> None:
    _say(f"rhetoric: error: {message}")


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
    _say(f"rhetoric: {message}")


def use_color(stream: object) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def console(file: Any, **options: Any) -> Any:
    """A rich console on ``file`` whose closed pipe is the one-line contract's
    (stdout: a quiet exit 0; stderr: the display stops, the work goes on),
    not rich's own exit code 1."""
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            self.quiet = True
            if file is sys.stdout:
                raise BrokenPipeError  # handled by the app: exit 0

    return _Console(file=file, **options)


class _TerminalSafe:
    """stdout on a terminal, with every control character of what is written
    shown rather than acted on (``core.safe.terminal_text``): an escape
    sequence in an article, a file name or an answer file never reaches the
    terminal, whatever the output format."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        from ..core.safe import terminal_text

        return int(self._stream.write(terminal_text(text)))

    def writelines(self, parts: Any) -> None:
        for part in parts:
            self.write(part)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def stdout() -> Any:
    """Where a command writes its output: ``sys.stdout``, made safe for a
    terminal when it is one (a file or a pipe gets the bytes as they are)."""
    out = sys.stdout
    isatty = getattr(out, "isatty", None)
    try:
        tty = bool(isatty and isatty())
    except (OSError, ValueError):  # closed
        tty = False
    return _TerminalSafe(out) if tty else out


def main() -> None:
    """Console-script entry point; turns a closed pipe into a quiet exit."""
    # started with stdout or stderr closed (`>&-`): as good as a closed pipe
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - for the whole run
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115
    try:
        app()
    except BrokenPipeError:  # e.g. `rhetoric score x | head`
        _quiet_stdout()
        sys.exit(ExitCode.OK)
    except KeyboardInterrupt:
        _say("rhetoric: interrupted")
        sys.exit(ExitCode.INTERRUPTED)
