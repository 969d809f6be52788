"""Fetching from a hostile server (issue 16): one overall deadline however
slowly it drips, no redirect to another scheme (nothing connects to it), no
escape sequence or line break of its reaches the terminal, compressed bodies
undone or refused. The server (tests/hostile_server.py) listens on
127.0.0.1 and stops at the end of the module."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from rhetoric.io.fetch import fetch_url
from rhetoric.io.inputs import InputError

from .conftest import ROOT
from .hostile_server import ARTICLE, Trap, hostile_server


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, Trap]]:
    with hostile_server() as s:
        yield s


@pytest.fixture(autouse=True)
def _proxies_point_nowhere(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.setenv(var, "http://127.0.0.1:9")


def _cli(*args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "rhetoric", *args],
        capture_output=True,
        env=env,
        timeout=300,
    )


@pytest.mark.parametrize("path", ["/drip-slow", "/drip-body", "/drip-headers"])
def test_a_server_that_drips_is_cut_off_at_the_deadline(
    server: tuple[str, Trap], path: str
) -> None:
    url = server[0] + path
    t0 = time.monotonic()
    with pytest.raises(InputError) as e:
        fetch_url(url, timeout=1.5, max_bytes=1_000_000)
    # a byte every half second used to keep it going for good (the timeout
    # was per read); generous bound for a loaded machine
    assert time.monotonic() - t0 < 30
    assert str(e.value) == f"{url}: timed out after 1.5 s"


def test_batch_timeout_covers_the_fetch(server: tuple[str, Trap], tmp_path: Path) -> None:
    url = server[0]
    out = tmp_path / "r.jsonl"
    t0 = time.monotonic()
    r = _cli("batch", f"{url}/drip-body", f"{url}/article", "-o", str(out), "--timeout", "2",
             "--no-progress", "--no-models")  # fmt: skip
    assert r.returncode == 0, r.stderr.decode()
    assert time.monotonic() - t0 < 120
    assert [json.loads(x)["id"] for x in out.read_text().splitlines()] == [f"{url}/article"]
    (err,) = (json.loads(x) for x in (tmp_path / "r.errors.jsonl").read_text().splitlines())
    assert err["id"] == f"{url}/drip-body" and "timed out after 2 s" in err["error"]


@pytest.mark.parametrize("path", ["/ftp", "/hop", "/file"])
def test_a_redirect_to_another_scheme_is_refused_unfollowed(
    server: tuple[str, Trap], path: str
) -> None:
    url, trap = server
    before = trap.connections
    with pytest.raises(InputError) as e:
        fetch_url(url + path, timeout=10, max_bytes=1_000_000)
    target = "file:///etc/passwd" if path == "/file" else f"ftp://127.0.0.1:{trap.port}/pub/x.txt"
    assert (
        str(e.value) == f"{url}{path}: redirected to {target}, which is not http(s); not followed"
    )
    time.sleep(0.3)  # the trap's accept loop polls
    assert trap.connections == before  # nothing connected to it (the old code sent USER)


def test_a_folded_redirect_is_refused_on_one_inert_line(server: tuple[str, Trap]) -> None:
    """A Location header folded over three lines, with an escape sequence:
    refused, and what the server said is one line with its controls escaped,
    in the message itself (errors file, web app) as well as on the terminal."""
    url, trap = server
    before = trap.connections
    with pytest.raises(InputError) as e:
        fetch_url(url + "/folded", timeout=10, max_bytes=1_000_000)
    msg = str(e.value)
    assert msg.startswith(f"{url}/folded: redirected to ftp://127.0.0.1:{trap.port}/x")
    assert msg.endswith(", which is not http(s); not followed")
    assert "\\r\\n" in msg and "\\x1b[2Jsecond" in msg
    assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in msg)
    r = _cli("score", "--no-models", url + "/folded")
    assert r.returncode == 2
    assert r.stderr.count(b"\n") == 1 and b"\x1b" not in r.stderr and b"\r" not in r.stderr
    time.sleep(0.3)
    assert trap.connections == before


@pytest.mark.parametrize("path", ["/escape", "/carriage"])
def test_what_a_server_says_is_one_inert_line_in_the_message(
    server: tuple[str, Trap], path: str
) -> None:
    with pytest.raises(InputError) as e:
        fetch_url(server[0] + path, timeout=10, max_bytes=1_000_000)
    msg = str(e.value)
    assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in msg), msg
    assert "\\x1b]0;PWNED\\x07" in msg or "bad\\rnews\\x0bhere" in msg


@pytest.mark.parametrize("path", ["/escape", "/carriage"])
def test_what_a_server_says_reaches_the_terminal_inert(server: tuple[str, Trap], path: str) -> None:
    r = _cli("score", "--no-models", server[0] + path)
    assert r.returncode == 2
    err = r.stderr
    assert err.count(b"\n") == 1 and err.startswith(b"rhetoric: error: ")
    for raw in (b"\x1b", b"\x07", b"\r", b"\x0b", b"\xc2\x9b"):
        assert raw not in err
    assert b"\\x1b]0;PWNED\\x07" in err or b"bad\\rnews" in err  # shown, escaped


@pytest.mark.parametrize("path", ["/deflate", "/raw-deflate", "/gzip"])
def test_compressed_bodies_are_decompressed(server: tuple[str, Trap], path: str) -> None:
    page = fetch_url(server[0] + path, timeout=10, max_bytes=1_000_000)
    assert page.body.decode("utf-8") == ARTICLE


def test_unknown_compression_and_bombs_are_refused(server: tuple[str, Trap]) -> None:
    url = server[0]
    with pytest.raises(InputError, match="compressed as 'br', which rhetoric cannot read"):
        fetch_url(url + "/br", timeout=10, max_bytes=1_000_000)
    with pytest.raises(InputError, match="over the 1,000,000-byte limit once decompressed"):
        fetch_url(url + "/bomb", timeout=30, max_bytes=1_000_000)
