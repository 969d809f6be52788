"""Derive the compiled joint scorers from the JSON models of a folder.

The JSON files stay the readable source of truth; this writes, for each
group of ``models.store.JOINT_GROUPS`` whose JSON files are all present, the
vocabulary as text (a feature per line, by CRC-32), the hashes and line
offsets and the weight matrix as ``.npy`` (what ``models.joint.load_joint``
maps), and a manifest naming each source file's
size and SHA-256. ``run_training`` calls it after writing models; by hand:

    python -m rhetoric.training.compile [FOLDER]   # default: the package's models
"""

from __future__ import annotations

import hashlib
import io
import json
import sys
import zlib
from pathlib import Path
from typing import Any

import numpy as np

from ..models.joint import MANIFEST, MANIFEST_FORMAT, JointScorer
from ..models.linear import LinearModel, MulticlassModel, load_json
from ..models.store import COMPILED_MODELS, JOINT_GROUPS, MODEL_FILES, models_dir

__all__ = ["compile_models"]


def _replace(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def _npy(a: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, a, allow_pickle=False)
    return buf.getvalue()


def _write_compiled(
    folder: Path, stem: str, features: list[str], weights: np.ndarray, written: list[Path]
) -> dict[str, str]:
    """Write a vocabulary (ids in the order ``HashedVocabulary`` searches: by
    CRC-32, then by text) and the matching weight rows (``weights`` has a row
    per feature plus the zero pad row, last); returns the manifest's names."""
    if any("\n" in f for f in features):  # one feature per line
        raise ValueError(f"{stem}: a feature holds a line break")
    blobs = [f.encode("utf-8") for f in features]
    order = sorted(range(len(features)), key=lambda i: (zlib.crc32(blobs[i]), blobs[i]))
    hashes = np.array([zlib.crc32(blobs[i]) for i in order], dtype=np.uint32)
    lengths = np.array([len(blobs[i]) + 1 for i in order], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.uint32)
    rows = np.ascontiguousarray(np.asarray(weights, dtype=np.float64)[[*order, len(features)]])
    files = {
        "features": (f"{stem}_features.txt", b"".join(blobs[i] + b"\n" for i in order)),
        "hashes": (f"{stem}_hashes.npy", _npy(hashes)),
        "offsets": (f"{stem}_offsets.npy", _npy(offsets)),
        "weights": (f"{stem}_weights.npy", _npy(rows)),
    }
    for name, data in files.values():
        _replace(folder / name, data)
        written.append(folder / name)
    return {key: name for key, (name, _) in files.items()}


def _source(path: Path) -> dict[str, Any]:
    return {
        "file": path.name,
        "bytes": path.stat().st_size,
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
    }


def _single(model: LinearModel | MulticlassModel) -> tuple[list[str], np.ndarray, dict[str, Any]]:
    """A model's features, weight rows (pad row last) and manifest fields."""
    if isinstance(model, MulticlassModel):
        feats = list(model.weights)
        rows = [list(model.weights[f]) for f in feats] + [[0.0] * len(model.classes)]
        fields = {
            "kind": "multiclass",
            "classes": list(model.classes),
            "intercepts": list(model.intercepts),
        }
        return feats, np.array(rows, dtype=np.float64), {**fields, "meta": model.meta}
    feats = sorted(model.weights.keys() | (model.scales or {}).keys())
    cols = [[model.weights.get(f, 0.0) for f in feats]]
    if model.scales is not None:  # TF-IDF: the squared scales beside the weights
        cols.append([model.scales[f] * model.scales[f] for f in feats])
    rows = np.vstack([np.array(cols, dtype=np.float64).T, np.zeros((1, len(cols)))])
    fields = {
        "kind": "binary",
        "normalised": model.scales is not None,
        "intercept": model.intercept,
        "threshold": model.threshold,
    }
    return feats, rows, {**fields, "meta": model.meta}


def compile_models(folder: Path) -> list[Path]:
    """Write the compiled groups and single models of ``folder`` (those whose
    JSON files are present); returns the files written."""
    groups: dict[str, Any] = {}
    singles: dict[str, Any] = {}
    written: list[Path] = []
    for group, roles in JOINT_GROUPS.items():
        paths = [folder / MODEL_FILES[b][r] for b, r in roles]
        if not all(p.is_file() for p in paths):
            continue
        models = [LinearModel.from_json(load_json(p)) for p in paths]
        scorer = JointScorer(models)
        names = _write_compiled(
            folder, f"joint_{group}", scorer.features(), scorer.weights, written
        )
        groups[group] = {
            **names,
            "models": [
                {
                    "bundle": b,
                    "role": r,
                    **_source(p),
                    "intercept": m.intercept,
                    "threshold": m.threshold,
                    "meta": m.meta,
                }
                for (b, r), p, m in zip(roles, paths, models, strict=True)
            ],
        }
    for b, r in COMPILED_MODELS:
        path = folder / MODEL_FILES[b][r]
        if not path.is_file():
            continue
        obj = load_json(path)
        model = (
            MulticlassModel.from_json(obj)
            if obj.get("kind") == "multiclass"
            else LinearModel.from_json(obj)
        )
        feats, rows, fields = _single(model)
        names = _write_compiled(folder, f"compiled_{b}_{r}", feats, rows, written)
        singles[f"{b}/{r}"] = {"bundle": b, "role": r, **_source(path), **names, **fields}
    if groups or singles:
        manifest = {
            "format": MANIFEST_FORMAT,
            "format_version": 1,
            "groups": groups,
            "models": singles,
        }
        text = json.dumps(manifest, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
        _replace(folder / MANIFEST, text.encode("utf-8"))
        written.append(folder / MANIFEST)
    return written


if __name__ == "__main__":  # pragma: no cover
    for p in compile_models(Path(sys.argv[1]) if len(sys.argv) > 1 else models_dir()):
        print(f"wrote {p}")
