"""A ``rhetoric serve`` app on 127.0.0.1 in a daemon thread, and an HTTP client
with cookies, for the serve tests. The server stops when the test stops it,
and with the test process at the latest (daemon thread); no proxy is used."""

from __future__ import annotations

import http.cookiejar
import json
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from rhetoric.serve import bind, make_server
from rhetoric.serve.app import create_app
from rhetoric.serve.service import Scorer
from rhetoric.serve.storage import Store


class LiveServer:
    def __init__(self, data: Path, open_teacher: bool = True, max_bytes: int = 10 * 1024 * 1024):
        self.store = Store(data)
        self.token = self.store.secret("teacher_token")
        self.sock = bind("127.0.0.1", 0)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = make_server(
            create_app(self.store, Scorer(True, None, max_bytes), open_teacher)
        )
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True
        )
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            assert time.monotonic() < deadline, "the server did not start"
            assert self.thread.is_alive(), "the server thread died"
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(60)
        self.sock.close()
        assert not self.thread.is_alive()


class Client:
    """urllib with cookies, no proxy and no exceptions for 4xx/5xx."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(self.jar)
        )

    def request(
        self,
        path: str,
        data: bytes | None = None,
        headers: dict[str, str] | None = None,
        method: str | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        req = urllib.request.Request(
            self.base + path, data=data, headers=headers or {}, method=method
        )
        try:
            with self.opener.open(req, timeout=120) as r:
                return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
        except urllib.error.HTTPError as e:
            return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()

    def get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        return self.request(path)

    def csrf(self) -> str:
        for c in self.jar:
            if c.name == "rhetoric_csrf":
                return c.value
        self.get("/")
        return self.csrf()

    def post_form(
        self, path: str, fields: dict[str, Any] | list[tuple[str, str]], csrf: bool = True
    ) -> tuple[int, dict[str, str], bytes]:
        items = list(fields.items()) if isinstance(fields, dict) else list(fields)
        if csrf:
            items.append(("csrf", self.csrf()))
        body = urllib.parse.urlencode(items).encode()
        return self.request(
            path, body, {"Content-Type": "application/x-www-form-urlencoded"}, "POST"
        )

    def post_json(self, path: str, obj: Any, headers: dict[str, str] | None = None):
        body = obj if isinstance(obj, bytes) else json.dumps(obj).encode()
        return self.request(
            path, body, {"Content-Type": "application/json", **(headers or {})}, "POST"
        )


def join_code(html: bytes) -> str:
    m = re.search(rb'<p class="code"[^>]*>([A-Z0-9]{6})</p>', html)
    assert m, "no join code on the page"
    return m.group(1).decode()
