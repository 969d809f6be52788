"""What ``rhetoric evaluate`` does, outside the CLI: the evaluator table (one
row a data format: which options it takes and how to score it) and how a
path's format is recognised.

Import-light on purpose: the CLI builds its ``--dataset`` choices from
``EVALUATORS``; the evaluators import their readers and models when run."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["EVALUATORS", "Evaluator", "sniff_dataset"]


@dataclass(frozen=True)
class Evaluator:
    """One row of the evaluator table. ``options``: which of ``split``,
    ``labels`` and ``threshold`` the format uses; ``run(data, split, labels,
    threshold)`` returns the JSON-ready scores and raises ``CorpusError`` or
    ``DataError`` with a one-line message."""

    options: frozenset[str]
    run: Callable[[str, str | None, Sequence[str], float], dict[str, Any]]


def _corpus(data: str, split: str | None, labels: Sequence[str], threshold: float) -> Any:
    from ..io.corpus import CorpusError, read_corpus
    from .corpus import evaluate_corpus

    records = list(read_corpus(data, split))
    if not records:  # zeros would read as a measurement
        if split is None:
            raise CorpusError(f"{data}: no passages to evaluate")
        splits = sorted({str(r["split"]) for r in read_corpus(data) if r.get("split") is not None})
        raise CorpusError(
            f"{data}: no passages with split {split!r} (splits: {', '.join(splits) or 'none'})"
        )
    return evaluate_corpus(records, threshold=threshold).to_dict()


def _ptc(data: str, split: str | None, labels: Sequence[str], threshold: float) -> Any:
    from .datasets import evaluate_ptc

    return evaluate_ptc(data, labels)


def _babe(data: str, split: str | None, labels: Sequence[str], threshold: float) -> Any:
    from .datasets import evaluate_babe

    return evaluate_babe(data, threshold)


def _hedging(data: str, split: str | None, labels: Sequence[str], threshold: float) -> Any:
    from .datasets import evaluate_hedging

    return evaluate_hedging(data, threshold)


def _polnear(data: str, split: str | None, labels: Sequence[str], threshold: float) -> Any:
    from .datasets import evaluate_polnear

    return evaluate_polnear(data)


def _hyperpartisan(data: str, split: str | None, labels: Sequence[str], threshold: float) -> Any:
    from .news import evaluate_hyperpartisan

    return evaluate_hyperpartisan(data, split)


def _basil(data: str, split: str | None, labels: Sequence[str], threshold: float) -> Any:
    from .news import evaluate_basil

    return evaluate_basil(data, split)


# The order is the CLI's order of choices.
EVALUATORS: dict[str, Evaluator] = {
    "corpus": Evaluator(frozenset({"split", "threshold"}), _corpus),
    "ptc": Evaluator(frozenset({"labels"}), _ptc),
    "babe": Evaluator(frozenset({"threshold"}), _babe),
    "hedging": Evaluator(frozenset({"threshold"}), _hedging),
    "polnear": Evaluator(frozenset(), _polnear),
    "hyperpartisan": Evaluator(frozenset({"split"}), _hyperpartisan),
    "basil": Evaluator(frozenset({"split"}), _basil),
}


def sniff_dataset(path: str | Path) -> str:
    """The evaluation format of ``path``: "corpus", "ptc", "babe", "hedging",
    "polnear", "hyperpartisan" or "basil", from its name and, for CSV and
    JSONL, its first line."""
    p = Path(path)
    if p.is_dir():
        if (p / "annotations").is_dir() and (p / "articles").is_dir():
            return "basil"
        return "polnear" if (p / "attributions").is_dir() else "ptc"
    head = ""
    if p.suffix in (".csv", ".jsonl") and p.is_file():
        try:
            with open(p, encoding="utf-8", errors="replace") as f:
                head = f.readline()
        except OSError:
            head = ""
    if p.suffix == ".csv":
        return "babe" if "label_bias" in head or not head else "hedging"
    if p.suffix == ".jsonl" and '"cues"' in head:
        return "hedging"
    if p.suffix == ".jsonl" and '"hyperpartisan"' in head:
        return "hyperpartisan"
    return "corpus"
