"""Web pages: fetching ``http(s)://`` URLs and extracting an article's main text.

Fetching has a timeout and a size cap and turns every failure into one
``InputError`` sentence. Extraction uses trafilatura (imported only when an
HTML page is read, so plain-text scoring never pays for it); the extracted
text is what rhetoric analyses and what the report's offsets refer to, so the
JSON report carries it as ``text``.
"""

from __future__ import annotations

import http.client
import ipaddress
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

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


def _opener(host: str | None) -> urllib.request.OpenerDirector:
    """Proxies from the environment for the world, none for loopback: a local
    server is never reached through a proxy (and CI points proxies nowhere)."""
    if _is_loopback(host):
        return urllib.request.build_opener(urllib.request.ProxyHandler({}))
    return urllib.request.build_opener()


def fetch_url(url: str, *, timeout: float = DEFAULT_TIMEOUT, max_bytes: int) -> Page:
    """GET ``url``; refuse bodies over ``max_bytes``. Raises ``InputError``."""
    try:  # "http://[::1", "http://host:abc/": ValueError from urllib
        parts = urllib.parse.urlsplit(url)
        host, _port = parts.hostname, parts.port
    except ValueError as e:
        raise InputError(f"{url}: not a valid URL ({e})") from None
    if parts.scheme not in ("http", "https") or not host:
        raise InputError(f"{url}: not an http(s) URL")
    if any(c.isspace() or ord(c) < 32 for c in url):
        raise InputError(f"{url}: not a valid URL (spaces or control characters)")
    req = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT, "Accept": "*/*"})
    try:
        with _opener(parts.hostname).open(req, timeout=timeout) as resp:
            length = resp.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise InputError(
                    f"{url}: {int(length):,} bytes is over the {max_bytes:,}-byte limit "
                    "(see --max-bytes)"
                )
            body = resp.read(max_bytes + 1)
            if len(body) > max_bytes:
                raise InputError(
                    f"{url}: page is over the {max_bytes:,}-byte limit (see --max-bytes)"
                )
            if length and length.isdigit() and len(body) < int(length):
                # the connection dropped: scoring half an article would mislead
                raise InputError(
                    f"{url}: page cut short ({len(body):,} of {int(length):,} bytes arrived)"
                )
            ctype = resp.headers.get_content_type() or ""
            charset = resp.headers.get_content_charset()
            return Page(resp.geturl(), body, ctype, charset)
    except urllib.error.HTTPError as e:
        raise InputError(f"{url}: HTTP {e.code} {e.reason}") from None
    except urllib.error.URLError as e:
        reason = e.reason
        if isinstance(reason, TimeoutError):
            raise InputError(f"{url}: timed out after {timeout:g} s") from None
        msg = getattr(reason, "strerror", None) or str(reason)
        raise InputError(f"{url}: cannot fetch ({msg})") from None
    except TimeoutError:
        raise InputError(f"{url}: timed out after {timeout:g} s") from None
    except (OSError, ValueError, http.client.HTTPException) as e:
        # connection reset, bad header, invalid URL, a malformed response
        raise InputError(f"{url}: cannot fetch ({e or type(e).__name__})") from None


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
    try:
        doc = trafilatura.bare_extraction(
            _without_ads(html),
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
    if not text:
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
