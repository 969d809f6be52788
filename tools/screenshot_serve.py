"""Render docs/img/serve-teacher.png and docs/img/serve-student.png (the
README's pictures of ``rhetoric serve``) from one of our own example articles.

    python tools/screenshot_serve.py

Needs Debian's chromium and playwright (the test extra). The server runs on
127.0.0.1 in this process, with a temporary data folder, and stops at the end.
"""

from __future__ import annotations

import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rhetoric.serve import bind, make_server  # noqa: E402
from rhetoric.serve.app import create_app  # noqa: E402
from rhetoric.serve.service import Scorer  # noqa: E402
from rhetoric.serve.storage import Store  # noqa: E402


def main() -> None:
    from playwright.sync_api import sync_playwright

    article = (ROOT / "corpora/examples/costa-under-pressure.txt").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as data:
        sock = bind("127.0.0.1", 0)
        base = f"http://127.0.0.1:{sock.getsockname()[1]}"
        server = make_server(create_app(Store(data), Scorer(), open_teacher=True))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        try:
            with sync_playwright() as p:
                b = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
                t = b.new_context(viewport={"width": 1200, "height": 900}).new_page()
                t.goto(base + "/teacher")
                t.fill("#text", article)
                t.click("text=Read and analyse")
                t.wait_for_url("**/teacher/articles/1")
                t.click("text=Make the exercise")
                t.wait_for_url("**/teacher/exercises/1")
                code = t.inner_text("p.code").strip()
                s = b.new_context(viewport={"width": 820, "height": 1000}).new_page()
                s.goto(f"{base}/join/{code}")
                s.fill("#name", "Sam")
                s.click("button:has-text('Join')")
                s.locator("#article .w", has_text="humiliation").first.dblclick()
                s.select_option("#category", "loaded_language")
                s.click("text=Add this answer")
                s.wait_for_selector("ul.my-answers li")
                s.locator("#article .w", has_text="claim").first.dblclick()
                s.screenshot(path=str(ROOT / "docs/img/serve-student.png"), full_page=True)
                t.wait_for_selector("#results tbody tr")
                t.screenshot(path=str(ROOT / "docs/img/serve-teacher.png"), full_page=False)
                b.close()
        finally:
            server.should_exit = True
            thread.join(30)
            sock.close()


if __name__ == "__main__":
    main()
