"""Where the shipped models live and how they are loaded: JSON files in
``rhetoric/data/models``, read once per process (they never change)."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .linear import LinearModel, ModelFileError, MulticlassModel, load_json

__all__ = ["MODEL_FILES", "load_bundle", "models_dir", "save_model"]

# bundle name -> {role: file}
MODEL_FILES: dict[str, dict[str, str]] = {
    "ptc": {
        "sentence": "ptc_sentence.json",
        "token": "ptc_token.json",
        "technique": "ptc_technique.json",
    },
    "babe": {"sentence": "babe_sentence.json", "word": "babe_word.json"},
    "hedging": {
        "cue": "hedging_cue.json",
        "type": "hedging_type.json",
        "sentence": "hedging_sentence.json",
    },
    "attribution": {"cue": "attribution_cue.json", "source": "attribution_source.json"},
}


def models_dir() -> Path:
    return Path(str(resources.files("rhetoric") / "data" / "models"))


def _load(obj: dict[str, Any]) -> LinearModel | MulticlassModel:
    kind = obj.get("kind") if isinstance(obj, dict) else None
    if kind == "multiclass":
        return MulticlassModel.from_json(obj)
    return LinearModel.from_json(obj)


def load_bundle_from(folder: str | Path, bundle: str) -> dict[str, Any] | None:
    """The models of ``bundle`` in ``folder``, or None when any file is absent."""
    files = MODEL_FILES[bundle]
    paths = {role: Path(folder) / name for role, name in files.items()}
    if not all(p.is_file() for p in paths.values()):
        return None
    return {role: _load(load_json(p)) for role, p in paths.items()}


@lru_cache(maxsize=8)
def load_bundle(bundle: str) -> dict[str, Any] | None:
    """The shipped models of ``bundle`` ("ptc" or "babe"), cached; None when
    this installation carries none (then the model detectors stay silent)."""
    try:
        return load_bundle_from(models_dir(), bundle)
    except ModelFileError:
        raise


def save_model(model: LinearModel | MulticlassModel, path: str | Path) -> None:
    """Write one model as JSON (compact, sorted features: diffable and stable)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(model.to_json(), f, separators=(",", ":"), ensure_ascii=False)
        f.write("\n")
    tmp.replace(path)
