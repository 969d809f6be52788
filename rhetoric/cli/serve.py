"""``rhetoric serve``: start the classroom web app.

The web stack (Starlette, uvicorn, Jinja2) and ``rhetoric.serve`` are
imported inside the command only, so ``rhetoric --help`` stays fast.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from typing import Annotated

import typer

from ._common import fail, info


def _default_data() -> str:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(
        os.path.expanduser("~"), ".local", "share"
    )
    return os.path.join(base, "rhetoric", "classroom")


def serve(
    port: Annotated[
        int, typer.Option("--port", "-p", min=0, max=65535, help="Port (0: any free one).")
    ] = 8000,
    host: Annotated[
        str,
        typer.Option(
            "--host",
            help="Address to listen on. The default reaches this computer only; for a "
            "classroom network use 0.0.0.0, and teacher pages then need the printed token.",
        ),
    ] = "127.0.0.1",
    data: Annotated[
        str | None,
        typer.Option(
            "--data",
            help="Folder for the classroom's data (articles, exercises, answers); kept across "
            "restarts. Default: ~/.local/share/rhetoric/classroom.",
            show_default=False,
        ),
    ] = None,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", min=1, help="Refuse articles larger than this.")
    ] = 10 * 1024 * 1024,
    models: Annotated[
        bool,
        typer.Option("--models/--no-models", help="Use the trained models as well as the rules."),
    ] = True,
    config: Annotated[
        str | None,
        typer.Option("--config", help="Configuration file (default: found from this folder)."),
    ] = None,
) -> None:
    """The classroom in a browser: teachers make exercises, students answer.

    Prints the address to open. Ctrl-C stops it; everything is kept in --data."""
    from ..serve import ServeError, bind, is_loopback, make_server
    from ..serve.app import create_app
    from ..serve.service import Scorer, ServiceError
    from ..serve.storage import Store, StoreError

    folder = data or _default_data()
    try:
        store = Store(folder)
        scorer = Scorer(models, config, max_bytes)
        local = is_loopback(host)
        sock = bind(host, port)
    except (StoreError, ServiceError, ServeError) as e:
        fail(str(e))
    bound_port = sock.getsockname()[1]
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    shown = f"[{shown}]" if ":" in shown else shown
    url = f"http://{shown}:{bound_port}/"
    server = make_server(create_app(store, scorer, open_teacher=local))
    out = sys.stdout
    out.write(f"rhetoric classroom: open {url}\n")
    if local:
        out.write(f"teacher pages: {url}teacher (this computer only)\n")
    else:
        token = store.secret("teacher_token")
        out.write(f"listening on {host}:{bound_port}; students open the start page and join\n")
        out.write(f"teacher link (keep it private): {url}teacher?token={token}\n")
    out.write(f"data: {os.path.abspath(folder)}; Ctrl-C stops\n")
    out.flush()
    # load the models while the first page is being read, not on the first click
    threading.Thread(target=_warm_up, args=(scorer,), daemon=True).start()
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # pragma: no cover - uvicorn handles Ctrl-C itself
        pass
    finally:
        sock.close()
    info("stopped")


def _warm_up(scorer: object) -> None:
    # a failure here is left for the first request to report, in one line
    with contextlib.suppress(Exception):
        scorer.warm_up()  # type: ignore[attr-defined]
