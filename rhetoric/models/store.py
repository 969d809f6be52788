"""Where the shipped models live and how they are loaded: JSON files in
``rhetoric/data/models``, read once per process (they never change).

``using_bundle`` puts other models in place of a shipped bundle for the code
running inside a ``with`` block (cross-validation scripts score held-out folds
with fold models this way); the shipped files are never touched."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal, Protocol, TypedDict, cast, overload

from .linear import (
    DeferredLinearModel,
    DeferredMulticlassModel,
    LinearModel,
    MulticlassModel,
    load_json,
)

__all__ = [
    "COMPILED_MODELS",
    "JOINT_GROUPS",
    "MODEL_FILES",
    "SENTENCE_MODELS",
    "TOKEN_MODELS",
    "AttributionBundle",
    "BabeBundle",
    "Bundle",
    "CalibrationBundle",
    "HedgingBundle",
    "PtcBundle",
    "ScoreBundle",
    "compiled_scorer",
    "load_bundle",
    "models_dir",
    "prepare_for_many_documents",
    "save_model",
    "using_bundle",
]


# The models of each bundle, by role (the keys of MODEL_FILES below).
class _PtcModels(TypedDict):
    sentence: LinearModel
    token: LinearModel
    technique: MulticlassModel


class PtcBundle(_PtcModels, total=False):
    sentence_tfidf: LinearModel  # averaged with ``sentence`` when present


class BabeBundle(TypedDict):
    sentence: LinearModel
    word: LinearModel
    opinion: LinearModel  # P(the sentence voices an opinion), BABE's label_opinion


class HedgingBundle(TypedDict):
    cue: LinearModel
    type: MulticlassModel
    sentence: LinearModel


class AttributionBundle(TypedDict):
    cue: LinearModel
    source: LinearModel


class CalibrationBundle(TypedDict):
    full: LinearModel  # with the trained models' evidence
    rules: LinearModel  # for --no-models: the same judgments, rule evidence only


class ScoreBundle(TypedDict):
    overall: LinearModel  # the overall score's evidence weights (features: evidence names)


Bundle = (
    PtcBundle | BabeBundle | HedgingBundle | AttributionBundle | CalibrationBundle | ScoreBundle
)
BundleName = Literal["ptc", "babe", "hedging", "attribution", "calibration", "score"]

# bundle name -> {role: file}
MODEL_FILES: dict[str, dict[str, str]] = {
    "ptc": {
        "sentence": "ptc_sentence.json",
        "sentence_tfidf": "ptc_sentence_tfidf.json",
        "token": "ptc_token.json",
        "technique": "ptc_technique.json",
    },
    "babe": {
        "sentence": "babe_sentence.json",
        "word": "babe_word.json",
        "opinion": "babe_opinion.json",
    },
    "hedging": {
        "cue": "hedging_cue.json",
        "type": "hedging_type.json",
        "sentence": "hedging_sentence.json",
    },
    "attribution": {"cue": "attribution_cue.json", "source": "attribution_source.json"},
    "calibration": {"full": "calibration_full.json", "rules": "calibration_rules.json"},
    "score": {"overall": "score_overall.json"},
}

# The models that score every word over ``features.token_features`` and every
# sentence over ``features.sentence_features``: each group is scored by one
# ``joint.JointScorer`` (bundle, role).
TOKEN_MODELS: tuple[tuple[str, str], ...] = (
    ("ptc", "token"),
    ("babe", "word"),
    ("hedging", "cue"),
    ("attribution", "cue"),
    ("attribution", "source"),
)
SENTENCE_MODELS: tuple[tuple[str, str], ...] = (
    ("ptc", "sentence"),
    ("babe", "sentence"),
    ("babe", "opinion"),
)
# Shipped models scored on their own, from compiled weights (the TF-IDF
# sentence model, the technique classifier, the hedging sentence and type
# models): no JSON parsed when a process starts.
COMPILED_MODELS: tuple[tuple[str, str], ...] = (
    ("ptc", "sentence_tfidf"),
    ("ptc", "technique"),
    ("hedging", "sentence"),
    ("hedging", "type"),
)
JOINT_GROUPS: dict[str, tuple[tuple[str, str], ...]] = {
    "token": TOKEN_MODELS,
    "sentence": SENTENCE_MODELS,
}


def models_dir() -> Path:
    return Path(str(resources.files("rhetoric") / "data" / "models"))


def _load(obj: dict[str, Any]) -> LinearModel | MulticlassModel:
    kind = obj.get("kind") if isinstance(obj, dict) else None
    if kind == "multiclass":
        return MulticlassModel.from_json(obj)
    return LinearModel.from_json(obj)


def load_bundle_from(folder: str | Path, bundle: str) -> Bundle | None:
    """The models of ``bundle`` in ``folder``, or None when any file is absent."""
    files = MODEL_FILES[bundle]
    paths = {role: Path(folder) / name for role, name in files.items()}
    if not all(p.is_file() for p in paths.values()):
        return None
    return cast(Bundle, {role: _load(load_json(p)) for role, p in paths.items()})


# bundle name -> models in place of the shipped ones (set by ``using_bundle``)
_OVERRIDES: ContextVar[Mapping[str, Bundle | None] | None] = ContextVar(
    "rhetoric_model_overrides", default=None
)


def _current(folder: Path, e: Any) -> bool:
    """The JSON file is the one the compiled files were derived from: its
    SHA-256 is the manifest's (about 20 ms for all of them, once per process;
    a size check let an edited threshold or weight of the same length pass)."""
    try:
        data = (folder / e["file"]).read_bytes()
        return bool(len(data) == e["bytes"] and hashlib.sha256(data).hexdigest() == e["sha256"])
    except (OSError, KeyError, TypeError):
        return False


@lru_cache(maxsize=1)
def _manifest() -> dict[str, Any]:
    """The shipped compiled files' manifest (``joint.json``), read once."""
    from .joint import read_manifest_file

    return read_manifest_file(models_dir()) or {}


