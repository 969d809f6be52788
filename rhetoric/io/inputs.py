"""Reading inputs: files, folders, stdin, web pages and JSONL/CSV corpora, safely.

Inputs are only ever read. Anything we cannot analyse (a binary file, a file
too large, a malformed JSONL line, an unknown format, a page that will not
load) becomes an ``InputError`` with one clear sentence; the CLI prints it and
exits 2, and ``rhetoric batch`` writes it to its errors file and goes on.

Listing and reading are two steps: ``iter_sources`` lists what there is to read
(cheap, streaming: corpora are read a row at a time), ``load`` reads one
source. A batch lists in the main process and loads in the workers.
"""

from __future__ import annotations

import codecs
import csv
import json
import os
import re
import sys
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.safe import clean_surrogates, json_loads
from .decode import InputError, decode, decode_html, is_url

__all__ = [
    "MAX_BYTES",
    "MAX_CHARS",
    "InputDoc",
    "InputError",
    "Source",
    "decode",
    "is_url",
    "iter_inputs",
    "iter_sources",
    "load",
]

MAX_BYTES = 10 * 1024 * 1024
#: The longest text one analysis takes (after decoding and HTML extraction):
#: memory grows with the text, about 250 MB per million characters at worst,
#: so this keeps one document under about 1.2 GB (README, "Limits").
MAX_CHARS = 4_000_000
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".rst", ""})
FOLDER_SUFFIXES = frozenset({".txt", ".md", ".html", ".htm"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
CORPUS_SUFFIXES = frozenset({".jsonl", ".csv"})
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


@dataclass
class InputDoc:
    """A document ready to analyse. ``extracted``: the text was taken out of
    an HTML page, so offsets refer to it and the JSON report carries it.
    ``origin``: the file it came from, where configuration is looked up."""

    id: str
    text: str
    notes: list[str] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    extracted: bool = False
    origin: str | None = None


@dataclass(frozen=True)
class Source:
    """A document to read, not yet read: cheap to list, to pickle to a worker
    process and to skip on resume. ``kind`` is ``file``, ``url`` or ``text``
    (a corpus row or stdin, whose text is ``ref`` itself)."""

    id: str
    kind: str
    ref: str
    origin: str | None = None
    notes: tuple[str, ...] = ()
    #: Where a corpus row is (``FILE:LINE``): a row whose id another row
    #: already has is reported under it.
    where: str | None = None


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
            yield lineno, json_loads(line)
        except json.JSONDecodeError as e:
            raise error(f"{name}:{lineno}: malformed JSON ({e.msg})") from None


def _too_big(text: str, max_bytes: int) -> bool:
    return len(text) > max_bytes or (
        len(text) * 4 > max_bytes and len(text.encode("utf-8", "surrogatepass")) > max_bytes
    )


def _row_id(value: Any, fallback: str) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        return fallback
    # a number or other JSON value as JSON writes it (true, not Python's True)
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


# A JSON string may hold an unpaired surrogate escape (\ud800): not text, and
# nothing can print or write it as UTF-8.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _iter_jsonl(
    path: Path, text_column: str, id_column: str, max_bytes: int
) -> Iterator[Source | InputError]:
    """One source per line, read a line at a time; a bad line is an error and
    the file goes on."""
    name = str(path)
    try:
        f = path.open("rb")
    except OSError as e:
        yield InputError(f"{name}: cannot read ({e.strerror or e})")
        return
    with f:
        for lineno, raw in enumerate(f, 1):
            if not raw.strip():
                continue
            where = f"{name}:{lineno}"
            try:
                obj = json_loads(raw)
            except UnicodeDecodeError:
                yield InputError(f"{where}: not valid UTF-8", where)
                continue
            except json.JSONDecodeError as e:
                yield InputError(f"{where}: malformed JSON ({e.msg})", where)
                continue
            if not isinstance(obj, dict) or not isinstance(obj.get(text_column), str):
                yield InputError(
                    f"{where}: expected an object with a string {text_column!r} field"
                    + ("" if text_column != "text" else " (see --text-column)"),
                    where,
                )
                continue
            doc_id = _row_id(obj.get(id_column), where)
            text = obj[text_column]
            if _SURROGATE.search(text) or _SURROGATE.search(doc_id):
                yield InputError(
                    f"{where}: not valid Unicode (an unpaired \\ud800-\\udfff escape)", where
                )
                continue
            if _too_big(text, max_bytes):
                yield InputError(
                    f"{doc_id}: text is over the {max_bytes:,}-byte limit (see --max-bytes)", doc_id
                )
                continue
            yield Source(doc_id, "text", text, name, where=where)


class _NotUtf8(Exception):
    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


_LONE_CR = re.compile(rb"(?<=\r)(?!\n)")


def _utf8_lines(f: Iterable[bytes]) -> Iterator[str]:
    """The physical lines of a CSV file (``\n``, ``\r\n`` or ``\r``, kept), each
    decoded as UTF-8 on its own: the rows before an undecodable line are read,
    and ``_NotUtf8`` names that line."""
    n = 0
    for raw in f:
        for piece in _LONE_CR.split(raw) if b"\r" in raw else (raw,):
            if not piece:
                continue
            n += 1
            if n == 1 and piece.startswith(codecs.BOM_UTF8):
                piece = piece[len(codecs.BOM_UTF8) :]
            try:
                yield piece.decode("utf-8")
            except UnicodeDecodeError:
                raise _NotUtf8(n) from None


def _iter_csv(
    path: Path, text_column: str, id_column: str, max_bytes: int
) -> Iterator[Source | InputError]:
    """One source per row (header row first), streamed; a file that is not a
    readable UTF-8 CSV is one error naming the row."""
    name = str(path)
    try:
        raw = path.open("rb")
    except OSError as e:
        yield InputError(f"{name}: cannot read ({e.strerror or e})")
        return
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, max_bytes + 1))  # article-sized cells
    try:
        with raw:
            # strict: a quote that is never closed is an error, not the rest of
            # the file swallowed into one cell without a word
            reader = csv.reader(_utf8_lines(raw), strict=True)
            try:
                header = next(reader, None)
                if header is None:
                    yield InputError(f"{name}: empty CSV file (no header row)")
                    return
                if text_column not in header:
                    yield InputError(
                        f"{name}: no {text_column!r} column (columns: "
                        f"{', '.join(header[:8])}); see --text-column"
                    )
                    return
                if id_column not in header and id_column != "id":  # named, so meant
                    yield InputError(
                        f"{name}: no {id_column!r} column (columns: "
                        f"{', '.join(header[:8])}); see --id-column"
                    )
                    return
                ti = header.index(text_column)
                ii = header.index(id_column) if id_column in header else None
                while True:
                    start = reader.line_num + 1
                    try:
                        row = next(reader)
                    except StopIteration:
                        break
                    except csv.Error as e:  # one bad record; the reader goes on after it
                        where = f"{name}:{start}"
                        why = str(e)
                        if why == "unexpected end of data":
                            why = "a quoted cell that starts here is never closed"
                        yield InputError(f"{where}: malformed CSV ({why})", where)
                        continue
                    line = reader.line_num
                    if not any(c.strip() for c in row):
                        continue
                    where = f"{name}:{line}"
                    doc_id = _row_id(row[ii] if ii is not None and ii < len(row) else None, where)
                    if ti >= len(row):
                        yield InputError(f"{where}: row has no {text_column!r} cell", where)
                        continue
                    text = row[ti]
                    if _too_big(text, max_bytes):
                        yield InputError(
                            f"{doc_id}: text is over the {max_bytes:,}-byte limit "
                            "(see --max-bytes)",
                            doc_id,
                        )
                        continue
                    yield Source(doc_id, "text", text, name, where=where)
            except _NotUtf8 as e:
                yield InputError(f"{name}:{e.line}: not valid UTF-8 (save the CSV as UTF-8)")
            except csv.Error as e:
                yield InputError(f"{name}:{reader.line_num}: malformed CSV ({e})")
    finally:
        csv.field_size_limit(limit)


