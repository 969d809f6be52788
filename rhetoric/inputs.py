"""Reading inputs: files, folders, stdin and JSONL batches, safely.

Inputs are only ever read. Anything we cannot analyse (a binary file, a file
too large, a malformed JSONL line, an unknown format) becomes an
``InputError`` with one clear sentence; the CLI prints it and exits 2.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["MAX_BYTES", "InputDoc", "InputError", "decode", "iter_inputs"]

MAX_BYTES = 10 * 1024 * 1024
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".rst", ""})
FOLDER_SUFFIXES = frozenset({".txt", ".md"})
_BINARY_SUFFIXES = frozenset(
    {
        ".pdf",
        ".doc",
        ".docx",
        ".odt",
        ".rtf",
        ".epub",
        ".zip",
        ".gz",
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".exe",
        ".bin",
        ".xlsx",
        ".pptx",
    }
)


class InputError(Exception):
    """An input that cannot be analysed; ``str(err)`` is the one-line message."""


@dataclass
class InputDoc:
    id: str
    text: str
    notes: list[str] = field(default_factory=list)


def decode(data: bytes, name: str) -> tuple[str, list[str]]:
    """Decode bytes as UTF-8 (BOM allowed), falling back to cp1252, then latin-1.

    Refuses data that looks binary: NUL bytes, or many control characters.
    """
    head = data[:8192]
    if b"\x00" in head:
        raise InputError(f"{name}: looks like a binary file (NUL bytes); rhetoric reads text")
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    if head and controls / len(head) > 0.05:
        raise InputError(f"{name}: looks like a binary file (control bytes); rhetoric reads text")
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    for enc in ("cp1252", "latin-1"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        return text, [f"{name}: not valid UTF-8; decoded as {enc}"]
    raise InputError(f"{name}: cannot decode as UTF-8, cp1252 or latin-1")  # pragma: no cover


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(
                f"{path}: {size:,} bytes is over the {max_bytes:,}-byte limit (see --max-bytes)"
            )
        with path.open("rb") as f:
            return f.read(max_bytes + 1)
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror or e})") from None


def jsonl_objects(
    lines: Iterable[str], name: str, error: type[Exception] = ValueError
) -> Iterator[tuple[int, Any]]:
    """``(line number, parsed value)`` for each non-blank line; a malformed line
    raises ``error`` naming the file and line."""
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            yield lineno, json.loads(line)
        except json.JSONDecodeError as e:
            raise error(f"{name}:{lineno}: malformed JSON ({e.msg})") from None


def _iter_jsonl(text: str, name: str) -> Iterator[InputDoc]:
    for lineno, obj in jsonl_objects(text.splitlines(), name, InputError):
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            raise InputError(f"{name}:{lineno}: expected an object with a string 'text' field")
        doc_id = obj.get("id", f"{name}:{lineno}")
        yield InputDoc(str(doc_id), obj["text"])


def _from_bytes(data: bytes, name: str, suffix: str, max_bytes: int) -> Iterator[InputDoc]:
    if len(data) > max_bytes:
        raise InputError(f"{name}: input is over the {max_bytes:,}-byte limit (see --max-bytes)")
    text, notes = decode(data, name)
    if suffix == ".jsonl":
        yield from _iter_jsonl(text, name)
    else:
        yield InputDoc(name, text, notes)


def iter_inputs(
    paths: Sequence[str], max_bytes: int = MAX_BYTES, stdin: object = None
) -> Iterator[InputDoc | InputError]:
    """Yield a document per input, or an ``InputError`` for an input that fails,
    so one bad file does not stop the rest. No paths means stdin."""
    if not paths:
        paths = ["-"]
    for raw in paths:
        if raw == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            data = stream.read(max_bytes + 1)  # type: ignore[attr-defined]
            if isinstance(data, str):
                data = data.encode("utf-8")
            try:
                yield from _from_bytes(data, "-", "", max_bytes)
            except InputError as e:
                yield e
            continue
        path = Path(raw)
        if not path.exists():
            yield InputError(f"{raw}: no such file or directory")
            continue
        if path.is_dir():
            files = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in FOLDER_SUFFIXES
            )
            if not files:
                yield InputError(f"{raw}: folder has no .txt or .md files")
                continue
            for f in files:
                yield from _file(f, max_bytes)
            continue
        yield from _file(path, max_bytes)


def _file(path: Path, max_bytes: int) -> Iterator[InputDoc | InputError]:
    suffix = path.suffix.lower()
    if suffix in _BINARY_SUFFIXES:
        yield InputError(
            f"{path}: unsupported format '{suffix}' (rhetoric reads plain text, Markdown and JSONL)"
        )
        return
    if suffix not in TEXT_SUFFIXES and suffix != ".jsonl":
        yield InputError(
            f"{path}: unknown format '{suffix}' "
            "(rhetoric reads .txt, .md and .jsonl; use - to pipe other text)"
        )
        return
    try:
        data = _read_bytes(path, max_bytes)
        yield from _from_bytes(data, str(path), suffix, max_bytes)
    except InputError as e:
        yield e
