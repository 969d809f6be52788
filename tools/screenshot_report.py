"""Render docs/img/report.png (the README's picture) from one of our own passages.

    python tools/screenshot_report.py [ARTICLE] [OUT.png]

Needs Debian's chromium (/usr/bin/chromium) and the playwright package (the
test extra). No network: the page is a local file and makes no requests.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from rhetoric.pipeline.analyze import analyze
from rhetoric.render.html import render_html

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    from playwright.sync_api import sync_playwright

    src = (
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else ROOT / "corpora/examples/costa-under-pressure.txt"
    )
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "docs/img/report.png"
    rel = src.resolve().relative_to(ROOT) if src.resolve().is_relative_to(ROOT) else src
    page_html = render_html(analyze(src.read_text(encoding="utf-8"), str(rel)))
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        path = Path(tmp) / "report.html"
        path.write_text(page_html, encoding="utf-8")
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            headless=True,
            args=["--no-sandbox", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1180, "height": 760})
        page.goto(path.as_uri())
        page.locator('mark[data-category="attribution"]').first.focus()
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out), full_page=False)
        browser.close()
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