def walk_folder(folder: Path, all_files: bool, exclude: Collection[Path]) -> list[Path]:
    """Files under ``folder`` in a stable order. ``all_files`` (batch): every
    file but hidden ones, so none is skipped without a word; otherwise only
    text and HTML files. What cannot be listed is left out here; see
    ``list_folder`` for the reasons."""
    return [p for p, why in list_folder(folder, all_files, exclude) if why is None]


def list_folder(
    folder: Path, all_files: bool, exclude: Collection[Path]
) -> list[tuple[Path, InputError | None]]:
    """``(path, None)`` for each file to read under ``folder``, and ``(path,
    error)`` for what is there but cannot be read: a subfolder that cannot be
    opened, and (``all_files``) a FIFO, socket or device, or a link to a
    folder, which is not followed. Hidden names (a leading ``.``) are left out.
    Sorted by path; a FIFO is never opened (that would wait for a writer)."""
    import stat

    found: list[tuple[Path, InputError | None]] = []

    def unreadable(e: OSError) -> None:
        where = Path(e.filename) if e.filename else folder
        why = "permission denied" if isinstance(e, PermissionError) else e.strerror or str(e)
        name = _display(where)
        found.append((where, InputError(f"{name}: cannot read folder ({why})", name)))

    for root, dirs, files in os.walk(folder, onerror=unreadable):
        here = Path(root)
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for d in list(dirs):
            p = here / d
            if p.is_symlink():  # os.walk does not follow it: say so
                dirs.remove(d)
                if all_files and not (exclude and p.resolve() in exclude):
                    name = _display(p)
                    found.append((p, InputError(f"{name}: a link to a folder; not followed", name)))
        for f in files:
            if f.startswith("."):
                continue
            p = here / f
            try:
                st = p.stat()
            except OSError:
                st = None  # a link to nothing: listed, so it is reported when read
            if exclude and p.resolve() in exclude:
                continue
            if not (all_files or p.suffix.lower() in FOLDER_SUFFIXES):
                continue
            if st is not None and not stat.S_ISREG(st.st_mode):
                kind = (
                    "a FIFO"
                    if stat.S_ISFIFO(st.st_mode)
                    else "a socket"
                    if stat.S_ISSOCK(st.st_mode)
                    else "a device"
                )
                name = _display(p)
                found.append((p, InputError(f"{name}: {kind}, not a regular file; not read", name)))
                continue
            found.append((p, None))
    return sorted(found, key=lambda t: t[0])


