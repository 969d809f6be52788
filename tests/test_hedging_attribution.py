"""Hedge cues and sentence uncertainty, attribution extraction with the
PolNeAR-trained taggers, unsupported claims, and the sourcing profile."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rhetoric.attribution.sourcing import claim_sentences, sourcing_profile
from rhetoric.core.document import Document
from rhetoric.detectors import RULE_DETECTORS
from rhetoric.evaluation.metrics import overlap_prf
from rhetoric.evaluation.run import sniff_dataset
from rhetoric.io.hedging_data import cue_label, read_szeged, read_wikiweasel
from rhetoric.io.polnear import read_polnear
from rhetoric.models.hedge import to_confidence
from rhetoric.models.store import load_bundle
from rhetoric.pipeline.analyze import analyze

from .conftest import SHARED


def _polnear_folder(root: Path) -> Path:
    (root / "text").mkdir(parents=True)
    (root / "attributions").mkdir()
    text = "Officials said the plan failed. Mr Smith told reporters he was sorry.\n"
    (root / "text" / "a_1.txt").write_text(text, encoding="utf-8")
    ann = (
        "T1\tSource 0 9\tOfficials\nT2\tCue 10 14\tsaid\nT3\tContent 15 30\tthe plan failed\n"
        "T4\tAttribution 10 14\tsaid\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
        "T5\tSource 32 40\tMr Smith\nT6\tCue 41 45;46 55\ttold reporters\n"
        "T7\tAttribution 41 45\ttold\nE2\tAttribution:T7 Cue:T6 Source:T5\n"
    )
    (root / "attributions" / "a_1_ab12.ann").write_text(ann, encoding="utf-8")
    (root / "attributions" / "a_1_cd34.ann").write_text("", encoding="utf-8")
    return root


def test_polnear_reader_and_overlap_metric(tmp_path: Path) -> None:
    arts = read_polnear(_polnear_folder(tmp_path / "pn"))
    assert len(arts) == 1  # the first annotator's file only
    a = arts[0]
    assert a.spans("cue") == [(10, 14), (41, 55)]
    assert a.spans("source") == [(0, 9), (32, 40)]
    r = overlap_prf({a.id: [(10, 14), (100, 104)]}, {a.id: a.spans("cue")})
    assert (r["precision"], r["recall"]) == (0.5, 0.5)
    assert sniff_dataset(tmp_path / "pn") == "polnear"


def test_hedging_adapters(tmp_path: Path) -> None:
    sz = tmp_path / "szeged_x.jsonl"
    sz.write_text(
        json.dumps(
            {
                "id": "S1",
                "text": "It may rain and we wonder whether it will.",
                "uncertain": True,
                "cues": [
                    {"start": 3, "end": 6, "type": "speculation_modal_probable_"},
                    {"start": 26, "end": 33, "type": "speculation_hypo_investigation _"},
                ],
            }
        )
        + "\n",
        encoding="utf-8",
    )
    ex = read_szeged(sz)[0]
    assert [s.label for s in ex.spans] == ["epistemic_modal", "investigation"]
    assert cue_label("speculation_modal_probable_", "probably") == "speculative"
    assert cue_label("speculation_hypo_doxastic _", "believe") == "doxastic"
    ww = tmp_path / "ww.csv"
    ww.write_text('text,label\n"Some say it is old.\n",1\n"It is old.\n",0\n', encoding="utf-8")
    assert [(e.text, e.label) for e in read_wikiweasel(ww)] == [
        ("Some say it is old.", 1),
        ("It is old.", 0),
    ]
    assert sniff_dataset(ww) == "hedging"
    assert sniff_dataset(sz) == "hedging"


def test_confidence_mapping_puts_the_threshold_at_one_half() -> None:
    assert to_confidence(0.3, 0.3) == pytest.approx(0.5)
    assert to_confidence(0.0, 0.3) == 0.0
    ps = [i / 20 for i in range(21)]
    cs = [to_confidence(p, 0.35) for p in ps]
    assert cs == sorted(cs) and cs[-1] <= 0.95 + 1e-9


def test_claim_sentences_and_unsupported_claims() -> None:
    text = (
        "Budget row deepens\n\n"
        "The scheme has cost taxpayers 40 million pounds since it began.\n\n"
        "The scheme cost 40 million pounds, a Treasury spokesman said on Monday.\n\n"
        "Could the scheme really have cost 40 million pounds?"
    )
    doc = Document(text)
    assert len(claim_sentences(doc)) == 2  # not the headline, not the question
    rep = analyze(text)
    flagged = [f for f in rep.findings if f.label == "unsupported_claim"]
    assert [f.text for f in flagged] == [
        "The scheme has cost taxpayers 40 million pounds since it began."
    ]
    assert all(f.confidence < 0.5 for f in flagged)
    prof = rep.sourcing
    assert prof["claim_sentences"] == 2 and prof["claim_sentences_attributed"] == 1
    assert prof["attributed_share"] == 0.5


def test_sourcing_profile_lists_sources_with_what_they_say() -> None:
    text = (
        'Mark Toner said the talks would resume. "We are ready," he said. '
        "Critics say the plan is doomed."
    )
    rep = analyze(text, detectors=RULE_DETECTORS)
    prof = sourcing_profile(Document(text), rep.attributions)
    assert prof["counts"]["named"] >= 1 and prof["counts"]["vague"] >= 1
    toner = [s for s in prof["sources"] if s["source"] == "Mark Toner"]
    assert toner and toner[0]["kind"] == "named" and toner[0]["attributions"] == 2
    assert any("talks would resume" in q for q in toner[0]["says"])
    d = rep.to_dict()
    assert set(d["sourcing"]) == {
        "counts",
        "claim_sentences",
        "claim_sentences_attributed",
        "attributed_share",
        "sources",
    }


def test_seed_sources_and_hedges(seed_text: str) -> None:
    rep = analyze(seed_text)
    kinds = {a.source.text: a.kind for a in rep.attributions if a.source}
    for name in ("Konashenkov", "Mark Toner", "Amos Hochstein"):
        assert any(name in s and k == "named" for s, k in kinds.items()), name
    assert any(
        "unnamed US State Department official" in s and k == "anonymous" for s, k in kinds.items()
    )
    selfs = [a for a in rep.attributions if a.kind == "self" and a.source]
    assert any(seed_text[a.source.start : a.cue.end].startswith("We have on any") for a in selfs)
    hedges = [f for f in rep.findings if f.category == "hedging"]
    assert any(f.text.startswith("If the US is indeed complicit") for f in hedges)
    names = {s["source"] for s in rep.sourcing["sources"]}
    assert any("Konashenkov" in n for n in names)


needs_models = pytest.mark.skipif(
    load_bundle("hedging") is None or load_bundle("attribution") is None,
    reason="hedging/attribution models not installed",
)


@needs_models
def test_trained_hedges_flag_speculation_not_attributed_caution() -> None:
    spec = analyze("Some experts believe the virus was probably engineered in a lab.")
    assert any(f.category == "hedging" and f.confidence >= 0.5 for f in spec.findings)
    # a source's reported caution stays a hedge, says whose it is, and does
    # not count against the writer
    from rhetoric.pipeline.scoring import author_findings

    wire = analyze("The company said it may cut up to 200 jobs next year.")
    hedges = [f for f in wire.findings if f.category == "hedging"]
    assert [(f.text, f.speaker) for f in hedges] == [("may", "company")]
    assert hedges[0].attribution is not None and not author_findings(hedges)
    assert wire.scores["hedging"] == 0
    assert all(s.uncertainty is not None for s in spec.sentence_scores)


@needs_models
def test_no_models_means_rule_attributions_only() -> None:
    text = "The senator, who faces re-election, has long argued for lower taxes."
    with_models = analyze(text).attributions
    rules = analyze(text, detectors=RULE_DETECTORS).attributions
    assert len(rules) <= len(with_models)


@pytest.mark.skipif(not (SHARED / "data" / "polnear").is_dir(), reason="../shared absent")
def test_polnear_reader_on_the_shared_copy() -> None:
    arts = read_polnear(SHARED / "data" / "polnear" / "dev")
    assert len(arts) >= 50
    a = arts[0]
    for s, e in a.spans("cue")[:20]:
        assert 0 <= s < e <= len(a.text)


def test_tiny_attribution_training_is_deterministic(tmp_path: Path) -> None:
    from rhetoric.training.attribution import AttributionConfig, train_attribution

    arts = []
    for k, name in enumerate(["Smith", "Jones", "Brown", "Green"]):
        text = (
            f"Officials said the plan failed. {name} told reporters he was sorry. "
            f"The mayor believes the budget is too small, {name} added."
        )
        root = tmp_path / f"pn{k}"
        (root / "text").mkdir(parents=True)
        (root / "attributions").mkdir()
        (root / "text" / f"a{k}.txt").write_text(text, encoding="utf-8")
        s = text.index(name)
        told = text.index("told")
        said = text.index("said")
        ann = (
            f"T1\tSource 0 9\tOfficials\nT2\tCue {said} {said + 4}\tsaid\n"
            f"E1\tAttribution:T2 Cue:T2 Source:T1\n"
            f"T3\tSource {s} {s + len(name)}\t{name}\nT4\tCue {told} {told + 4}\ttold\n"
            f"E2\tAttribution:T4 Cue:T4 Source:T3\n"
        )
        (root / "attributions" / f"a{k}_x.ann").write_text(ann, encoding="utf-8")
        arts += read_polnear(root)
    cfg = AttributionConfig()
    cfg.min_count = 1
    m1, cv1 = train_attribution(arts, folds=2, cfg=cfg)
    m2, _ = train_attribution(arts, folds=2, cfg=cfg)
    assert m1["cue"].to_json() == m2["cue"].to_json()
    assert m1["source"].to_json() == m2["source"].to_json()
    assert 0.0 <= cv1["cue"]["f1"] <= 1.0


def test_attribution_content_is_cut_after_150_words() -> None:
    # an unpunctuated text must not give every cue the rest of the document
    from rhetoric.attribution.rules import MAX_CONTENT_WORDS, content_text

    text = "The minister said " + " ".join(f"w{i}" for i in range(400))
    doc = Document(text)
    start = text.index("w0")
    c = content_text(doc, start, len(text))
    assert c.text == " ".join(f"w{i}" for i in range(MAX_CONTENT_WORDS))
    assert (c.start, c.end) == (start, start + len(c.text))
    short = content_text(doc, start, text.index(" w3 "))
    assert short.text == "w0 w1 w2"
