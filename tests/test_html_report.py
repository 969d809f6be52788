"""The HTML renderer without a browser: escaping, one mark per finding,
well-formed nesting for overlapping findings, self-containment, --out."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from rhetoric.cli import app
from rhetoric.core.report import CATEGORIES, Finding, Passage, Report
from rhetoric.pipeline.analyze import analyze
from rhetoric.render.html import layout_marks, render_html

runner = CliRunner()
VOID = {"meta", "br", "rect", "img", "input", "hr", "link"}

ARTICLE = (
    "Critics say the so-called reform is a total disaster <script>alert(1)</script>.\n\n"
    "Sources close to the cabinet said </mark> the plan looks to be a deliberate stall "
    '<img src=x onerror="alert(2)"> & more.\n'
)


class Checker(HTMLParser):
    """Fails on any end tag that does not close the innermost open element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.marks: list[dict[str, str | None]] = []
        self.tags: list[str] = []
        self.text: list[str] = []
        self.in_article = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag in VOID:
            return
        a = dict(attrs)
        if tag == "mark" and a.get("data-category"):
            self.marks.append(a)
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        assert self.stack and self.stack[-1] == tag, (tag, self.stack[-4:])
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def check(page: str) -> Checker:
    c = Checker()
    c.feed(page)
    c.close()
    assert c.stack == []
    return c


def _report(text: str, spans: list[tuple[int, int, str]]) -> Report:
    findings = sorted(
        (Finding(s, e, text[s:e], c, "lab", 0.6, "test.x", "why <b>") for s, e, c in spans),
        key=lambda f: (f.start, f.end),
    )
    scores = dict.fromkeys(("overall", *CATEGORIES), 10)
    return Report(
        "t",
        text,
        scores,
        findings,
        [Passage(0, len(text), 10, dict.fromkeys(CATEGORIES, 10), 5, len(findings))],
        [],
        {"flesch_reading_ease": 50.0, "flesch_kincaid_grade": 8.0},
    )


def test_article_markup_is_escaped_and_marks_equal_findings() -> None:
    report = analyze(ARTICLE, "a.txt")
    page = render_html(report, show_all=True)
    c = check(page)
    assert len(c.marks) == len(report.findings) > 0
    assert [m["data-category"] for m in c.marks] == [f.category for f in report.findings]
    assert "script" in c.tags and c.tags.count("script") == 1  # ours only
    assert "img" not in c.tags
    text = "".join(c.text)
    assert "<script>alert(1)</script>" in text and "</mark>" in text and "onerror=" in text
    assert "&lt;script&gt;alert(1)" in page


def test_self_contained_and_pinned_by_csp() -> None:
    page = render_html(analyze(ARTICLE, "a.txt"))
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", page)
    assert "@import" not in page and "url(" not in page
    csp = re.search(r'Content-Security-Policy" content="([^"]+)"', page)
    assert csp and "default-src 'none'" in csp.group(1) and "script-src 'sha256-" in csp.group(1)
    assert "@media print" in page and "<svg" in page


def test_crossing_findings_nest_without_splitting() -> None:
    text = "alpha beta gamma delta epsilon"
    # hedging 0..16 crosses attribution 11..22 ; loaded 6..10 sits inside both
    report = _report(
        text, [(0, 16, "hedging"), (11, 22, "attribution"), (6, 10, "loaded_language")]
    )
    c = check(render_html(report))
    assert len(c.marks) == 3
    spans = {m.finding.category: (m.start, m.end) for m in layout_marks(report)}
    assert spans["hedging"] == (0, 16) and spans["attribution"] == (16, 22)
    for m in c.marks:  # true offsets stay on the element
        assert m["data-start"] is not None and m["data-end"] is not None


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 39), st.integers(1, 12), st.sampled_from(CATEGORIES)),
        max_size=12,
    )
)
def test_any_overlap_gives_well_formed_marks(raw: list[tuple[int, int, str]]) -> None:
    text = "The <b>quick</b> brown fox & the lazy dog jumped"[:48]
    spans = [(s, min(s + n, len(text)), c) for s, n, c in raw]
    report = _report(text, spans)
    c = check(render_html(report))
    assert len(c.marks) == len(spans)
    laid = layout_marks(report)
    for x in laid:
        for y in laid:
            # laminar: nested or disjoint, never crossing
            assert not (x.start < y.start < x.end < y.end)
            assert x.finding.start <= x.start <= x.end <= x.finding.end


def test_cli_html_and_out_folder(tmp_path: Path) -> None:
    a = tmp_path / "one.txt"
    a.write_text(ARTICLE, encoding="utf-8")
    b = tmp_path / "sub" / "one.md"
    b.parent.mkdir()
    b.write_text("Critics say it is a disaster.\n", encoding="utf-8")
    r = runner.invoke(app, ["score", "--format", "html", str(a)])
    assert r.exit_code == 0 and r.stdout.startswith("<!DOCTYPE html>")
    j = json.loads(runner.invoke(app, ["score", "--format", "json", str(a)]).stdout)
    # the page shows the findings at 0.5 or more and says how many it hides
    shown = [f for f in j["findings"] if f["confidence"] >= 0.5]
    assert len(check(r.stdout).marks) == len(shown)
    hidden = len(j["findings"]) - len(shown)
    assert (f"{hidden} weaker finding" in r.stdout) == bool(hidden)
    r_all = runner.invoke(app, ["score", "--format", "html", "--all", str(a)])
    assert len(check(r_all.stdout).marks) == len(j["findings"])
    r = runner.invoke(app, ["score", "--format", "html", str(a), str(b)])
    assert r.exit_code == 2 and "--out" in r.stderr and "Traceback" not in r.output
    out = tmp_path / "pages"
    r = runner.invoke(app, ["score", "--format", "html", "--out", str(out), str(a), str(b)])
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.iterdir()) == ["one-2.html", "one.html"]
    assert a.read_text(encoding="utf-8") == ARTICLE  # inputs untouched
    r = runner.invoke(app, ["score", "--format", "json", "--out", str(out), str(a)])
    assert r.exit_code == 2 and "--out" in r.stderr


def test_empty_input_renders() -> None:
    page = render_html(analyze("", "-"))
    assert len(check(page).marks) == 0 and "empty input" in page
