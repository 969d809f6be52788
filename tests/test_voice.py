"""Whose words a finding is on, page furniture, and what the default view
shows. All sentences here were written for these tests."""

from __future__ import annotations

from rhetoric.core.boilerplate import boilerplate, classify_line
from rhetoric.core.document import Document
from rhetoric.core.report import Finding
from rhetoric.pipeline.analyze import analyze
from rhetoric.pipeline.scoring import author_findings
from rhetoric.render.marks import bracket_tags, crossing
from rhetoric.render.view import SHOW_FLOOR, visible

QUOTED = (
    'The mayor defended the budget on Tuesday. "This is a reckless, vindictive attack on our '
    'city by people who hate it," said Councillor Ana Ruiz, who opposes the plan.'
)
WRITER = "The reckless plan is a vindictive attack on the city, and its backers are thugs."


def _loaded(text: str) -> list[tuple[str, str, str | None]]:
    r = analyze(text)
    return [
        (f.text, f.voice, f.speaker)
        for f in r.findings
        if f.category == "loaded_language" and f.confidence >= 0.5
    ]


def test_loaded_words_inside_a_credited_quotation_are_the_speakers() -> None:
    assert _loaded(QUOTED) == [
        ("reckless", "quoted", "Councillor Ana Ruiz"),
        ("vindictive", "quoted", "Councillor Ana Ruiz"),
    ]
    r = analyze(QUOTED)
    assert not author_findings(r.findings)
    assert r.scores["overall"] == 0 and r.scores["loaded_language"] == 0


def test_the_same_words_in_the_writers_voice_count() -> None:
    assert _loaded(WRITER) == [
        ("reckless", "author", None),
        ("vindictive", "author", None),
        ("thugs", "author", None),
    ]
    assert analyze(WRITER).scores["loaded_language"] >= 50


def test_a_quoted_word_in_the_writers_sentence_stays_the_writers() -> None:
    # a one-word quotation lifted into the writer's sentence is the writer's choice
    text = 'Critics of the scheme were branded "traitors" by the council leader.'
    f = next(f for f in analyze(text).findings if "traitor" in f.text)
    assert f.voice == "author"


def test_reported_hedge_is_the_sources_and_not_the_writers() -> None:
    r = analyze("Officials said the attack may have been planned weeks in advance.")
    hedge = next(f for f in r.findings if f.category == "hedging")
    assert (hedge.text, hedge.voice, hedge.speaker) == ("may have", "author", "Officials")
    assert hedge.confidence >= 0.5 and r.scores["hedging"] == 0


def test_page_furniture_is_recognised_line_by_line() -> None:
    d = Document(
        "Share this article\n\nThe council met on Monday to debate the budget for next year.\n\n"
        "Sign up for our newsletter to get the latest headlines in your inbox.\n\n"
        "Photo: John Smith/Getty Images"
    )
    got = [(d.text[b.start : b.end], b.kind) for b in boilerplate(d)]
    assert got == [
        ("Share this article", "share"),
        ("Sign up for our newsletter to get the latest headlines in your inbox.", "subscribe"),
        ("Photo: John Smith/Getty Images", "credit"),
    ]
    assert classify_line("The council met on Monday to debate the budget.") is None


def test_findings_on_furniture_are_dropped() -> None:
    text = (
        "The council approved the budget on Monday after a short debate.\n\n"
        "Should the council have approved this outrageous, disgraceful budget?\n\nYes\n\nNo\n\n"
        "Not sure"
    )
    r = analyze(text)
    cut = text.index("Should")
    assert all(f.start < cut for f in r.findings)
    assert [b["kind"] for b in r.boilerplate] == ["poll"] * 4
    # a question in the article, followed by prose, is not a poll
    prose = "Should the council pay? The auditor thinks it should, and said so on Monday."
    assert not boilerplate(Document(prose.replace("? ", "?\n\n")))


def _f(s: int, e: int, conf: float = 0.9) -> Finding:
    return Finding(s, e, "x" * (e - s), "loaded_language", "l", conf, "rule", "e")


def test_crossing_findings_get_labelled_brackets() -> None:
    a, b, c = _f(0, 10), _f(5, 15), _f(20, 25)
    assert crossing([a, b, c]) == {0, 1}
    opens, closes = bracket_tags([("A1", a), ("L2", b), ("L3", c)])
    assert opens == {0: ["[A1 "], 5: ["[L2 "], 20: ["["]}
    assert closes == {10: ["]A1"], 15: ["]L2"], 25: ["]L3"]}


def test_default_view_hides_weak_findings_and_says_how_many() -> None:
    r = analyze(WRITER)
    shown = visible(r)
    assert all(f.confidence >= SHOW_FLOOR for f in shown.findings)
    hidden = len(r.findings) - len(shown.findings)
    assert hidden >= 1 and any(f"{hidden} weaker finding" in n for n in shown.notes)
    assert shown.scores == r.scores
