"""Scoring beyond one machine with Dask (``pip install 'rhetoric[dask]'``).

Partitions of a ``dask.bag`` or ``dask.dataframe`` are scored by the same code
as ``rhetoric batch`` (``batch.process``), so the results are identical line
for line; each worker process builds its analyser once and keeps it::

    from dask.distributed import Client
    from rhetoric.dask import sources_bag, score_bag, score_dataframe

    client = Client("scheduler:8786")
    outcomes = score_bag(sources_bag(["corpus.jsonl", "pages/"]))
    reports = outcomes.filter(lambda o: o["line"]).map(lambda o: json.loads(o["line"]))

    df = dd.read_parquet("articles.parquet")           # columns: id, text
    scored = score_dataframe(df)                        # + overall, ..., report, error

Dask is imported only inside these functions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from .batch import CSV_COLUMNS, BatchOptions, process, warm_up
from .io.inputs import Source, iter_sources

__all__ = ["score_bag", "score_dataframe", "score_partition", "sources_bag"]

SCORE_COLUMNS = CSV_COLUMNS[1:6]


def _as_source(item: Any, text_key: str, id_key: str) -> Source:
    if isinstance(item, Source):
        return item
    if isinstance(item, dict):
        return Source(str(item[id_key]), "text", str(item[text_key]))
    if isinstance(item, str):  # a path or URL
        kind = "url" if item.lower().startswith(("http://", "https://")) else "file"
        return Source(item, kind, item, None if kind == "url" else item)
    raise TypeError(f"cannot score a {type(item).__name__}; give a Source, dict or path")


# the analysis options this worker process is ready for
_READY: set[object] = set()


def _prepare(opts: BatchOptions) -> None:
    """Ready this worker process for many documents, as a batch does (models,
    tables, vocabularies in dicts): once per process and options, not per
    partition. A failure here is left to each document to report."""
    if opts.analysis in _READY:
        return
    try:
        warm_up(opts)
    except Exception:  # a broken model file: process() names it per document
        return
    _READY.add(opts.analysis)


def score_partition(
    items: Iterable[Any],
    opts: BatchOptions | None = None,
    text_key: str = "text",
    id_key: str = "id",
) -> list[dict[str, Any]]:
    """Score one partition: ``{"id", "line", "error"}`` per item, where ``line``
    is exactly the JSONL line ``rhetoric batch`` writes (or None on error)."""
    opts = opts or BatchOptions()
    items = list(items)
    if items:
        _prepare(opts)
    out = []
    for item in items:
        o = process(_as_source(item, text_key, id_key), opts)
        out.append({"id": o.id, "line": o.line, "error": o.error})
    return out


def sources_bag(
    paths: Sequence[str],
    *,
    npartitions: int | None = None,
    text_column: str = "text",
    id_column: str = "id",
    max_bytes: int | None = None,
) -> Any:
    """A bag of the documents in ``paths`` (listed here, read on the workers).
    Listing errors (a malformed corpus line) become ``{"id", "error"}`` items,
    which ``score_partition`` passes through."""
    import dask.bag as db

    kw: dict[str, Any] = {"text_column": text_column, "id_column": id_column, "all_files": True}
    if max_bytes is not None:
        kw["max_bytes"] = max_bytes
    items: list[Any] = []
    for s in iter_sources(paths, **kw):
        items.append(s if isinstance(s, Source) else _ListingError(s.id or str(s), str(s)))
    n = npartitions or max(1, min(len(items), 64))
    return db.from_sequence(items, npartitions=n)


class _ListingError:
    """A document that failed while being listed; scores as its error."""

    def __init__(self, id: str, error: str) -> None:
        self.id, self.error = id, error


def _score_items(items: Iterable[Any], opts: BatchOptions, text_key: str, id_key: str) -> list:
    out = []
    for item in items:
        if isinstance(item, _ListingError):
            out.append({"id": item.id, "line": None, "error": item.error})
        else:
            out.extend(score_partition([item], opts, text_key, id_key))
    return out


def score_bag(
    bag: Any, opts: BatchOptions | None = None, *, text_key: str = "text", id_key: str = "id"
) -> Any:
    """Score every element of ``bag`` (``Source`` objects from ``sources_bag``,
    ``{"id", "text"}`` dicts, or paths/URLs); a bag of ``{"id", "line", "error"}``."""
    opts = opts or BatchOptions()
    return bag.map_partitions(_score_items, opts, text_key, id_key)


def score_dataframe(
    df: Any,
    opts: BatchOptions | None = None,
    *,
    text_column: str = "text",
    id_column: str = "id",
) -> Any:
    """Score a dask DataFrame with ``text_column`` (and ``id_column``, else the
    index): adds the five scores, ``findings`` (count), ``report`` (the JSON
    line ``rhetoric batch`` writes) and ``error``."""
    import pandas as pd

    opts = opts or BatchOptions()
    meta = pd.DataFrame(
        {
            "id": pd.Series(dtype="object"),
            **{c: pd.Series(dtype="Int64") for c in SCORE_COLUMNS},
            "findings": pd.Series(dtype="Int64"),
            "report": pd.Series(dtype="object"),
            "error": pd.Series(dtype="object"),
        }
    )
    return df.map_partitions(_score_frame, opts, text_column, id_column, meta=meta)


def _score_frame(part: Any, opts: BatchOptions, text_column: str, id_column: str) -> Any:
    import json

    import pandas as pd

    ids = part[id_column] if id_column in part.columns else part.index.to_series()
    if len(part):  # not for the empty frame Dask infers the output from
        _prepare(opts)
    rows = []
    for doc_id, text in zip(ids.astype(str), part[text_column], strict=True):
        o = process(Source(doc_id, "text", "" if pd.isna(text) else str(text)), opts)
        row: dict[str, Any] = {"id": doc_id, "report": o.line, "error": o.error}
        if o.line is not None:
            rep = json.loads(o.line)
            row.update({c: rep["scores"][c] for c in SCORE_COLUMNS})
            row["findings"] = len(rep["findings"])
        rows.append(row)
    frame = pd.DataFrame(rows, columns=["id", *SCORE_COLUMNS, "findings", "report", "error"])
    for c in (*SCORE_COLUMNS, "findings"):
        frame[c] = frame[c].astype("Int64")
    frame.index = part.index
    return frame
