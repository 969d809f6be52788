"""Web pages: fetching ``http(s)://`` URLs and extracting an article's main text.

Fetching has a timeout and a size cap and turns every failure into one
``InputError`` sentence. Extraction uses trafilatura (imported only when an
HTML page is read, so plain-text scoring never pays for it); the extracted
text is what rhetoric analyses and what the report's offsets refer to, so the
JSON report carries it as ``text``.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from dataclasses import dataclass, field
from typing import Any

from ..core.safe import printable
from .decode import InputError, decode, decode_html

__all__ = [
    "DEFAULT_TIMEOUT",
    "Page",
    "extract_html",
    "fetch_url",
    "looks_like_html",
    "page_text",
]

DEFAULT_TIMEOUT = 20.0
_USER_AGENT = "rhetoric (+https://github.com/rhetoric-project/rhetoric)"
_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


@dataclass
class Page:
    """What a fetch returned: the body, its declared type and charset."""

    url: str
    body: bytes
    content_type: str = ""
    charset: str | None = None
    notes: list[str] = field(default_factory=list)


def _is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class _Deadline:
    """One overall deadline for a fetch (connection, redirects, headers and
    body together): when it passes, every socket the fetch opened is shut
    down, so a server that sends a byte a second cannot hold it open (a socket
    timeout alone restarts at every byte)."""

    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds
        self.expired = False
        self._socks: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def remaining(self) -> float:
        return max(0.05, self.end - time.monotonic())

    def watch(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            self._socks.append(sock)
            if self.expired:
                _shut(sock)

    def _fire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._socks:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


class _NotHttp(Exception):
    """A redirect to a URL that is not http(s) (ftp:, file:, data:, ...)."""

    def __init__(self, target: str) -> None:
        super().__init__(target)
        self.target = target


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects to http(s) URLs only: an ``ftp://`` or ``file://``
    target is refused before anything connects to it."""

    def http_error_302(  # type: ignore[no-untyped-def]
        self, req, fp, code, msg, headers
    ):
        target = headers.get("Location") or headers.get("URI")
        if target:
            target = urllib.parse.urljoin(req.full_url, target.strip())
            if urllib.parse.urlsplit(target).scheme.lower() not in ("http", "https"):
                raise _NotHttp(target)
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _opener(host: str | None, deadline: _Deadline) -> urllib.request.OpenerDirector:
    """Proxies from the environment for the world, none for loopback: a local
    server is never reached through a proxy (and CI points proxies nowhere).
    Every connection is watched by ``deadline`` and redirects stay on http(s)."""

    class Http(http.client.HTTPConnection):
        def connect(self) -> None:
            self.timeout = min(self.timeout or deadline.remaining(), deadline.remaining())
            super().connect()
            deadline.watch(self.sock)

    class Https(http.client.HTTPSConnection):
        def connect(self) -> None:
            self.timeout = min(self.timeout or deadline.remaining(), deadline.remaining())
            super().connect()
            deadline.watch(self.sock)

    class HttpHandler(urllib.request.HTTPHandler):
        def http_open(self, req: Any) -> Any:
            return self.do_open(Http, req)

    class HttpsHandler(urllib.request.HTTPSHandler):
        def https_open(self, req: Any) -> Any:
            kw = {"context": getattr(self, "_context", None)}
            if hasattr(self, "_check_hostname"):  # Python < 3.12
                kw["check_hostname"] = self._check_hostname
            return self.do_open(Https, req, **kw)

    handlers: list[Any] = [HttpHandler(), HttpsHandler(), _Redirects()]
    if _is_loopback(host):
        handlers.append(urllib.request.ProxyHandler({}))
    return urllib.request.build_opener(*handlers)


