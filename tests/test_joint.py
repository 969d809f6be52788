"""The joint scorer gives every model's probabilities bit for bit as the
plain-Python reference (``LinearModel.probas`` / ``proba``) does."""

from __future__ import annotations

import json

import numpy as np
import pytest

from rhetoric.core.document import Document
from rhetoric.models.apply import sentence_probabilities, token_probabilities
from rhetoric.models.attribution import attribution_extra_features
from rhetoric.models.features import sentence_features, token_features
from rhetoric.models.joint import JointScorer
from rhetoric.models.linear import LinearModel
from rhetoric.models.ptc import sentence_probs, token_probs
from rhetoric.models.store import SENTENCE_MODELS, TOKEN_MODELS, load_bundle

from .conftest import CORPUS


def _models(roles: tuple[tuple[str, str], ...]) -> list[LinearModel]:
    out = [(load_bundle(b) or {}).get(r) for b, r in roles]
    return [m for m in out if isinstance(m, LinearModel)]


def agree(text: str) -> int:
    """Check every joint-scored probability of ``text`` against the reference;
    returns how many were compared."""
    doc = Document(text)
    rows = token_features(doc)
    n = 0
    for m in _models(TOKEN_MODELS):
        assert token_probabilities(doc, m) == m.probas(rows)
        n += len(rows)
    attribution = load_bundle("attribution")
    if attribution:
        extra = attribution_extra_features(doc)
        for m in (attribution["cue"], attribution["source"]):
            assert token_probabilities(doc, m, extra) == m.probas(rows, extra)
    sents = [s for s in doc.sentences if doc.word_count(s)]
    for m in _models(SENTENCE_MODELS):
        probs = sentence_probabilities(doc, m)
        assert probs == [
            m.proba(sentence_features(doc, s)) if doc.word_count(s) else 0.0 for s in doc.sentences
        ]
        n += len(sents)
    ptc = load_bundle("ptc")
    if ptc:  # the stacked token model: the joint sums, then its two tails
        from rhetoric.models.ptc import stacked_token_features

        sp = sentence_probs(doc, ptc)
        assert token_probs(doc, ptc) == ptc["token"].probas(stacked_token_features(doc, sp))
    return n


@pytest.mark.skipif(load_bundle("ptc") is None, reason="no shipped models")
def test_joint_probabilities_are_the_reference_floats() -> None:
    texts = [json.loads(x)["text"] for x in CORPUS.read_text(encoding="utf-8").splitlines()]
    article = "\n\n".join(texts)
    assert agree(article) > 10_000
    for t in texts[:20]:
        agree(t)


def test_joint_sums_add_in_the_reference_order() -> None:
    """Weights chosen so that the order of addition changes the float."""
    a = LinearModel({"x": 1e16, "y": 1.0, "z": -1e16, "u": 0.5}, 0.0)
    b = LinearModel({"y": 3.0, "v": 1e-3}, -1.0)
    scorer = JointScorer([a, b])
    rows = [["x", "y", "z"], ["z", "y", "x", "u"], [], ["nothing", "v"], ["y"]]
    sums = scorer.sums(rows)
    assert sums.shape == (5, 2) and sums.dtype == np.float64
    for m in (a, b):
        assert scorer.probabilities(sums, m) == m.probas(rows)
        tails = [["u"], ["x"], ["v", "y"], [], ["z", "x"]]
        assert scorer.probabilities(sums, m, tails) == m.probas(rows, tails)


def test_a_tfidf_model_is_refused() -> None:
    with pytest.raises(ValueError, match="TF-IDF"):
        JointScorer([LinearModel({"x": 1.0}, 0.0, scales={"x": 1.0})])


