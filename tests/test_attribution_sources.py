"""Source spans and kinds of the who-said-what extractor: titles join names,
time words are never sources, relative pronouns and "it" take their kind from
what they stand for, and cues that report nobody make no attribution. Every
sentence here is made up for the test."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from rhetoric.attribution.combine import combine_attributions
from rhetoric.attribution.rules import rule_attributions
from rhetoric.attribution.sourcing import sourcing_profile
from rhetoric.core.document import Document
from rhetoric.core.report import Attribution


def _rules(text: str) -> list[tuple[str, str | None, str]]:
    """(cue, source, kind) of the rule attributions of ``text``."""
    return [
        (a.cue.text, a.source.text if a.source else None, a.kind)
        for a in rule_attributions(Document(text))
    ]


def _probs(doc: Document, marked: Sequence[str]) -> list[float]:
    """0.9 for the words (exact text) in ``marked``, 0.0 elsewhere."""
    return [0.9 if doc.text[w.start : w.end] in marked else 0.0 for w in doc.words]


def _combined(text: str, cues: Sequence[str], sources: Sequence[str]) -> list[Attribution]:
    """The attributions a tagger marking ``cues`` and ``sources`` adds to no rules."""
    doc = Document(text)
    return combine_attributions(doc, [], _probs(doc, cues), _probs(doc, sources), 0.5, 0.5)


@pytest.mark.parametrize(
    ("text", "cue", "source"),
    [
        ("Sen. Maria Lopez said the plan would fail.", "said", "Sen. Maria Lopez"),
        ("Dr. Ivo Brandt told the inquiry the tests were late.", "told", "Dr. Ivo Brandt"),
        # a line break after the title (one sentence per line in some corpora)
        ('"We are ready," said the Rev.\nAnna Kowal, the pastor.', "said", "the Rev.\nAnna Kowal"),
    ],
)
def test_a_title_abbreviation_joins_the_name_after_it(text: str, cue: str, source: str) -> None:
    assert (cue, source, "named") in _rules(text)


def test_a_tagged_title_is_widened_to_the_name() -> None:
    text = "Mr. Halvorsen often criticised the reporters for their questions."
    (a,) = _combined(text, ["criticised"], ["Mr"])
    assert a.source is not None and a.source.text == "Mr. Halvorsen"
    assert a.kind == "named"


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("Senator Ruiz on Thursday denied the allegations.", "Senator Ruiz"),
        ("The Harbour Authority on Monday reported that the port was closed.", "Harbour Authority"),
        ("The council noted Friday that the budget was short.", "council"),
        ("The Daily Ledger in February reported a loss.", "Daily Ledger"),
    ],
)
def test_a_time_phrase_is_skipped_never_the_source(text: str, source: str) -> None:
    assert [s for _, s, _ in _rules(text)] == [source]


def test_a_date_between_commas_is_not_a_source() -> None:
    assert _rules("The letters, both dated Tuesday, claim that the vote was rigged.") == []


def test_a_tagged_day_or_possessive_alone_is_no_source() -> None:
    for text, word in (
        ("The fund on Tuesday issued a warning.", "Tuesday"),
        ("Trump and his staff are eager to blame the press.", "his"),
        ("The district reported 35 new cases in 2016.", "2016"),
    ):
        atts = _combined(text, ["issued", "blame", "reported"], [word])
        assert atts and all(a.source is None for a in atts), text


@pytest.mark.parametrize(
    ("text", "source"),
    [
        (
            "Mara Lind, a nurse at the clinic, said the ward was full.",
            "Mara Lind, a nurse at the clinic",
        ),
        ("Sen. Tom Reyes (D-Ore.) told reporters the bill was dead.", "Sen. Tom Reyes"),
        (
            "Inez Varga, 41, a teacher at the school, agrees.",
            "Inez Varga, 41, a teacher at the school",
        ),
        ("The Tenants Union, in a statement, said rents had doubled.", "Tenants Union"),
    ],
)
def test_the_name_before_an_apposition_or_aside_is_the_source(text: str, source: str) -> None:
    assert [s for _, s, _ in _rules(text)] == [source]


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("As Paul Okafor wrote last year, the bridge is unsafe.", "Paul Okafor"),
        ("Moreover, the Daily Ledger confirmed that the mayor resigned.", "Daily Ledger"),
        ("If Velonia insists on the deal, talks will fail.", "Velonia"),
    ],
)
def test_a_sentence_opener_is_not_part_of_the_source(text: str, source: str) -> None:
    assert [s for _, s, _ in _rules(text)] == [source]


def test_passives_questions_and_objects_make_no_named_source() -> None:
    assert _rules("Mr. Quiros was accused of fraud last year.") == []
    assert _rules("So what does the Latin say? Nobody knows.") == []
    assert _rules("The professors are wrong to believe Canon 12 allows it.") == []
    # the agent of a passive is the source
    assert _rules("The ban was first declared by President Alma Reyes in 1990.") == [
        ("declared", "President Alma Reyes", "named")
    ]
    # a vague crowd stays a vague attribution
    assert _rules("Fans are said to be furious with the coach.") == [("said", "Fans", "vague")]


def test_it_is_never_named_unless_it_speaks_for_a_named_source() -> None:
    assert _rules("It was later revealed to be a hoax.") == []
    assert _rules("If this is true, it would suggest that the board misled investors.") == []
    assert _rules("The Latin text matters because it suggests that the rule is strict.") == [
        ("suggests", "it", "vague")
    ]
    text = (
        "The Harbour Authority said on Monday the port would reopen. "
        "It added that ferries would run."
    )
    assert _rules(text) == [
        ("said", "Harbour Authority", "named"),
        ("added", "It", "named"),
    ]


def test_a_pronoun_takes_the_kind_of_the_source_it_refers_back_to() -> None:
    text = "Critics say the levy is unfair. They argue that it hurts farmers."
    assert _rules(text) == [("say", "Critics", "vague"), ("argue", "They", "vague")]


def test_anonymous_officials_and_us_are_not_named_or_self() -> None:
    assert _rules("A Pentagon official said the strike hit a depot.") == [
        ("said", "A Pentagon official", "anonymous")
    ]
    assert _rules("When US officials say they see nothing, nobody believes them.") == [
        ("say", "US officials", "anonymous")
    ]


def test_a_relative_pronoun_keeps_its_span_and_takes_the_kind_of_its_noun() -> None:
    text = "Lena Ross, who describes herself as a sceptic, joined the board."
    (a,) = _combined(text, ["describes"], ["who"])
    assert a.source is not None and a.source.text == "who"  # PolNeAR marks "who"
    assert a.kind == "named"
    prof = sourcing_profile(Document(text), [a])
    assert [s["source"] for s in prof["sources"]] == ["Lena Ross"]
    vague = _combined(
        "Some critics, who argued that the plan failed, left early.", ["argued"], ["who"]
    )
    assert [(x.source.text if x.source else None, x.kind) for x in vague] == [("who", "vague")]


def test_a_tagged_run_is_cut_before_a_relative_pronoun() -> None:
    text = "Ines Mora, a lecturer at Tarsk who studies ports, stressed that trade fell."
    (a,) = _combined(text, ["stressed"], ["Tarsk", "who", "studies"])
    assert a.source is not None and a.source.text == "Tarsk"


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("The board was having second thoughts about the merger.", "about"),
        ("She did not respond to calls to condemn the remarks.", "calls"),
        ("It left the party vulnerable to claims about secrecy.", "claims"),
    ],
)
def test_a_cue_that_reports_nobody_makes_no_attribution(text: str, cue: str) -> None:
    assert _combined(text, [cue], []) == []