def fetch_url(url: str, *, timeout: float = DEFAULT_TIMEOUT, max_bytes: int) -> Page:
    """GET ``url``; refuse bodies over ``max_bytes``. ``timeout`` bounds the
    whole fetch, not each read. Raises ``InputError``."""
    try:  # "http://[::1", "http://host:abc/": ValueError from urllib
        parts = urllib.parse.urlsplit(url)
        host, _port = parts.hostname, parts.port
    except ValueError as e:
        raise InputError(f"{url}: not a valid URL ({e})") from None
    if parts.scheme not in ("http", "https") or not host:
        raise InputError(f"{url}: not an http(s) URL")
    if any(c.isspace() or ord(c) < 32 for c in url):
        raise InputError(f"{url}: not a valid URL (spaces or control characters)")
    req = urllib.request.Request(
        url,
        headers={"User-Agent": _USER_AGENT, "Accept": "*/*", "Accept-Encoding": "identity"},
    )
    timed_out = InputError(f"{url}: timed out after {timeout:g} s")
    with _Deadline(timeout) as deadline:
        try:
            return _get(url, req, parts.hostname, deadline, max_bytes)
        except _NotHttp as e:
            raise InputError(
                f"{url}: redirected to {_short(e.target)}, which is not http(s); not followed"
            ) from None
        except urllib.error.HTTPError as e:
            raise InputError(f"{url}: HTTP {e.code} {_short(str(e.reason))}") from None
        except urllib.error.URLError as e:
            if deadline.expired or isinstance(e.reason, TimeoutError):
                raise timed_out from None
            reason = e.reason
            msg = getattr(reason, "strerror", None) or str(reason) or type(reason).__name__
            raise InputError(f"{url}: cannot fetch ({_short(msg)})") from None
        except TimeoutError:
            raise timed_out from None
        except InputError:
            if deadline.expired:
                raise timed_out from None
            raise
        except (OSError, ValueError, http.client.HTTPException) as e:
            # connection reset, bad header, invalid URL, a malformed response
            if deadline.expired:
                raise timed_out from None
            raise InputError(
                f"{url}: cannot fetch ({_short(str(e) or type(e).__name__)})"
            ) from None


def _short(text: str, limit: int = 200) -> str:
    """A server's words (a reason phrase, a redirect target), on one line and
    cut short: its control characters, a line break of a folded header
    included, become visible escapes (``core.safe.printable``), so the message
    is one inert line in the errors file and in the web app as well as on the
    terminal."""
    text = printable(text)
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _get(
    url: str, req: urllib.request.Request, host: str | None, deadline: _Deadline, max_bytes: int
) -> Page:
    with _opener(host, deadline).open(req, timeout=deadline.remaining()) as resp:
        length = resp.headers.get("Content-Length")
        if length and length.isdigit() and int(length) > max_bytes:
            raise InputError(
                f"{url}: {int(length):,} bytes is over the {max_bytes:,}-byte limit "
                "(see --max-bytes)"
            )
        body = resp.read(max_bytes + 1)
        if deadline.expired:  # the watchdog cut the body short
            raise InputError(f"{url}: timed out")
        if len(body) > max_bytes:
            raise InputError(f"{url}: page is over the {max_bytes:,}-byte limit (see --max-bytes)")
        if length and length.isdigit() and len(body) < int(length):
            # the connection dropped: scoring half an article would mislead
            raise InputError(
                f"{url}: page cut short ({len(body):,} of {int(length):,} bytes arrived)"
            )
        body = _decompressed(url, body, resp.headers.get("Content-Encoding", ""), max_bytes)
        ctype = resp.headers.get_content_type() or ""
        charset = resp.headers.get_content_charset()
        return Page(resp.geturl(), body, ctype, charset)


def _decompressed(url: str, body: bytes, encoding: str, max_bytes: int) -> bytes:
    """The body as the server meant it: gzip and deflate (which a server may
    send although we ask for none) are undone, with the size cap applied to
    what comes out; any other encoding is refused rather than read as text."""
    codings = [c.strip().lower() for c in encoding.split(",") if c.strip()]
    for coding in reversed(codings):
        if coding == "identity":
            continue
        if coding in ("gzip", "x-gzip"):
            attempts = [zlib.MAX_WBITS | 16]
        elif coding == "deflate":  # zlib-wrapped as the standard says, or raw as some send
            attempts = [zlib.MAX_WBITS, -zlib.MAX_WBITS]
        else:
            raise InputError(
                f"{url}: compressed as {_short(coding, 40)!r}, which rhetoric cannot read"
            )
        for wbits in attempts:
            d = zlib.decompressobj(wbits)
            try:
                out = d.decompress(body, max_bytes + 1)
            except zlib.error:
                continue
            if len(out) > max_bytes:
                raise InputError(
                    f"{url}: page is over the {max_bytes:,}-byte limit once decompressed "
                    "(see --max-bytes)"
                )
            if not d.eof:
                raise InputError(f"{url}: compressed body cut short ({coding})")
            body = out
            break
        else:
            raise InputError(f"{url}: body is not valid {coding} data")
    return body


def looks_like_html(data: bytes | str) -> bool:
    """A cheap sniff of the first bytes, for pages served or saved without a type."""
    head = data[:1024]
    if isinstance(head, bytes):
        head = head.decode("latin-1")
    head = head.lstrip().lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or "<html" in head


