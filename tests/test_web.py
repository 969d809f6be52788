"""HTML files and URLs (a local server on 127.0.0.1 only), CSV/JSONL columns."""

from __future__ import annotations

import json
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
from rhetoric.io.fetch import fetch_url
from rhetoric.io.inputs import InputError

runner = CliRunner()

ARTICLE_P1 = (
    "The city council approved a budget of 4.2 million euros on Tuesday, after "
    "a debate that lasted most of the afternoon and ended in a narrow vote."
)
ARTICLE_P2 = (
    "Critics say the so-called reform is a total disaster. Sources close to the "
    "cabinet said the plan looks to be a deliberate stall, and the mayor's office "
    "declined to comment on the timetable for the bridge repairs."
)
ARTICLE_P3 = (
    "Mayor Ana Ruiz said repairs to the bridge would begin in March and that the "
    "works would last about a year, with one lane open to traffic throughout."
)
# Words only the page furniture uses: none may reach the analysed text.
NAV = "Home World Sport Subscribe today for unlimited access"
AD = "Miracle deal: unbelievable savings on luxury watches, shocking prices!"
COMMENT = "What a disgraceful cover-up by these corrupt thugs and their cronies!"

PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Council approves bridge budget | The Example Gazette</title>
<meta name="author" content="Jo Reporter">
<meta property="article:published_time" content="2024-03-05T09:00:00Z">
</head><body>
<header><nav class="menu"><ul>{"".join(f"<li><a href='/{w}'>{w}</a></li>" for w in NAV.split())}
</ul></nav></header>
<aside class="advert ad-banner"><p>{AD}</p></aside>
<main><article>
<h1>Council approves bridge budget</h1>
<p class="byline">By Jo Reporter</p>
<p>{ARTICLE_P1}</p>
<div class="ad"><p>{AD}</p></div>
<p>{ARTICLE_P2}</p>
<p>{ARTICLE_P3}</p>
</article></main>
<section id="comments" class="comments"><h2>Comments</h2>
<div class="comment"><p class="comment-body">{COMMENT}</p></div>
<div class="comment"><p class="comment-body">{COMMENT} Shameful.</p></div>
</section>
<footer><p>Copyright The Example Gazette. All rights reserved.</p></footer>
</body></html>
"""


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        routes = {
            "/page.html": ("text/html; charset=utf-8", PAGE.encode("utf-8")),
            "/plain.txt": ("text/plain; charset=utf-8", ARTICLE_P2.encode("utf-8")),
            "/big.html": ("text/html", b"<html>" + b"x" * 50_000 + b"</html>"),
            "/paper.pdf": ("application/pdf", b"%PDF-1.4 binary"),
            "/empty.html": ("text/html", b"<html><body><script>var a = 1;</script></body></html>"),
        }
        if self.path == "/slow":
            time.sleep(1.5)
        if self.path not in routes:
            self.send_error(404, "Not Found")
            return
        ctype, body = routes[self.path]
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        if self.path != "/big.html":  # let the size cap work without Content-Length
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """A page server on 127.0.0.1 (never the internet), stopped after the module."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    httpd.handle_error = lambda *a: None  # type: ignore[method-assign]  # client hung up
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(autouse=True)
def _proxies_point_nowhere(monkeypatch: pytest.MonkeyPatch) -> None:
    """As in CI: a proxy that does not exist; loopback must bypass it."""
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.setenv(var, "http://127.0.0.1:9")
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)


def _check_offsets(data: dict) -> None:
    text = data["text"]
    for f in data["findings"]:
        assert text[f["start"] : f["end"]] == f["text"]


