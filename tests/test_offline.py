"""No network and no heavy imports on the scoring path."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_scoring_never_touches_the_network_or_nltk(tmp_path: Path) -> None:
    script = textwrap.dedent("""
        import socket, sys
        def refuse(*a, **k):
            raise RuntimeError("network access attempted")
        socket.socket.connect = refuse
        socket.create_connection = refuse
        socket.getaddrinfo = refuse
        from rhetoric.cli import main
        sys.argv = ["rhetoric", "score", "-f", "json", "-"]
        try:
            main()
        except SystemExit as e:
            assert not e.code, e.code
        assert "nltk" not in sys.modules, "nltk imported on the scoring path"
        assert "textstat" not in sys.modules
    """)
    env = {**os.environ, "HOME": str(tmp_path), "NLTK_DATA": str(tmp_path / "none")}
    r = subprocess.run(
        [sys.executable, "-c", script],
        input="Critics say it is a fiasco. It\u2019s just a matter of time.",
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    assert '"fiasco"' in r.stdout


def test_help_imports_no_numpy_nor_the_models() -> None:
    """``rhetoric --help`` stays quick: numpy (the joint scorer's) and the
    model files load only when something is analysed."""
    script = textwrap.dedent("""
        import sys
        from rhetoric.cli import main
        sys.argv = ["rhetoric", "--help"]
        try:
            main()
        except SystemExit as e:
            assert not e.code, e.code
        heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("numpy", "sklearn"))
        assert not heavy, heavy
        assert "rhetoric.models.joint" not in sys.modules
    """)
    r = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert r.returncode == 0, r.stderr
