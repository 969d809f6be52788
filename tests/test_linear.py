"""Cost that grows with the input, not with its square (issue 16). The fast
versions of the paragraph, suppression, sourcing, hedge and HTML layout
look-ups are checked against the plain scans they replace, on random data;
one coarse guard runs the inputs that took minutes. Speed itself is
measured by benchmarks/bench_large.py, not here."""

from __future__ import annotations

import random
import time

import pytest

from rhetoric.attribution.sourcing import _AttributionIndex, span_has_attribution
from rhetoric.config import _inside, _merged, suppressed_ranges
from rhetoric.core.document import Span
from rhetoric.core.report import Attribution, Finding, Passage, Report, SpanText
from rhetoric.detectors import RULE_DETECTORS
from rhetoric.models.hedge import _coverage
from rhetoric.pipeline.analyze import analyze
from rhetoric.render.html import _layout_passage, layout_marks, render_html


def _naive_layout(items, ps, pe):  # type: ignore[no-untyped-def]
    """layout_marks as it was: every placed range checked for every finding."""
    placed: list[tuple[int, int]] = []
    out = []
    for n, f in sorted(items, key=lambda t: (-(t[1].end - t[1].start), t[1].start, t[0])):
        s, e = max(f.start, ps), min(f.end, pe)
        if s >= e:
            s = e = min(max(f.start, ps), pe)
        changed = s < e
        while changed:
            changed = False
            for a, b in placed:
                if a < s < b < e:
                    s, changed = b, True
                elif s < a < e < b:
                    e, changed = a, True
        placed.append((s, e))
        out.append((n, s, e))
    return out


def _finding(s: int, e: int) -> Finding:
    return Finding(s, e, "x" * (e - s), "hedging", "l", 0.5, "d", "x")


@pytest.mark.parametrize("seed", range(40))
def test_layout_is_the_same_as_the_plain_scan(seed: int) -> None:
    rng = random.Random(seed)
    ps, pe = rng.randrange(0, 50), rng.randrange(200, 400)
    items = []
    for n in range(1, rng.randrange(1, 120)):
        s = rng.randrange(0, 420)
        e = s + rng.choice([0, 1, 2, 5, 10, 30, 80, 200])
        items.append((n, _finding(s, e)))
    fast = [(m.n, m.start, m.end) for m in _layout_passage(items, ps, pe, 0)]
    assert fast == _naive_layout(items, ps, pe)


def _naive_ranges(text: str) -> list[tuple[int, int]]:
    """suppressed_ranges as it was (for LF text), searching from each marker."""
    import re

    from rhetoric.config import _IGNORE_LINE, _IGNORE_NEXT, _OFF, _ON

    out = []
    for m in _IGNORE_NEXT.finditer(text):
        pos = m.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
        gap = re.compile(r"\n[ \t\r\f\v]*\n").search(text, pos)
        out.append((m.start(), gap.start() if gap else len(text)))
    for m in _IGNORE_LINE.finditer(text):
        start = text.rfind("\n", 0, m.start()) + 1
        end = text.find("\n", m.end())
        out.append((start, len(text) if end < 0 else end))
    for m in _OFF.finditer(text):
        on = _ON.search(text, m.end())
        out.append((m.start(), on.end() if on else len(text)))
    return sorted(out)


@pytest.mark.parametrize("seed", range(40))
def test_suppression_ranges_are_the_same_as_the_plain_search(seed: int) -> None:
    rng = random.Random(seed)
    pieces = ["word ", "\n", "\n\n", "  \n \n", "<!-- rhetoric: off -->", "<!-- rhetoric: on -->",
              "<!-- rhetoric: ignore -->", "rhetoric: ignore-line", "x"]  # fmt: skip
    text = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 80)))
    assert suppressed_ranges(text) == _naive_ranges(text)
    merged = _merged(suppressed_ranges(text))
    for pos in range(len(text) + 1):
        f = _finding(pos, pos + 1)
        assert _inside(f, merged) == any(s <= pos < e for s, e in suppressed_ranges(text))


