"""Derive the compiled joint scorers from the JSON models of a folder.

The JSON files stay the readable source of truth; this writes, for each
group of ``models.store.JOINT_GROUPS`` whose JSON files are all present, the
vocabulary as text and the weight matrix as ``.npy`` (what
``models.joint.load_joint`` reads), and a manifest naming each source file's
size and SHA-256. ``run_training`` calls it after writing models; by hand:

    python -m rhetoric.training.compile [FOLDER]   # default: the package's models
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import numpy as np

from ..models.joint import MANIFEST, MANIFEST_FORMAT, JointScorer
from ..models.linear import LinearModel, load_json
from ..models.store import JOINT_GROUPS, MODEL_FILES, models_dir

__all__ = ["compile_models"]


def _replace(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def compile_models(folder: Path) -> list[Path]:
    """Write the compiled groups of ``folder``; returns the files written."""
    groups = {}
    written = []
    for group, roles in JOINT_GROUPS.items():
        paths = [folder / MODEL_FILES[b][r] for b, r in roles]
        if not all(p.is_file() for p in paths):
            continue
        models = [LinearModel.from_json(load_json(p)) for p in paths]
        scorer = JointScorer(models)
        features = scorer.features()
        if any("\n" in f for f in features):  # one feature per line
            raise ValueError(f"{group}: a feature holds a line break")
        feat_path = folder / f"joint_{group}_features.txt"
        weight_path = folder / f"joint_{group}_weights.npy"
        _replace(feat_path, "\n".join(features).encode("utf-8"))
        tmp = weight_path.with_name(weight_path.name + ".tmp")
        with open(tmp, "wb") as f:
            np.save(f, np.ascontiguousarray(scorer.weights), allow_pickle=False)
        tmp.replace(weight_path)
        written += [feat_path, weight_path]
        groups[group] = {
            "features": feat_path.name,
            "weights": weight_path.name,
            "models": [
                {
                    "bundle": b,
                    "role": r,
                    "file": p.name,
                    "bytes": p.stat().st_size,
                    "sha256": hashlib.sha256(p.read_bytes()).hexdigest(),
                    "intercept": m.intercept,
                    "threshold": m.threshold,
                    "meta": m.meta,
                }
                for (b, r), p, m in zip(roles, paths, models, strict=True)
            ],
        }
    if groups:
        manifest = {"format": MANIFEST_FORMAT, "format_version": 1, "groups": groups}
        text = json.dumps(manifest, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
        _replace(folder / MANIFEST, text.encode("utf-8"))
        written.append(folder / MANIFEST)
    return written


if __name__ == "__main__":  # pragma: no cover
    for p in compile_models(Path(sys.argv[1]) if len(sys.argv) > 1 else models_dir()):
        print(f"wrote {p}")
