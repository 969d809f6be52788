"""The hedging confidence policy, the model override used by the
cross-validation scripts, the WikiWeasel report CV script's clean skip, and
the exclusion of Szeged wiki sentences that are not in WikiWeasel train."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from rhetoric.core.document import Document
from rhetoric.io.datasets import Example, GoldSpan
from rhetoric.io.hedging_data import (
    UNSEEN_WIKI_REASON,
    exclude_unseen_wiki,
    read_hedging_sources,
)
from rhetoric.models.hedge import (
    ATTRIBUTED_CAP,
    BOOST_FLOOR,
    HEDGE_THRESHOLD,
    cue_confidences,
    weasel_confidence,
)
from rhetoric.models.store import load_bundle, using_bundle

ROOT = Path(__file__).resolve().parents[1]
HEDGING_DATA = ROOT.parent / "shared" / "data" / "hedging"
MODELS = ROOT / "rhetoric" / "data" / "models"


def test_using_bundle_overrides_and_restores() -> None:
    shipped = load_bundle("hedging")
    fake: dict[str, object] = {"cue": None}
    with using_bundle("hedging", fake):
        assert load_bundle("hedging") is fake
        assert load_bundle("babe") is load_bundle("babe")  # others untouched
        with using_bundle("hedging", None):
            assert load_bundle("hedging") is None
        assert load_bundle("hedging") is fake
    assert load_bundle("hedging") is shipped
    with pytest.raises(RuntimeError), using_bundle("hedging", fake):
        raise RuntimeError
    assert load_bundle("hedging") is shipped
    with pytest.raises(KeyError), using_bundle("nonsense", fake):
        pass


def test_cue_confidence_policy() -> None:
    th = 0.26
    # a sure cue counts on its own, unless the sentence model all but rules it out
    hedge, weasel = cue_confidences(0.2, 0.99, th, attributed=False, on_gap=False)
    assert hedge >= 0.5 and weasel is None
    hedge, _ = cue_confidences(BOOST_FLOOR / 2, 0.99, th, attributed=False, on_gap=False)
    assert hedge < 0.5
    # an ordinary hedge counts from HEDGE_THRESHOLD
    assert cue_confidences(HEDGE_THRESHOLD, 0.5, th, False, False)[0] == pytest.approx(0.5)
    assert cue_confidences(HEDGE_THRESHOLD - 0.05, 0.5, th, False, False)[0] < 0.5
    # attributed caution is capped, hedge and weasel alike
    hedge, weasel = cue_confidences(0.9, 0.99, th, attributed=True, on_gap=True)
    assert hedge == ATTRIBUTED_CAP and weasel == ATTRIBUTED_CAP
    # a hedge on a vague source's cue: capped as a hedge, a weasel cue when
    # the sentence is judged uncertain
    hedge, weasel = cue_confidences(0.9, 0.99, th, attributed=False, on_gap=True)
    assert hedge == ATTRIBUTED_CAP and weasel is not None and weasel >= 0.5
    assert cue_confidences(th - 0.01, 0.99, th, False, True)[1] is None
    assert weasel_confidence(th, th, attributed=False) == pytest.approx(0.5)


@pytest.mark.skipif(load_bundle("attribution") is None, reason="attribution models absent")
def test_only_plain_reporting_caps_a_hedge() -> None:
    from rhetoric.detectors.hedging_model import attribution_context

    def context(text: str) -> tuple[list, list]:  # type: ignore[type-arg]
        doc = Document(text, use_models=True)
        return attribution_context(doc)

    said, _ = context("Mayor Jane Okafor said the bridge may close next year.")
    assert said
    claimed, _ = context("Mayor Jane Okafor claimed the bridge may close next year.")
    assert not claimed


def test_report_cv_script_skips_without_data(tmp_path: Path) -> None:
    r = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "wikiweasel_report_cv.py"), "--data", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 0
    assert r.stdout.startswith("skipped:") and len(r.stdout.strip().splitlines()) == 1


def test_unseen_szeged_wiki_sentences_are_excluded() -> None:
    weasel = [
        Example(
            "wikiweasel-0", "It is said that the bridge (built in 1901) is `` unsafe ''.", [], 1
        ),
        Example("wikiweasel-1", "The river is long.", [], 0),
    ]
    cue = [GoldSpan(0, 5, "doxastic")]
    szeged = [
        # the same wording as a WikiWeasel sentence: case, spacing, quotes, brackets
        Example(
            "szeged_wiki-0",
            "it is said that the bridge -LRB- built in 1901 -RRB- is “unsafe”.",
            cue,
            1,
        ),
        Example("szeged_wiki-1", "Some say the dam may fail.", cue, 1),  # not in WikiWeasel train
        Example("szeged_wiki-2", "The  river is long .", [], 0),
        Example("szeged_bio_bmc-0", "These genes may be involved.", cue, 1),  # bio: always kept
    ]
    kept, excluded = exclude_unseen_wiki(szeged, weasel)
    assert [e.id for e in kept] == ["szeged_wiki-0", "szeged_wiki-2", "szeged_bio_bmc-0"]
    assert [e.id for e in excluded] == ["szeged_wiki-1"]
    assert exclude_unseen_wiki(szeged, weasel) == (kept, excluded)  # deterministic


def test_shipped_hedging_models_record_the_exclusion() -> None:
    if not (MODELS / "hedging_cv.json").is_file():
        pytest.skip("hedging models not trained")
    cv = json.loads((MODELS / "hedging_cv.json").read_text(encoding="utf-8"))["cv"]
    record = cv["szeged_wiki_excluded"]
    assert record["sentences"] > 0 and record["reason"] == UNSEEN_WIKI_REASON
    for role in ("cue", "type", "sentence"):
        meta = json.loads((MODELS / f"hedging_{role}.json").read_text(encoding="utf-8"))["meta"]
        assert meta["cv"]["szeged_wiki_excluded"] == record
    if not (HEDGING_DATA / "wikiweasel_train.csv").is_file():
        return
    szeged, weasel = read_hedging_sources(HEDGING_DATA)
    kept, excluded = exclude_unseen_wiki(szeged, weasel)
    assert record["sentences"] == len(excluded)
    assert record["wiki_kept"] == sum(1 for e in kept if e.id.startswith("szeged_wiki-"))
    assert all(e.id.startswith("szeged_wiki-") for e in excluded)