@pytest.mark.parametrize("seed", range(30))
def test_attribution_and_hedge_lookups_match_the_scans(seed: int) -> None:
    rng = random.Random(seed)
    atts = []
    for _ in range(rng.randrange(0, 30)):
        c = rng.randrange(0, 300)
        content = None
        if rng.random() < 0.7:
            s = rng.randrange(0, 300)
            content = SpanText(s, s + rng.choice([0, 1, 5, 40]), "")
        atts.append(Attribution(SpanText(c, c + 4, "said"), None, content, "named"))
    index = _AttributionIndex(atts)
    spans = [Span(s, s + rng.choice([1, 3, 20, 100])) for s in range(0, 320, 7)]
    for sp in spans:
        assert index.hits(sp) == span_has_attribution(sp, atts)
    starts, ends = _coverage(spans[::3])
    for pos in range(0, 330):
        import bisect

        i = bisect.bisect_right(starts, pos) - 1
        fast = i >= 0 and pos < ends[i]
        assert fast == any(s.start <= pos < s.end for s in spans[::3])


@pytest.mark.parametrize("seed", range(30))
def test_quotation_owner_lookup_matches_the_scan(seed: int) -> None:
    from rhetoric.attribution.voice import _Contents, _owner

    rng = random.Random(seed)
    atts = []
    for _ in range(rng.randrange(0, 30)):
        c = rng.randrange(0, 300)
        content = None
        if rng.random() < 0.8:
            s = rng.randrange(0, 300)
            content = SpanText(s, s + rng.choice([1, 5, 40, 150]), "")
        source = SpanText(c, c + 3, "who") if rng.random() < 0.5 else None
        atts.append(Attribution(SpanText(c, c + 4, "said"), source, content, "named"))
    contents = _Contents(atts)
    for start in range(0, 330, 3):
        end = start + rng.choice([2, 10, 60])
        assert _owner(start, end, atts, contents) == _owner(start, end, atts)
        inside = [
            i
            for i, a in enumerate(atts)
            if a.content is not None and a.content.start <= start < a.content.end
        ]
        assert set(inside) <= set(contents.near(start, start + 1))


def test_sources_and_quotations_stay_linear() -> None:
    """Anonymous sources and quotations in every sentence of a long article:
    the gap detector's word look-up, the outer-attribution check and the
    owner of each quotation each scanned everything per item (quadratic)."""
    t0 = time.process_time()
    sentence = (
        'Insiders said the plan "is a disaster for everyone involved," and '
        "officials, who spoke on condition of anonymity, said it may fail. "
        "The 'reform' is a 'plan', critics said. "
    )
    report = analyze(sentence * 12_000, detectors=RULE_DETECTORS)
    assert len(report.findings) > 12_000
    # about 6 s of CPU now; over 250 s before
    assert time.process_time() - t0 < 120


def test_many_findings_in_one_sentence_stay_linear() -> None:
    """30,000 findings in one 36,000-word sentence: calibration asked whether
    the sentence is a headline once per finding, counting its words each
    time (quadratic: about 160 s of CPU; a second or two now)."""
    t0 = time.process_time()
    report = analyze(" ".join(["disaster slammed cronies"] * 12_000), detectors=RULE_DETECTORS)
    assert len(report.findings) >= 24_000
    assert time.process_time() - t0 < 120