def test_compiled_files_are_derived_from_the_shipped_json(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The shipped compact files are current (each source's SHA-256), and
    compiling again gives the same files, byte for byte."""
    import hashlib
    import shutil

    from rhetoric.models.joint import MANIFEST, read_manifest_file
    from rhetoric.models.store import COMPILED_MODELS, JOINT_GROUPS, MODEL_FILES, models_dir
    from rhetoric.training.compile import compile_models

    folder = models_dir()
    manifest = read_manifest_file(folder)
    if manifest is None:
        pytest.skip("no compiled models in this installation")
    assert set(manifest["groups"]) == set(JOINT_GROUPS)
    singles = manifest["models"]
    assert {(e["bundle"], e["role"]) for e in singles.values()} == set(COMPILED_MODELS)
    entries = [*manifest["groups"].values(), *singles.values()]
    for e in [m for g in manifest["groups"].values() for m in g["models"]] + list(singles.values()):
        data = (folder / e["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == e["sha256"], (
            f"{e['file']} changed: run python -m rhetoric.training.compile"
        )
    for name in {n for files in MODEL_FILES.values() for n in files.values()}:
        shutil.copy(folder / name, tmp_path / name)
    compile_models(tmp_path)
    assert (tmp_path / MANIFEST).read_bytes() == (folder / MANIFEST).read_bytes()
    for entry in entries:
        for key in ("features", "hashes", "offsets", "weights"):
            assert (tmp_path / entry[key]).read_bytes() == (folder / entry[key]).read_bytes()


def test_shipped_models_are_scored_by_the_compiled_scorer() -> None:
    from rhetoric.models.joint import read_manifest
    from rhetoric.models.linear import DeferredLinearModel
    from rhetoric.models.store import compiled_scorer, models_dir

    if read_manifest(models_dir()) is None:
        pytest.skip("no compiled models in this installation")
    models = _models(TOKEN_MODELS)
    assert all(isinstance(m, DeferredLinearModel) for m in models)
    scorer = compiled_scorer("token", models)
    assert scorer is not None
    # a view of the memory-mapped file, not a copy
    assert not scorer.weights.flags.owndata and isinstance(scorer.weights.base, np.memmap)
    # a fold model in place of a shipped one is joined from its weights
    other = [*models[:-1], LinearModel(dict(models[-1].weights), models[-1].intercept)]
    assert compiled_scorer("token", other) is None


def _crc_collision() -> tuple[str, str]:
    """Two feature strings with one CRC-32 (a birthday search: well under a second)."""
    import zlib

    seen: dict[int, str] = {}
    i = 0
    while True:
        s = f"w=x{i}"
        h = zlib.crc32(s.encode())
        if h in seen:
            return seen[h], s
        seen[h] = s
        i += 1


def test_hashed_vocabulary_compares_the_text_not_only_the_hash(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from rhetoric.models.joint import load_joint
    from rhetoric.training.compile import compile_models

    a, b = _crc_collision()
    m1 = LinearModel({a: 1.0, "w=the": 0.25, "lex=é": -0.5}, 0.0)
    m2 = LinearModel({"w=the": 2.0, "b=x|y": 0.125}, -1.0)
    # a folder that looks like a models folder holding just these two roles
    from rhetoric.models.store import MODEL_FILES, save_model

    save_model(m1, tmp_path / MODEL_FILES["babe"]["sentence"])
    save_model(m2, tmp_path / MODEL_FILES["babe"]["opinion"])
    save_model(LinearModel({"w=a": 1.0}, 0.0), tmp_path / MODEL_FILES["ptc"]["sentence"])
    compile_models(tmp_path)
    from rhetoric.models.joint import read_manifest

    entry = (read_manifest(tmp_path) or {})["sentence"]
    vocab, weights = load_joint(tmp_path, entry)
    pad = len(vocab)
    ids = vocab.ids([a, b, "w=the", "lex=é", "unknown", a], pad).tolist()
    assert ids[1] == pad and ids[4] == pad and ids[0] == ids[5] != pad
    assert weights[ids[0]].tolist() == [0.0, 1.0, 0.0]  # ptc sentence, babe sentence, opinion
    assert weights[ids[2]].tolist() == [0.0, 0.25, 2.0]
    assert sorted(vocab.features()) == sorted({a, "w=the", "lex=é", "b=x|y", "w=a"})


@pytest.mark.skipif(load_bundle("ptc") is None, reason="no shipped models")
def test_compiled_single_models_give_the_reference_floats() -> None:
    """The TF-IDF, technique and hedging models scored from compiled weights
    give exactly what their JSON weights give, on real feature rows."""
    from rhetoric.models.features import span_features
    from rhetoric.models.linear import MulticlassModel, load_json
    from rhetoric.models.store import COMPILED_MODELS, MODEL_FILES, models_dir

    texts = [json.loads(x)["text"] for x in CORPUS.read_text(encoding="utf-8").splitlines()]
    doc = Document("\n\n".join(texts[:30]))
    rows = [sentence_features(doc, s) for s in doc.sentences if doc.word_count(s)]
    rows += [
        span_features(doc, w.start, doc.words[i + 2].end) for i, w in enumerate(doc.words[:-2:7])
    ]
    rows += [[], ["no such feature"], rows[0] + rows[0]]  # empty, unknown, repeated
    compared = 0
    for bundle, role in COMPILED_MODELS:
        shipped = (load_bundle(bundle) or {})[role]
        obj = load_json(models_dir() / MODEL_FILES[bundle][role])
        if isinstance(shipped, MulticlassModel):
            ref_m = MulticlassModel.from_json(obj)
            assert [shipped.proba(r) for r in rows] == [ref_m.proba(r) for r in rows]
        else:
            ref = LinearModel.from_json(obj)
            assert [shipped.proba(r) for r in rows] == [ref.proba(r) for r in rows]
        compared += len(rows)
    assert compared > 1000


def _id_rows_match(doc: Document, scorer: JointScorer) -> int:
    from rhetoric.models.features import token_parts
    from rhetoric.models.joint import token_id_grid

    grid = token_id_grid(token_parts(doc), scorer.vocab, scorer.pad).tolist()
    rows = token_features(doc)
    assert len(grid) == len(rows)
    for ids, row in zip(grid, rows, strict=True):
        mapped = scorer.vocab.ids(row, scorer.pad).tolist()
        assert [i for i in ids if i != scorer.pad] == [i for i in mapped if i != scorer.pad]
    return len(rows)


def test_token_ids_are_the_mapped_feature_strings() -> None:
    """The id grid built from the feature parts holds, row by row and in
    order, the ids of ``token_features``' strings (pads aside)."""
    texts = [json.loads(x)["text"] for x in CORPUS.read_text(encoding="utf-8").splitlines()]
    models = [LinearModel({"w=the": 1.0, "first": 2.0, "lex=loaded": 0.5}, 0.0)]
    if load_bundle("ptc") is not None:
        models = _models(TOKEN_MODELS)
    scorer = JointScorer(models)
    n = _id_rows_match(Document("\n\n".join(texts)), scorer)
    for t in ["", "One.", "Two words", '"Quoted," he said. Again again again.', *texts[:10]]:
        n += _id_rows_match(Document(t), scorer)
    assert n > 5000


def test_lone_surrogates_and_odd_characters_score_as_the_reference() -> None:
    """A badly decoded page (lone surrogates, NUL) is scored, as the JSON
    models score it: such a feature is in no vocabulary."""
    from rhetoric.pipeline.analyze import analyze

    text = 'The \ud800official said the "plan" is a \udfff disaster.\x00 Critics say it may fail.'
    assert analyze(text).to_dict()["findings"] is not None
    if load_bundle("ptc") is not None:
        agree(text)


def test_fold_models_on_one_document_never_get_another_models_sums() -> None:
    """Fold models come and go (ids are reused); each gets its own sums."""
    from rhetoric.models.apply import word_probabilities
    from rhetoric.models.store import using_bundle

    babe = load_bundle("babe")
    if babe is None:
        pytest.skip("no shipped models")
    texts = [json.loads(x)["text"] for x in CORPUS.read_text(encoding="utf-8").splitlines()]
    doc = Document(" ".join(texts[:5]))
    rows = token_features(doc)
    base = dict(babe["word"].weights)
    for k in range(12):
        word = LinearModel({f: w * (1 + k / 10) for f, w in base.items()}, -0.5 + k / 10)
        models = {"sentence": babe["sentence"], "word": word, "opinion": babe["opinion"]}
        with using_bundle("babe", models):
            assert word_probabilities(doc, word) == word.probas(rows)
        del word, models


def test_compiled_files_that_do_not_fit_are_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from rhetoric.models.joint import load_joint, read_manifest
    from rhetoric.models.store import MODEL_FILES, save_model
    from rhetoric.training.compile import compile_models

    for (b, r), w in {
        ("ptc", "sentence"): 1.0,
        ("babe", "sentence"): 2.0,
        ("babe", "opinion"): 3.0,
    }.items():
        save_model(LinearModel({"w=a": w, "w=b": -w}, 0.0), tmp_path / MODEL_FILES[b][r])
    compile_models(tmp_path)
    entry = (read_manifest(tmp_path) or {})["sentence"]
    load_joint(tmp_path, entry)  # fits
    path = tmp_path / entry["features"]
    path.write_bytes(path.read_bytes()[:-3])  # truncated
    with pytest.raises(ValueError, match="does not fit"):
        load_joint(tmp_path, entry)


def test_a_json_model_edited_after_compiling_is_read_from_json(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Same size, another threshold: the compiled files are not current."""
    from rhetoric.models.store import _current

    path = tmp_path / "m.json"
    path.write_text('{"threshold":0.35}', encoding="utf-8")
    import hashlib

    entry = {"file": "m.json", "bytes": 18, "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
    assert _current(tmp_path, entry)
    path.write_text('{"threshold":0.95}', encoding="utf-8")
    assert not _current(tmp_path, entry)


def test_an_empty_feature_name_is_refused() -> None:
    with pytest.raises(ValueError, match="empty feature"):
        JointScorer([LinearModel({"": 1.0}, 0.0)])


def test_analysis_reads_no_json_weights(monkeypatch: pytest.MonkeyPatch) -> None:
    """With compiled files, an analysis never parses a large JSON model (the
    deferred models' weights are read only by training tools and tests)."""
    from rhetoric.models import linear
    from rhetoric.models.joint import read_manifest
    from rhetoric.models.store import MODEL_FILES, models_dir
    from rhetoric.pipeline.analyze import analyze

    if read_manifest(models_dir()) is None:
        pytest.skip("no compiled models in this installation")
    for bundle in MODEL_FILES:
        load_bundle(bundle)

    def refuse(path):  # type: ignore[no-untyped-def]
        raise AssertionError(f"read {path}")

    monkeypatch.setattr(linear, "load_json", refuse)
    texts = [json.loads(x)["text"] for x in CORPUS.read_text(encoding="utf-8").splitlines()]
    for t in ["\n\n".join(texts), *texts[:40]]:
        analyze(t)