def test_url_scores_only_the_article_body(server: str) -> None:
    r = runner.invoke(app, ["score", "--format", "json", f"{server}/page.html"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    text = data["text"]
    for para in (ARTICLE_P1, ARTICLE_P2, ARTICLE_P3):
        assert para in text
    for furniture in ("disgraceful", "thugs", "Miracle deal", "Subscribe", "Copyright"):
        assert furniture not in text
    _check_offsets(data)
    found = {f["text"].lower() for f in data["findings"]}
    assert "so-called" in found
    assert not found & {"disgraceful", "thugs", "cronies", "shocking", "miracle"}
    meta = data["metadata"]
    assert meta["title"].startswith("Council approves bridge budget")
    assert meta["author"] == "Jo Reporter" and meta["date"].startswith("2024-03-05")
    assert meta["url"] == f"{server}/page.html"
    # paragraphs survive extraction as blank-line separated blocks
    assert data["stats"]["paragraphs"] >= 3


def test_html_file_is_extracted_like_the_page(tmp_path: Path, server: str) -> None:
    page = tmp_path / "saved.html"
    page.write_text(PAGE, encoding="utf-8")
    r = runner.invoke(app, ["score", "-f", "json", str(page)])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert ARTICLE_P2 in data["text"] and "thugs" not in data["text"]
    _check_offsets(data)
    assert page.read_text(encoding="utf-8") == PAGE  # never written


def test_plain_text_url_and_plain_files_have_no_text_field(server: str, tmp_path: Path) -> None:
    r = runner.invoke(app, ["score", "-f", "json", f"{server}/plain.txt"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["id"] == f"{server}/plain.txt" and "text" not in data
    assert data["findings"]
    p = tmp_path / "a.txt"
    p.write_text(ARTICLE_P2, encoding="utf-8")
    data = json.loads(runner.invoke(app, ["score", "-f", "json", str(p)]).stdout)
    assert "text" not in data and data["metadata"] == {}


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/missing.html", "HTTP 404"),
        ("/paper.pdf", "unsupported content type 'application/pdf'"),
        ("/empty.html", "no article text found"),
    ],
)
def test_url_failures_are_one_line(server: str, path: str, message: str) -> None:
    r = runner.invoke(app, ["score", "-f", "json", server + path])
    assert r.exit_code == 2
    err = r.stderr.strip().splitlines()
    assert len(err) == 1 and message in err[0] and "Traceback" not in r.output


def test_url_size_cap_and_timeout(server: str) -> None:
    with pytest.raises(InputError, match="over the 1,000-byte limit"):
        fetch_url(f"{server}/big.html", max_bytes=1000)
    with pytest.raises(InputError, match=r"timed out after 0\.3 s"):
        fetch_url(f"{server}/slow", timeout=0.3, max_bytes=1000)
    with pytest.raises(InputError, match="cannot fetch"):
        fetch_url("http://127.0.0.1:9/nothing-listens-here", max_bytes=1000, timeout=2)


@pytest.mark.parametrize("argv", [["score", "-f", "json", "-"], ["--help"]])
def test_plain_text_and_help_import_no_heavy_modules(argv: list[str]) -> None:
    code = (
        "import sys\n"
        "from rhetoric.cli import main\n"
        f"sys.argv = ['rhetoric', *{argv!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = {'trafilatura', 'lxml', 'dask', 'rich.progress', 'urllib.request'}\n"
        "assert not heavy & set(sys.modules), heavy & set(sys.modules)\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code], input=ARTICLE_P2, capture_output=True, text=True, timeout=60
    )
    assert r.returncode == 0, r.stderr


def test_csv_and_jsonl_columns(tmp_path: Path) -> None:
    import csv

    p = tmp_path / "corpus.csv"
    with p.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["key", "headline", "body"])
        w.writerow(["n1", "Budget", ARTICLE_P1])
        w.writerow(["n2", "Reform", ARTICLE_P2 + "\n\nSecond paragraph, with a comma."])
    r = runner.invoke(
        app, ["score", "-f", "jsonl", "--text-column", "body", "--id-column", "key", str(p)]
    )
    assert r.exit_code == 0, r.output
    assert [json.loads(x)["id"] for x in r.stdout.splitlines()] == ["n1", "n2"]
    r = runner.invoke(app, ["score", "-f", "jsonl", str(p)])
    assert r.exit_code == 2 and "no 'text' column" in r.stderr and "--text-column" in r.stderr

    j = tmp_path / "corpus.jsonl"
    j.write_text(
        json.dumps({"doc": "j1", "content": ARTICLE_P2}) + "\n" + json.dumps({"doc": "j2"}) + "\n",
        encoding="utf-8",
    )
    r = runner.invoke(
        app, ["score", "-f", "jsonl", "--text-column", "content", "--id-column", "doc", str(j)]
    )
    assert r.exit_code == 2  # the second line has no 'content'
    assert [json.loads(x)["id"] for x in r.stdout.splitlines()] == ["j1"]
    assert "corpus.jsonl:2: expected an object with a string 'content' field" in r.stderr
