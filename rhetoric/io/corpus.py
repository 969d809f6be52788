"""Our annotated passages (the ``corpora/`` JSONL format, corpora/README.md):
read and check every record, naming the line and field of a bad one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..core.report import CATEGORIES
from .inputs import jsonl_objects

__all__ = ["CorpusError", "read_corpus", "validate_record"]


class CorpusError(ValueError):
    pass


def validate_record(obj: Any, where: str) -> dict[str, Any]:
    """Check one corpus record; raise ``CorpusError`` naming the line and field."""
    if not isinstance(obj, dict):
        raise CorpusError(f"{where}: expected a JSON object")
    for key, typ in (("id", str), ("text", str), ("spans", list)):
        if not isinstance(obj.get(key), typ):
            raise CorpusError(f"{where}: field {key!r} must be a {typ.__name__}")
    text = obj["text"]
    for i, s in enumerate(obj["spans"]):
        if not isinstance(s, dict):
            raise CorpusError(f"{where}: span {i} is not an object")
        start, end = s.get("start"), s.get("end")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            raise CorpusError(f"{where}: span {i} has bad offsets {start}..{end}")
        if s.get("category") not in CATEGORIES:
            raise CorpusError(f"{where}: span {i} has unknown category {s.get('category')!r}")
        if not isinstance(s.get("label"), str) or not s["label"]:
            raise CorpusError(f"{where}: span {i} has no label")
        if "text" in s and text[start:end] != s["text"]:
            raise CorpusError(f"{where}: span {i} text does not match its offsets")
    return obj


def read_corpus(path: str | Path, split: str | None = None) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as f:
        for lineno, obj in jsonl_objects(f, str(path), CorpusError):
            rec = validate_record(obj, f"{path}:{lineno}")
            if split is None or rec.get("split") == split:
                yield rec
