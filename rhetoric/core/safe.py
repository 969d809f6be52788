"""What comes from outside, made safe to parse and to show.

* ``json_loads``: one JSON value from a line of a corpus, an answer file or a
  request, whatever its size or depth: a number of thousands of digits or
  arrays nested 100,000 deep is a ``json.JSONDecodeError`` like any other
  malformed line (the standard parser raises ``ValueError`` or
  ``RecursionError`` there), so every reader's one-line error handles it.
* ``printable``: a message for the terminal or a log, on one line: control
  characters (an escape sequence a server sent, a carriage return), text
  direction overrides and the undecodable bytes of a file name become visible
  ``\\xNN`` escapes. Used for every line rhetoric writes to stderr.
* ``visible_controls``: the same, one character for one character, for an
  article shown on a terminal (offsets into it stay valid).
* ``terminal_text``: a whole page of output (a worksheet, a grade table, a
  report as JSON or HTML) for a terminal: ``visible_controls``, and a lone
  carriage return, which would let a line overwrite the one before, shown too.
* ``csv_escape`` / ``csv_unescape``: a CSV cell that a spreadsheet would
  take for a formula (it starts with ``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return) gets a leading ``'`` (OWASP's advice), and back. Every CSV
  rhetoric writes (batch results, grades, the web app's download) uses it.
* ``clean_surrogates``: a file name that is not UTF-8 (``\\udcff`` after
  Python's decoding) as text that can be written and printed (``\\xff``); ids
  of files are built with it, so reports, errors files and pages can be written.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from typing import Any

__all__ = [
    "MAX_JSON_DEPTH",
    "clean_surrogates",
    "csv_escape",
    "csv_line",
    "csv_unescape",
    "json_loads",
    "printable",
    "terminal_text",
    "visible_controls",
]

#: Arrays and objects nested deeper than this are refused (no corpus record,
#: answer or request comes near it; the parser itself gives up near 1,000).
MAX_JSON_DEPTH = 100

_TOKENS = re.compile(r'["\\\[\]{}]')


def _depth(text: str) -> int:
    """How deep arrays and objects nest in ``text`` (brackets inside strings
    left out); one pass over the quote, backslash and bracket characters."""
    depth = deepest = 0
    in_string = False
    skip = -1  # the position of a character a backslash escapes
    for m in _TOKENS.finditer(text):
        pos, ch = m.start(), m.group()
        if pos == skip:
            continue
        if in_string:
            if ch == "\\":
                skip = pos + 1
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def json_loads(data: str | bytes) -> Any:
    """``json.loads`` that fails only with ``json.JSONDecodeError`` (or
    ``UnicodeDecodeError`` for bytes that are not UTF-8): a value nested
    deeper than ``MAX_JSON_DEPTH`` or a number too long to convert is
    malformed input, not a crash."""
    if isinstance(data, bytes | bytearray):
        text = bytes(data).decode("utf-8-sig" if data[:3] == b"\xef\xbb\xbf" else "utf-8")
    else:
        text = data
    opens = text.count("[") + text.count("{")
    if opens > MAX_JSON_DEPTH and _depth(text) > MAX_JSON_DEPTH:
        raise json.JSONDecodeError(f"nested more than {MAX_JSON_DEPTH} levels deep", text, 0)
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise
    except RecursionError:  # pragma: no cover - the depth check comes first
        raise json.JSONDecodeError("nested too deeply", text, 0) from None
    except ValueError as e:  # "Exceeds the limit (4300 digits) for integer string conversion"
        why = "a number with too many digits" if "digits" in str(e) else str(e)
        raise json.JSONDecodeError(why, text, 0) from None


# C0 and C1 controls and DEL, except tab; text direction controls (a file
# name that reads backwards); lone surrogates (undecodable bytes of a name).
_UNSAFE = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def _escape(ch: str) -> str:
    n = ord(ch)
    if ch in "\n\r":
        return "\\n" if ch == "\n" else "\\r"
    if 0xDC80 <= n <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{n - 0xDC00:02x}"
    return f"\\x{n:02x}" if n < 0x100 else f"\\u{n:04x}"


def printable(text: str) -> str:
    """``text`` on one line with nothing a terminal would act on: control
    characters, direction overrides and undecodable bytes as escapes."""
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(lambda m: _escape(m.group()), text.replace("\t", " "))


_SURROGATES = re.compile("[\ud800-\udfff]")


def clean_surrogates(text: str) -> str:
    """A string with lone surrogates (from a name that is not UTF-8) as
    ``\\xNN`` escapes, so it can be encoded as UTF-8 and printed."""
    if _SURROGATES.search(text) is None:
        return text
    return _SURROGATES.sub(lambda m: _escape(m.group()), text)


# Kept: tab, line feed and carriage return (the layout of the text).
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def visible_controls(text: str) -> str:
    """``text`` with every control character a terminal would act on replaced
    by one visible character (U+2400 pictures for C0, U+FFFD otherwise), so
    the length and every offset stay the same."""
    if _CONTROLS.search(text) is None:
        return text
    return _CONTROLS.sub(
        lambda m: chr(0x2400 + ord(m.group())) if ord(m.group()) < 0x20 else "\ufffd", text
    )


# As _CONTROLS, and a carriage return that does not end a line (CRLF stays).
_TERMINAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|\r(?!\n)")


def terminal_text(text: str) -> str:
    """Output for a terminal with nothing in it that the terminal would act
    on: ``visible_controls``, and a lone carriage return as U+240D."""
    if _TERMINAL.search(text) is None:
        return text
    return _TERMINAL.sub(
        lambda m: chr(0x2400 + ord(m.group())) if ord(m.group()) < 0x20 else "\ufffd", text
    )


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def csv_escape(value: str) -> str:
    """A cell a spreadsheet shows as text: a leading ``'`` when it would start
    a formula (also before a ``'`` that precedes one, so that ``csv_unescape``
    is exact)."""
    return "'" + value if value.lstrip("'").startswith(_FORMULA) else value


def csv_line(row: Sequence[Any]) -> str:
    """One CSV record (no newline) with formula cells neutralised
    (``csv_escape`` on every text cell)."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(
        [csv_escape(v) if isinstance(v, str) else v for v in row]
    )
    return buf.getvalue()[:-1]


def csv_unescape(value: str) -> str:
    """The value ``csv_escape`` was given."""
    if value.startswith("'") and value.lstrip("'").startswith(_FORMULA):
        return value[1:]
    return value
