"""The HTML report in a real browser: Debian's chromium driven by playwright.

Skips cleanly when /usr/bin/chromium or the playwright package is absent
(``.ci/run`` installs both). The browser gets no network: every request that
is not the report file itself is aborted and recorded.

Screenshots go to pytest's tmp dir, and also to ``$RHETORIC_ARTIFACTS`` when
that is set (CI keeps them). ``tools/screenshot_report.py`` makes the README's
docs/img/report.png the same way.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from rhetoric.classroom.policy import EXERCISE
from rhetoric.cli import app

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "corpora" / "examples").glob("*.txt"))

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed")

runner = CliRunner()

# Written for this test: hostile markup inside an otherwise loaded article.
HOSTILE = (
    "Critics say the so-called reform is a total disaster "
    "<script>window.__pwned = 1; alert(1)</script> for families.\n\n"
    'Sources close to the cabinet said the plan <img src=x onerror="window.__pwned = 2"> '
    "looks to be a deliberate stall </mark> and the minister's cronies slammed it.\n\n"
    "If the minister is indeed hiding the figures, it seems only a matter of time "
    'before <b onmouseover="window.__pwned = 3">the scandal</b> breaks.\n'
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-default-apps",
            ],
        )
        try:
            yield b
        finally:
            b.close()


class Page:
    """A page with everything that could go wrong recorded."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("dialog", self._dialog)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        url = path.resolve().as_uri()

        def route(r: Any) -> None:
            if r.request.url == url:
                r.continue_()
            else:
                self.requests.append(r.request.url)
                r.abort()

        self.page.route("**/*", route)
        self.page.goto(url)

    def _dialog(self, d: Any) -> None:
        self.dialogs.append(d.message)
        d.dismiss()

    def count(self, selector: str) -> int:
        return self.page.eval_on_selector_all(selector, "els => els.length")

    def close(self) -> None:
        self.page.close()


def _render(path: Path, tmp_path: Path, *opts: str) -> tuple[Path, dict[str, Any]]:
    """The page with every finding (``--all``) and the JSON report."""
    r = runner.invoke(app, ["score", "--format", "html", "--all", *opts, str(path)])
    assert r.exit_code == 0, r.output
    out = tmp_path / (path.stem + ".html")
    out.write_text(r.stdout, encoding="utf-8")
    j = runner.invoke(app, ["score", "--format", "json", *opts, str(path)])
    assert j.exit_code == 0, j.output
    return out, json.loads(j.stdout)


def _artifact(src: Path, name: str) -> None:
    dest = os.environ.get("RHETORIC_ARTIFACTS")
    if dest:
        Path(dest).mkdir(parents=True, exist_ok=True)
        shutil.copy(src, Path(dest) / name)


def test_hostile_article_shows_payload_as_text_and_runs_nothing(
    browser: Any, tmp_path: Path
) -> None:
    article = tmp_path / "hostile.txt"
    article.write_text(HOSTILE, encoding="utf-8")
    html_path, report = _render(article, tmp_path)
    pg = Page(browser, html_path)
    try:
        page = pg.page
        page.wait_for_timeout(200)  # give an injected onerror a chance to fire
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert pg.dialogs == []
        assert pg.errors == []
        assert pg.requests == []  # not even the <img src=x>: it is text
        body = page.inner_text("main")
        assert "<script>window.__pwned = 1; alert(1)</script>" in body
        assert '<img src=x onerror="window.__pwned = 2">' in body
        assert "</mark>" in body
        assert pg.count("img") == 0
        assert not page.evaluate(
            "[...document.querySelectorAll('*')].some("
            "e => [...e.attributes].some(a => a.name.startsWith('on')))"
        )
        assert pg.count("script") == 1  # ours: the legend toggles
        assert report["findings"], "the hostile article should still have findings"
        assert pg.count("mark[data-category]") == len(report["findings"])
        # hovering the injected <b> text does nothing either
        page.get_by_text("the scandal").first.hover()
        assert page.evaluate("typeof window.__pwned") == "undefined"
        shot = tmp_path / "hostile.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
        _artifact(shot, "hostile.png")
    finally:
        pg.close()


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_marks_equal_findings_for_our_examples(browser: Any, tmp_path: Path, path: Path) -> None:
    for opts in ((), ("--min-confidence", "0.5"), ("--category", "hedging")):
        html_path, report = _render(path, tmp_path, *opts)
        pg = Page(browser, html_path)
        try:
            assert pg.count("mark[data-category]") == len(report["findings"]), opts
            # one mark per finding: same offsets and categories (document order
            # puts an outer mark before an inner one that starts with it)
            marks = pg.page.eval_on_selector_all(
                "mark[data-category]",
                "els => els.map(e => [+e.dataset.start, +e.dataset.end, e.dataset.category])",
            )
            assert sorted(map(tuple, marks)) == sorted(
                (f["start"], f["end"], f["category"]) for f in report["findings"]
            )
            assert pg.errors == [] and pg.requests == []
        finally:
            pg.close()


