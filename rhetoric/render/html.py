"""A self-contained HTML report: the article with every finding highlighted,
the scores as an inline SVG chart, the sourcing table and readability.

One file, no network: inline CSS, inline SVG and one small inline script (the
legend toggles), pinned by a Content-Security-Policy hash so that nothing
else can run even if escaping ever failed. Everything taken from the article
goes through :func:`esc`.

Every finding becomes exactly one ``<mark data-category=...>`` element, so
``document.querySelectorAll('mark[data-category]').length`` equals
``len(report.findings)``. Findings of different categories may overlap; marks
must nest, so :func:`layout_marks` gives each finding a *display range* that
either nests in or stays clear of every other one (a finding that crosses a
longer one is shown from where the longer one ends). The true offsets stay on
the element as ``data-start``/``data-end``.
"""

from __future__ import annotations

import base64
import bisect
import contextlib
import hashlib
import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .._version import __version__
from ..core.labels import CATEGORY_NAMES
from ..core.report import CATEGORIES, Finding, Report
from .view import visible, voice_note

__all__ = [
    "MarkSpan",
    "article_html",
    "esc",
    "html_parts",
    "layout_marks",
    "page",
    "page_csp",
    "render_html",
    "score_chart_svg",
    "sourcing_table_html",
    "stylesheet",
]

#: (highlight background, underline/bar colour, underline style). Text stays
#: #1b1b1b on every background (contrast above 12:1); underline colours are
#: at least 4.5:1 against white, so bars and underlines pass AA too.
PALETTE = {
    "loaded_language": ("#ffd8d4", "#b3261e", "solid"),
    "hedging": ("#fff0a6", "#7d5700", "dotted"),
    "attribution": ("#d4e8ff", "#0a58a6", "dashed"),
    "propaganda": ("#ecdcff", "#6b2fa3", "double"),
}
KIND_NOTES = {
    "named": "named source",
    "anonymous": "unnamed source",
    "vague": "vague crowd (critics, many)",
    "self": "the outlet cites itself",
    "unattributed": "quotation with no source",
}


def esc(value: object) -> str:
    """Escape text and attribute values (quotes included): article text is data."""
    return html.escape(str(value), quote=True)


@dataclass(frozen=True, slots=True)
class MarkSpan:
    """Where one finding is drawn: ``start``..``end`` (may be narrower than the
    finding when it crosses another one), in passage ``passage``; ``n`` is the
    finding's 1-based number in the report."""

    n: int
    finding: Finding
    start: int
    end: int
    passage: int


def _passage_of(ends: Sequence[int], pos: int) -> int:
    """The first passage ending after ``pos`` (the last one when none does),
    given the passages' ends in order: a binary search."""
    return min(bisect.bisect_right(ends, pos), len(ends) - 1)


def layout_marks(report: Report) -> list[MarkSpan]:
    """One display range per finding, laminar (nested or disjoint) within its
    paragraph, so the marks are well-formed HTML and no finding is split."""
    if not report.passages:
        return []
    ends = [p.end for p in report.passages]
    by_passage: dict[int, list[tuple[int, Finding]]] = {}
    for n, f in enumerate(report.findings, 1):
        by_passage.setdefault(_passage_of(ends, f.start), []).append((n, f))
    out: list[MarkSpan] = []
    for pi, items in by_passage.items():
        p = report.passages[pi]
        out.extend(_layout_passage(items, p.start, p.end, pi))
    out.sort(key=lambda m: m.n)
    return out


_CELL = 64  # characters per cell of the index of placed ranges