@lru_cache(maxsize=1)
def _compiled_entries() -> dict[tuple[str, str], tuple[str, dict[str, Any]]]:
    """(bundle, role) -> ("joint" or "single", manifest entry), for the shipped
    models whose compiled form is current."""
    folder = models_dir()
    manifest = _manifest()
    out: dict[tuple[str, str], tuple[str, dict[str, Any]]] = {}
    for group in (manifest.get("groups") or {}).values():
        for e in group.get("models", ()):
            if _current(folder, e):
                out[(e["bundle"], e["role"])] = ("joint", e)
    for e in (manifest.get("models") or {}).values():
        if _current(folder, e):
            out[(e["bundle"], e["role"])] = ("single", e)
    return out


def _deferred(
    folder: Path, name: str, kind: str, e: dict[str, Any]
) -> LinearModel | MulticlassModel:
    """A shipped model scored from compiled weights; its JSON read only if asked."""
    if kind == "joint":  # scored by the group's joint scorer
        return DeferredLinearModel(
            folder / name, float(e["intercept"]), float(e["threshold"]), e.get("meta", {})
        )
    from .joint import load_weights

    backend = load_weights(folder, e)
    multiclass = e.get("kind") == "multiclass"
    columns = len(e["classes"]) if multiclass else 1 + bool(e.get("normalised"))
    if backend.weights.shape[1] != columns:
        raise ValueError(f"{e['weights']}: {backend.weights.shape[1]} columns, not {columns}")
    if multiclass:
        return DeferredMulticlassModel(
            folder / name,
            e["classes"],
            [float(v) for v in e["intercepts"]],
            e.get("meta", {}),
            backend,
        )
    return DeferredLinearModel(
        folder / name,
        float(e["intercept"]),
        float(e["threshold"]),
        e.get("meta", {}),
        normalised=bool(e.get("normalised")),
        backend=backend,
    )


@lru_cache(maxsize=8)
def _shipped(bundle: str) -> Bundle | None:
    folder = models_dir()
    files = MODEL_FILES[bundle]
    if not all((folder / name).is_file() for name in files.values()):
        return None
    compiled = _compiled_entries()
    out: dict[str, LinearModel | MulticlassModel] = {}
    for role, name in files.items():
        hit = compiled.get((bundle, role))
        if hit is None:
            out[role] = _load(load_json(folder / name))
        else:
            try:
                out[role] = _deferred(folder, name, *hit)
            except (OSError, ValueError, KeyError):  # unreadable compiled files: the JSON
                out[role] = _load(load_json(folder / name))
    return cast(Bundle, out)