def _display(path: Path | str) -> str:
    """A path as an id and in messages: a name that is not UTF-8 has its odd
    bytes as ``\\xNN`` (it can then be written to any report or errors file)."""
    return clean_surrogates(str(path))


def _file_sources(
    path: Path, text_column: str, id_column: str, max_bytes: int
) -> Iterator[Source | InputError]:
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from _iter_jsonl(path, text_column, id_column, max_bytes)
    elif suffix == ".csv":
        yield from _iter_csv(path, text_column, id_column, max_bytes)
    else:
        yield Source(_display(path), "file", str(path), str(path))


def iter_sources(
    paths: Sequence[str],
    *,
    max_bytes: int = MAX_BYTES,
    text_column: str = "text",
    id_column: str = "id",
    all_files: bool = False,
    exclude: Collection[Path] = (),
    stdin: object = None,
) -> Iterator[Source | InputError]:
    """List the documents in ``paths`` (files, folders, URLs, JSONL/CSV
    corpora, ``-`` for stdin; no paths means stdin) without reading any but
    corpora, which are streamed a row at a time."""
    if not paths:
        paths = ["-"]
    for raw in paths:
        if raw == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            data = stream.read(max_bytes + 1)  # type: ignore[union-attr]
            if isinstance(data, str):
                data = data.encode("utf-8")
            if len(data) > max_bytes:
                yield InputError(f"-: input is over the {max_bytes:,}-byte limit (see --max-bytes)")
                continue
            try:
                text, notes = decode(data, "-")
            except InputError as e:
                yield e
                continue
            yield Source("-", "text", text, None, tuple(notes))
            continue
        if is_url(raw):
            yield Source(clean_surrogates(raw), "url", raw)
            continue
        path = Path(raw)
        if not path.exists():
            yield InputError(f"{raw}: no such file or directory")
            continue
        if path.is_dir():
            listing = list_folder(path, all_files, exclude)
            if not listing:
                yield InputError(
                    f"{raw}: folder has no files"
                    if all_files
                    else f"{raw}: folder has no .txt or .md files (nor .html pages)"
                )
                continue
            for f, why in listing:
                if why is not None:
                    yield why
                else:
                    yield from _file_sources(f, text_column, id_column, max_bytes)
            continue
        yield from _file_sources(path, text_column, id_column, max_bytes)


