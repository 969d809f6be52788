"""The hedging confidence policy, the model override used by the
cross-validation scripts, and the WikiWeasel report CV script's clean skip."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from rhetoric.document import Document
from rhetoric.models.hedge import (
    ATTRIBUTED_CAP,
    BOOST_FLOOR,
    HEDGE_THRESHOLD,
    cue_confidences,
    weasel_confidence,
)
from rhetoric.models.store import load_bundle, using_bundle

ROOT = Path(__file__).resolve().parents[1]


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
    from rhetoric.attribution import USE_MODELS_KEY
    from rhetoric.detectors.hedging_model import attribution_context

    def context(text: str) -> tuple[list, list]:  # type: ignore[type-arg]
        doc = Document(text)
        doc.cache[USE_MODELS_KEY] = True
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
