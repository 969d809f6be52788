"""``rhetoric train``: retrain a model bundle and print its cross-validation scores."""

from __future__ import annotations

import os
from enum import Enum
from typing import Annotated, Any

import typer

from ..training.run import TRAINERS
from ._common import fail, info


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


# The choices are the trainer table's rows (training/run.py), in its order.
TrainSet = Enum("TrainSet", {name: name for name in TRAINERS}, type=str)  # type: ignore[misc]


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

    from ..models.store import models_dir
    from ..training.run import TrainingError, run_training

    src = data or TRAINERS[dataset.value].data
    if dataset.value == "corpus" and out is None:
        # a model from a few dozen passages must never replace the shipped
        # PTC models by accident
        fail("train corpus writes a small PTC-format model: give --out FOLDER")
    dest = Path(out) if out else models_dir()
    problem = _unwritable_folder(dest)
    if problem:
        fail(problem)
    try:
        written, cv = run_training(dataset.value, src, dest, folds, log=info)
    except TrainingError as e:
        fail(str(e))
    for p in written:
        info(f"wrote {p}")
    typer.echo(json.dumps(cv, indent=2))