def test_toggles_hide_a_category_and_focus_shows_the_explanation(
    browser: Any, tmp_path: Path
) -> None:
    html_path, report = _render(ROOT / "corpora/examples/costa-under-pressure.txt", tmp_path)
    pg = Page(browser, html_path)
    page = pg.page
    bg = "el => getComputedStyle(el).backgroundColor"
    deco = "el => getComputedStyle(el).textDecorationLine"
    try:
        loaded = page.locator('mark[data-category="loaded_language"]').first
        attr = page.locator('mark[data-category="attribution"]').first
        assert loaded.evaluate(bg) != "rgba(0, 0, 0, 0)"
        assert loaded.evaluate(deco) == "underline"
        button = page.locator('button[data-toggle="loaded_language"]')
        button.click()
        assert button.get_attribute("aria-pressed") == "false"
        hidden = page.eval_on_selector_all(
            'mark[data-category="loaded_language"]',
            "els => els.every(e => getComputedStyle(e).backgroundColor === 'rgba(0, 0, 0, 0)'"
            " && getComputedStyle(e).textDecorationLine === 'none' && e.tabIndex === -1)",
        )
        assert hidden
        assert attr.evaluate(bg) != "rgba(0, 0, 0, 0)"  # other categories stay
        button.click()
        assert loaded.evaluate(bg) != "rgba(0, 0, 0, 0)"
        # keyboard: Tab reaches a mark, and its explanation appears
        first = report["findings"][0]
        page.locator("mark[data-category]").first.focus()
        tip = page.evaluate("getComputedStyle(document.activeElement, '::after').content")
        assert first["explanation"][:40] in tip
        assert page.evaluate("document.activeElement.getAttribute('aria-label')").startswith(
            " ".join(first["text"].split())
        )
        # the chart and the margin bars are inline SVG
        assert pg.count("svg.chart") == 1
        assert pg.count("svg.pbar") == len(report["passages"])
        shot = tmp_path / "report.png"
        page.screenshot(path=str(shot), full_page=True)
        _artifact(shot, "report.png")
        pdf = tmp_path / "report.pdf"  # the print stylesheet lays out without errors
        page.pdf(path=str(pdf))
        assert pdf.stat().st_size > 1000 and pg.errors == []
    finally:
        pg.close()


def test_compare_and_answer_key_pages_render(browser: Any, tmp_path: Path) -> None:
    a = ROOT / "corpora/examples/border-deal-editorial.txt"
    b = ROOT / "corpora/examples/wire-control.txt"
    r = runner.invoke(app, ["compare", str(a), str(b), "--format", "html"])
    assert r.exit_code == 0, r.output
    page_path = tmp_path / "compare.html"
    page_path.write_text(r.stdout, encoding="utf-8")
    na = len(json.loads(runner.invoke(app, ["score", "-f", "json", str(a)]).stdout)["findings"])
    nb = len(json.loads(runner.invoke(app, ["score", "-f", "json", str(b)]).stdout)["findings"])
    pg = Page(browser, page_path)
    try:
        assert pg.count("mark[data-category]") == na + nb
        assert pg.errors == [] and pg.requests == []
    finally:
        pg.close()
    r = runner.invoke(app, ["worksheet", str(a), "--format", "html", "--answer-key"])
    assert r.exit_code == 0, r.output
    page_path = tmp_path / "key.html"
    page_path.write_text(r.stdout, encoding="utf-8")
    pg = Page(browser, page_path)
    # the key highlights only its own items: findings the exercise policy admits
    keyed = [
        f
        for f in json.loads(runner.invoke(app, ["score", "-f", "json", str(a)]).stdout)["findings"]
        if f["confidence"] >= EXERCISE.floor
    ]
    try:
        assert 0 < pg.count("mark[data-category]") == len(keyed) < na
        assert pg.count("sup.sn") > 3 and pg.errors == []
    finally:
        pg.close()
