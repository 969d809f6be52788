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

import numpy as np

from ..models.joint import MANIFEST, MANIFEST_FORMAT, JointScorer
from ..models.linear import LinearModel, load_json
from ..models.store import JOINT_GROUPS, MODEL_FILES, models_dir

__all__ = ["compile_models"]


def _replace(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def _npy(a: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, a, allow_pickle=False)
    return buf.getvalue()


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
        joined = scorer.features()
        if any("\n" in f for f in joined):  # one feature per line
            raise ValueError(f"{group}: a feature holds a line break")
        # ids in the order HashedVocabulary searches: by CRC-32, then by text
        blobs = [f.encode("utf-8") for f in joined]
        order = sorted(range(len(joined)), key=lambda i: (zlib.crc32(blobs[i]), blobs[i]))
        hashes = np.array([zlib.crc32(blobs[i]) for i in order], dtype=np.uint32)
        lengths = np.array([len(blobs[i]) + 1 for i in order], dtype=np.int64)
        offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.uint32)
        weights = np.asarray(scorer.weights)[[*order, len(joined)]]  # the pad row last
        files = {
            "features": (f"joint_{group}_features.txt", b"".join(blobs[i] + b"\n" for i in order)),
            "hashes": (f"joint_{group}_hashes.npy", _npy(hashes)),
            "offsets": (f"joint_{group}_offsets.npy", _npy(offsets)),
            "weights": (f"joint_{group}_weights.npy", _npy(np.ascontiguousarray(weights))),
        }
        for name, data in files.values():
            _replace(folder / name, data)
            written.append(folder / name)
        groups[group] = {
            **{key: name for key, (name, _) in files.items()},
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
