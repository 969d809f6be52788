"""Properties that must hold for any input: offsets in range and exact."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rhetoric import analyze
from rhetoric.document import Document, normalize
from rhetoric.report import CATEGORIES

PHRASES = [
    "smoking gun",
    "so-called",
    "If the US is indeed complicit, ",
    "sources say",
    "it\u2019s just a matter of time",
    "Mr. Smith said",
    "U.S.",
    "\u201cquote\u201d",
    "\n\n",
    "\n- ",
    "slammed",
    "critics argue",
    "!",
    "...",
    " ",
]
text_strategy = st.lists(
    st.one_of(st.text(max_size=40), st.sampled_from(PHRASES)), max_size=25
).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text_strategy)
def test_findings_are_exact_spans(text: str) -> None:
    report = analyze(text)
    for f in report.findings:
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.text
        assert f.category in CATEGORIES and 0.0 <= f.confidence <= 1.0
    for p in report.passages:
        assert 0 <= p.start < p.end <= len(text) and 0 <= p.score <= 100
    for a in report.attributions:
        assert text[a.cue.start : a.cue.end] == a.cue.text
        if a.source:
            assert text[a.source.start : a.source.end] == a.source.text
        if a.content:
            assert 0 <= a.content.start <= a.content.end <= len(text)
    assert all(0 <= v <= 100 for v in report.scores.values())
    report.to_dict()


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_document_spans_are_ordered_and_in_range(text: str) -> None:
    d = Document(text)
    assert len(normalize(text)) == len(text)
    prev = 0
    for s in d.sentences:
        assert prev <= s.start < s.end <= len(text)
        prev = s.end
    for t in d.tokens:
        assert normalize(text[t.start : t.end]) == t.norm


@given(
    st.text(alphabet=st.characters(max_codepoint=0x3100))
    | st.sampled_from(["ΣΑΣ", "İstanbul", "“Quote” — ‘x’…"])
)
def test_normalize_is_the_per_character_map(text: str) -> None:
    # the fast path (translate, then lower the whole string) must equal the
    # definition: each character mapped on its own, length kept
    from rhetoric.document import _norm_char

    expected = text.lower().replace("`", "'") if text.isascii() else "".join(map(_norm_char, text))
    assert normalize(text) == expected
    assert len(normalize(text)) == len(text)
