"""The terminal view: the article with highlights, per-passage scores, a summary.

Colour goes only to a terminal (and never under ``NO_COLOR``). Without colour
every finding is still visible: the phrase is bracketed and numbered, and the
numbered explanations follow each passage.
"""

from __future__ import annotations

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from ..core.labels import CATEGORY_NAMES
from ..core.report import CATEGORIES, Finding, Report
from ..core.safe import printable, visible_controls
from .marks import bracket_tags
from .view import visible, voice_note

STYLES = {
    "loaded_language": "bold black on #ffb3b3",
    "hedging": "black on #fff0a0",
    "attribution": "black on #b3d9ff",
    "propaganda": "bold white on #8a4fbf",
}
# Rhetoric inside quotations is the speaker's: shown, but muted.
QUOTED_STYLES = {
    "loaded_language": "underline #d04040",
    "hedging": "underline #a08000",
    "attribution": "underline #3070b0",
    "propaganda": "underline #8a4fbf",
}
SHORT = {"loaded_language": "L", "hedging": "H", "attribution": "A", "propaganda": "P"}


def _bar(score: int, width: int = 20) -> str:
    filled = round(score / 100 * width)
    return "█" * filled + "·" * (width - filled)


def _passage_text(
    report: Report, start: int, end: int, items: list[tuple[int, Finding]], color: bool
) -> Text:
    """The passage with findings styled (colour) or bracketed (plain), each
    followed by its number."""
    # the article's own control characters (an escape sequence in a file)
    # are shown as visible symbols, one for one, never sent to the terminal
    seg = visible_controls(report.text[start:end])
    out = Text()
    if color:
        out.append(seg)
        for _n, f in items:
            style = STYLES.get(f.category, "reverse")
            if f.voice == "quoted":  # the speaker's rhetoric: muted, not the writer's
                style = QUOTED_STYLES.get(f.category, "dim")
            out.stylize(style, f.start - start, f.end - start)
        # insert markers from the end so earlier offsets stay valid
        pieces = []
        cursor = 0
        plain = out
        marks = sorted(((f.end - start, n, f) for n, f in items), key=lambda x: (x[0], x[1]))
        for pos, n, f in marks:
            pieces.append(plain[cursor:pos])
            pieces.append(Text(f"{SHORT[f.category]}{n}", style="bold dim"))
            cursor = pos
        pieces.append(plain[cursor:])
        return Text("").join(pieces)
    opens, closes = bracket_tags([(f"{SHORT[f.category]}{n}", f) for n, f in items])
    buf = []
    for i in range(start, end + 1):
        buf.extend(closes.get(i, []))
        if i < end:
            buf.extend(opens.get(i, []))
            buf.append(seg[i - start])
    return Text("".join(buf))


def _numbered_by_passage(report: Report) -> list[list[tuple[int, Finding]]]:
    """``(number, finding)`` for the findings starting in each passage, in
    report order: one binary search per finding (a scan of every finding per
    passage made long articles quadratic)."""
    import bisect

    starts = [p.start for p in report.passages]
    out: list[list[tuple[int, Finding]]] = [[] for _ in starts]
    for n, f in enumerate(report.findings, 1):
        i = bisect.bisect_right(starts, f.start) - 1
        if i >= 0 and f.start < report.passages[i].end:
            out[i].append((n, f))
    return out


