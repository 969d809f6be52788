"""``rhetoric evaluate`` (measure on labelled data) and ``rhetoric ptc predict``
(SemEval-2020 Task 11 submission lines)."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from ..evaluation.run import EVALUATORS, sniff_dataset
from ._common import fail, stdout, unreadable

# "auto", then the evaluator table's rows (evaluation/run.py), in its order.
Dataset = Enum(  # type: ignore[misc]
    "Dataset", {name: name for name in ("auto", *EVALUATORS)}, type=str
)


def evaluate(
    data: Annotated[
        str,
        typer.Argument(
            help="Annotated data: corpora/ JSONL, a PTC folder (article<ID>.txt and "
            ".labels files), a BABE CSV, hedging data (WikiWeasel CSV or Szeged "
            "JSONL), a PolNeAR split folder, a SemEval-2019 hyperpartisan by-article "
            "JSONL or a BASIL folder."
        ),
    ],
    dataset: Annotated[
        Dataset, typer.Option("--dataset", "-d", help="Data format (default: from the path).")
    ] = Dataset.auto,
    split: Annotated[
        str | None,
        typer.Option(
            "--split",
            help="Corpus: records with this split. Hyperpartisan, BASIL: 'final' (the "
            "untouched final split) or 'train' (the rest).",
        ),
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
    and cue F1. PolNeAR: attribution cue and source F1. Hyperpartisan: AUC of
    the overall score, agreement of "overall >= 50", findings per 1,000 words.
    BASIL: loaded findings against lexical-bias spans, voice against quotes.
    """
    import json

    from ..io.corpus import CorpusError
    from ..io.datasets import DataError

    kind = sniff_dataset(data) if dataset.value == "auto" else dataset.value
    evaluator = EVALUATORS[kind]
    if split is not None and "split" not in evaluator.options:
        fail(f"--split is for corpus JSONL, hyperpartisan or BASIL data, not {kind} data")
    if labels and "labels" not in evaluator.options:
        fail(f"--labels is for a PTC folder, not {kind} data")
    try:
        result = evaluator.run(data, split, labels or (), threshold)
    except (CorpusError, DataError) as e:
        fail(str(e))
    except (UnicodeDecodeError, OSError) as e:
        fail(unreadable(data, e))
    except ValueError as e:  # an unknown split, an empty selection
        fail(str(e))
    typer.echo(json.dumps(result, indent=2))


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
    out = stdout()
    for line in lines:
        out.write(line + "\n")
    out.flush()
