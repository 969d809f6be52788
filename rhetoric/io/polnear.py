"""PolNeAR (Newell, Margolin & Ruths 2018) adapter and the attribution metric.

PolNeAR is brat standoff: ``text/<name>.txt`` plus ``attributions/<name>_<annotator>.ann``
with ``T`` lines (``T1<TAB>Source 0 15<TAB>...``; discontinuous spans list
``start end;start end``) and ``E`` lines linking a Cue to its Source and
Content. Some articles are annotated twice; the adapter keeps the first
annotator's file (sorted by name) so every article counts once.

The metric is partial-overlap precision/recall/F1 over spans: a predicted span
counts as correct when it overlaps a gold span of the same role, and a gold
span counts as found when a predicted span overlaps it (the usual lenient
match of attribution work, e.g. Pareti 2016). A character-proportional variant
(SemEval-2020 SI style) is reported beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["PolnearArticle", "PolnearRelation", "read_polnear"]


@dataclass(frozen=True)
class PolnearRelation:
    """One attribution: cue, source and content, each a list of pieces."""

    cue: tuple[tuple[int, int], ...]
    source: tuple[tuple[int, int], ...]
    content: tuple[tuple[int, int], ...]


@dataclass
class PolnearArticle:
    id: str
    text: str
    relations: list[PolnearRelation] = field(default_factory=list)

    def spans(self, role: str) -> list[tuple[int, int]]:
        """The role's spans, one per relation (pieces joined into one extent)."""
        out = []
        for r in self.relations:
            pieces = getattr(r, role)
            if pieces:
                out.append((min(a for a, _ in pieces), max(b for _, b in pieces)))
        return out


def _parse_ann(path: Path) -> list[PolnearRelation]:
    spans: dict[str, tuple[str, tuple[tuple[int, int], ...]]] = {}
    events: list[dict[str, str]] = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("T"):
                parts = line.rstrip("\n").split("\t")
                if len(parts) < 2:
                    continue
                head = parts[1].split(" ", 1)
                if len(head) != 2:
                    continue
                try:
                    pieces = tuple(
                        (int(a), int(b))
                        for a, b in (p.split() for p in head[1].split(";") if p.strip())
                    )
                except ValueError:
                    continue
                spans[parts[0]] = (head[0], pieces)
            elif line.startswith("E"):
                parts = line.rstrip("\n").split("\t")
                if len(parts) < 2:
                    continue
                roles = {}
                for item in parts[1].split():
                    if ":" in item:
                        role, tid = item.split(":", 1)
                        roles[role.rstrip("0123456789")] = tid
                events.append(roles)
    out = []
    for ev in events:

        def get(role: str, ev: dict[str, str] = ev) -> tuple[tuple[int, int], ...]:
            tid = ev.get(role)
            return spans[tid][1] if tid in spans else ()

        cue = get("Cue")
        if cue:
            out.append(PolnearRelation(cue, get("Source"), get("Content")))
    return out


def read_polnear(folder: str | Path) -> list[PolnearArticle]:
    """Articles of one PolNeAR split folder (holding ``text/`` and
    ``attributions/``), sorted by name; text read exactly so offsets hold."""
    root = Path(folder)
    ann_dir, text_dir = root / "attributions", root / "text"
    if not ann_dir.is_dir() or not text_dir.is_dir():
        raise FileNotFoundError(f"{folder}: expected text/ and attributions/ folders")
    by_article: dict[str, Path] = {}
    for p in sorted(ann_dir.glob("*.ann")):
        name = p.stem.rsplit("_", 1)[0]
        by_article.setdefault(name, p)
    out = []
    for name, ann in sorted(by_article.items()):
        tp = text_dir / f"{name}.txt"
        if not tp.is_file():
            continue
        with open(tp, encoding="utf-8", newline="") as f:
            text = f.read()
        out.append(PolnearArticle(name, text, _parse_ann(ann)))
    return out
