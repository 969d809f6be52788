"""Bytes to text, for plain files and web pages alike, and the error every
input problem becomes.

Plain text: UTF-8, else UTF-16/32 by byte order mark, else cp1252 then
latin-1, with a note. HTML: the encoding sniffing browsers use (BOM, HTTP
charset, ``<meta charset>``), then the same. Binary data is refused with one
sentence. Nothing here reads files or the network (``inputs`` and ``fetch``
do), so both can depend on it without depending on each other.
"""

from __future__ import annotations

import codecs
import re

from ..core.safe import clean_surrogates

__all__ = ["InputError", "decode", "decode_html", "is_url"]


class InputError(Exception):
    """An input that cannot be analysed; ``str(err)`` is the one-line message.
    ``id``: the document it concerns, when known (a batch's errors file keys on it)."""

    def __init__(self, message: str, id: str | None = None) -> None:
        # a file name that is not UTF-8 is shown with \xNN escapes, as in
        # its id, so the message can be printed and written anywhere
        super().__init__(clean_surrogates(message))
        self.id = None if id is None else clean_surrogates(id)


# Byte order marks of the UTF-16/32 text Windows editors save ("Unicode");
# UTF-32 first, as its little-endian mark starts with UTF-16's.
_UNICODE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes, name: str) -> tuple[str, list[str]]:
    """Decode bytes as UTF-8 (BOM allowed), or as UTF-16/32 when they start
    with that byte order mark, falling back to cp1252, then latin-1.

    Refuses data that looks binary: NUL bytes, or many control characters.
    """
    for bom, enc in _UNICODE_BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                break  # not UTF-16/32 after all: read it as below
            if "\x00" in text[:8192]:
                raise InputError(
                    f"{name}: looks like a binary file (NUL bytes); rhetoric reads text"
                )
            return text, [f"{name}: not UTF-8; decoded as {enc.upper()} (byte order mark)"]
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


def is_url(raw: str) -> bool:
    """``http://`` or ``https://``: fetched (``fetch``), not opened."""
    return raw.lower().startswith(("http://", "https://"))


# The encodings browsers know (the WHATWG Encoding Standard), by Python codec
# name. A label for anything else, a Python-only codec ("unicode_escape",
# "rot13") or a misspelling, is ignored, as a browser ignores it.
_WEB_ENCODINGS = frozenset(
    {
        "utf-8",
        "utf-16-le",
        "utf-16-be",
        "cp866",
        *(f"iso8859-{n}" for n in (2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 15, 16)),
        "koi8-r",
        "koi8-u",
        "mac-roman",
        "mac-cyrillic",
        "cp874",
        *(f"cp{n}" for n in range(1250, 1259)),
        "gbk",
        "gb18030",
        "big5hkscs",
        "euc_jp",
        "iso2022_jp",
        "cp932",
        "cp949",
    }
)
# Labels browsers read as a wider encoding: a page labelled ISO-8859-1 or
# US-ASCII is decoded as windows-1252, so its curly quotes (0x93, 0x94) are
# quotes and not control characters; likewise Shift_JIS as windows-31j, etc.
_AS_BROWSERS = {
    "iso8859-1": "cp1252",
    "ascii": "cp1252",
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gbk",
    "big5": "big5hkscs",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
    "utf-16": "utf-16-le",
}
# How far into a page to look for <meta charset> (the HTML standard's prescan
# reads 1024 bytes; a little more finds it after a long <head> preamble).
_PRESCAN_BYTES = 2048
_BOMS = (
    codecs.BOM_UTF8,
    codecs.BOM_UTF16_LE,  # also the start of UTF-32's little-endian mark
    codecs.BOM_UTF16_BE,
    codecs.BOM_UTF32_BE,
)
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
_META = re.compile(r"<meta[\s/]([^>]*)", re.IGNORECASE)
_ATTR = re.compile(r"""([^\s/>=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]*))?""")
_CONTENT_CHARSET = re.compile(r"""charset\s*=\s*("[^"]*"|'[^']*'|[^\s;"']+)""", re.IGNORECASE)


def _encoding(label: str | None) -> str | None:
    """The Python codec for a charset label, read as a browser reads it; None
    for a missing, unknown or non-web one."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'").strip()).name
    except (LookupError, ValueError):  # unknown; a NUL in the name
        return None
    name = _AS_BROWSERS.get(name, name)
    return name if name in _WEB_ENCODINGS else None


def _meta_charset(head: bytes) -> str | None:
    """The encoding a ``<meta charset=...>`` or ``<meta http-equiv="Content-Type"
    content="text/html; charset=...">`` in ``head`` declares: the first one that
    names a known encoding, outside comments. UTF-16 counts as UTF-8 there, as
    in the HTML standard: a page whose meta is readable as ASCII is not UTF-16."""
    text = _COMMENT.sub("", head.decode("latin-1"))  # an ASCII-compatible view of the bytes
    for tag in _META.finditer(text):
        attrs: dict[str, str] = {}
        for a in _ATTR.finditer(tag.group(1)):
            attrs.setdefault(a.group(1).lower(), (a.group(2) or "").strip("\"'"))
        label = attrs.get("charset")
        if label is None and attrs.get("http-equiv", "").strip().lower() == "content-type":
            m = _CONTENT_CHARSET.search(attrs.get("content", ""))
            label = m.group(1) if m else None
        enc = _encoding(label)
        if enc:
            return "utf-8" if enc.startswith("utf-16") else enc
    return None


def decode_html(body: bytes, name: str, charset: str | None = None) -> tuple[str, list[str]]:
    """An HTML page's bytes as text, with notes on how they were read.

    The encoding is found in the order browsers use (the HTML standard's
    encoding sniffing): a byte order mark, then ``charset`` (from the HTTP
    Content-Type header), then a ``<meta>`` charset in the first 2 KB; an
    unknown or bogus name counts as none. With none, ``decode``: UTF-8,
    then cp1252 (with a note), as for plain text.

    One departure, on purpose: bytes that are valid UTF-8 and not plain ASCII
    are read as UTF-8 even when the header or meta declares a legacy encoding
    (with a note). A browser lets the declaration win and shows "cafÃ©"; here
    the words are what is analysed, the mismatch is common (a page re-saved
    as UTF-8 that kept its ``<meta charset=iso-8859-1>``, a server whose
    default header says ISO-8859-1), and legacy-encoded text is next to never
    valid UTF-8 by accident (it takes pairs such as "Ã©"). A BOM always wins.
    Bytes the declared encoding lacks become U+FFFD, as in browsers.
    """
    if body.startswith(_BOMS):
        return decode(body, name)  # reads UTF-8, UTF-16 and UTF-32 byte order marks
    declared = _encoding(charset) or _meta_charset(body[:_PRESCAN_BYTES])
    if declared is None or declared == "utf-8":
        return decode(body, name)
    if not declared.startswith("utf-16") and not body.isascii():
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return text, [f"{name}: declared as {declared} but is UTF-8; decoded as UTF-8"]
    try:
        return body.decode(declared), []
    except UnicodeDecodeError:  # a stray byte: the declaration still holds, as in browsers
        return body.decode(declared, errors="replace"), [
            f"{name}: bytes that are not {declared} (as declared) replaced with U+FFFD"
        ]