def _shipped_group(group: str) -> list[object]:
    out: list[object] = []
    for bundle, role in JOINT_GROUPS[group]:
        models: Mapping[str, object] = _shipped(bundle) or {}
        out.append(models.get(role))
    return out


@lru_cache(maxsize=4)
def _compiled_arrays(group: str) -> Any:
    """The compiled vocabulary and weights of ``group``, read once per
    process, or None."""
    from .joint import load_joint

    folder = models_dir()
    entry = (_manifest().get("groups") or {}).get(group)
    if entry is None or [(e["bundle"], e["role"]) for e in entry["models"]] != list(
        JOINT_GROUPS[group]
    ):
        return None
    try:
        return load_joint(folder, entry)
    except (OSError, ValueError, KeyError):
        return None


def prepare_for_many_documents() -> None:
    """Load every shipped model and hold all compiled vocabularies in dicts
    (``joint.HashedVocabulary.materialize``): a tenth of a second once, then
    no vocabulary search per document. For batches, before forking."""
    from .joint import materialize_all

    for bundle in MODEL_FILES:
        load_bundle(bundle)
    for group in JOINT_GROUPS:
        _compiled_arrays(group)
    materialize_all()


def compiled_scorer(group: str, models: Sequence[LinearModel]) -> Any:
    """The compiled joint scorer of ``group`` ("token", "sentence") when
    ``models`` are exactly the shipped ones of that group and its compiled
    files are current; else None (the caller joins the models' weights)."""
    shipped = _shipped_group(group)
    if len(shipped) != len(models) or any(a is not b for a, b in zip(shipped, models, strict=True)):
        return None
    if not all(isinstance(m, DeferredLinearModel) for m in models):
        return None
    arrays = _compiled_arrays(group)
    if arrays is None:
        return None
    from .joint import JointScorer

    return JointScorer(models, arrays)


@overload
def load_bundle(bundle: Literal["ptc"]) -> PtcBundle | None: ...
@overload
def load_bundle(bundle: Literal["babe"]) -> BabeBundle | None: ...
@overload
def load_bundle(bundle: Literal["hedging"]) -> HedgingBundle | None: ...
@overload
def load_bundle(bundle: Literal["attribution"]) -> AttributionBundle | None: ...
@overload
def load_bundle(bundle: Literal["calibration"]) -> CalibrationBundle | None: ...
@overload
def load_bundle(bundle: Literal["score"]) -> ScoreBundle | None: ...
@overload
def load_bundle(bundle: str) -> Bundle | None: ...
def load_bundle(bundle: str) -> Bundle | None:
    """The models of ``bundle`` ("ptc", "babe", "hedging", "attribution"): the
    shipped files, cached, unless ``using_bundle`` put others in their place;
    None when this installation carries none (then the model detectors stay
    silent)."""
    over = _OVERRIDES.get()
    if over and bundle in over:
        return over[bundle]
    return _shipped(bundle)


@contextmanager
def using_bundle(bundle: str, models: Bundle | Mapping[str, Any] | None) -> Iterator[None]:
    """Inside the block, ``load_bundle(bundle)`` returns ``models`` (None: as
    if the bundle were not installed). Restored on exit, exception or not;
    blocks nest, and other threads and contexts keep the shipped models.

    >>> with using_bundle("hedging", fold_models):  # doctest: +SKIP
    ...     report = analyze(text)
    """
    if bundle not in MODEL_FILES:
        raise KeyError(f"unknown model bundle {bundle!r}")
    token = _OVERRIDES.set({**(_OVERRIDES.get() or {}), bundle: cast("Bundle | None", models)})
    try:
        yield
    finally:
        _OVERRIDES.reset(token)


class _Writable(Protocol):
    def to_json(self) -> dict[str, Any]: ...


def save_model(model: LinearModel | MulticlassModel | _Writable, path: str | Path) -> None:
    """Write one model as JSON (compact, sorted features: diffable and stable)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(model.to_json(), f, separators=(",", ":"), ensure_ascii=False)
        f.write("\n")
    tmp.replace(path)
