"""Properties that must hold for any input: offsets in range and exact."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rhetoric import analyze
from rhetoric.core.document import Document, normalize
from rhetoric.core.report import CATEGORIES, Finding

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
    from rhetoric.core.document import _norm_char

    expected = text.lower().replace("`", "'") if text.isascii() else "".join(map(_norm_char, text))
    assert normalize(text) == expected
    assert len(normalize(text)) == len(text)


def _merge_by_brute_force(findings):  # type: ignore[no-untyped-def]
    """The model/rule policy written the slow, obvious way (every pair)."""
    from rhetoric.detectors import MODEL_DETECTORS

    rules = [f for f in findings if f.detector not in MODEL_DETECTORS]
    support, extra = [0.0] * len(rules), []
    for m in (f for f in findings if f.detector in MODEL_DETECTORS):
        hit = False
        for i, r in enumerate(rules):
            if r.category == m.category and r.start < m.end and m.start < r.end:
                hit = True
                support[i] = max(support[i], m.confidence)
        if not hit:
            extra.append(m)
    return rules + extra, support + [0.0] * len(extra)


def _resolve_by_brute_force(findings):  # type: ignore[no-untyped-def]
    """The overlap policy written the slow, obvious way (every pair)."""
    kept: list = []
    for f in sorted(findings, key=lambda f: (-f.confidence, -(f.end - f.start), f.start)):
        if not any(g.category == f.category and f.start < g.end and g.start < f.end for g in kept):
            kept.append(f)
    return sorted(kept, key=lambda f: (f.start, f.end, CATEGORIES.index(f.category)))


_finding = st.builds(
    lambda s, n, c, conf, model: Finding(
        s, s + n, "x" * n, c, "l", conf, "ptc_model.propaganda" if model else "rule", "e"
    ),
    st.integers(0, 60),
    st.integers(1, 15),
    st.sampled_from(CATEGORIES),
    st.sampled_from([0.2, 0.45, 0.5, 0.7, 0.9]),
    st.booleans(),
)


@given(st.lists(_finding, max_size=25))
def test_overlap_policy_equals_the_pairwise_definition(findings: list) -> None:
    # resolve_overlaps and merge_model_findings use sorted windows (linear-ish
    # on long texts); they must keep exactly what comparing every pair keeps
    from rhetoric.pipeline.overlap import merge_model_findings, resolve_overlaps

    assert merge_model_findings(findings) == _merge_by_brute_force(findings)
    assert resolve_overlaps(findings) == _resolve_by_brute_force(findings)
