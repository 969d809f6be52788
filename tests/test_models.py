"""Trained models: metrics, readable model files, decoding, the merge policy,
training end to end on our own corpus, and the train/evaluate/ptc commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rhetoric import analyze
from rhetoric.cli import app
from rhetoric.core.document import Document
from rhetoric.core.labels import category_of
from rhetoric.core.report import Finding
from rhetoric.evaluation.metrics import merge_spans, si_scores, tc_micro_f1
from rhetoric.io.datasets import GoldSpan, read_babe
from rhetoric.models.linear import LinearModel, ModelFileError, MulticlassModel
from rhetoric.models.ptc import calibrate, predict_spans
from rhetoric.models.spans import decode_spans, token_labels
from rhetoric.models.store import MODEL_FILES, load_bundle_from, models_dir
from rhetoric.pipeline.overlap import merge_model_findings, resolve_overlaps
from rhetoric.training.estimators import FeatureLogReg
from rhetoric.training.run import TrainingError, run_training

from .conftest import CORPUS, SHARED

runner = CliRunner()

ARTICLE = (
    "Traitors Sell Out the Nation\n\n"
    "The corrupt elite have betrayed every patriot in this great country.\n"
    "They will stop at nothing to destroy our way of life.\n"
    "The council met on Tuesday and approved the budget.\n"
)


# -- metrics ---------------------------------------------------------------


def test_merge_spans_unions_overlaps() -> None:
    assert merge_spans([(5, 9), (0, 3), (2, 4), (9, 12)]) == [(0, 4), (5, 12)]


def test_si_scores_partial_overlap_definition() -> None:
    # gold [0,10); prediction [5,15): |s&t| = 5, P = 5/10, R = 5/10
    r = si_scores({"a": [(5, 15)]}, {"a": [(0, 10)]})
    assert r["precision"] == pytest.approx(0.5)
    assert r["recall"] == pytest.approx(0.5)
    assert r["f1"] == pytest.approx(0.5)
    # a prediction covering two gold spans gets recall credit for both
    r = si_scores({"a": [(0, 20)]}, {"a": [(0, 5), (15, 20)]})
    assert r["recall"] == pytest.approx(1.0)
    assert r["precision"] == pytest.approx(0.5)
    assert si_scores({"a": []}, {"a": [(0, 5)]})["f1"] == 0.0


def test_tc_micro_f1_is_accuracy_over_spans() -> None:
    r = tc_micro_f1(["Doubt", "Slogans", "Doubt"], ["Doubt", "Doubt", "Doubt"])
    assert r["micro_f1"] == pytest.approx(2 / 3)
    assert r["per_class"]["Doubt"]["precision"] == pytest.approx(2 / 3)
    assert r["per_class"]["Slogans"]["recall"] == 0.0


def test_category_of_maps_ptc_techniques() -> None:
    assert category_of("Name_Calling,Labeling") == "loaded_language"
    assert category_of("Exaggeration,Minimisation") == "loaded_language"
    assert category_of("Doubt") == "propaganda"


# -- spans -----------------------------------------------------------------


def test_token_labels_and_decode_round_trip() -> None:
    doc = Document("They are corrupt liars and cowards. The vote is on Monday.")
    y = token_labels(doc, [(9, 22)])  # "corrupt liars"
    assert [w.norm for w, v in zip(doc.words, y, strict=True) if v] == ["corrupt", "liars"]
    spans = decode_spans(doc, [float(v) for v in y], 0.5, max_gap=0)
    assert [(s, e) for s, e, _ in spans] == [(9, 22)]
    assert doc.text[9:22] == "corrupt liars"


def test_decode_bridges_gaps_but_not_sentences() -> None:
    doc = Document("Vile and evil men. Cruel people.")
    probs = [0.9, 0.1, 0.9, 0.1, 0.9, 0.9]  # Vile and evil men | Cruel people
    spans = decode_spans(doc, probs, 0.5, max_gap=1)
    assert [doc.text[s:e] for s, e, _ in spans] == ["Vile and evil", "Cruel people"]
    spans = decode_spans(doc, probs, 0.5, max_gap=0)
    assert [doc.text[s:e] for s, e, _ in spans] == ["Vile", "evil", "Cruel people"]


def test_decode_hysteresis_needs_a_seed_word() -> None:
    doc = Document("Vile and evil men. Cruel people.")
    probs = [0.9, 0.3, 0.4, 0.1, 0.4, 0.4]
    spans = decode_spans(doc, probs, 0.3, max_gap=0, seed=0.8)
    # "Vile and evil" is seeded by "Vile"; "Cruel people" has no seed word
    assert [doc.text[s:e] for s, e, _ in spans] == ["Vile and evil"]
    assert spans[0][2] == pytest.approx((0.9 + 0.3 + 0.4) / 3)


def test_calibration_curve_interpolates_and_clips() -> None:
    curve = [[0.2, 0.1], [0.6, 0.5], [0.9, 0.9]]
    assert calibrate(0.4, curve) == pytest.approx(0.3)
    assert calibrate(0.0, curve) == pytest.approx(0.1)
    assert calibrate(1.0, curve) == pytest.approx(0.9)


# -- model files ----------------------------------------------------------


def test_linear_model_json_round_trip() -> None:
    m = LinearModel({"w=vile": 2.0, "w=the": -0.5}, -1.0, 0.3, {"data": "x"})
    back = LinearModel.from_json(json.loads(json.dumps(m.to_json())))
    assert back.proba(["w=vile"]) == pytest.approx(m.proba(["w=vile"]))
    assert back.threshold == 0.3
    mc = MulticlassModel(["A", "B"], {"f": [1.0, -1.0]}, [0.0, 0.0])
    back2 = MulticlassModel.from_json(json.loads(json.dumps(mc.to_json())))
    assert back2.predict(["f"])[0] == "A"


@pytest.mark.parametrize("weighting", ["nb", "tfidf"])
def test_weighted_logreg_exports_the_same_probabilities(weighting: str) -> None:
    # NB-LR folds its ratios into the weights; TF-IDF keeps the idf of every
    # vocabulary feature to normalise each row as training did. Either way the
    # shipped plain-Python model (distinct features, as ptc.sentence_probs
    # gives them) scores like scikit-learn.
    X = [["w=vile", "w=the", "w=the"], ["w=evil", "w=a"], ["w=table", "w=the"], ["w=chair"]] * 3
    X += [["w=vile", "w=evil", "w=chair"], ["w=a", "w=table"]]
    y = [1, 1, 0, 0] * 3 + [1, 0]
    est = FeatureLogReg(C=1.0, min_count=1, prune=0.0, weighting=weighting).fit(X, y)
    m = LinearModel.from_json(json.loads(json.dumps(est.export().to_json())))
    assert (m.scales is not None) == (weighting == "tfidf")
    for row, p in zip(X, est.predict_proba(X)[:, 1], strict=True):
        assert m.proba(list(dict.fromkeys(row))) == pytest.approx(p, abs=1e-4)
    assert m.proba(["w=unseen"]) == pytest.approx(est.predict_proba([["w=unseen"]])[0, 1], abs=1e-4)
    with pytest.raises(ValueError, match="binary problem"):
        FeatureLogReg(weighting=weighting, min_count=1).fit(X[:3], ["a", "b", "c"])


def test_model_file_errors_are_clear() -> None:
    with pytest.raises(ModelFileError, match="not a rhetoric-linear"):
        LinearModel.from_json({"format": "pickle"})
    obj = LinearModel({}, 0.0).to_json()
    obj["format_version"] = 99
    with pytest.raises(ModelFileError, match="format version"):
        LinearModel.from_json(obj)


def test_shipped_models_are_readable_data() -> None:
    total = 0
    for bundle, files in MODEL_FILES.items():
        for name in files.values():
            path = models_dir() / name
            assert path.is_file(), f"{name} not shipped"
            total += path.stat().st_size
            obj = json.loads(path.read_text(encoding="utf-8"))
            assert obj["format"] == "rhetoric-linear"
            meta = obj["meta"]
            assert meta["data"]["license"], name
            assert meta["date"] and meta["trained_with"].startswith("rhetoric")
            assert "cv" in meta
        assert load_bundle_from(models_dir(), bundle) is not None
    assert total <= 25 * 1024 * 1024
    assert not list(models_dir().glob("*.pkl")) and not list(models_dir().glob("*.pickle"))


def test_feature_logreg_follows_sklearn_contract() -> None:
    from sklearn.base import clone

    est = FeatureLogReg(C=10.0, min_count=1)
    assert clone(est).get_params()["C"] == 10.0
    X = [["w=vile"], ["w=evil"], ["w=table"], ["w=chair"]] * 3
    y = [1, 1, 0, 0] * 3
    est.fit(X, y)
    m = est.export()
    assert m.proba(["w=vile"]) > 0.5 > m.proba(["w=chair"])
    assert est.predict([["w=evil"]])[0] == 1


# -- merge policy ----------------------------------------------------------


def _f(start: int, end: int, conf: float, detector: str, cat: str = "loaded_language") -> Finding:
    return Finding(start, end, "x" * (end - start), cat, "lab", conf, detector, "why")


def test_model_finding_overlapping_rule_becomes_its_support() -> None:
    # the rule finding keeps its span and confidence; the model's agreement is
    # recorded as support for calibration, not copied over as a verdict
    rule = _f(10, 15, 0.4, "loaded_language.emotive")
    model = _f(5, 20, 0.7, "ptc_model.loaded_language")
    other = _f(30, 40, 0.6, "ptc_model.loaded_language")
    elsewhere = _f(12, 14, 0.9, "ptc_model.propaganda", "propaganda")
    out, support = merge_model_findings([rule, model, other, elsewhere])
    kept = {
        (f.start, f.end, f.detector, f.category): (f.confidence, s)
        for f, s in zip(out, support, strict=True)
    }
    assert kept[(10, 15, "loaded_language.emotive", "loaded_language")] == (0.4, 0.7)
    assert (5, 20, "ptc_model.loaded_language", "loaded_language") not in kept
    assert kept[(30, 40, "ptc_model.loaded_language", "loaded_language")] == (0.6, 0.0)
    assert (12, 14, "ptc_model.propaganda", "propaganda") in kept  # other category: not merged
    assert len(resolve_overlaps([rule, model])) == 1


# -- the models in the pipeline --------------------------------------------


def test_models_join_the_report_with_valid_offsets() -> None:
    report = analyze(ARTICLE, "a")
    for f in report.findings:
        assert ARTICLE[f.start : f.end] == f.text
        assert 0.0 <= f.confidence <= 1.0
    ptc = [f for f in report.findings if f.detector.startswith("ptc_model")]
    from rhetoric.core.labels import PTC_TECHNIQUES

    assert all(f.label in PTC_TECHNIQUES for f in ptc)
    assert len(report.sentence_scores) == len(Document(ARTICLE).sentences)
    d = report.to_dict()
    assert {"start", "end", "propaganda", "bias"} <= set(d["sentence_scores"][0])
    # the charged sentences read as more propagandistic than the council minute
    probs = [s.propaganda for s in report.sentence_scores]
    assert max(probs[1:3]) > probs[3]
    # only the categories asked for are scored per sentence
    hedged = analyze(ARTICLE, "a", categories=["hedging"]).sentence_scores
    assert [s.uncertainty for s in hedged] == [s.uncertainty for s in report.sentence_scores]
    assert all(s.propaganda is None and s.bias is None for s in hedged)
    loaded = analyze(ARTICLE, "a", categories=["loaded_language"]).sentence_scores
    assert [s.propaganda for s in loaded] == probs
    assert all(s.uncertainty is None and s.bias is not None for s in loaded)


def test_no_models_flag_gives_rule_findings_only(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_text(ARTICLE, encoding="utf-8")
    r = runner.invoke(app, ["score", "--no-models", "-f", "json", str(p)])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert not [
        f for f in d["findings"] if f["detector"].split(".")[0] in ("ptc_model", "bias_model")
    ]
    assert d["sentence_scores"] == []


def test_model_predictions_are_deterministic() -> None:
    bundle = load_bundle_from(models_dir(), "ptc")
    a = predict_spans(Document(ARTICLE), bundle)
    b = predict_spans(Document(ARTICLE), bundle)
    assert a == b


# -- training end to end -----------------------------------------------------


def test_train_tiny_model_from_own_corpus(tmp_path: Path) -> None:
    written, cv = run_training("corpus", CORPUS, tmp_path, folds=3, log=lambda m: None)
    names = {p.name for p in written}
    assert {"ptc_sentence.json", "ptc_token.json", "ptc_technique.json", "ptc_cv.json"} <= names
    assert 0.0 <= cv["si"]["f1"] <= 1.0 and cv["folds"] == 3
    bundle = load_bundle_from(tmp_path, "ptc")
    assert bundle is not None
    meta = bundle["token"].meta
    assert meta["data"]["name"].startswith("rhetoric's own")
    doc = Document(ARTICLE)
    for p in predict_spans(doc, bundle):
        assert 0 <= p.start < p.end <= len(ARTICLE)
    # deterministic: training twice writes identical weights
    again = tmp_path / "again"
    run_training("corpus", CORPUS, again, folds=3, log=lambda m: None)
    for name in ("ptc_token.json", "ptc_technique.json"):
        a = json.loads((tmp_path / name).read_text())
        b = json.loads((again / name).read_text())
        assert a["weights"] == b["weights"] and a["features"] == b["features"]


def test_train_missing_data_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(TrainingError, match="not found"):
        run_training("ptc", tmp_path / "nope", tmp_path, 5, log=lambda m: None)
    r = runner.invoke(
        app, ["train", "babe", "--data", str(tmp_path / "nope.csv"), "-o", str(tmp_path)]
    )
    assert r.exit_code == 2
    assert "not found" in r.stderr and "Traceback" not in r.output


# -- PTC and BABE commands on our own small files ------------------------------


@pytest.fixture
def ptc_folder(tmp_path: Path) -> Path:
    d = tmp_path / "articles"
    d.mkdir()
    (d / "article9001.txt").write_text(ARTICLE, encoding="utf-8")
    (d / "article9002.txt").write_text(
        "Budget Approved\n\nThe council approved the budget on Tuesday.\n", encoding="utf-8"
    )
    s = ARTICLE.index("corrupt elite")
    (tmp_path / "dev-task2-TC.labels").write_text(
        f"9001\tName_Calling,Labeling\t{s}\t{s + 13}\n9001\tLoaded_Language\t{s}\t{s + 13}\n",
        encoding="utf-8",
    )
    return tmp_path


def test_ptc_predict_prints_semeval_lines(ptc_folder: Path) -> None:
    r = runner.invoke(app, ["ptc", "predict", str(ptc_folder / "articles")])
    assert r.exit_code == 0, r.output
    from rhetoric.core.labels import PTC_TECHNIQUES

    for line in r.stdout.splitlines():
        aid, tech, s, e = line.split("\t")
        assert aid in ("9001", "9002") and tech in PTC_TECHNIQUES
        assert 0 <= int(s) < int(e)


def test_ptc_predict_template_fills_techniques_in_order(ptc_folder: Path, tmp_path: Path) -> None:
    s = ARTICLE.index("corrupt elite")
    t = tmp_path / "template.txt"
    t.write_text(f"9001\t?\t{s}\t{s + 13}\n9001\t?\t{s}\t{s + 13}\n9001\t?\t0\t8\n")
    r = runner.invoke(app, ["ptc", "predict", str(ptc_folder / "articles"), "--template", str(t)])
    assert r.exit_code == 0, r.output
    rows = [line.split("\t") for line in r.stdout.splitlines()]
    assert [(a, int(b), int(c)) for a, _, b, c in rows] == [
        ("9001", s, s + 13),
        ("9001", s, s + 13),
        ("9001", 0, 8),
    ]
    assert rows[0][1] != rows[1][1]  # a span listed twice gets two different techniques
    bad = tmp_path / "bad.txt"
    bad.write_text("9001\t?\tx\t8\n")
    r = runner.invoke(app, ["ptc", "predict", str(ptc_folder / "articles"), "--template", str(bad)])
    assert r.exit_code == 2 and "bad.txt:1" in r.stderr


def test_evaluate_ptc_folder_reports_semeval_metrics(ptc_folder: Path) -> None:
    r = runner.invoke(app, ["evaluate", str(ptc_folder)])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["articles"] == 2
    assert {"precision", "recall", "f1"} <= set(d["si"])
    assert 0.0 <= d["tc_micro_f1"] <= 1.0
    assert "Name_Calling,Labeling" in d["tc_per_class"]


def test_evaluate_babe_csv(tmp_path: Path) -> None:
    p = tmp_path / "mini.csv"
    p.write_text(
        "text,label_bias,biased_words\n"
        '"The corrupt, lying elite sneered at hard-working families again.",Biased,'
        "\"['corrupt', 'lying', 'sneered']\"\n"
        '"The council approved the budget on Tuesday.",Non-biased,[]\n',
        encoding="utf-8",
    )
    exs = read_babe(p)
    assert exs[0].spans[0] == GoldSpan(4, 11, "biased")
    r = runner.invoke(app, ["evaluate", str(p)])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["sentences"] == 2 and 0.0 <= d["macro_f1_report"] <= 1.0


@pytest.mark.skipif(not (SHARED / "data" / "ptc-semeval2020").is_dir(), reason="no ../shared")
def test_shared_ptc_adapter_reads_offsets_exactly() -> None:
    from rhetoric.io.datasets import read_ptc

    exs = read_ptc(SHARED / "data" / "ptc-semeval2020", "TC")
    assert len(exs) == 371
    assert sum(len(e.spans) for e in exs) == 6129
    for e in exs[:20]:
        for s in e.spans:
            assert 0 <= s.start < s.end <= len(e.text)


def test_a_repeated_feature_counts_once_as_in_training() -> None:
    # FeatureLogReg trains on a 0/1 matrix; scoring must not count "w=the"
    # twice because "the" occurs twice in the sentence
    m = LinearModel({"a": 1.0, "b": -0.5}, 0.25)
    assert m.decision(["a", "a", "b", "c"]) == m.decision(["a", "b"]) == 0.75
    assert m.probas([["a"]], [["b"]]) == [m.proba(["a", "b", "a"])]
    # the word features, which probas scores without removing repeats, hold none
    from rhetoric.models.features import token_features

    doc = Document(ARTICLE + " Slammed, vile, shameful, disgraceful thugs.")
    for row in token_features(doc):
        assert len(row) == len(set(row))
    mc = MulticlassModel(["x", "y"], {"a": [1.0, 0.0]}, [0.0, 0.0])
    assert mc.proba(["a", "a"]) == mc.proba(["a"])
