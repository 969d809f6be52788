"""HTML pages are decoded in the encoding they declare, found as browsers find
it: a byte order mark, then the HTTP header's charset, then a ``<meta>``
charset near the top; else UTF-8, then cp1252. No network: local files, and
``Page`` objects built by hand. Every text here is our own."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rhetoric.cli import app
from rhetoric.io.decode import decode_html
from rhetoric.io.fetch import Page, page_text
from rhetoric.io.inputs import InputDoc, InputError, iter_inputs

runner = CliRunner()

TITLE = "Caf\u00e9 licences: council vote"
P1 = (
    "Critics say the \u201cso-called\u201d reform of the caf\u00e9 licences is a total "
    "disaster \u2014 and the mayor\u2019s cronies slammed the report."
)
P2 = (
    "The council approved a budget of 4.2 million euros on Tuesday, after a debate "
    "that lasted most of the afternoon and ended in a narrow vote."
)
P3 = (
    "Sources close to the cabinet said the plan may yet collapse, and the mayor\u2019s "
    "office declined to comment on the timetable for the repairs."
)
TEXT = "\n\n".join([TITLE, P1, P2, P3])  # what extraction must give, character for character
# Central European text that windows-1252 cannot spell (it turns "Łódź" into "£ód¼").
P_PL = (
    "Critics say the so-called reform of the \u0141\u00f3d\u017a tram depots is a total "
    "disaster, and the mayor of Gda\u0144sk slammed the report on Tuesday afternoon."
)
META_1252 = '<meta charset="windows-1252">'
META_LATIN1 = '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'


def _page(head: str, paragraphs: tuple[str, ...] = (P1, P2, P3), title: str = TITLE) -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head>{head}\n<title>{title}</title>\n'
        f"</head><body><main><article>\n<h1>{title}</h1>\n{body}\n"
        "</article></main></body></html>\n"
    )


def _load(path: Path) -> InputDoc:
    (doc,) = iter_inputs([str(path)])
    assert isinstance(doc, InputDoc), doc
    return doc


@pytest.mark.parametrize("meta", [META_1252, META_LATIN1], ids=["meta-charset", "http-equiv"])
def test_cp1252_page_with_meta_charset(tmp_path: Path, meta: str) -> None:
    """Curly quotes, a dash, an apostrophe and "café" in windows-1252 bytes;
    a page labelled ISO-8859-1 is read as windows-1252, as browsers read it,
    so 0x93/0x94 are quotes, not control characters."""
    path = tmp_path / "cafe.html"
    data = _page(meta).encode("cp1252")
    assert b"\x93so-called\x94" in data and b"caf\xe9" in data
    path.write_bytes(data)
    doc = _load(path)
    assert doc.text == TEXT
    assert doc.notes == []  # the page said what it is: nothing to note
    assert doc.metadata["title"] == TITLE
    assert doc.extracted


def test_meta_charset_the_utf8_fallback_cannot_guess(tmp_path: Path) -> None:
    """ISO-8859-2 bytes are not UTF-8, and windows-1252 (the fallback) reads
    them wrongly: only the meta gives "Łódź" and "Gdańsk"."""
    path = tmp_path / "lodz.htm"
    html = _page('<meta charset="iso-8859-2">', (P_PL, P2), title="Tram depots")
    path.write_bytes(html.encode("iso-8859-2"))
    doc = _load(path)
    assert doc.text == "\n\n".join(["Tram depots", P_PL, P2])
    assert doc.notes == []


def test_findings_on_a_cp1252_page_quote_the_page(tmp_path: Path) -> None:
    path = tmp_path / "cafe.html"
    path.write_bytes(_page(META_1252).encode("cp1252"))
    r = runner.invoke(app, ["score", "-f", "json", "--no-models", str(path)])
    assert r.exit_code == 0, r.output
    assert r.stderr == ""
    data = json.loads(r.stdout)
    assert data["text"] == TEXT
    assert [(f["text"], f["label"]) for f in data["findings"]] == [
        ("Critics say", "vague_attribution"),
        ("so-called", "so_called"),  # inside curly quotes, decoded as such
        ("total disaster", "exaggeration"),
        ("cronies", "emotive"),
        ("slammed", "emotive"),
        (P2, "unsupported_claim"),
        ("Sources close to the cabinet said", "anonymous_source"),
        ("may yet", "epistemic_modal"),
    ]
    for f in data["findings"]:
        assert TEXT[f["start"] : f["end"]] == f["text"]


def test_utf8_page_with_a_wrong_meta(tmp_path: Path) -> None:
    """Chosen rule (see ``decode_html``): a BOM wins over everything, as in
    browsers; without one, bytes that are valid UTF-8 are read as UTF-8 over a
    legacy meta (a browser would show "cafÃ©"), with a note saying so."""
    html = _page(META_1252).encode("utf-8")
    no_bom = tmp_path / "no_bom.html"
    no_bom.write_bytes(html)
    doc = _load(no_bom)
    assert doc.text == TEXT
    assert doc.notes == [f"{no_bom}: declared as cp1252 but is UTF-8; decoded as UTF-8"]
    with_bom = tmp_path / "bom.html"
    with_bom.write_bytes(codecs.BOM_UTF8 + html)
    doc = _load(with_bom)
    assert doc.text == TEXT
    assert doc.notes == []


def test_ascii_page_follows_its_meta(tmp_path: Path) -> None:
    """Plain ASCII is the same in every ASCII-compatible encoding: the meta is
    used as it stands, with no note (entities carry the curly quotes)."""
    path = tmp_path / "ascii.html"
    html = _page(META_1252)
    path.write_bytes(html.encode("ascii", "xmlcharrefreplace"))
    doc = _load(path)
    assert doc.text == TEXT
    assert doc.notes == []


@pytest.mark.parametrize(
    "meta",
    [
        '<meta charset="x-no-such-charset">',
        "<meta charset=unicode_escape>",  # a Python codec, not a web encoding
        '<meta charset="utf-7">',
        '<meta charset="">',
        "<meta charset='\x01\x02'>",
        '<meta http-equiv="Content-Type" content="text/html; charset=">',
        '<!-- <meta charset="iso-8859-2"> -->',  # commented out
    ],
)
def test_bogus_meta_charset_falls_back(tmp_path: Path, meta: str) -> None:
    path = tmp_path / "bogus.html"
    path.write_bytes(_page(meta).encode("cp1252"))
    doc = _load(path)
    assert doc.text == TEXT
    assert doc.notes == [f"{path}: not valid UTF-8; decoded as cp1252"]


def test_bogus_meta_then_a_good_one(tmp_path: Path) -> None:
    """As in the HTML standard's prescan, a meta naming no known encoding is
    skipped and the next one counts."""
    path = tmp_path / "two.html"
    html = _page('<meta charset="no-such"><meta charset="iso-8859-2">', (P_PL, P2), "Trams")
    path.write_bytes(html.encode("iso-8859-2"))
    assert _load(path).text == "\n\n".join(["Trams", P_PL, P2])


def test_meta_after_the_first_2kb_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "late.html"
    padding = "<!-- " + "x" * 2100 + " -->"
    path.write_bytes(
        _page(padding + '<meta charset="iso-8859-2">', (P_PL, P2)).encode("iso-8859-2")
    )
    doc = _load(path)
    assert "\u0141\u00f3d\u017a" not in doc.text and "\u00a3\u00f3d\u00bc" in doc.text  # cp1252
    assert doc.notes == [f"{path}: not valid UTF-8; decoded as cp1252"]


def test_a_stray_byte_keeps_the_declared_encoding(tmp_path: Path) -> None:
    """0x81 is not a windows-1252 character: it becomes U+FFFD, as in browsers,
    and the rest of the page is still read as the meta says."""
    path = tmp_path / "stray.html"
    data = _page(META_1252).encode("cp1252").replace(b"repairs.", b"repairs\x81.")
    path.write_bytes(data)
    doc = _load(path)
    assert doc.text == TEXT.replace("repairs.", "repairs\ufffd.")
    assert doc.notes == [f"{path}: bytes that are not cp1252 (as declared) replaced with U+FFFD"]


def test_binary_html_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "blob.html"
    path.write_bytes(b"\x00\x01\x02" * 100)
    (err,) = iter_inputs([str(path)])
    assert isinstance(err, InputError)
    assert str(err) == f"{path}: looks like a binary file (NUL bytes); rhetoric reads text"


# ---------------------------------------------------------------- fetched pages


def _fetched(body: bytes, charset: str | None) -> tuple[str, list[str]]:
    page = Page("http://127.0.0.1/p.html", body, "text/html", charset)
    text, _meta, notes, extracted = page_text(page, page.url)
    assert extracted
    return text, notes


def test_http_charset_beats_meta_and_a_bom_beats_both() -> None:
    pl = _page(META_1252, (P_PL, P2), "Trams")
    want = "\n\n".join(["Trams", P_PL, P2])
    assert _fetched(pl.encode("iso-8859-2"), "iso-8859-2") == (want, [])
    # ISO-8859-1 from a server is windows-1252 in a browser too
    assert _fetched(_page("").encode("cp1252"), "ISO-8859-1") == (TEXT, [])
    # an unknown header charset is ignored: the meta decides
    assert _fetched(_page(META_1252).encode("cp1252"), "no-such-charset") == (TEXT, [])
    # a UTF-16 BOM decides over a header that says otherwise
    assert _fetched(_page("").encode("utf-16"), "iso-8859-2") == (
        TEXT,
        ["http://127.0.0.1/p.html: not UTF-8; decoded as UTF-16 (byte order mark)"],
    )
    utf32 = codecs.BOM_UTF32_BE + _page("").encode("utf-32-be")
    assert _fetched(utf32, "windows-1252") == (
        TEXT,
        ["http://127.0.0.1/p.html: not UTF-8; decoded as UTF-32 (byte order mark)"],
    )


@pytest.mark.parametrize(
    ("head", "encoding", "charset", "words"),
    [
        ('<META CHARSET="Windows-1252">', "cp1252", None, "\u201ccaf\u00e9\u201d"),
        ("<meta charset=windows-1252>", "cp1252", None, "caf\u00e9 \u2014 \u20ac5"),
        (
            "<meta http-equiv='content-type' content='text/html;charset=iso-8859-2'>",
            "iso8859-2",
            None,
            "\u0141\u00f3d\u017a",
        ),
        (
            '<meta content="text/html; charset=koi8-r" http-equiv="Content-Type">',
            "koi8-r",
            None,
            "\u041c\u043e\u0441\u043a\u0432\u0430",
        ),
        ("<meta/charset=windows-1251>", "cp1251", None, "\u041c\u043e\u0441\u043a\u0432\u0430"),
        ("", "iso8859-2", "iso-8859-2", "Gda\u0144sk"),
        ('<meta charset="windows-1252">', "iso8859-2", "ISO-8859-2", "Gda\u0144sk"),
    ],
)
def test_decode_html_finds_the_declared_encoding(
    head: str, encoding: str, charset: str | None, words: str
) -> None:
    text = f"<html><head>{head}</head><body><p>{words}</p></body></html>"
    assert decode_html(text.encode(encoding), "p.html", charset) == (text, [])


def test_meta_utf16_means_utf8() -> None:
    """A meta readable as ASCII cannot be in UTF-16 (the HTML standard reads
    such a label as UTF-8)."""
    text = '<html><head><meta charset="utf-16"></head><body><p>caf\u00e9</p></body></html>'
    assert decode_html(text.encode("utf-8"), "p.html") == (text, [])
