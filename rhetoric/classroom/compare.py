"""Two articles side by side (say, two outlets on one event): scores per
category, the strongest loaded phrases, and who each one lets speak."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from ..core.labels import CATEGORY_NAMES
from ..core.report import ATTRIBUTION_KINDS, CATEGORIES, Report
from ..render.html import (
    article_html,
    esc,
    legend_html,
    page,
    score_chart_svg,
    sourcing_table_html,
)
from .policy import plausible_name

__all__ = ["Profile", "profile", "render_compare_html", "render_compare_text", "title_of"]


@dataclass(frozen=True)
class Profile:
    """What a comparison shows about one article."""

    id: str
    scores: dict[str, int]
    counts: dict[str, int]
    top_loaded: list[tuple[str, str, float]]  # phrase, label, confidence
    sources: dict[str, int]  # attribution kind -> count
    named: list[str]  # named sources, in order of first appearance
    words: int
    reading_ease: float
    grade: float

    @property
    def named_share(self) -> float | None:
        """Share of attributions whose source is named (None: nobody quoted)."""
        total = sum(self.sources.values())
        return self.sources.get("named", 0) / total if total else None


def profile(report: Report, top: int = 5) -> Profile:
    """The comparison profile of one report."""
    counts = {c: sum(1 for f in report.findings if f.category == c) for c in CATEGORIES}
    seen: set[str] = set()
    loaded = []
    for f in sorted(
        (f for f in report.findings if f.category == "loaded_language"),
        key=lambda f: (-f.confidence, f.start),
    ):
        phrase = " ".join(f.text.split())
        if phrase.lower() in seen:
            continue
        seen.add(phrase.lower())
        loaded.append((phrase, f.label, f.confidence))
    sources = dict.fromkeys(ATTRIBUTION_KINDS, 0)
    for a in report.attributions:
        if a.source is not None or a.kind == "unattributed":
            sources[a.kind] = sources.get(a.kind, 0) + 1  # a cue nobody is found for: not counted
    named: list[str] = []
    # the sourcing profile's sources: pronouns and "who" resolved to the name
    # they stand for, an apposition's name ("the Democratic leader, Nancy Pelosi")
    for entry in report.sourcing.get("sources", []):
        name = str(entry.get("source", ""))
        if entry.get("kind") == "named" and plausible_name(name) and name not in named:
            named.append(name)
    r = report.readability
    return Profile(
        title_of(report),
        dict(report.scores),
        counts,
        loaded[:top],
        sources,
        named,
        report.words,
        float(r.get("flesch_reading_ease", 0.0)),
        float(r.get("flesch_kincaid_grade", 0.0)),
    )


def title_of(report: Report) -> str:
    """What names the article for a reader: its title when the input had one
    (a web page, a JSONL record), else the file name without its folders."""
    title = " ".join(str(report.metadata.get("title", "")).split())
    if title:
        return title
    return PurePath(report.id).name or report.id


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{round(100 * x)}%"


def render_compare_text(a: Report, b: Report, top: int = 5) -> str:
    """A plain-text side-by-side table, then each article's loaded phrases."""
    pa, pb = profile(a, top), profile(b, top)
    w = 28
    rows = [
        ("", "A", "B"),
        ("article", _clip(pa.id, w), _clip(pb.id, w)),
        ("words", str(pa.words), str(pb.words)),
        ("overall score", str(pa.scores["overall"]), str(pb.scores["overall"])),
    ]
    for c in CATEGORIES:
        rows.append(
            (
                f"{CATEGORY_NAMES[c]} score",
                f"{pa.scores[c]} ({pa.counts[c]} found)",
                f"{pb.scores[c]} ({pb.counts[c]} found)",
            )
        )
    for k in ATTRIBUTION_KINDS:
        rows.append((f"sources: {k}", str(pa.sources.get(k, 0)), str(pb.sources.get(k, 0))))
    rows.append(("named sources share", _pct(pa.named_share), _pct(pb.named_share)))
    rows.append(
        (
            "reading ease / grade",
            f"{pa.reading_ease:.0f} / {pa.grade:.1f}",
            f"{pb.reading_ease:.0f} / {pb.grade:.1f}",
        )
    )
    lines = [f"A: {pa.id}", f"B: {pb.id}", ""]
    lines += [f"{r[0]:24s} {r[1]:{w}s} {r[2]}" for r in rows]
    for tag, p in (("A", pa), ("B", pb)):
        lines.append("")
        lines.append(f"{tag}: strongest loaded phrases")
        if not p.top_loaded:
            lines.append("  (none)")
        for phrase, label, conf in p.top_loaded:
            lines.append(f"  \u201c{phrase}\u201d  {label} {conf:.2f}")
        lines.append(f"{tag}: named sources: " + (", ".join(p.named) or "(none)"))
    higher = _verdict(pa, pb)
    lines += ["", "Scores are 0-100: higher means more of that kind of persuasion."]
    if higher:
        lines.append(higher)
    return "\n".join(lines) + "\n"


