"""``rhetoric serve``: the classroom in a browser.

The top of the layering, beside the command line: only ``rhetoric serve``
imports this package, and it imports nothing above the library it calls
(reading, analysis, renderers, classroom modules). ``app`` holds the routes,
``service`` the calls into the library, ``storage`` the SQLite file, ``guard``
the limits and headers every request goes through.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

__all__ = ["ServeError", "bind", "is_loopback", "make_server"]


class ServeError(Exception):
    """The server cannot start; ``str(err)`` is one line."""


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable from this computer only."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """A listening socket, bound before anything else starts, so the address
    printed is the one that answers (port 0: the system picks one)."""
    try:
        infos = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)
    except socket.gaierror as e:
        raise ServeError(f"cannot listen on {host}: {e.strerror or e}") from None
    family, _type, _proto, _name, addr = infos[0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(addr)
        sock.listen(128)
    except OSError as e:
        sock.close()
        raise ServeError(f"cannot listen on {host}:{port} ({e.strerror or e})") from None
    sock.set_inheritable(True)
    return sock


def make_server(app: Any, log_level: str = "warning") -> Any:
    """A uvicorn server for ``app``; run it with ``server.run(sockets=[sock])``
    and stop it by setting ``server.should_exit``."""
    import uvicorn

    config = uvicorn.Config(
        app,
        log_level=log_level,
        access_log=False,
        proxy_headers=False,
        server_header=False,
        date_header=False,
        lifespan="off",
        timeout_graceful_shutdown=5,
    )
    return uvicorn.Server(config)
