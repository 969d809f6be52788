"""Lexicon files and the phrase matcher."""

from __future__ import annotations

import pytest

from rhetoric.core.document import Document
from rhetoric.core.lexicon import (
    LexiconError,
    base_forms,
    load_lexicon,
    parse_lexicon,
    shipped_lexicons,
)

HEADER = [
    "# family: test",
    "# category: loaded_language",
    "# source: tests",
    "term\tlabel\tweight\texplanation",
]


def lex(*rows: str):  # type: ignore[no-untyped-def]
    return parse_lexicon([*HEADER, *rows], "test.tsv")


def hits(lexicon, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [text[m.start : m.end] for m in lexicon.match(Document(text))]


def test_inflection_case_and_multiword() -> None:
    lx = lex("turn the screws\tx\t0.7\t", "smear\tx\t0.6\t", "witch hunt\tx\t0.8\t")
    text = "Russia Turns The Screws; critics smeared him, smearing all. Witch-hunts again."
    assert hits(lx, text) == ["Turns The Screws", "smeared", "smearing", "Witch-hunts"]


def test_curly_apostrophes_hyphens_and_exact_words() -> None:
    lx = lex("it's just a matter of time\tx\t0.7\t", "so-called\tx\t0.6\t", "=may\tx\t0.2\t")
    text = "It\u2019s just a matter of time. The so\u2010called plan, so called. It may; mays."
    assert hits(lx, text) == [
        "It\u2019s just a matter of time",
        "so\u2010called",
        "so called",
        "may",
    ]


def test_no_match_inside_a_hyphenated_compound() -> None:
    # "lame" is not loaded in "lame-duck", nor "would" a hedge in "would-be"
    lx = lex("lame\tx\t0.6\t", "would\tx\t0.4\t", "imposed\tx\t0.5\t")
    text = "A lame-duck session. The would-be rival. A self-imposed limit. It would be lame."
    assert hits(lx, text) == ["would", "lame"]


def test_wildcard_and_longest_match_and_punctuation_breaks_phrases() -> None:
    lx = lex("a * source\tx\t0.6\t", "source\tx\t0.3\t", "smoking gun\tx\t0.8\t")
    text = "A senior source spoke. The smoking, gun. Smoking gun!"
    assert hits(lx, text) == ["A senior source", "Smoking gun"]


def test_base_forms() -> None:
    assert "screw" in base_forms("screws")
    assert "bully" in base_forms("bullied")
    assert "slam" in base_forms("slamming")
    assert "blame" in base_forms("blaming")
    assert "moscow" in base_forms("moscow's")


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (["x\tl\tnot-a-number\t"], "not a number"),
        (["x\tl\t1.5\t"], "outside 0-1"),
        (["x\tl\t0.5\t", "x\tl\t0.4\t"], "duplicate"),
        (["x"], "4 tab-separated"),
        (["* x\tl\t0.5\t"], "must start with a word"),
    ],
)
def test_bad_rows_name_the_line(rows: list[str], message: str) -> None:
    with pytest.raises(LexiconError, match=rf":\d+: .*{message}"):
        lex(*rows)


def test_missing_header_row() -> None:
    with pytest.raises(LexiconError, match="header"):
        parse_lexicon(["# family: x", "smear\tx\t0.5\t"], "bad.tsv")


def test_shipped_lexicons_are_documented_and_deep() -> None:
    sizes: dict[str, int] = {}
    for name in shipped_lexicons():
        lx = load_lexicon(name)
        assert lx.source, f"{name} has no '# source:' header"
        assert lx.category, f"{name} has no '# category:' header"
        for e in lx.entries:
            assert e.explanation, f"{name}: {e.term} has no explanation"
        sizes[lx.category] = sizes.get(lx.category, 0) + len(lx)
    assert sizes["loaded_language"] >= 400
    assert sizes["hedging"] >= 150
    assert sizes["attribution"] >= 100


def test_no_term_in_two_lexicons() -> None:
    seen: dict[str, str] = {}
    for name in shipped_lexicons():
        lx = load_lexicon(name)
        if lx.category == "attribution_cue":
            continue
        for e in lx.entries:
            key = " ".join(w.text for w in e.words)
            assert key not in seen, f"{e.term!r} is in {seen.get(key)} and {name}"
            seen[key] = name


def test_plain_report_verbs_are_never_gaps() -> None:
    for name in shipped_lexicons():
        lx = load_lexicon(name)
        if lx.category == "attribution":
            terms = {e.term for e in lx.entries}
            assert not terms & {"said", "say", "told", "added", "stated", "according to"}


def _scan_every_word(lex, doc: Document) -> list[tuple[int, int, str]]:
    """Reference matcher: try every word against the full index, left to right."""
    from rhetoric.core.lexicon import _whole_compound, joinable_words

    words, joinable, out, i = doc.words, joinable_words(doc), [], 0
    while i < len(words):
        hit = lex._match_at(lex._index, words, joinable, i)
        if hit is None or not _whole_compound(hit[0], words, doc.norm, i, hit[1]):
            i += 1
            continue
        out.append((words[i].start, words[hit[1]].end, hit[0].term))
        i = hit[1] + 1
    return out


def test_indexed_matching_equals_a_scan_of_every_word() -> None:
    # the fast path (candidate words from the document's forms, entries whose
    # words the document lacks dropped) must find exactly what a full scan finds
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "corpora"
    texts = [
        json.loads(line)["text"]
        for name in ("passages.jsonl", "passages_heldout.jsonl")
        for line in (root / name).read_text(encoding="utf-8").splitlines()
    ]
    texts.append("According to a senior source close to the talks, sources say it may be so.")
    total = 0
    for text in texts:
        for name in shipped_lexicons():
            lex = load_lexicon(name)
            doc = Document(text)
            got = [(m.start, m.end, m.entry.term) for m in lex.match(doc)]
            assert got == _scan_every_word(lex, Document(text)), (name, text[:60])
            total += len(got)
    assert total > 500