def load(source: Source, *, max_bytes: int = MAX_BYTES, timeout: float | None = None) -> InputDoc:
    """Read one source into a document. Raises ``InputError``, also for a
    text over ``MAX_CHARS`` characters (refused before any analysis)."""
    doc = _load(source, max_bytes, timeout)
    if len(doc.text) > MAX_CHARS:
        raise InputError(
            f"{source.id}: {len(doc.text):,} characters is over the {MAX_CHARS:,}-character "
            "limit of one analysis; split the text",
            source.id,
        )
    return doc


def _load(source: Source, max_bytes: int, timeout: float | None) -> InputDoc:
    if source.kind == "text":
        return InputDoc(source.id, source.ref, list(source.notes), origin=source.origin)
    if source.kind == "url":
        from .fetch import DEFAULT_TIMEOUT, fetch_url, page_text

        page = fetch_url(source.ref, timeout=timeout or DEFAULT_TIMEOUT, max_bytes=max_bytes)
        text, meta, notes, extracted = page_text(page, source.ref)
        return InputDoc(source.id, text, notes, meta, extracted, None)
    path = Path(source.ref)
    suffix = path.suffix.lower()
    if suffix in _BINARY_SUFFIXES:
        raise InputError(
            f"{path}: unsupported format '{suffix}' (rhetoric reads plain text, Markdown, "
            "HTML, JSONL and CSV)"
        )
    if suffix not in TEXT_SUFFIXES and suffix not in HTML_SUFFIXES:
        raise InputError(
            f"{path}: unknown format '{suffix}' "
            "(rhetoric reads .txt, .md, .html, .jsonl and .csv; use - to pipe other text)"
        )
    data = _read_bytes(path, max_bytes)
    if len(data) > max_bytes:
        raise InputError(f"{path}: input is over the {max_bytes:,}-byte limit (see --max-bytes)")
    if suffix in HTML_SUFFIXES:
        from .fetch import extract_html

        html, notes = decode_html(data, str(path))  # heeds the page's <meta charset>
        body, meta = extract_html(html, str(path))
        return InputDoc(source.id, body, notes, meta, True, str(path))
    text, notes = decode(data, str(path))
    return InputDoc(source.id, text, notes, origin=str(path))


def iter_inputs(
    paths: Sequence[str],
    max_bytes: int = MAX_BYTES,
    stdin: object = None,
    *,
    text_column: str = "text",
    id_column: str = "id",
    timeout: float | None = None,
) -> Iterator[InputDoc | InputError]:
    """Yield a document per input, or an ``InputError`` for an input that fails,
    so one bad file does not stop the rest. No paths means stdin."""
    for src in iter_sources(
        paths, max_bytes=max_bytes, text_column=text_column, id_column=id_column, stdin=stdin
    ):
        if isinstance(src, InputError):
            yield src
            continue
        try:
            yield load(src, max_bytes=max_bytes, timeout=timeout)
        except InputError as e:
            yield e
