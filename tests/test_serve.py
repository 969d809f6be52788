"""rhetoric serve over HTTP: start-up, the API's exact output and limits,
who may reach what, CSRF, the CSV against ``rhetoric grade``, and a restart.
Servers listen on 127.0.0.1 only and stop at the end of each test module."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rhetoric.cli import app
from rhetoric.serve import is_loopback
from tests.serve_util import Client, LiveServer, join_code

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
COSTA = ROOT / "corpora" / "examples" / "costa-under-pressure.txt"
# Written for these tests: an article carrying markup payloads.
HOSTILE = (
    "Critics say the so-called reform is a total disaster "
    "<script>window.__pwned = 1; alert(1)</script> for families.\n\n"
    'Sources close to the cabinet said the plan "><img src=x onerror="window.__pwned = 2"> '
    "looks to be a deliberate stall and the minister's cronies slammed it.\n\n"
    "If the minister is indeed hiding the figures, it seems only a matter of time "
    "before the scandal breaks.\n"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    s = LiveServer(tmp_path_factory.mktemp("serve-data"), open_teacher=True)
    try:
        yield s
    finally:
        s.stop()


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """As if bound to a classroom network: teacher pages need the token."""
    s = LiveServer(tmp_path_factory.mktemp("serve-net"), open_teacher=False)
    try:
        yield s
    finally:
        s.stop()


def _cli(fmt: str, text: str) -> bytes:
    r = runner.invoke(app, ["score", "--format", fmt, "-"], input=text)
    assert r.exit_code == 0, r.output
    return r.stdout_bytes


def test_starts_fast_on_loopback_only_and_prints_the_url(tmp_path: Path) -> None:
    env = dict(os.environ, HOME=str(tmp_path), PYTHONUNBUFFERED="1")
    t0 = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "rhetoric", "serve", "--port", "0", "--data", str(tmp_path / "d")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    try:
        line = proc.stdout.readline()  # type: ignore[union-attr]
        m = re.fullmatch(r"rhetoric classroom: open http://127\.0\.0\.1:(\d+)/\n", line)
        assert m, line
        status, _, body = Client(f"http://127.0.0.1:{m.group(1)}").get("/")
        elapsed = time.monotonic() - t0
        assert status == 200 and b"Join code" in body
        # measured 0.6-0.9 s on the 2-core machine; generous for a loaded one
        assert elapsed < 6, elapsed
        port_hex = f"{int(m.group(1)):04X}"
        listening = [
            row.split()[1]
            for name in ("/proc/net/tcp", "/proc/net/tcp6")
            if os.path.exists(name)
            for row in Path(name).read_text().splitlines()[1:]
            if row.split()[1].endswith(":" + port_hex) and row.split()[3] == "0A"
        ]
        assert listening == ["0100007F:" + port_hex]  # 127.0.0.1 and nothing else
        assert "teacher pages: http://127.0.0.1:" in proc.stdout.readline()  # type: ignore[union-attr]
        proc.send_signal(signal.SIGINT)
        assert proc.wait(60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_port_in_use_and_bad_data_folder_are_one_line(tmp_path: Path) -> None:
    from rhetoric.serve import bind

    sock = bind("127.0.0.1", 0)
    try:
        port = sock.getsockname()[1]
        r = runner.invoke(app, ["serve", "--port", str(port), "--data", str(tmp_path / "d")])
        assert r.exit_code == 2
        assert (
            r.output
            == f"rhetoric: error: cannot listen on 127.0.0.1:{port} (Address already in use)\n"
        )
    finally:
        sock.close()
    f = tmp_path / "file"
    f.write_text("x")
    r = runner.invoke(app, ["serve", "--port", "0", "--data", str(f)])
    assert r.exit_code == 2 and r.output.count("\n") == 1 and "Traceback" not in r.output
    assert f.read_text() == "x"


def test_network_addresses_are_not_loopback() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.20")
    assert not is_loopback("::")


def test_api_gives_exactly_what_rhetoric_score_prints(server: LiveServer) -> None:
    c = Client(server.url)
    for text in (COSTA.read_text(encoding="utf-8"), HOSTILE, "\ufeffA BOM and é."):
        status, headers, body = c.post_json("/api/score", {"text": text})
        assert status == 200 and headers["content-type"] == "application/json"
        assert body == _cli("json", text)
        status, headers, body = c.post_json("/api/report", {"text": text})
        assert status == 200 and body == _cli("html", text)
        # the page's own policy, sent as a header too
        assert headers["content-security-policy"] in body.decode()


def test_api_fetches_urls_as_score_does_never_files(server: LiveServer) -> None:
    page = (
        b"<html><head><title>Budget</title></head><body><article><h1>Budget</h1>"
        b"<p>Critics say the so-called reform is a disaster for the city and its people.</p>"
        b"<p>The mayor said the works would begin in March and last about a year.</p>"
        b"</article></body></html>"
    )

    class One(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), One)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/a.html"
        status, _, body = Client(server.url).post_json("/api/score", {"url": url})
        r = runner.invoke(app, ["score", "--format", "json", url])
        assert status == 200 and body == r.stdout_bytes
    finally:
        httpd.shutdown()
        httpd.server_close()
    for bad in ("file:///etc/passwd", "/etc/passwd", "ftp://x/y"):
        status, _, body = Client(server.url).post_json("/api/score", {"url": bad})
        assert status == 400 and json.loads(body) == {"error": f"{bad}: not an http(s) URL"}


def test_api_refuses_bad_bodies_with_one_line(server: LiveServer) -> None:
    c = Client(server.url)
    status, _, body = c.post_json("/api/score", b"{" + b" " * (20 * 1024 * 1024) + b"}")
    assert status == 413
    assert json.loads(body) == {"error": "request body is over the 10,747,904-byte limit"}
    cases = {
        b'{"text": ': "malformed JSON: Expecting value at line 1 column 10",
        b"\xc3\x28": "malformed JSON: not UTF-8",
        b"[1]": 'expected a JSON object with "text" or "url"',
        b"{}": 'expected a JSON object with "text" or "url"',
        b'{"text": 3}': '"text" must be a string',
        b'{"text": "a", "url": "b"}': 'expected a JSON object with "text" or "url"',
        b'{"text": "a", "min": 1}': 'unknown field \'min\' (expected "text" or "url")',
        b'{"text": "a\\u0000b"}': "-: looks like a binary file (NUL bytes); rhetoric reads text",
    }
    for raw, reason in cases.items():
        for path in ("/api/score", "/api/report"):
            status, _headers, body = c.post_json(path, raw)
            assert (status, json.loads(body)) == (400, {"error": reason}), raw
            assert body.count(b"\n") == 1
    status, _, body = c.request("/api/score", b'{"text": "a"}', {}, "POST")
    assert status == 415
    status, _, body = c.get("/api/score")
    assert status == 405 and b"Traceback" not in body


def test_forms_need_the_csrf_token_and_our_origin(server: LiveServer) -> None:
    c = Client(server.url)
    status, _, body = c.post_form("/teacher/articles", {"text": "Critics say so."}, csrf=False)
    assert status == 403 and b"This form has expired" in body
    status, _, body = c.request(
        "/teacher/articles",
        b"text=x&csrf=" + c.csrf().encode(),
        {"Content-Type": "application/x-www-form-urlencoded", "Origin": "http://evil.example"},
        "POST",
    )
    assert status == 403 and body == b"cross-site request refused\n"
    status, _, body = c.post_form("/join", {"code": "NOPE12", "name": "Ana"})
    assert status == 400 and b"No exercise has this code" in body


def _exercise(c: Client, text: str, cats: tuple[str, ...] = ()) -> tuple[str, str]:
    """Add an article and make an exercise; (exercise page path, join code)."""
    status, _headers, body = c.post_form("/teacher/articles", {"text": text, "title": "T"})
    assert status == 200, body[:300]
    art = re.search(rb"/teacher/articles/(\d+)/exercises", body)
    assert art, body[:500]
    fields = [
        ("category", x) for x in cats or ("loaded_language", "hedging", "attribution", "propaganda")
    ]
    status, _, body = c.post_form(
        f"/teacher/articles/{art.group(1).decode()}/exercises", [*fields, ("tasks", "5")]
    )
    assert status == 200
    ex = re.search(rb'action="(/teacher/exercises/\d+)/release"', body)
    assert ex
    return ex.group(1).decode(), join_code(body)


def _student(base: str, code: str, name: str, answers: list[tuple[str, str]]) -> Client:
    s = Client(base)
    status, _, body = s.post_form("/join", {"code": code, "name": name})
    assert status == 200 and f"Hello, {name}".encode() in body
    for phrase, cat in answers:
        status, _, body = s.post_form(f"/x/{code}/answers", {"phrase": phrase, "category": cat})
        assert status == 200 and b'class="error"' not in body, body[:300]
    status, _, _ = s.post_form(f"/x/{code}/submit", {})
    assert status == 200
    return s


def test_csv_matches_rhetoric_grade_and_survives_a_restart(tmp_path: Path) -> None:
    text = COSTA.read_text(encoding="utf-8")
    ana = [("humiliation", "loaded_language"), ("sources claim", "attribution")]
    bo = [("touchline", "loaded_language"), ("may yet", "hedging"), ("the club", "propaganda")]
    srv = LiveServer(tmp_path / "data")
    try:
        c = Client(srv.url)
        page, code = _exercise(c, text)
        _student(srv.url, code, "ana", ana)
        _student(srv.url, code, "bo", bo)
        status, headers, csv_web = c.get(page + "/results.csv")
        assert status == 200 and headers["content-type"].startswith("text/csv")
    finally:
        srv.stop()
    # the same answers as files, graded by the command line against the article
    article = tmp_path / "article.txt"
    article.write_text(text, encoding="utf-8")
    from rhetoric.core.document import Document

    starts = [s.start for s in Document(text).sentences]
    files = []
    for name, answers in (("ana", ana), ("bo", bo)):
        lines = []
        for phrase, cat in answers:
            at = text.lower().index(phrase.lower())
            n = max(i for i, s in enumerate(starts, 1) if s <= at)
            lines.append(f"{n} | {cat} | {phrase}")
        f = tmp_path / f"{name}.txt"
        f.write_text("\n".join(lines) + "\n", encoding="utf-8")
        files.append(str(f))
    r = runner.invoke(app, ["grade", *files, "--key", str(article), "--format", "csv"])
    assert r.exit_code == 0, r.output
    assert csv_web.decode() == r.stdout
    rows = [line.split(",")[:2] for line in r.stdout.splitlines()]
    assert ["ana", "attribution"] in rows and ["bo", "hedging"] in rows
    # a new server on the same folder has everything
    srv = LiveServer(tmp_path / "data")
    try:
        c = Client(srv.url)
        status, _, body = c.get(page)
        assert status == 200 and code.encode() in body and b"ana" in body and b"bo" in body
        assert c.get(page + "/results.csv")[2] == csv_web
        status, _, body = c.get("/teacher")
        assert b"/teacher/articles/1" in body
    finally:
        srv.stop()


def test_network_mode_teacher_pages_need_the_token(network: LiveServer) -> None:
    anyone = Client(network.url)
    for path in (
        "/teacher",
        "/teacher/articles/1",
        "/teacher/articles/1/report",
        "/teacher/exercises/1",
        "/teacher/exercises/1/results.csv",
        "/teacher/exercises/1/results.json",
    ):
        status, _, body = anyone.get(path)
        assert status == 403, path
        assert b"This page is for the teacher" in body
    status, _, body = anyone.post_form("/teacher/articles", {"text": "Critics say so."})
    assert status == 403
    status, _, body = anyone.post_json("/api/score", {"text": "x"})
    assert status == 403 and b"teacher token" in body
    assert anyone.get("/teacher?token=wrong")[0] == 403
    status, _, body = anyone.get("/")
    assert status == 200 and b"I am the teacher" not in body
    # the printed link sets a cookie; the token leaves the address bar
    teacher = Client(network.url)
    status, _, body = teacher.get(f"/teacher?token={network.token}")
    assert status == 200 and b"Add an article" in body
    status, _, _ = teacher.post_json(
        "/api/score", {"text": "x"}, {"Authorization": f"Bearer {network.token}"}
    )
    assert status == 200
    page, code = _exercise(teacher, HOSTILE)
    _, code2 = _exercise(teacher, COSTA.read_text(encoding="utf-8"))
    student = _student(network.url, code, "ana", [("so-called", "loaded_language")])
    # a student reaches their own exercise only, and no teacher page
    assert student.get(f"/x/{code}")[0] == 200
    status, _, body = student.get(f"/x/{code2}")
    assert status == 200 and b"Join code" in body  # sent to the join form, not the exercise
    assert student.get(page)[0] == 403
    assert student.get(page + "/results.json")[0] == 403
    assert student.post_form(page + "/release", {})[0] == 403
    assert b'id="feedback"' not in student.get(f"/x/{code}")[2]
