"""What ``rhetoric train`` does, outside the CLI: the trainer table (one row a
model bundle: its default data, where the data comes from, how to read and
fit it), then writing the model files and a CV report next to them.

Import-light on purpose: the CLI builds its ``train`` choices from
``TRAINERS``, so readers and scikit-learn are imported only inside the
fitting functions."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..io.datasets import Example

__all__ = ["TRAINERS", "Trainer", "TrainingError", "run_training"]

Log = Callable[[str], None]
# (data path, folds, log, source metadata) -> ({role: model}, cv scores)
Fit = Callable[[Path, int, Log, dict[str, str]], tuple[dict[str, Any], dict[str, Any]]]


class TrainingError(ValueError):
    """Training data missing or unreadable; the message names it."""


@dataclass(frozen=True)
class Trainer:
    """One row of the trainer table. ``bundle``: the model bundle written
    (``models.store.MODEL_FILES``); ``data``: the default data path, from the
    checkout; ``source``: what is recorded in every model file about the data."""

    bundle: str
    data: str
    source: dict[str, str]
    fit: Fit


def _fit_ptc(src: Path, folds: int, log: Log, source: dict[str, str]) -> Any:
    from ..io.datasets import read_ptc
    from .train import train_ptc

    si, tc = read_ptc(src, "SI"), read_ptc(src, "TC")
    if not si:
        raise TrainingError(f"{src}: no articles under train-articles/")
    return train_ptc(si, tc, folds=folds, log=log, source=source)


def _fit_babe(src: Path, folds: int, log: Log, source: dict[str, str]) -> Any:
    from ..io.datasets import read_babe
    from .train import train_babe

    exs = read_babe(src)
    if len(exs) < folds * 2:
        raise TrainingError(f"{src}: too few labelled sentences ({len(exs)})")
    return train_babe(exs, folds=folds, log=log, source=source)


def _fit_attribution(src: Path, folds: int, log: Log, source: dict[str, str]) -> Any:
    from ..io.polnear import read_polnear
    from .attribution import train_attribution

    arts = read_polnear(src)
    if len(arts) < folds:
        raise TrainingError(f"{src}: too few PolNeAR articles ({len(arts)})")
    return train_attribution(arts, folds=folds, log=log, source=source)


def _fit_hedging(src: Path, folds: int, log: Log, source: dict[str, str]) -> Any:
    from ..io.hedging_data import read_hedging_sources
    from .hedging import train_hedging

    szeged, weasel = read_hedging_sources(src)
    return train_hedging(szeged, weasel, folds=folds, log=log, source=source)


def _merged(exs: list[Example]) -> list[Example]:
    from ..evaluation.metrics import merge_spans
    from ..io.datasets import Example, GoldSpan

    return [
        Example(
            e.id,
            e.text,
            [GoldSpan(s, t) for s, t in merge_spans((g.start, g.end) for g in e.spans)],
        )
        for e in exs
    ]


def _fit_corpus(src: Path, folds: int, log: Log, source: dict[str, str]) -> Any:
    from ..io.datasets import read_corpus_examples
    from .train import train_ptc

    exs = read_corpus_examples(src)
    if len(exs) < folds:
        raise TrainingError(f"{src}: too few passages ({len(exs)}) for {folds} folds")
    return train_ptc(_merged(exs), exs, folds=folds, log=log, source=source)


def _fit_calibration(src: Path, folds: int, log: Log, source: dict[str, str]) -> Any:
    from .calibration import AUDITS, train_calibration

    if not AUDITS.is_file():
        raise TrainingError(f"{AUDITS}: the judged findings are missing")
    return train_calibration(src, AUDITS, folds, log, source)


def _fit_score(src: Path, folds: int, log: Log, source: dict[str, str]) -> Any:
    from .score import train_score

    if not src.is_file():
        raise TrainingError(f"{src}: the hyperpartisan by-article JSONL is missing")
    return train_score(src, folds, log, source)


# The order is the CLI's order of choices.
TRAINERS: dict[str, Trainer] = {
    "ptc": Trainer(
        "ptc",
        "../shared/data/ptc-semeval2020",
        {
            "name": "SemEval-2020 Task 11 Propaganda Techniques Corpus v2, train split",
            "citation": "Da San Martino et al. 2020",
            "license": "research use; cite the authors (README-PTC-v2-original.md)",
        },
        _fit_ptc,
    ),
    "babe": Trainer(
        "babe",
        "../shared/data/babe/babe_train.csv",
        {
            "name": "BABE: Bias Annotations By Experts (the part in ../shared)",
            "citation": "Spinde et al. 2021",
            "license": "AGPL-3.0 repository",
        },
        _fit_babe,
    ),
    "hedging": Trainer(
        "hedging",
        "../shared/data/hedging",
        {
            "name": "Szeged Uncertainty Corpus (wiki, bio) cue spans and CoNLL-2010 Task 1 "
            "WikiWeasel train sentence labels (the parts in ../shared)",
            "citation": "Vincze 2014; Farkas et al. 2010",
            "license": "corpus terms not stated (Szeged: MIT repository); research use",
        },
        _fit_hedging,
    ),
    "attribution": Trainer(
        "attribution",
        "../shared/data/polnear/train",
        {
            "name": "PolNeAR v1.0.0 train split (political news attribution relations)",
            "citation": "Newell, Margolin & Ruths 2018",
            "license": "not stated; research use",
        },
        _fit_attribution,
    ),
    # after the others: it calibrates what they find
    "calibration": Trainer(
        "calibration",
        "../shared/data",
        {
            "name": "blind judgments of findings on real news (corpora/audits/calibration.jsonl) "
            "on SemEval-2019 hyperpartisan by-article train, BASIL and PolNeAR train articles; "
            "term rates from BABE biased words, BASIL lexical spans (training part) and the "
            "Szeged Uncertainty Corpus",
            "citation": "Kiesel et al. 2019; Fan et al. 2019; Newell et al. 2018; Spinde et al. "
            "2021; Vincze 2014",
            "license": "judgments: MIT (the rhetoric team); data: see each dataset",
        },
        _fit_calibration,
    ),
    # last: it weighs what the calibrated findings and sentence models show
    "score": Trainer(
        "score",
        "../shared/data/hyperpartisan/byarticle_train.jsonl",
        {
            "name": "SemEval-2019 Task 4 hyperpartisan news, by-article training set "
            "(hand-labelled; final split left out)",
            "citation": "Kiesel et al. 2019",
            "license": "see the task's data record (Zenodo 1489920)",
        },
        _fit_score,
    ),
    # a PTC-style model from our own passages: small, for tests and custom data
    "corpus": Trainer(
        "ptc",
        "corpora/passages.jsonl",
        {
            "name": "rhetoric's own annotated passages (corpora/)",
            "citation": "the rhetoric team",
            "license": "MIT",
        },
        _fit_corpus,
    ),
}


def run_training(
    dataset: str, src: str | Path, dest: Path, folds: int, log: Log
) -> tuple[list[Path], dict[str, Any]]:
    """Train the ``TRAINERS`` row ``dataset`` from ``src`` into ``dest``."""
    from ..models.store import save_model
    from .compile import compile_models

    trainer = TRAINERS[dataset]
    src = Path(src)
    if not src.exists():
        raise TrainingError(f"{src}: training data not found")
    source = {**trainer.source, "path": src.as_posix()}
    try:
        models, cv = trainer.fit(src, folds, log, source)
    except (OSError, UnicodeDecodeError, KeyError) as e:
        raise TrainingError(f"{src}: cannot read training data ({e})") from None
    except ValueError as e:
        if isinstance(e, TrainingError):
            raise
        raise TrainingError(f"{src}: {e}") from None
    written = []
    for role, model in models.items():
        path = dest / f"{trainer.bundle}_{role}.json"
        save_model(model, path)
        written.append(path)
    # the compact joint scorers derived from the JSON files just written
    written += compile_models(dest)
    report = dest / f"{trainer.bundle}_cv.json"
    with open(report, "w", encoding="utf-8") as f:
        json.dump({"dataset": dataset, "source": source, "cv": cv}, f, indent=1)
        f.write("\n")
    written.append(report)
    return written, cv
