"""A hostile web server on 127.0.0.1 for the fault tests: it drips bytes,
redirects to other schemes, sends escape sequences and compressed bodies.
Started by a fixture, stopped at the end of the module; never the internet."""

from __future__ import annotations

import socket
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARTICLE = (
    "Critics say the so-called reform is a total disaster. Sources close to the "
    "cabinet said the plan may yet fail, and the minister's cronies slammed the report."
)


class Trap:
    """A listening socket that records whether anything connected to it (the
    target of a redirect that must not be followed)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self.sock.close()


class Handler(BaseHTTPRequestHandler):
    trap_port = 0
    stop = threading.Event()

    def log_message(self, *args: object) -> None:
        pass

    def _drip(self, data: bytes, every: float) -> None:
        for i in range(len(data)):
            if self.stop.wait(every):
                return
            self.wfile.write(data[i : i + 1])
            self.wfile.flush()

    def do_GET(self) -> None:
        with suppress(BrokenPipeError, ConnectionResetError):  # the client gave up
            self._route()

    def _route(self) -> None:
        p = self.path
        if p == "/drip-body":  # headers at once, then one byte a second, forever
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self._drip(b"x" * 10_000, 0.5)
        elif p == "/drip-slow":  # the sweep's server: one byte a second
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self._drip(b"x" * 10_000, 1.0)
        elif p == "/drip-headers":  # the status line and headers a byte at a time
            self.wfile.write(b"HTTP/1.0 200 OK\r\n")
            self._drip(b"X-Slow: " + b"y" * 10_000, 0.5)
        elif p == "/ftp":
            self.send_response(302)
            self.send_header("Location", f"ftp://127.0.0.1:{self.trap_port}/pub/x.txt")
            self.end_headers()
        elif p == "/hop":  # an http redirect first, then the one to ftp
            self.send_response(302)
            self.send_header("Location", "/ftp")
            self.end_headers()
        elif p == "/folded":  # a redirect target folded over three lines, with an escape
            self.wfile.write(
                b"HTTP/1.0 302 Found\r\nLocation: ftp://127.0.0.1:%d/x\r\n \x1b[2Jsecond\r\n"
                b"\tthird\r\nContent-Length: 0\r\n\r\n" % self.trap_port
            )
        elif p == "/file":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()
        elif p == "/escape":  # a reason phrase that would retitle a terminal and clear it
            self.wfile.write(b"HTTP/1.0 404 \x1b]0;PWNED\x07\x1b[2J\x1b[31mgone\x9b1m\r\n\r\n")
        elif p == "/carriage":  # a redirect whose reason spans lines
            self.wfile.write(b"HTTP/1.0 500 bad\rnews\x0bhere\r\nContent-Length: 0\r\n\r\n")
        elif p in ("/deflate", "/raw-deflate", "/gzip", "/br"):
            data = ARTICLE.encode("utf-8")
            if p == "/deflate":
                body, enc = zlib.compress(data), "deflate"
            elif p == "/raw-deflate":
                c = zlib.compressobj(wbits=-15)
                body, enc = c.compress(data) + c.flush(), "deflate"
            elif p == "/gzip":
                c = zlib.compressobj(wbits=31)
                body, enc = c.compress(data) + c.flush(), "gzip"
            else:
                body, enc = b"\x1b\x00\x00\x00binary", "br"
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Encoding", enc)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif p == "/bomb":  # 50 MB of zeros in 50 KB
            c = zlib.compressobj(wbits=31)
            body = c.compress(b"a" * 50_000_000) + c.flush()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Encoding", "gzip")
            self.end_headers()
            self.wfile.write(body)
        elif p == "/article":
            body = ARTICLE.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_error(404, "Not Found")


@contextmanager
def hostile_server() -> Iterator[tuple[str, Trap]]:
    """``(base URL, trap)``; everything stops when the block ends."""
    trap = Trap()
    handler = type("H", (Handler,), {"trap_port": trap.port, "stop": threading.Event()})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    httpd.handle_error = lambda *a: None  # type: ignore[method-assign]
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", trap
    finally:
        handler.stop.set()
        httpd.shutdown()
        httpd.server_close()
        trap.close()


if __name__ == "__main__":  # for trying it by hand: python -m tests.hostile_server
    with hostile_server() as (url, _trap):
        print(url, flush=True)
        time.sleep(3600)