def test_inputs_that_took_minutes_are_coarsely_bounded() -> None:
    """A coarse guard, far above what it takes (well under a second each);
    before, each of these ran for minutes (see benchmarks/bench_large.py)."""
    t0 = time.process_time()
    text = "\n".join(["<!-- rhetoric: off --> Critics say so."] * 64_000)
    assert len(suppressed_ranges(text)) == 64_000
    one_para = Passage(0, 200_000, 0, {}, 0, 0)
    findings = [_finding(i * 10, i * 10 + 6) for i in range(20_000)]
    report = Report(
        id="x",
        text="x" * 200_000,
        scores=dict.fromkeys(
            ("overall", "loaded_language", "hedging", "attribution", "propaganda"), 0
        ),
        findings=findings,
        passages=[one_para],
        attributions=[],
        readability={},
    )
    assert len(layout_marks(report)) == 20_000
    assert render_html(report).count("<mark ") == 20_000
    # 100,000 one-word paragraphs (each paragraph used to scan every finding)
    paragraphs = analyze("\n\n".join(["disaster"] * 100_000), detectors=RULE_DETECTORS)
    assert len(paragraphs.passages) == 100_000
    assert time.process_time() - t0 < 120


def _plain_quote_pairs(doc) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
    """The character-by-character scan quote_pairs replaced."""
    norm = doc.norm
    pairs = []
    for para in doc.paragraphs:
        open_d = open_s = None
        for i in range(para.start, para.end):
            ch = norm[i]
            if ch == '"':
                if open_d is None:
                    open_d = i
                else:
                    pairs.append((open_d, i))
                    open_d = None
            elif ch == "'":
                before = norm[i - 1] if i > para.start else " "
                after = norm[i + 1] if i + 1 < para.end else " "
                if open_s is None and not before.isalnum() and after.isalnum():
                    open_s = i
                elif open_s is not None and not after.isalnum() and before != " ":
                    pairs.append((open_s, i))
                    open_s = None
    return sorted(pairs)


@pytest.mark.parametrize("seed", range(40))
def test_quote_pairs_match_the_character_scan(seed: int) -> None:
    from rhetoric.core.document import Document
    from rhetoric.core.text import quote_pairs

    rng = random.Random(seed)
    pieces = ['"', "'", "\u201c", "\u201d", "\u2019", "a", "b ", " ", "\n", "\n\n", "x'y", "'s"]
    text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 300)))
    doc = Document(text)
    assert quote_pairs(doc) == _plain_quote_pairs(doc)


def _plain_repetition_spans(doc, min_count: int = 3) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
    """Repetition as first written: every n-gram of the article counted."""
    from collections import Counter, defaultdict

    from rhetoric.core.lexicon import joinable_words
    from rhetoric.detectors.propaganda import _STOP as stop_words

    words, text = doc.words, doc.text
    joinable = joinable_words(doc)
    norms = [w.norm for w in words]
    stop = [x in stop_words for x in norms]
    lower = [text[w.start].islower() and not st for w, st in zip(words, stop, strict=True)]
    out, taken = [], set()
    for n in range(6, 2, -1):
        counts = Counter(tuple(norms[i : i + n]) for i in range(len(words) - n + 1))
        seen = defaultdict(list)
        for i in range(len(words) - n + 1):
            key = tuple(norms[i : i + n])
            if counts[key] < min_count or n - sum(stop[i : i + n]) < 2:
                continue
            if not all(joinable[i : i + n - 1]) or not any(lower[i : i + n]):
                continue
            if (stop[i] and n > 3) or stop[i + n - 1]:
                continue
            seen[key].append(i)
        for starts in seen.values():
            starts = [i for i in starts if not taken.intersection(range(i, i + n))]
            if len(starts) >= min_count:
                for i in starts:
                    taken.update(range(i, i + n))
                    out.append((words[i].start, words[i + n - 1].end))
    return out


@pytest.mark.parametrize("seed", range(30))
def test_repetition_counts_only_where_a_phrase_can_start(seed: int) -> None:
    from rhetoric.core.document import Document
    from rhetoric.detectors.propaganda import repetition

    rng = random.Random(seed)
    vocab = [
        "stop",
        "the",
        "tax",
        "grab",
        "now",
        "said",
        "we",
        "must",
        "the",
        "people",
        "Stop",
        ".",
        ",",
    ]
    text = " ".join(rng.choice(vocab) for _ in range(rng.randint(0, 400)))
    doc = Document(text)
    assert [(f.start, f.end) for f in repetition(doc)] == _plain_repetition_spans(doc)
