"""The glossary behind ``rhetoric explain``: definitions, why each matters, and
an example from the project's own corpus (``corpora/``), shipped as package data."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

__all__ = [
    "GlossaryError",
    "label_title",
    "load_glossary",
    "lookup",
    "render_entry",
    "render_index",
]


class GlossaryError(LookupError):
    pass


@lru_cache(maxsize=1)
def load_glossary() -> dict[str, dict[str, Any]]:
    path = resources.files("rhetoric") / "data" / "glossary.json"
    return json.loads(path.read_text(encoding="utf-8"))["entries"]


def label_title(label: str) -> str:
    """The human name of a label or category ("Whataboutism, straw man, red
    herring"), for everything students see; an unknown label (a class
    lexicon's) is shown with its underscores as spaces."""
    e = load_glossary().get(label)
    return str(e["title"]) if e else label.replace("_", " ")


def lookup(name: str) -> list[tuple[str, dict[str, Any]]]:
    """Entries for a label, or for a category and all its labels. Case-insensitive."""
    g = load_glossary()
    if not name.strip():
        raise GlossaryError("empty label; run 'rhetoric explain' for the list")
    key = {k.lower(): k for k in g}.get(name.lower().replace("-", "_")) or {
        k.lower(): k for k in g
    }.get(name.lower())
    if key is None:
        close = [k for k in g if name.lower()[:4] in k.lower()]
        hint = f" (did you mean {', '.join(close[:3])}?)" if close else ""
        raise GlossaryError(
            f"no glossary entry for {name!r}{hint}; run 'rhetoric explain' for the list"
        )
    entry = g[key]
    if entry["category"] == "category":
        return [(key, entry)] + [(k, e) for k, e in g.items() if e["category"] == key]
    return [(key, entry)]


def render_entry(item: tuple[str, dict[str, Any]]) -> str:
    key, e = item
    kind = "category" if e["category"] == "category" else f"{e['category']} label"
    lines = [
        f"{key}  ({kind}): {e['title']}",
        f"  What: {e['definition']}",
        f"  Why it matters: {e['why']}",
    ]
    ex = e.get("example")
    if ex:
        lines.append(f"  Example ({ex['corpus_id']}): {ex['text']}")
    return "\n".join(lines)


def render_index() -> str:
    g = load_glossary()
    lines = ["Labels by category (rhetoric explain LABEL for details):"]
    for cat, e in g.items():
        if e["category"] != "category":
            continue
        lines.append(f"\n{cat}: {e['definition']}")
        for k, sub in g.items():
            if sub["category"] == cat:
                lines.append(f"  {k:36s} {sub['title']}")
    return "\n".join(lines)
