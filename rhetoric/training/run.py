"""What ``rhetoric train`` does, outside the CLI: pick the adapter, train,
write the model files and a CV report next to them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..evaluation.metrics import merge_spans
from ..io.datasets import Example, GoldSpan, read_babe, read_corpus_examples, read_ptc
from ..models.store import save_model

__all__ = ["TrainingError", "run_training"]

SOURCES = {
    "ptc": {
        "name": "SemEval-2020 Task 11 Propaganda Techniques Corpus v2, train split",
        "citation": "Da San Martino et al. 2020",
        "license": "research use; cite the authors (README-PTC-v2-original.md)",
    },
    "babe": {
        "name": "BABE: Bias Annotations By Experts (the part in ../shared)",
        "citation": "Spinde et al. 2021",
        "license": "AGPL-3.0 repository",
    },
    "hedging": {
        "name": "Szeged Uncertainty Corpus (wiki, bio) cue spans and CoNLL-2010 Task 1 "
        "WikiWeasel train sentence labels (the parts in ../shared)",
        "citation": "Vincze 2014; Farkas et al. 2010",
        "license": "corpus terms not stated (Szeged: MIT repository); research use",
    },
    "attribution": {
        "name": "PolNeAR v1.0.0 train split (political news attribution relations)",
        "citation": "Newell, Margolin & Ruths 2018",
        "license": "not stated; research use",
    },
    "corpus": {
        "name": "rhetoric's own annotated passages (corpora/)",
        "citation": "the rhetoric team",
        "license": "MIT",
    },
}


class TrainingError(ValueError):
    """Training data missing or unreadable; the message names it."""


def _merged(exs: list[Example]) -> list[Example]:
    return [
        Example(
            e.id,
            e.text,
            [GoldSpan(s, t) for s, t in merge_spans((g.start, g.end) for g in e.spans)],
        )
        for e in exs
    ]


def run_training(
    dataset: str, src: str | Path, dest: Path, folds: int, log: Callable[[str], None]
) -> tuple[list[Path], dict[str, Any]]:
    """Train ``dataset`` ("ptc", "babe", "hedging", "attribution" or "corpus")
    from ``src`` into ``dest``."""
    from .train import train_babe, train_ptc

    src = Path(src)
    if not src.exists():
        raise TrainingError(f"{src}: training data not found")
    source = {**SOURCES[dataset], "path": src.as_posix()}
    try:
        if dataset == "ptc":
            si, tc = read_ptc(src, "SI"), read_ptc(src, "TC")
            if not si:
                raise TrainingError(f"{src}: no articles under train-articles/")
            bundle = "ptc"
            models, cv = train_ptc(si, tc, folds=folds, log=log, source=source)
        elif dataset == "babe":
            exs = read_babe(src)
            if len(exs) < folds * 2:
                raise TrainingError(f"{src}: too few labelled sentences ({len(exs)})")
            bundle = "babe"
            models, cv = train_babe(exs, folds=folds, log=log, source=source)
        elif dataset == "attribution":
            from ..io.polnear import read_polnear
            from .attribution import train_attribution

            arts = read_polnear(src)
            if len(arts) < folds:
                raise TrainingError(f"{src}: too few PolNeAR articles ({len(arts)})")
            bundle = "attribution"
            models, cv = train_attribution(arts, folds=folds, log=log, source=source)
        elif dataset == "hedging":
            from ..io.hedging_data import read_hedging_sources
            from .hedging import train_hedging

            szeged, weasel = read_hedging_sources(src)
            bundle = "hedging"
            models, cv = train_hedging(szeged, weasel, folds=folds, log=log, source=source)
        else:
            exs = read_corpus_examples(src)
            if len(exs) < folds:
                raise TrainingError(f"{src}: too few passages ({len(exs)}) for {folds} folds")
            bundle = "ptc"
            models, cv = train_ptc(_merged(exs), exs, folds=folds, log=log, source=source)
    except (OSError, UnicodeDecodeError, KeyError) as e:
        raise TrainingError(f"{src}: cannot read training data ({e})") from None
    except ValueError as e:
        if isinstance(e, TrainingError):
            raise
        raise TrainingError(f"{src}: {e}") from None
    written = []
    for role, model in models.items():
        path = dest / f"{bundle}_{role}.json"
        save_model(model, path)
        written.append(path)
    report = dest / f"{bundle}_cv.json"
    with open(report, "w", encoding="utf-8") as f:
        json.dump({"dataset": dataset, "source": source, "cv": cv}, f, indent=1)
        f.write("\n")
    written.append(report)
    return written, cv
