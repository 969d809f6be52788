"""The project's own annotated corpus: valid offsets and labels, and what the
detectors achieve on it (measured on the test split, reported by
``rhetoric evaluate corpora/passages.jsonl --split test``)."""

from __future__ import annotations

import json

import pytest

from rhetoric.core.glossary import load_glossary
from rhetoric.detectors import RULE_DETECTORS
from rhetoric.evaluation.corpus import evaluate_corpus
from rhetoric.io.corpus import CorpusError, read_corpus, validate_record

from .conftest import CORPUS

LABELS = {
    "loaded_language": {
        "emotive",
        "name_calling",
        "war_metaphor",
        "crime_metaphor",
        "idiom",
        "exaggeration",
        "so_called",
        "scare_quotes",
    },
    "hedging": {
        "epistemic_modal",
        "speculative",
        "doxastic",
        "investigation",
        "appearance",
        "prediction",
        "conditional",
    },
    "attribution": {"anonymous_source", "vague_attribution", "rumor", "self_citation"},
    "propaganda": {k for k, v in load_glossary().items() if v["category"] == "propaganda"},
}


def records() -> list[dict]:
    return list(read_corpus(CORPUS))


def test_corpus_is_valid_and_varied() -> None:
    recs = records()
    assert len(recs) >= 40
    assert len({r["id"] for r in recs}) == len(recs)
    neutral = [r for r in recs if not r["spans"]]
    assert len(neutral) >= 7
    assert len({r["register"] for r in recs}) >= 8
    for r in recs:
        assert r["split"] in ("dev", "test")
        seen = set()
        for s in r["spans"]:
            assert s["label"] in LABELS[s["category"]], (r["id"], s)
            phrase = r["text"][s["start"] : s["end"]]
            assert phrase == phrase.strip() and phrase, (r["id"], s)
            key = (s["start"], s["end"], s["category"])
            assert key not in seen
            seen.add(key)


@pytest.mark.parametrize(
    ("obj", "message"),
    [
        ([], "expected a JSON object"),
        (
            {
                "id": "x",
                "text": "abc",
                "spans": [{"start": 2, "end": 9, "category": "hedging", "label": "x"}],
            },
            "bad offsets",
        ),
        (
            {
                "id": "x",
                "text": "abc",
                "spans": [{"start": 0, "end": 1, "category": "spin", "label": "x"}],
            },
            "unknown category",
        ),
        ({"id": "x", "text": "abc"}, "'spans' must be a list"),
    ],
)
def test_validator_rejects(obj: object, message: str) -> None:
    with pytest.raises(CorpusError, match=message):
        validate_record(obj, "t.jsonl:1")


def test_glossary_examples_come_from_the_corpus() -> None:
    texts = {r["id"]: " ".join(r["text"].split()) for r in records()}
    for label, entry in load_glossary().items():
        ex = entry["example"]
        assert ex, f"{label} has no example"
        plain = ex["text"].replace("[", "").replace("]", "")
        assert plain in texts[ex["corpus_id"]], label


def test_neutral_controls_stay_quiet() -> None:
    """Wire-style controls: at most one may have its writer flagged (a finding
    >= 0.5 the scores count); a source's reported hedge ("could still bring",
    "may have") is shown as the source's and may flag one more."""
    sc = evaluate_corpus(r for r in records() if not r["spans"])
    assert sc.neutral >= 7
    assert len(sc.neutral_flagged_writer) <= 1, sc.neutral_flagged_writer
    assert len(sc.neutral_flagged) <= 2, sc.neutral_flagged


def test_recall_floor_on_dev_split() -> None:
    """A regression floor, not the headline figure (that is the test split,
    reported in the README): any-confidence overlap recall on dev passages."""
    sc = evaluate_corpus(read_corpus(CORPUS, "dev"))
    assert sc.recall("hedging") >= 0.90
    assert sc.recall("attribution") >= 0.90
    assert sc.recall("loaded_language") >= 0.85
    # trained models add findings annotators of our passages did not mark
    # (their notion of loaded language is broader), so precision is lower;
    # the hedging caps tuned for WikiWeasel (2026-11-25) cost one more
    # confident hedge here (0.65 -> 0.648)
    assert sc.precision() >= 0.64
    rules = evaluate_corpus(read_corpus(CORPUS, "dev"), detectors=RULE_DETECTORS)
    # calibrated on real news (2026-12), lexicon hedges our annotators left
    # unmarked ("could", "may have" in reported speech) reach 0.5: 0.80 -> 0.77
    assert rules.precision() >= 0.75


def test_corpus_file_is_jsonl(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"id": "a", "text": "t", "spans": []}) + "\n{oops\n")
    with pytest.raises(CorpusError, match=r"bad\.jsonl:2: malformed JSON"):
        list(read_corpus(bad))
