"""The ``rhetoric`` command line (console script ``rhetoric.cli:main``).

``_common`` holds the app, the exit codes and the shared helpers; each
command group is a module of plain functions, registered here, explicitly,
in the order ``rhetoric --help`` lists them."""

from __future__ import annotations

from . import batch, classroom, evaluate, score, serve, train
from ._common import app, main

__all__ = ["app", "main"]

for command in (
    score.score,
    score.explain,
    evaluate.evaluate,
    train.train,
    classroom.worksheet,
    classroom.grade,
    classroom.compare,
    classroom.quiz,
    batch.batch,
    serve.serve,
):
    app.command()(command)
app.add_typer(evaluate.ptc_app, name="ptc")