def extract_html(html: str, name: str, url: str | None = None) -> tuple[str, dict[str, str]]:
    """Main article text (paragraphs separated by blank lines) and metadata
    (title, author, date, url, sitename when found). Navigation, adverts and
    comments are left out. Raises ``InputError`` when no article text is found."""
    import logging

    try:
        import trafilatura
    except ImportError as e:  # pragma: no cover - a broken install
        raise InputError(f"{name}: HTML needs trafilatura ({e})") from None
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    tree = _without_ads(html)
    navigation = _navigation_text(tree)  # before trafilatura prunes the tree
    try:
        doc = trafilatura.bare_extraction(
            tree,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            favor_precision=True,
        )
    except Exception as e:  # trafilatura raises many kinds on broken markup
        raise InputError(f"{name}: cannot extract text from HTML ({type(e).__name__})") from None
    raw = (getattr(doc, "text", None) or "") if doc is not None else ""
    text = "\n\n".join(line.strip() for line in raw.splitlines() if line.strip())
    if not text or _only_navigation(text, navigation):
        raise InputError(f"{name}: no article text found in the HTML page")
    meta: dict[str, str] = {}
    for key in ("title", "author", "date", "url", "sitename"):
        value = getattr(doc, key, None)
        if value:
            meta[key] = str(value)
    if url and "url" not in meta:
        meta["url"] = url
    return text, meta


# Class or id tokens of advert slots that trafilatura's own lists miss ("ad",
# "advert", "sponsored", "promo"): an advert inside the article body must not
# be scored as the writer's words.
_AD_TOKEN = re.compile(
    r"^(?:ads?|adv|advert\w*|advertisement\w*|ad[-_]\w+|ads[-_]\w+|sponsor\w*|promo\w*"
    r"|dfp\w*|google[-_]?ads?\w*|outbrain\w*|taboola\w*)$",
    re.IGNORECASE,
)


def _without_ads(html: str) -> Any:
    """The page as an lxml tree with advert blocks removed (the markup as it is
    when it cannot be parsed, for trafilatura to try)."""
    try:
        from lxml import html as lxml_html

        tree = lxml_html.document_fromstring(html)
    except Exception:  # empty or unparseable markup: let trafilatura decide
        return html
    doomed = [
        el
        for el in tree.iter()
        if isinstance(el.tag, str)
        and any(
            _AD_TOKEN.match(tok) for attr in ("class", "id") for tok in (el.get(attr) or "").split()
        )
    ]
    for el in doomed:
        parent = el.getparent()
        if parent is not None:
            el.drop_tree()
    return tree


_NAVIGATION_TAGS = ("a", "nav", "header", "footer", "aside", "menu")


def _navigation_text(tree: Any) -> set[str]:
    """Every piece of text a page shows as a link or inside its navigation,
    header, footer or sidebar (whitespace collapsed), whole and by element."""
    out: set[str] = set()
    if isinstance(tree, str):
        return out
    try:
        blocks = [
            el
            for el in tree.iter()
            if isinstance(el.tag, str)
            and (el.tag.lower() in _NAVIGATION_TAGS or el.get("role") == "navigation")
        ]
        for el in blocks:
            for d in el.iter():
                if isinstance(d.tag, str):
                    out.add(" ".join(d.text_content().split()))
            out.update(" ".join(t.split()) for t in el.itertext())
    except Exception:  # odd markup: no judgement rather than a failure
        return set()
    out.discard("")
    return out


def _only_navigation(text: str, navigation: set[str]) -> bool:
    """Whether what was extracted is, nine tenths and more, text the page
    shows as links or navigation (a home page, a menu, "Read more"): no
    article to analyse."""
    if not navigation:
        return False
    total = nav = 0
    for line in text.split("\n\n"):
        words = " ".join(line.split())
        total += len(words)
        if words in navigation or words.lstrip("-•* ") in navigation:
            nav += len(words)
    return total > 0 and nav >= 0.9 * total


def page_text(page: Page, name: str) -> tuple[str, dict[str, str], list[str], bool]:
    """``(text, metadata, notes, extracted)`` for a fetched page: HTML is
    extracted, plain text is decoded as it is."""
    if page.content_type in ("text/html", "application/xhtml+xml") or (
        page.content_type in ("", "application/octet-stream", "text/xml", "application/xml")
        and looks_like_html(page.body)
    ):
        html, notes = decode_html(page.body, name, page.charset)
        text, meta = extract_html(html, name, page.url)
        return text, meta, notes, True
    if page.content_type.startswith("text/") or page.content_type == "":
        if page.charset:
            try:
                return page.body.decode(page.charset), {"url": page.url}, [], False
            except (LookupError, UnicodeDecodeError):
                pass
        text, notes = decode(page.body, name)
        return text, {"url": page.url}, notes, False
    raise InputError(f"{name}: unsupported content type '{page.content_type}'")
