"""What every response and every request goes through: a body limit (413),
a check that form posts come from the app's own pages, and the security
headers (a strict Content-Security-Policy unless the page brings its own).

A plain ASGI middleware, so the limit holds before any handler parses a byte.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

__all__ = ["APP_CSP", "Guard"]

#: The app's pages: scripts and styles only from the app itself, no inline
#: code at all, forms post only to the app, nothing frames a page.
APP_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
#: Bodies past the limit are read and dropped up to this many times the limit
#: (so the client reads the 413 instead of a reset connection), then cut off.
DRAIN_FACTOR = 4

Scope = dict[str, Any]


class _TooLarge(Exception):
    pass


class Guard:
    def __init__(self, app: Any, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        is_api = scope["path"].startswith("/api/")
        length = headers.get("content-length", "")
        if length and (not length.isdigit() or int(length) > self.max_body):
            if length.isdigit() and int(length) <= self.max_body * DRAIN_FACTOR:
                await _drain(receive)
            await _error(send, 413, self._too_large(), is_api)
            return
        if scope["method"] not in ("GET", "HEAD", "OPTIONS") and not _same_origin(headers):
            await _error(send, 403, "cross-site request refused", is_api)
            return
        started = False
        seen = 0

        async def limited() -> Any:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise _TooLarge
            return message

        async def guarded_send(message: Any) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message = dict(message)
                message["headers"] = _with_security_headers(list(message.get("headers", [])))
            await send(message)

        try:
            await self.app(scope, limited, guarded_send)
        except _TooLarge:
            if not started:
                await _error(send, 413, self._too_large(), is_api)

    def _too_large(self) -> str:
        return f"request body is over the {self.max_body:,}-byte limit"


def _same_origin(headers: dict[str, str]) -> bool:
    """A browser names the page a post came from: it must be one of ours.
    (Clients that send no Origin, like curl, are not browsers carrying a
    teacher's cookie; they still need the token and, for forms, the CSRF token.)"""
    origin = headers.get("origin")
    if origin is None:
        return True
    if origin == "null":
        return False
    return urlsplit(origin).netloc.lower() == headers.get("host", "").lower()


def _with_security_headers(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    names = {k.lower() for k, _ in headers}
    extra = [
        (b"x-content-type-options", b"nosniff"),
        # not no-referrer: with it a browser sends "Origin: null" on a form post,
        # and the same-origin check needs the real one
        (b"referrer-policy", b"same-origin"),
        (b"x-frame-options", b"DENY"),
        (b"cross-origin-opener-policy", b"same-origin"),
    ]
    if b"content-security-policy" not in names:
        extra.append((b"content-security-policy", APP_CSP.encode("ascii")))
    if b"cache-control" not in names:
        extra.append((b"cache-control", b"no-store"))
    return headers + [(k, v) for k, v in extra if k not in names]


async def _drain(receive: Any) -> None:
    more = True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            return
        more = message.get("more_body", False)


async def _error(send: Any, status: int, reason: str, is_api: bool) -> None:
    if is_api:
        body = json.dumps({"error": reason}).encode("utf-8") + b"\n"
        ctype = b"application/json"
    else:
        body = reason.encode("utf-8") + b"\n"
        ctype = b"text/plain; charset=utf-8"
    headers = _with_security_headers(
        [
            (b"content-type", ctype),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ]
    )
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
