"""The document model: offsets into the untouched text, sentence splitting."""

from __future__ import annotations

import pytest

from rhetoric.core.document import Document, normalize


def sents(text: str) -> list[str]:
    d = Document(text)
    return [text[s.start : s.end] for s in d.sentences]


def test_normalize_keeps_length_and_unifies_marks() -> None:
    s = "It\u2019s \u201cso\u2011called\u201d\u00a0news \u2014 \u0130stanbul \u00df"
    n = normalize(s)
    assert len(n) == len(s)
    assert n.startswith('it\'s "so-called" news - ')


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The U.S. Army said it would help. The talks begin Monday.",
            ["The U.S. Army said it would help.", "The talks begin Monday."],
        ),
        (
            "Gen. Mark Hale met Mr. Ortiz on Dec. 2 in Oslo. They spoke for an hour.",
            ["Gen. Mark Hale met Mr. Ortiz on Dec. 2 in Oslo.", "They spoke for an hour."],
        ),
        (
            "Sales fell 3.5 percent. Analysts shrugged.",
            ["Sales fell 3.5 percent.", "Analysts shrugged."],
        ),
        (
            "\u201cWe will not resign,\u201d she said. \u201cNever.\u201d The crowd cheered.",
            [
                "\u201cWe will not resign,\u201d she said.",
                "\u201cNever.\u201d",
                "The crowd cheered.",
            ],
        ),
        ('He asked, "Why now?" and left.', ['He asked, "Why now?" and left.']),
        ("It moved to the U.S. The firm said so.", ["It moved to the U.S.", "The firm said so."]),
        ("J. R. Tolkien wrote it. Fans agree.", ["J. R. Tolkien wrote it.", "Fans agree."]),
    ],
)
def test_sentence_splitting(text: str, expected: list[str]) -> None:
    assert sents(text) == expected


def test_headlines_and_list_lines_are_their_own_sentences() -> None:
    text = (
        "Council Votes To Close Library\n"
        "The council voted 5-4 on Tuesday.\n\n"
        "Key points:\n- budget cut by 12%\n- two branches close\n\n"
        "The vote was close and the\nmayor abstained."
    )
    assert sents(text) == [
        "Council Votes To Close Library",
        "The council voted 5-4 on Tuesday.",
        "Key points:",
        "- budget cut by 12%",
        "- two branches close",
        "The vote was close and the\nmayor abstained.",
    ]


def test_paragraphs_and_offsets_point_into_original() -> None:
    text = "  First para.\n\n\n Second\u00a0para here.  \n"
    d = Document(text)
    assert [text[p.start : p.end] for p in d.paragraphs] == [
        "First para.",
        "Second\u00a0para here.",
    ]
    for t in d.tokens:
        assert normalize(text[t.start : t.end]) == t.norm
    assert d.line_col(d.paragraphs[1].start) == (4, 2)


def test_empty_and_whitespace_documents() -> None:
    for text in ("", "   \n\n  "):
        d = Document(text)
        assert d.paragraphs == [] and d.sentences == [] and d.tokens == []
