"""The layout's rules, checked: the import contracts in pyproject.toml
(layers, no cycle between siblings at any depth, private modules stay home,
no scikit-learn on the scoring path and numpy only in the joint scorer; imports inside functions
count), and no private name imported from another module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "rhetoric"


def test_import_contracts_are_kept() -> None:
    pytest.importorskip("importlinter")
    from importlinter import cli

    assert cli.lint_imports(config_filename=str(ROOT / "pyproject.toml")) == 0, (
        "an import breaks a contract: run lint-imports for the chain"
    )


def _private_imports() -> list[str]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom):
                continue
            if not (node.level or (node.module or "").startswith("rhetoric")):
                continue
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    rel = path.relative_to(ROOT)
                    out.append(f"{rel}:{node.lineno}: {alias.name} from {node.module}")
    return out


def test_no_private_name_crosses_modules() -> None:
    assert _private_imports() == []


def test_speech_verb_lists_are_reporting_verbs() -> None:
    """The two lists of verbs of saying are kept apart on purpose (what makes a
    pronoun refer back; what reports a hedge without judging it), but both
    name reporting verbs the cue finder knows: "point" ("pointed out") is the
    one plain reporting verb the lexicon lacks as a cue."""
    from rhetoric.core.lexicon import report_verbs
    from rhetoric.core.words import PLAIN_SPEECH_VERBS, SPEECH_VERBS

    assert set(SPEECH_VERBS) <= report_verbs()
    assert set(PLAIN_SPEECH_VERBS) - report_verbs() == {"point"}