def _layout_passage(
    items: Sequence[tuple[int, Finding]], ps: int, pe: int, pi: int
) -> list[MarkSpan]:
    """Display ranges for the findings of one paragraph. Longer findings are
    placed first (they are the natural parents); a later one that crosses a
    placed range is moved past its end, or cut at its start, until it crosses
    none. Only the placed ranges that overlap the finding can ever cross it,
    so those are looked up in a grid of ``_CELL``-character cells instead of
    checking every placed range (16,000 findings in a paragraph took seconds,
    a one-line 1 MB file minutes); the order in which they are tried, and so
    the result, is the same."""
    placed: list[tuple[int, int]] = []
    cells: dict[int, list[int]] = {}
    out: list[MarkSpan] = []
    for n, f in sorted(items, key=lambda t: (-(t[1].end - t[1].start), t[1].start, t[0])):
        s, e = max(f.start, ps), min(f.end, pe)
        if s >= e:  # outside the paragraph text (should not happen): an empty mark
            s = e = min(max(f.start, ps), pe)
        if s < e:
            near = sorted(
                {k for c in range(s // _CELL, (e - 1) // _CELL + 1) for k in cells.get(c, ())}
            )
            crossing = [(a, b) for a, b in (placed[k] for k in near) if a < e and s < b]
            changed = True
            while changed:
                changed = False
                for a, b in crossing:
                    if a < s < b < e:
                        s, changed = b, True
                    elif s < a < e < b:
                        e, changed = a, True
            for c in range(s // _CELL, (e - 1) // _CELL + 1):
                cells.setdefault(c, []).append(len(placed))
        placed.append((s, e))  # an empty range never crosses anything: not indexed
        out.append(MarkSpan(n, f, s, e, pi))
    return out


def _mark_open(m: MarkSpan) -> str:
    f = m.finding
    name = CATEGORY_NAMES.get(f.category, f.category)
    phrase = " ".join(f.text.split())
    who = f"{voice_note(f.speaker)}: " if f.voice == "quoted" else ""
    tip = f"{who}{name} / {f.label} ({f.confidence:.2f}): {f.explanation}"
    aria = f"{phrase}: {who}{name}, {f.label}. {f.explanation}"
    voice = ' data-voice="quoted"' if f.voice == "quoted" else ""
    return (
        f'<mark data-category="{esc(f.category)}"{voice} data-label="{esc(f.label)}" '
        f'data-n="{m.n}" data-start="{f.start}" data-end="{f.end}" '
        f'data-tip="{esc(tip)}" tabindex="0" aria-label="{esc(aria)}">'
    )


def _emit(
    text: str, start: int, end: int, marks: Sequence[MarkSpan], inserts: Sequence[tuple[int, str]]
) -> str:
    """Escaped ``text[start:end]`` with marks opened and closed at their
    display ranges and raw ``inserts`` (already-safe HTML) placed at offsets."""
    out: list[str] = []
    ins = sorted(inserts, key=lambda t: t[0])
    ii = 0
    pos = start

    def text_to(stop: int, inclusive: bool) -> None:
        nonlocal pos, ii
        while ii < len(ins) and (ins[ii][0] < stop or (inclusive and ins[ii][0] == stop)):
            at = max(ins[ii][0], pos)
            out.append(esc(text[pos:at]))
            out.append(ins[ii][1])
            pos = at
            ii += 1
        out.append(esc(text[pos:stop]))
        pos = stop

    stack: list[MarkSpan] = []
    for m in sorted(marks, key=lambda m: (m.start, -m.end, m.n)):
        while stack and stack[-1].end <= m.start:
            text_to(stack[-1].end, False)
            out.append("</mark>")
            stack.pop()
        text_to(m.start, True)
        out.append(_mark_open(m))
        if m.end == m.start:
            out.append("</mark>")
        else:
            stack.append(m)
    while stack:
        text_to(stack[-1].end, False)
        out.append("</mark>")
        stack.pop()
    text_to(end, False)
    return "".join(out)


def _bar_svg(score: int, label: str, width: int = 64) -> str:
    filled = round(max(0, min(100, score)) / 100 * width)
    return (
        f'<svg class="pbar" width="{width}" height="8" viewBox="0 0 {width} 8" role="img" '
        f'aria-label="{esc(label)}"><rect width="{width}" height="8" rx="2" fill="#e4e4e7"/>'
        f'<rect width="{filled}" height="8" rx="2" fill="#3f4654"/></svg>'
    )


def article_html(
    report: Report,
    *,
    highlight: bool = True,
    margin_bars: bool = True,
    sentence_numbers: Sequence[tuple[int, int]] = (),
) -> str:
    """The article, one block per paragraph: marks for the findings (when
    ``highlight``), a score bar in the margin, and optional sentence numbers
    (``(offset, number)`` pairs) for worksheets."""
    return "".join(_article_parts(report, highlight, margin_bars, sentence_numbers))


def _article_parts(
    report: Report,
    highlight: bool = True,
    margin_bars: bool = True,
    sentence_numbers: Sequence[tuple[int, int]] = (),
) -> list[str]:
    """``article_html`` in pieces (one per paragraph), joined only once, by
    whoever writes the page: a long article is copied once, not at every
    level of the page."""
    marks = layout_marks(report) if highlight else []
    by_p: dict[int, list[MarkSpan]] = {}
    for m in marks:
        by_p.setdefault(m.passage, []).append(m)
    inserts = [
        (off, f'<sup class="sn" aria-label="sentence {n}">{n}</sup>') for off, n in sentence_numbers
    ]
    starts = [p.start for p in report.passages]
    inserts_by_p: dict[int, list[tuple[int, str]]] = {}
    for t in inserts:  # one binary search each, not a scan of all per paragraph
        i = bisect.bisect_right(starts, t[0]) - 1
        if i >= 0 and t[0] < report.passages[i].end:
            inserts_by_p.setdefault(i, []).append(t)
    rows = []
    for pi, p in enumerate(report.passages):
        here = inserts_by_p.get(pi, [])
        body = _emit(report.text, p.start, p.end, by_p.get(pi, []), here)
        margin = ""
        if margin_bars:
            tip = ", ".join(
                f"{CATEGORY_NAMES[c]} {s}" for c, s in p.scores.items() if s and c in CATEGORY_NAMES
            )
            margin = (
                f'<div class="margin" title="{esc(tip or "no findings")}">'
                f'<span class="pscore">{p.score}</span>'
                f"{_bar_svg(p.score, f'paragraph {pi + 1} score {p.score} of 100')}</div>"
            )
        rows.append(
            f'<div class="para{" bare" if not margin_bars else ""}">{margin}'
            f'<p class="text">{body}</p></div>'
        )
    if not rows:
        rows.append('<p class="empty">(no text)</p>')
    return ['<div class="article">', *rows, "</div>"]


def score_chart_svg(scores: dict[str, int], counts: dict[str, int] | None = None) -> str:
    """Overall and per-category scores as a horizontal bar chart (inline SVG)."""
    rows = [("overall", "overall", "#3f4654")] + [
        (c, CATEGORY_NAMES[c], PALETTE[c][1]) for c in CATEGORIES
    ]
    width, label_w, bar_w, row_h = 330, 112, 150, 26
    height = row_h * len(rows) + 4
    desc = ", ".join(f"{name} {scores.get(key, 0)}" for key, name, _ in rows)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="Scores out of 100: {esc(desc)}">'
        f"<title>Scores out of 100: {esc(desc)}</title>"
    ]
    for i, (key, name, colour) in enumerate(rows):
        y = i * row_h + 4
        val = max(0, min(100, int(scores.get(key, 0))))
        weight = ' font-weight="700"' if key == "overall" else ""
        parts.append(
            f'<text x="0" y="{y + 14}" font-size="13" fill="#1b1b1b"{weight}>{esc(name)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="14" rx="3" fill="#ececf0"/>'
            f'<rect x="{label_w}" y="{y + 3}" width="{round(val / 100 * bar_w)}" height="14" '
            f'rx="3" fill="{colour}"/>'
            f'<text x="{label_w + bar_w + 8}" y="{y + 14}" font-size="13" fill="#1b1b1b"'
            f"{weight}>{val}"
            + (f' <tspan fill="#555">· {counts[key]}</tspan>' if counts and key in counts else "")
            + "</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def sourcing_table_html(report: Report) -> str:
    """Who is quoted and how (from ``report.attributions``)."""
    if not report.attributions:
        return '<p class="muted">No quotations or reported speech found.</p>'
    kinds: dict[str, int] = {}
    rows = []
    for i, a in enumerate(report.attributions, 1):
        kinds[a.kind] = kinds.get(a.kind, 0) + 1
        who = (
            esc(" ".join(a.source.text.split()))
            if a.source
            else '<span class="muted">no source given</span>'
        )
        said = ""
        if a.content:
            said = " ".join(report.text[a.content.start : a.content.end].split())
            if len(said) > 110:
                said = said[:107].rstrip() + "…"
        rows.append(
            f"<tr><td>{i}</td><td>{who}</td>"
            f'<td><span class="kind kind-{esc(a.kind)}">{esc(a.kind)}</span></td>'
            f"<td>{esc(' '.join(a.cue.text.split()))}</td><td>{esc(said)}</td></tr>"
        )
    profile = ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
    return (
        f'<p class="muted">{esc(profile)}. '
        + "; ".join(f"<b>{esc(k)}</b>: {esc(KIND_NOTES.get(k, k))}" for k in sorted(kinds))
        + ".</p>"
        '<table class="sources"><thead><tr><th scope="col">#</th>'
        '<th scope="col">who is quoted</th><th scope="col">kind</th><th scope="col">cue</th>'
        '<th scope="col">what is attributed</th></tr></thead><tbody>'
        + "".join(rows)
        + "</tbody></table>"
    )


def _readability_html(report: Report) -> str:
    r = report.readability
    fre = float(r.get("flesch_reading_ease", 0.0))
    ease = (
        "very easy"
        if fre >= 80
        else "easy"
        if fre >= 70
        else "plain"
        if fre >= 60
        else "fairly difficult"
        if fre >= 50
        else "difficult"
        if fre >= 30
        else "very difficult"
    )
    wps = r.get("words_per_sentence", 0.0)
    return (
        '<dl class="read">'
        f"<dt>Flesch reading ease</dt><dd>{fre:.1f} ({ease})</dd>"
        f"<dt>Grade level</dt><dd>{float(r.get('flesch_kincaid_grade', 0.0)):.1f}</dd>"
        f"<dt>Words</dt><dd>{report.words}</dd>"
        f"<dt>Sentences</dt><dd>{report.sentences}</dd>"
        f"<dt>Paragraphs</dt><dd>{len(report.passages)}</dd>"
        f"<dt>Words per sentence</dt><dd>{float(wps):.1f}</dd>"
        "</dl>"
    )


def legend_html(toggles: bool = True) -> str:
    """Category keys; with ``toggles`` each is a button that shows/hides it."""
    items = []
    for c in CATEGORIES:
        swatch = f'<span class="swatch sw-{c}" aria-hidden="true">Aa</span>'
        if toggles:
            items.append(
                f'<li><button type="button" data-toggle="{c}" aria-pressed="true">'
                f"{swatch} {esc(CATEGORY_NAMES[c])}</button></li>"
            )
        else:
            items.append(f"<li>{swatch} {esc(CATEGORY_NAMES[c])}</li>")
    return f'<ul class="legend">{"".join(items)}</ul>'


def findings_list_html(report: Report) -> str:
    """Numbered findings with their explanations (what a printout relies on)."""
    return "".join(_findings_list_parts(report))


def _findings_list_parts(report: Report) -> list[str]:
    if not report.findings:
        return ['<p class="muted">No findings.</p>']
    items = ['<ol class="findings">']
    for n, f in enumerate(report.findings, 1):
        items.append(
            f'<li value="{n}" data-cat="{esc(f.category)}">'
            f'<span class="swatch sw-{esc(f.category)}">{esc(" ".join(f.text.split()))}</span> '
            f'<span class="lab">{esc(CATEGORY_NAMES.get(f.category, f.category))} / '
            f"{esc(f.label)} · {f.confidence:.2f}"
            + (f" · {esc(voice_note(f.speaker))}" if f.voice == "quoted" else "")
            + f"</span> {esc(f.explanation)}</li>"
        )
    items.append("</ol>")
    return items


def _counts(report: Report) -> dict[str, int]:
    counts = {c: sum(1 for f in report.findings if f.category == c) for c in CATEGORIES}
    counts["overall"] = len(report.findings)
    return counts


TOGGLE_SCRIPT = (
    "document.querySelectorAll('button[data-toggle]').forEach(function(b){"
    "b.addEventListener('click',function(){"
    "var c=b.getAttribute('data-toggle'),on=b.getAttribute('aria-pressed')!=='true';"
    "b.setAttribute('aria-pressed',on?'true':'false');"
    "document.body.classList.toggle('hide-'+c,!on);"
    "document.querySelectorAll('mark[data-category=\"'+c+'\"]').forEach(function(m){"
    "m.tabIndex=on?0:-1;});});});"
)


def _css() -> str:
    cats = []
    offsets = {"loaded_language": 2, "hedging": 5, "attribution": 8, "propaganda": 11}
    for c, (bg, line, style) in PALETTE.items():
        cats.append(
            f'mark[data-category="{c}"]{{background:{bg};text-decoration:underline {style} '
            f"{line};text-decoration-thickness:{3 if style == 'double' else 2}px;"
            f"text-underline-offset:{offsets[c]}px}}"
            f".sw-{c}{{background:{bg};text-decoration:underline {style} {line};"
            f"text-decoration-thickness:2px;text-underline-offset:3px}}"
            f'.hide-{c} mark[data-category="{c}"]{{background:transparent;'
            f"text-decoration:none;cursor:auto}}"
            f'.hide-{c} mark[data-category="{c}"]::after{{display:none!important}}'
            f'.hide-{c} li[data-cat="{c}"]{{opacity:.45}}'
        )
    # rhetoric inside quotations is the speaker's: underlined, not filled
    cats.append('mark[data-voice="quoted"]{background:transparent;opacity:.8}')
    return (
        ":root{color-scheme:light}"
        "*{box-sizing:border-box}"
        "body{margin:0;background:#f6f6f4;color:#1b1b1b;"
        "font:16px/1.6 Georgia,'Times New Roman',serif}"
        "header,main{max-width:72rem;margin:0 auto;padding:0 1.25rem}"
        "header{padding-top:1.25rem}"
        "h1{font:700 1.35rem/1.3 system-ui,sans-serif;margin:0}"
        "h2{font:700 1.02rem/1.3 system-ui,sans-serif;margin:1.4rem 0 .5rem}"
        ".card>h2:first-child{margin-top:0}"
        ".chart{width:100%;max-width:330px;height:auto;display:block}"
        ".id{font:.9rem system-ui,sans-serif;color:#4a4a4a;margin:.2rem 0 0;word-break:break-all}"
        ".layout{display:grid;grid-template-columns:minmax(0,1fr) 22rem;gap:1.5rem;"
        "align-items:start}"
        ".side{position:sticky;top:1rem}"
        ".card{background:#fff;border:1px solid #dcdcd8;border-radius:8px;padding:1rem 1.1rem;"
        "margin:1rem 0}"
        ".side,.muted,table,.legend,.read,.lab,.margin,.note{font-family:system-ui,sans-serif}"
        ".overall{font:700 2.4rem/1 system-ui,sans-serif;margin:.2rem 0}"
        ".overall small{font-size:.95rem;font-weight:400;color:#4a4a4a}"
        ".para{display:grid;grid-template-columns:4.6rem minmax(0,1fr);gap:.8rem;"
        "align-items:start}"
        ".para.bare{grid-template-columns:minmax(0,1fr)}"
        ".margin{padding-top:.45rem;display:flex;flex-direction:column;align-items:flex-start;"
        "gap:2px;font-size:.78rem;color:#333}"
        ".pscore{font-weight:700}"
        "p.text{white-space:pre-wrap;margin:0 0 1.1rem;line-height:2.05;overflow-wrap:anywhere}"
        "mark{color:inherit;border-radius:2px;padding:0 1px;position:relative;cursor:help}"
        "mark:focus{outline:3px solid #1b1b1b;outline-offset:1px}"
        "mark:hover:not(:has(mark:hover))::after,mark:focus::after{content:attr(data-tip);"
        "position:absolute;left:0;top:calc(100% + 10px);z-index:5;width:max-content;"
        "max-width:22rem;background:#1b1b1b;color:#fff;text-decoration:none;"
        "font:.82rem/1.4 system-ui,sans-serif;padding:.45rem .6rem;border-radius:5px;"
        "white-space:normal;box-shadow:0 2px 8px rgba(0,0,0,.25);pointer-events:none}"
        ".legend{list-style:none;padding:0;margin:.3rem 0 0;display:flex;flex-wrap:wrap;gap:.4rem}"
        ".legend button{font:inherit;font-size:.88rem;border:1px solid #9a9a9a;background:#fff;"
        "color:#1b1b1b;border-radius:999px;padding:.2rem .65rem;cursor:pointer}"
        ".legend button[aria-pressed=false]{background:#e6e6e6;color:#3a3a3a;"
        "text-decoration:line-through}"
        ".legend button:focus-visible{outline:3px solid #0a58a6;outline-offset:2px}"
        ".swatch{padding:0 .2rem;border-radius:2px;color:#1b1b1b}"
        "table{border-collapse:collapse;width:100%;font-size:.88rem}"
        "th,td{text-align:left;vertical-align:top;padding:.3rem .45rem;"
        "border-bottom:1px solid #e2e2de}"
        "th{background:#f0f0ec}"
        ".kind{font-size:.8rem;padding:0 .35rem;border-radius:3px;background:#e8e8e8}"
        ".kind-anonymous,.kind-vague,.kind-self,.kind-unattributed{background:#d4e8ff;"
        "text-decoration:underline dashed #0a58a6}"
        ".read{display:grid;grid-template-columns:auto auto;gap:.15rem 1rem;margin:0;"
        "font-size:.9rem}"
        ".read dd{margin:0;font-weight:600}"
        ".findings{font-size:.93rem;padding-left:1.6rem}"
        ".findings li{margin:.25rem 0}"
        ".lab{font-size:.8rem;color:#444}"
        ".muted{color:#4a4a4a;font-size:.9rem}"
        ".note{background:#fff8e1;border-left:4px solid #7d5700;padding:.4rem .7rem}"
        "sup.sn{font:700 .7rem system-ui,sans-serif;color:#fff;background:#3f4654;"
        "border-radius:3px;padding:0 .25rem;margin-right:.2rem}"
        "footer{max-width:72rem;margin:1rem auto 2rem;padding:0 1.25rem;"
        "font:.8rem system-ui,sans-serif;color:#4a4a4a}"
        ".cols{display:grid;grid-template-columns:1fr 1fr;gap:1.5rem}"
        ".task{margin:.6rem 0}.answer{background:#f0f7ee;border-left:4px solid #2e6b30;"
        "padding:.3rem .6rem;margin:.3rem 0 0}"
        ".lines{border-bottom:1px solid #999;height:1.8rem}"
        "@media (max-width:900px){.layout,.cols{grid-template-columns:1fr}.side{position:static}}"
        + "".join(cats)
        + "@media print{body{background:#fff;font-size:11pt}"
        ".legend button{border:0;padding:0}"
        ".no-print,.legend button[aria-pressed=false]{display:none}"
        ".layout{grid-template-columns:1fr}.side{position:static}"
        ".card{border:0;padding:0;margin:.6rem 0}"
        "mark{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
        "mark::after,mark:focus::after{content:attr(data-n)!important;position:static;"
        "background:none;color:#1b1b1b;font:700 7pt system-ui,sans-serif;vertical-align:super;"
        "padding:0 0 0 1px;box-shadow:none;max-width:none;width:auto}"
        "mark:focus{outline:0}.para,tr,li{break-inside:avoid}"
        ".swatch,.pbar,.chart{-webkit-print-color-adjust:exact;print-color-adjust:exact}}"
    )


def stylesheet() -> str:
    """The pages' CSS, for a web app that serves it as a file under a
    ``style-src 'self'`` policy instead of inline."""
    return _css()


def page_csp(script: bool = True) -> str:
    """The Content-Security-Policy of :func:`page`: nothing loads, and the only
    script that runs is the toggle script, pinned by its hash (a server sends
    it as a header too)."""
    if not script:
        return (
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
            "form-action 'none'"
        )
    digest = base64.b64encode(hashlib.sha256(TOGGLE_SCRIPT.encode("utf-8")).digest()).decode()
    return (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
    )


def page(title: str, body: str, *, script: bool = True) -> str:
    """A complete HTML document: inline style, the toggle script (pinned by a
    CSP hash), nothing loaded from anywhere."""
    return "".join(_page_parts(title, [body], script))


def _page_parts(title: str, body: list[str], script: bool) -> list[str]:
    js = TOGGLE_SCRIPT if script else ""
    csp = page_csp(script)
    return [
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f'<meta name="generator" content="rhetoric {esc(__version__)}">'
        f"<title>{esc(title)}</title><style>{_css()}</style></head>"
        "<body>",
        *body,
        (f"<script>{js}</script>" if script else "") + "</body></html>\n",
    ]


def report_sections(report: Report) -> tuple[str, str]:
    """(summary sidebar, main column) for one report; shared with ``compare``."""
    return _side_html(report), "".join(_main_parts(report))


def _side_html(report: Report) -> str:
    side = (
        '<section class="card" aria-labelledby="h-summary"><h2 id="h-summary">Summary</h2>'
        f'<p class="overall">{report.scores.get("overall", 0)}<small> / 100 overall · '
        f"{len(report.findings)} finding{'s' if len(report.findings) != 1 else ''}</small></p>"
        f"{score_chart_svg(report.scores, _counts(report))}"
        '<p class="muted">Bars: score out of 100 · number of findings.</p>'
        '<h2 id="h-legend">Show or hide</h2>'
        f'<nav aria-labelledby="h-legend">{legend_html()}</nav>'
        '<p class="muted no-print">Hover over or tab to a highlight to see why it was '
        "flagged. The number in the margin is the paragraph's score.</p>"
        '<h2 id="h-read">Readability</h2>'
        f"{_readability_html(report)}</section>"
    )
    return side


def _main_parts(report: Report) -> list[str]:
    notes = "".join(f'<p class="note">{esc(n)}</p>' for n in report.notes)
    return [
        f'{notes}<section class="card" aria-labelledby="h-article"><h2 id="h-article">Article</h2>',
        *_article_parts(report),
        "</section>"
        '<section class="card" aria-labelledby="h-sources"><h2 id="h-sources">'
        f"Sourcing: who is quoted</h2>{sourcing_table_html(report)}</section>"
        '<section class="card" aria-labelledby="h-findings"><h2 id="h-findings">'
        "Findings explained</h2>",
        *_findings_list_parts(report),
        "</section>",
    ]


def render_html(report: Report, show_all: bool = False) -> str:
    """One report as a complete, self-contained HTML page (findings under
    ``view.SHOW_FLOOR`` left out and counted in a note unless ``show_all``)."""
    return "".join(html_parts(report, show_all))


def html_parts(report: Report, show_all: bool = False) -> list[str]:
    """``render_html`` in pieces, to write one after the other (a 1 MB
    article's page is 36 MB of text: joined at every level it was copied
    five times over)."""
    if not show_all:
        report = visible(report)
    body = [
        "<header><h1>How this article tries to persuade</h1>"
        f'<p class="id">{esc(report.id)}</p></header>'
        '<main class="layout"><div class="col-main">',
        *_main_parts(report),
        f'</div><aside class="side">{_side_html(report)}</aside></main>'
        f"<footer>rhetoric {esc(__version__)} · scores 0-100 · highlights are "
        "signals for a reader to weigh, not verdicts.</footer>",
    ]
    return _page_parts(f"rhetoric: {report.id}", body, True)


class HtmlOutputError(OSError):
    """An HTML page that cannot be written; ``str(err)`` is one line."""


#: Longest page name (the stem, in UTF-8 bytes): with "-NN.html" and the
#: temporary name it is written under, well inside the 255 bytes file systems allow.
MAX_NAME_BYTES = 150


def output_name(report_id: str) -> str:
    """A safe file name for a report: the input's name with ``.html``, at
    most ``MAX_NAME_BYTES`` bytes (an id can be any length; a name over 255
    bytes could not be created)."""
    import re
    from pathlib import PurePath

    base = "stdin" if report_id == "-" else PurePath(report_id).name
    stem = base.rsplit(".", 1)[0] if "." in base.lstrip(".") else base
    # letters and digits of any script stay ("Übung 3", not "bung_3")
    stem = re.sub(r"[^\w.-]+", "_", stem).strip("._") or "report"
    stem = stem[:120]
    while len(stem.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES:
        stem = stem[:-1]
    return stem


def _is_our_report(path: Any) -> bool:
    """Whether ``path`` is a page this program wrote (its generator tag is in
    the head), so a later run may replace it. Opened without following a
    link and without waiting (a FIFO never blocks the run)."""
    import os

    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return False
    try:
        head = os.read(fd, 4096)
    except OSError:
        return False
    finally:
        os.close(fd)
    return b'<meta name="generator" content="rhetoric ' in head


def _is_file(path: str) -> bool:
    """``Path.is_file`` that says False, rather than raising, for a name the
    system refuses (too long, a NUL byte)."""
    from pathlib import Path

    try:
        return Path(path).is_file()
    except (OSError, ValueError):
        return False


def _same_file(a: Any, b: Any) -> bool:
    import os

    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def write_html_report(
    report: Report,
    out_dir: str,
    inputs: Sequence[str],
    used: set[str] | None = None,
    show_all: bool = False,
) -> str:
    """Write ``OUT_DIR/NAME.html`` (``NAME-2.html`` ... when names collide in
    one run) and return its path. Refuses to write over an input file, or over
    any existing file that is not a page an earlier run wrote, and never
    through a symbolic link or into anything but a regular file: the page is
    written to a new file beside it and renamed into place, so nothing outside
    ``OUT_DIR`` is ever created or changed, and a FIFO cannot stall the run."""
    import os
    import stat
    from pathlib import Path

    folder = Path(out_dir)
    if folder.exists() and not folder.is_dir():
        raise HtmlOutputError(f"{out_dir}: not a folder (--out needs a folder)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise HtmlOutputError(f"{out_dir}: cannot create folder ({e.strerror or e})") from None
    used = used if used is not None else set()
    name = output_name(report.id)
    target = folder / f"{name}.html"
    k = 2
    while str(target) in used:
        target = folder / f"{name}-{k}.html"
        k += 1
    try:
        st: os.stat_result | None = os.lstat(target)
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise HtmlOutputError(f"{target}: cannot write ({e.strerror or e})") from None
    if st is not None:
        if stat.S_ISLNK(st.st_mode):
            raise HtmlOutputError(f"{target}: is a symbolic link; not writing through it")
        if not stat.S_ISREG(st.st_mode):
            raise HtmlOutputError(f"{target}: exists and is not a regular file; not replacing it")
        if any(p != "-" and _is_file(p) and _same_file(p, target) for p in (*inputs, report.id)):
            raise HtmlOutputError(f"{target}: is an input file; not overwriting it")
        if not _is_our_report(target):
            # only a page an earlier run wrote is replaced, never a user's own file
            raise HtmlOutputError(
                f"{target}: exists and is not a rhetoric report; not overwriting it"
            )
    tmp = folder / f".{name}.{os.getpid()}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(tmp, flags, 0o666)
        try:
            with open(fd, "wb", closefd=True) as f:
                for part in html_parts(report, show_all):
                    f.write(part.encode("utf-8"))
            os.replace(tmp, target)  # replaces the name itself, never a link's target
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as e:
        raise HtmlOutputError(f"{target}: cannot write ({e.strerror or e})") from None
    used.add(str(target))
    return str(target)
