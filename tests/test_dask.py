"""Dask: a LocalCluster of two worker processes on loopback gives the same
reports as the single-process batch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rhetoric.batch import run_batch

from .conftest import CORPUS

distributed = pytest.importorskip("dask.distributed")


def _analyser_builds() -> int:
    from rhetoric import batch

    return int(batch._WORKER.get("builds", 0))


def test_dask_bag_and_dataframe_match_the_batch(tmp_path: Path) -> None:
    from rhetoric.dask import score_bag, score_dataframe, sources_bag

    records = [json.loads(x) for x in CORPUS.read_text(encoding="utf-8").splitlines()][:12]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records) + "{bad\n", encoding="utf-8")
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text(records[0]["text"], encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    inputs = [str(corpus), str(folder)]
    out = tmp_path / "batch.jsonl"
    run_batch(inputs, out)
    batch_lines = out.read_text(encoding="utf-8").splitlines()
    batch_errors = {
        json.loads(x)["id"] for x in (tmp_path / "batch.errors.jsonl").read_text().splitlines()
    }

    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        outcomes = score_bag(sources_bag(inputs, npartitions=4)).compute()
        assert [o["line"] for o in outcomes if o["line"]] == batch_lines
        assert {o["id"] for o in outcomes if o["error"]} == batch_errors
        # the analyser was built once per worker process, not once per document
        builds = client.run(_analyser_builds)
        assert len(builds) == 2 and all(n <= 1 for n in builds.values()), builds

        import dask.dataframe as dd
        import pandas as pd

        frame = pd.DataFrame(
            {"id": [r["id"] for r in records], "text": [r["text"] for r in records]}
        )
        scored = score_dataframe(dd.from_pandas(frame, npartitions=3)).compute()
    by_id = {json.loads(x)["id"]: json.loads(x) for x in batch_lines}
    for row in scored.itertuples():
        assert row.report is not None and row.error is None
        rep = by_id[row.id]
        assert json.loads(row.report) == rep
        assert row.overall == rep["scores"]["overall"] and row.findings == len(rep["findings"])
