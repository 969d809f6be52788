"""rhetoric serve in a real browser (Debian's chromium through playwright):
a teacher makes an exercise from an article carrying script payloads, two
students answer (one by mouse, one by keyboard only), the dashboard shows
both live, feedback is released and seen, the CSV matches, a restart keeps
it all, nothing in the article or a student's name ever runs, and without
the token the teacher's pages stay shut.

Skips cleanly without /usr/bin/chromium or playwright. The browser reaches
only the test's own server on 127.0.0.1; every other request is aborted.
Screenshots go to pytest's tmp dir and to ``$RHETORIC_ARTIFACTS`` if set.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.serve_util import LiveServer

CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed")

# Written for this test: a loaded article carrying markup payloads.
HOSTILE = (
    "Critics say the so-called reform is a total disaster "
    "<script>window.__pwned = 1; alert(1)</script> for families.\n\n"
    'Sources close to the cabinet said the plan "><img src=x onerror="window.__pwned = 2"> '
    "looks to be a deliberate stall and the minister's cronies slammed it.\n\n"
    "If the minister is indeed hiding the figures, it seems only a matter of time "
    "before the scandal breaks.\n"
)
EVIL_NAME = '"><img src=x onerror="window.__pwned=9">Bo'
WAIT = 60_000  # ms: conditions, not sleeps, with room for a loaded machine


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


class Person:
    """A browser context (its own cookies) with everything that could go
    wrong recorded: dialogs, page errors, console errors (CSP violations
    among them) and requests to anywhere but our server."""

    def __init__(self, browser: Any, base: str, width: int = 1280) -> None:
        self.base = base
        self.ctx = browser.new_context(viewport={"width": width, "height": 900})
        self.ctx.set_default_timeout(WAIT)
        self.page = self.ctx.new_page()
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.elsewhere: list[str] = []
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.ctx.route("**/*", self._route)

    def _route(self, route: Any) -> None:
        if route.request.url.startswith("http://127.0.0.1:"):
            route.continue_()
        else:
            self.elsewhere.append(route.request.url)
            route.abort()

    def go(self, path: str) -> Any:
        return self.page.goto(self.base + path)

    def assert_clean(self) -> None:
        self.page.wait_for_load_state("load")
        assert self.page.evaluate("typeof window.__pwned") == "undefined"
        assert self.dialogs == [] and self.errors == [] and self.elsewhere == []
        # no element anywhere carries an event-handler attribute
        assert not self.page.evaluate(
            "[...document.querySelectorAll('*')].some("
            "e => [...e.attributes].some(a => a.name.startsWith('on')))"
        )
        assert self.page.evaluate("document.querySelectorAll('img').length") == 0

    def close(self) -> None:
        self.ctx.close()


def _shot(page: Any, tmp_path: Path, name: str) -> None:
    out = tmp_path / name
    page.screenshot(path=str(out), full_page=True)
    dest = os.environ.get("RHETORIC_ARTIFACTS")
    if dest:
        Path(dest).mkdir(parents=True, exist_ok=True)
        shutil.copy(out, Path(dest) / name)


def test_a_class_in_the_browser(browser: Any, tmp_path: Path) -> None:
    srv = LiveServer(tmp_path / "data", open_teacher=False)  # as on a classroom network
    people: list[Person] = []
    try:
        # ---- without the token, no teacher page opens
        stranger = Person(browser, srv.url)
        people.append(stranger)
        for path in ("/teacher", "/teacher/articles/1", "/teacher/exercises/1"):
            assert stranger.go(path).status == 403
            assert "This page is for the teacher" in stranger.page.inner_text("main")

        # ---- the teacher: token link, paste the article, see the report
        teacher = Person(browser, srv.url)
        people.append(teacher)
        teacher.go(f"/teacher?token={srv.token}")
        assert teacher.page.url == srv.url + "/teacher"  # the token left the address bar
        assert "First time here? Three steps" in teacher.page.inner_text("main")
        teacher.assert_clean()
        teacher.page.fill("#title", 'Reform <script>alert("t")</script>')
        teacher.page.fill("#text", HOSTILE)
        teacher.page.click("text=Read and analyse")
        teacher.page.wait_for_url("**/teacher/articles/1")
        main = teacher.page.inner_text("main")
        assert "<script>window.__pwned = 1; alert(1)</script>" in main
        assert 'Reform <script>alert("t")</script>' in main
        assert teacher.page.locator("mark[data-category]").count() > 3
        teacher.assert_clean()
        # the report on its own page: the very page --format html makes
        teacher.page.click("text=Open the report on a page of its own")
        teacher.page.wait_for_url("**/report")
        assert teacher.page.locator("mark[data-category]").count() > 3
        teacher.assert_clean()
        teacher.page.go_back()

        # ---- make the exercise: every category, four tasks
        for box in teacher.page.locator("input[name=category]").all():
            box.check()
        teacher.page.fill("#tasks", "4")
        teacher.page.click("text=Make the exercise")
        teacher.page.wait_for_url("**/teacher/exercises/1")
        code = teacher.page.inner_text("p.code").strip()
        assert len(code) == 6
        assert teacher.page.locator("li.task").count() <= 4
        assert "confidence" in teacher.page.inner_text("#h-tasks ~ ol")
        teacher.assert_clean()

        # ---- student Ana (tablet width): joins by link, marks a phrase with the mouse
        ana = Person(browser, srv.url, width=800)
        people.append(ana)
        ana.go(f"/join/{code}")
        assert ana.page.input_value("#code") == code
        ana.page.fill("#name", "Ana")
        ana.page.click("button:has-text('Join')")
        ana.page.wait_for_url(f"**/x/{code}")
        assert "<script>window.__pwned = 1; alert(1)</script>" in ana.page.inner_text("#article")
        assert ana.page.locator("#article mark").count() == 0  # no answers given away
        ana.page.locator("#article .w", has_text="so-called").first.dblclick()
        ana.page.wait_for_function("() => document.getElementById('phrase').value === 'so-called'")
        ana.page.select_option("#category", "loaded_language")
        ana.page.click("text=Add this answer")
        ana.page.wait_for_selector("ul.my-answers li")
        assert "\u201cso-called\u201d, loaded language" in ana.page.inner_text("#answers")
        ana.assert_clean()
        _shot(ana.page, tmp_path, "serve-student.png")

        # ---- student Bo: keyboard only, and a name carrying a payload
        bo = Person(browser, srv.url)
        people.append(bo)
        bo.go("/")
        bo.page.focus("#code")
        bo.page.keyboard.type(code)
        bo.page.keyboard.press("Tab")
        bo.page.keyboard.type(EVIL_NAME)
        bo.page.keyboard.press("Enter")
        bo.page.wait_for_url(f"**/x/{code}")
        assert f"Hello, {EVIL_NAME}" in bo.page.inner_text("h1")
        # tab into the article, walk to "Critics", select "Critics say", Enter
        bo.page.focus("#article")
        bo.page.keyboard.press("Shift+ArrowRight")
        assert bo.page.input_value("#phrase") == "Critics say"
        bo.page.keyboard.press("Enter")
        assert bo.page.evaluate("document.activeElement.id") == "category"
        bo.page.keyboard.press("ArrowDown")  # native select: choose with the keyboard
        bo.page.select_option("#category", "attribution")
        bo.page.wait_for_selector("#kind-box:not([hidden])")
        bo.page.select_option("#kind", "vague")
        bo.page.focus("#answer-form button[type=submit]")
        bo.page.keyboard.press("Enter")
        bo.page.wait_for_selector("ul.my-answers li")
        assert "\u201cCritics say\u201d, attribution gap" in bo.page.inner_text("#answers")
        bo.assert_clean()

        # ---- the dashboard shows both, live (no reload)
        teacher.page.wait_for_function(
            "() => document.querySelector('#results tbody').textContent.includes('Critics say')"
        )
        table = teacher.page.inner_text("#results tbody")
        assert "Ana" in table and EVIL_NAME in table and "so-called" in table
        teacher.assert_clean()

        # ---- both send, the teacher releases, both see feedback without reloading
        for st in (ana, bo):
            st.page.click("#submit")
            st.page.wait_for_selector("#sent")
        teacher.page.wait_for_function(
            "() => document.getElementById('live-status').textContent.includes('2 sent')"
        )
        _shot(teacher.page, tmp_path, "serve-teacher.png")
        teacher.page.click("#release")
        teacher.page.wait_for_selector("#released")
        for st in (ana, bo):
            st.page.wait_for_selector("#feedback")
            st.assert_clean()
        fb = bo.page.inner_text("#feedback")
        assert "Critics say" in fb and "vague crowd" in fb
        assert "What you missed" in fb or "You missed nothing" in fb
        assert "so-called" in ana.page.inner_text("#feedback")
        _shot(bo.page, tmp_path, "serve-feedback.png")

        # ---- the CSV: one row per student and category, as the dashboard counts
        got = teacher.ctx.request.get(srv.url + "/teacher/exercises/1/results.csv")
        assert got.status == 200
        rows = list(csv.DictReader(io.StringIO(got.text())))
        by = {(r["student"], r["category"]): r for r in rows}
        assert by[("Ana", "loaded_language")]["answers"] == "1"
        assert by[(EVIL_NAME, "attribution")]["answers"] == "1"
        data = teacher.ctx.request.get(srv.url + "/teacher/exercises/1/results.json").json()
        for s in data["students"]:
            assert int(by[(s["name"], "all")]["found"]) == s["found"]
            assert int(by[(s["name"], "all")]["correct"]) == s["correct"]
        # a student cannot fetch it
        assert ana.ctx.request.get(srv.url + "/teacher/exercises/1/results.csv").status == 403
        csv_before = got.text()

        # ---- restart: everything is still there
        srv.stop()
        srv = LiveServer(tmp_path / "data", open_teacher=False)
        for p in people:
            p.base = srv.url
        ana.go(f"/x/{code}")
        assert "so-called" in ana.page.inner_text("#feedback")
        teacher.go("/teacher/exercises/1")
        assert teacher.page.inner_text("p.code").strip() == code
        assert "Ana" in teacher.page.inner_text("#results")
        again = teacher.ctx.request.get(srv.url + "/teacher/exercises/1/results.csv")
        assert again.text() == csv_before
        for p in (teacher, ana, bo):
            p.assert_clean()
        assert stranger.go("/teacher/exercises/1").status == 403
    finally:
        for p in people:
            p.close()
        srv.stop()
