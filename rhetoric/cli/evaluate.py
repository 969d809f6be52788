"""``rhetoric evaluate`` (measure on labelled data) and ``rhetoric ptc predict``
(SemEval-2020 Task 11 submission lines)."""

from __future__ import annotations

import sys
from enum import Enum
from typing import Annotated, Any

import typer

from ._common import (
    fail,
    unreadable,
)


class Dataset(str, Enum):
    auto = "auto"
    corpus = "corpus"
    ptc = "ptc"
    babe = "babe"
    hedging = "hedging"
    polnear = "polnear"


def _guess_dataset(path: str) -> Dataset:
    from ..evaluation.datasets import sniff_dataset

    return Dataset(sniff_dataset(path))


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

    from ..evaluation.corpus import evaluate_corpus
    from ..evaluation.datasets import (
        DataError,
        evaluate_babe,
        evaluate_hedging,
        evaluate_polnear,
        evaluate_ptc,
    )
    from ..io.corpus import CorpusError, read_corpus

    kind = _guess_dataset(data) if dataset is Dataset.auto else dataset
    if split is not None and kind is not Dataset.corpus:
        fail(f"--split is for corpus JSONL, not {kind.value} data")
    if labels and kind is not Dataset.ptc:
        fail(f"--labels is for a PTC folder, not {kind.value} data")
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
        fail(str(e))
    except (UnicodeDecodeError, OSError) as e:
        fail(unreadable(data, e))
    typer.echo(json.dumps(result, indent=2))


def _no_passages(data: str, split: str | None, read: Any) -> str:
    if split is None:
        return f"{data}: no passages to evaluate"
    splits = sorted({str(r["split"]) for r in read(data) if r.get("split") is not None})
    return f"{data}: no passages with split {split!r} (splits: {', '.join(splits) or 'none'})"


ptc_app = typer.Typer(
    help="SemEval-2020 Task 11 submissions from the PTC models.", no_args_is_help=True
)


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
    from ..evaluation.datasets import DataError, ptc_predict_lines

    try:
        lines = list(ptc_predict_lines(articles, template))
    except DataError as e:
        fail(str(e))
    except UnicodeDecodeError:
        fail(f"{articles}: an article or label file is not valid UTF-8 text")
    except OSError as e:
        fail(f"{template or articles}: cannot read ({e.strerror or e})")
    out = sys.stdout
    for line in lines:
        out.write(line + "\n")
    out.flush()