def _clip(s: str, w: int) -> str:
    """``s`` cut at the end to ``w`` characters: a title or file name keeps
    its beginning, which is what tells articles apart."""
    return s if len(s) <= w else s[: w - 1].rstrip() + "\u2026"


def _verdict(pa: Profile, pb: Profile) -> str:
    """Where the two differ by 15 points or more, in words: "B scores 22
    points higher on loaded language (B 40, A 18)". Scores are 0-100; higher
    means more of that kind of persuasion."""
    diffs = []
    for c in CATEGORIES:
        d = pa.scores[c] - pb.scores[c]
        if abs(d) >= 15:
            hi, lo = (("A", pa), ("B", pb)) if d > 0 else (("B", pb), ("A", pa))
            diffs.append(
                f"{hi[0]} scores {abs(d)} points higher on {CATEGORY_NAMES[c]} "
                f"({hi[0]} {hi[1].scores[c]}, {lo[0]} {lo[1].scores[c]})"
            )
    return "; ".join(diffs)


def _profile_html(p: Profile, tag: str) -> str:
    counts = dict(p.counts) | {"overall": sum(p.counts.values())}
    loaded = (
        "".join(
            f'<li><span class="swatch sw-loaded_language">{esc(ph)}</span> '
            f'<span class="lab">{esc(lab)} · {conf:.2f}</span></li>'
            for ph, lab, conf in p.top_loaded
        )
        or '<li class="muted">none</li>'
    )
    src = (
        "".join(f"<tr><td>{esc(k)}</td><td>{v}</td></tr>" for k, v in p.sources.items() if v)
        or '<tr><td colspan="2" class="muted">nobody quoted</td></tr>'
    )
    named = esc(", ".join(p.named)) or "none"
    return (
        f'<section class="card" aria-label="Article {tag}"><h2>{tag}: {esc(p.id)}</h2>'
        f'<p class="overall">{p.scores["overall"]}<small> / 100 overall · {p.words} words · '
        f"reading ease {p.reading_ease:.0f}</small></p>"
        f"{score_chart_svg(p.scores, counts)}"
        f'<h2>Strongest loaded phrases</h2><ol class="findings">{loaded}</ol>'
        f'<h2>Sourcing profile</h2><table class="sources"><thead><tr><th scope="col">kind</th>'
        f'<th scope="col">count</th></tr></thead><tbody>{src}</tbody></table>'
        f'<p class="muted">named: {named} · named share {_pct(p.named_share)}</p></section>'
    )


def render_compare_html(a: Report, b: Report, top: int = 5) -> str:
    """Both articles as one self-contained page: profiles, then the texts."""
    pa, pb = profile(a, top), profile(b, top)
    verdict = _verdict(pa, pb)
    body = (
        "<header><h1>Two articles compared</h1>"
        f'<p class="id">A: {esc(pa.id)} · B: {esc(pb.id)}</p></header><main>'
        '<p class="muted">Scores are 0-100: higher means more of that kind of persuasion.</p>'
        + (f'<p class="note">{esc(verdict)}</p>' if verdict else "")
        + f'<div class="cols">{_profile_html(pa, "A")}{_profile_html(pb, "B")}</div>'
        f'<nav aria-label="Show or hide categories">{legend_html()}</nav>'
        '<div class="cols">'
        f'<section class="card" aria-label="Text of A"><h2>A</h2>{article_html(a)}'
        f"<h2>Sourcing</h2>{sourcing_table_html(a)}</section>"
        f'<section class="card" aria-label="Text of B"><h2>B</h2>{article_html(b)}'
        f"<h2>Sourcing</h2>{sourcing_table_html(b)}</section>"
        "</div></main>"
    )
    return page(f"rhetoric: {a.id} vs {b.id}", body)