def render_text(report: Report, console: Console, color: bool, show_all: bool = False) -> None:
    """Print one report: header, passages with highlights and notes, summary.
    Findings under ``view.SHOW_FLOOR`` are left out (and counted in a note)
    unless ``show_all``."""
    if not show_all:
        report = visible(report)
    console.print(Text(f"rhetoric: {printable(report.id)}", style="bold"))
    for note in report.notes:
        console.print(Text(f"note: {note}", style="italic"))
    by_passage = _numbered_by_passage(report)
    for pi, p in enumerate(report.passages, 1):
        items = by_passage[pi - 1]
        head = Text(f"\n¶{pi}  ", style="bold")
        head.append(f"{p.score:3d} {_bar(p.score, 10)}", style="bold" if p.score >= 50 else "")
        if items:
            head.append("  " + "  ".join(f"{SHORT[c]} {s}" for c, s in p.scores.items() if s))
        console.print(head)
        console.print(_passage_text(report, p.start, p.end, items, color))
        for n, f in items:
            line = Text(f"  {SHORT[f.category]}{n} ", style="bold")
            line.append(f"{f.category}/{f.label}", style=STYLES[f.category] if color else "")
            line.append(f" {f.confidence:.2f} ")
            if f.voice == "quoted":  # a speaker's name comes from the article
                line.append(visible_controls(voice_note(f.speaker)) + " ", style="italic")
            phrase = visible_controls(" ".join(f.text.split()))
            line.append(f"\u201c{phrase}\u201d ", style="italic")
            line.append(f.explanation, style="dim")
            console.print(line)
    console.print()
    legend = Text("Legend: ")
    for c in CATEGORIES:
        legend.append(f" {SHORT[c]} {CATEGORY_NAMES[c]} ", style=STYLES[c] if color else "")
        legend.append(" ")
    console.print(legend)
    table = Table(title=f"Scores for {printable(report.id)}", show_edge=True)
    table.add_column("category")
    table.add_column("score", justify="right")
    table.add_column("", no_wrap=True)
    table.add_column("findings", justify="right")
    counts = {c: sum(1 for f in report.findings if f.category == c) for c in CATEGORIES}
    for c in CATEGORIES:
        table.add_row(
            CATEGORY_NAMES[c], str(report.scores[c]), _bar(report.scores[c]), str(counts[c])
        )
    table.add_row(
        "overall",
        str(report.scores["overall"]),
        _bar(report.scores["overall"]),
        str(len(report.findings)),
        style="bold",
    )
    kinds: dict[str, int] = {}
    for a in report.attributions:
        kinds[a.kind] = kinds.get(a.kind, 0) + 1
    r = report.readability
    extra = Text(
        f"readability: Flesch reading ease {r['flesch_reading_ease']:.1f}, "
        f"grade {r['flesch_kincaid_grade']:.1f}; {report.words} words, "
        f"{report.sentences} sentences; sources: "
        + (", ".join(f"{k} {v}" for k, v in sorted(kinds.items())) or "none found")
    )
    console.print(Group(table, extra))
    sourcing = _sourcing_table(report)
    if sourcing is not None:
        console.print(sourcing)


MAX_SOURCE_ROWS = 8


def _sourcing_table(report: Report) -> Table | None:
    """Who the article lets speak: one row per source (gaps first) with what
    it is quoted as saying, and a caption with the kind counts and the share
    of claim sentences that carry an attribution."""
    sp = report.sourcing
    if not sp or (not sp.get("sources") and not sp.get("claim_sentences")):
        return None
    counts = sp.get("counts", {})
    share = sp.get("attributed_share")
    caption = ", ".join(f"{k} {v}" for k, v in counts.items() if v) or "no sources"
    if share is not None:
        caption += (
            f"; claims attributed: {sp['claim_sentences_attributed']} of "
            f"{sp['claim_sentences']} ({round(100 * share)}%)"
        )
    table = Table(title=f"Sourcing for {printable(report.id)}", caption=caption, show_edge=True)
    table.add_column("source")
    table.add_column("kind")
    table.add_column("n", justify="right")
    table.add_column("says (first)", overflow="fold")
    order = {"anonymous": 0, "vague": 1, "self": 2, "named": 3}  # the gaps first
    rows = sorted(sp.get("sources", []), key=lambda e: (order.get(e["kind"], 4), e["start"]))
    for e in rows[:MAX_SOURCE_ROWS]:
        says = e["says"][0] if e["says"] else ""
        if len(says) > 50:
            says = says[:49].rstrip() + "\u2026"
        table.add_row(
            visible_controls(e["source"]), e["kind"], str(e["attributions"]), visible_controls(says)
        )
    if len(rows) > MAX_SOURCE_ROWS:
        table.add_row(f"(+{len(rows) - MAX_SOURCE_ROWS} more)", "", "", "")
    return table
