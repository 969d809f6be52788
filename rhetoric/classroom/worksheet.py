"""Student worksheets drawn from the analysis, and the teacher's answer key.

The student sheet shows the article clean (no highlights) with numbered
sentences, short instructions and tasks whose answers come from the report
("find two phrases that use loaded language", "who is the source of the claim
in sentence 7?"). The answer key shows the same tasks with answers, the
highlighted article and every finding's explanation.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..core.labels import CATEGORY_NAMES
from ..core.report import Finding, Report
from ..render.html import (
    article_html,
    esc,
    findings_list_html,
    layout_marks,
    legend_html,
    page,
)

__all__ = [
    "Task",
    "Worksheet",
    "build_worksheet",
    "make_worksheet",
    "render_worksheet_html",
    "render_worksheet_md",
]

FLAG = 0.5  # "flag" line of the report (docs/schema.md)
NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four"}
SHORT = {"loaded_language": "L", "hedging": "H", "attribution": "A", "propaganda": "P"}

INSTRUCTIONS = (
    "Read the article carefully. Its sentences are numbered.",
    "For each task, give the sentence number and copy the exact words.",
    "Loaded language: words chosen to make you feel something. Hedging: "
    "guesses dressed as news (may, seems, if). Attribution gap: a claim whose "
    "source you cannot identify or check. Propaganda: a technique that "
    "replaces an argument.",
)


@dataclass(frozen=True)
class Task:
    """One question, with the answer and why (shown only on the key)."""

    prompt: str
    answers: tuple[str, ...]
    explanation: str = ""


@dataclass
class Worksheet:
    report: Report
    sentences: list[tuple[int, int]]
    tasks: list[Task] = field(default_factory=list)

    def sentence_of(self, pos: int) -> int:
        """1-based number of the sentence holding offset ``pos``."""
        starts = [s for s, _ in self.sentences]
        return max(1, bisect.bisect_right(starts, pos))

    @property
    def title(self) -> str:
        first = self.report.text.strip().splitlines()[0] if self.report.text.strip() else ""
        return first.strip()[:90] or self.report.id


def _quote(f: Finding) -> str:
    return "\u201c" + " ".join(f.text.split()) + "\u201d"


def _flagged(report: Report, category: str) -> list[Finding]:
    """Findings of a category, flagged ones (>= 0.5) if any, strongest first."""
    found = [f for f in report.findings if f.category == category]
    strong = [f for f in found if f.confidence >= FLAG]
    return sorted(strong or found, key=lambda f: (-f.confidence, f.start))


def build_worksheet(report: Report, sentences: Sequence[tuple[int, int]]) -> Worksheet:
    """Tasks in a fixed order (loaded language, sources, hedging, propaganda,
    a rewrite), each only when the analysis has something to ask about."""
    ws = Worksheet(report, list(sentences))
    n = ws.sentence_of

    def where(f: Finding) -> str:
        return f"sentence {n(f.start)}: {_quote(f)}"

    loaded = _flagged(report, "loaded_language")
    if loaded:
        k = min(2, len(loaded))
        ws.tasks.append(
            Task(
                f"Find {NUMBER_WORDS[k]} phrase{'s' if k > 1 else ''} that use"
                f"{'' if k > 1 else 's'} loaded language. For each, suggest a neutral word.",
                tuple(
                    f"{where(f)} ({f.label}) {f.explanation}"
                    for f in sorted(loaded[:6], key=lambda f: f.start)
                ),
                "Any of these counts.",
            )
        )
    gaps = _flagged(report, "attribution")[:2]
    for f in sorted(gaps, key=lambda f: f.start):
        ws.tasks.append(
            Task(
                f"Who is the source of the claim in sentence {n(f.start)}? "
                "Could a reader check it?",
                (f"{_quote(f)}: {f.label.replace('_', ' ')}. {f.explanation}",),
            )
        )
    named = [a for a in report.attributions if a.kind == "named" and a.source]
    if named and len(gaps) < 2:
        a = named[0]
        src = " ".join(a.source.text.split()) if a.source else ""
        ws.tasks.append(
            Task(
                f"Who is quoted in sentence {n(a.cue.start)}, and is the source named?",
                (f"\u201c{src}\u201d, a named source.",),
                "A named source can be checked; compare with the unnamed ones.",
            )
        )
    hedges = _flagged(report, "hedging")
    if hedges:
        f = hedges[0]
        ws.tasks.append(
            Task(
                f"Sentence {n(f.start)} presents something as possible or likely rather than "
                "established. Which words show this? What evidence is given?",
                (f"{_quote(f)} ({f.label.replace('_', ' ')}). {f.explanation}",),
            )
        )
    prop = _flagged(report, "propaganda")
    if prop:
        f = prop[0]
        ws.tasks.append(
            Task(
                f"Sentence {n(f.start)} uses a persuasion technique instead of an argument. "
                "Which technique, and how does it work on the reader?",
                (f"{_quote(f)}: {f.label.replace('_', ' ')}. {f.explanation}",),
            )
        )
    if report.findings:
        per: dict[int, float] = {}
        for f in report.findings:
            per[n(f.start)] = per.get(n(f.start), 0.0) + f.confidence
        worst = max(sorted(per), key=lambda s: per[s])
        inside = [f for f in report.findings if n(f.start) == worst]
        ws.tasks.append(
            Task(
                f"Rewrite sentence {worst} so that it reports the same facts in neutral words.",
                tuple(f"{_quote(f)}: {CATEGORY_NAMES.get(f.category, f.category)}" for f in inside),
                "A good rewrite removes or replaces these.",
            )
        )
    else:
        ws.tasks.append(
            Task(
                "The analysis found no loaded language, hedging or unnamed sources here. "
                "Find one sentence where a claim is tied to a named source.",
                ("Accept any sentence with a named source and a reason.",),
            )
        )
    return ws


def make_worksheet(report: Report) -> Worksheet:
    """A worksheet for a report, with its sentences from the document model."""
    from ..core.document import Document

    doc = Document(report.text, report.id)
    return build_worksheet(report, [(s.start, s.end) for s in doc.sentences])


_MD_SPECIAL = set("\\`*_[]<>#|~")


def _md(text: str) -> str:
    """Backslash-escape Markdown punctuation so article text stays text
    (``\\<script>`` renders as ``<script>``, never as HTML)."""
    return "".join("\\" + c if c in _MD_SPECIAL else c for c in text)


def _md_article(ws: Worksheet, answer_key: bool) -> list[str]:
    report = ws.report
    text = report.text
    marks = layout_marks(report) if answer_key else []
    opens: dict[int, list[str]] = {}
    closes: dict[int, list[str]] = {}
    for m in sorted(marks, key=lambda m: (m.start, -m.end)):
        opens.setdefault(m.start, []).append("\u27e6")
    for m in sorted(marks, key=lambda m: (-m.start, m.end)):
        short = SHORT.get(m.finding.category, "?")
        closes.setdefault(m.end, []).append(f"\u27e7{short}{m.n}")
    starts = {s: i for i, (s, _) in enumerate(ws.sentences, 1)}
    paras = []
    for p in report.passages:
        buf = []
        for i in range(p.start, p.end + 1):
            buf.extend(closes.get(i, []))
            if i == p.end:
                break
            if i in starts:
                buf.append(f"**({starts[i]})** ")
            buf.extend(opens.get(i, []))
            buf.append(_md(text[i]) if text[i] != "\n" else "  \n")
        paras.append("".join(buf))
    return paras


def render_worksheet_md(ws: Worksheet, answer_key: bool = False) -> str:
    """The worksheet (or its answer key) as Markdown."""
    head = "Answer key" if answer_key else "Worksheet"
    out = [f"# {head}: {_md(ws.title)}", ""]
    if not answer_key:
        out += ["Name: ____________________    Date: ____________", ""]
    out += ["## Instructions", ""] + [f"- {line}" for line in INSTRUCTIONS] + [""]
    out += ["## Article", ""]
    for para in _md_article(ws, answer_key):
        out += [para, ""]
    out += ["## Tasks", ""]
    for i, t in enumerate(ws.tasks, 1):
        out.append(f"{i}. {_md(t.prompt)}")
        if answer_key:
            if t.explanation:
                out.append(f"   - *{_md(t.explanation)}*")
            out += [f"   - {_md(a)}" for a in t.answers]
        else:
            out += ["", "   ______________________________________________", ""]
    if answer_key and ws.report.findings:
        out += ["", "## Every finding", ""]
        for n, f in enumerate(ws.report.findings, 1):
            out.append(
                f"{n}. sentence {ws.sentence_of(f.start)}, "
                f"{CATEGORY_NAMES.get(f.category, f.category)}/{_md(f.label)} "
                f"({f.confidence:.2f}): \u201c{_md(' '.join(f.text.split()))}\u201d: "
                f"{_md(f.explanation)}"
            )
        out.append("")
        out.append(
            "Marks in the article: \u27e6phrase\u27e7 followed by L (loaded language), "
            "H (hedging), A (attribution gap) or P (propaganda) and the finding's number."
        )
    return "\n".join(out).rstrip() + "\n"


def render_worksheet_html(ws: Worksheet, answer_key: bool = False) -> str:
    """The worksheet (or its answer key) as one self-contained, printable page."""
    numbers = [(s, i) for i, (s, _) in enumerate(ws.sentences, 1)]
    article = article_html(
        ws.report, highlight=answer_key, margin_bars=False, sentence_numbers=numbers
    )
    tasks = []
    for t in ws.tasks:
        if answer_key:
            body = "".join(f'<p class="answer">{esc(a)}</p>' for a in t.answers)
            if t.explanation:
                body = f'<p class="muted">{esc(t.explanation)}</p>' + body
        else:
            body = '<div class="lines"></div><div class="lines"></div>'
        tasks.append(f'<li class="task">{esc(t.prompt)}{body}</li>')
    head = "Answer key" if answer_key else "Worksheet"
    name = (
        "" if answer_key else '<p class="muted">Name: ______________________ Date: ____________</p>'
    )
    extra = ""
    if answer_key:
        extra = (
            '<section class="card"><h2>Every finding</h2>'
            f'<nav aria-label="Show or hide categories">{legend_html()}</nav>'
            f"{findings_list_html(ws.report)}</section>"
        )
    body = (
        f"<header><h1>{head}: {esc(ws.title)}</h1>{name}</header><main>"
        '<section class="card"><h2>Instructions</h2><ul>'
        + "".join(f"<li>{esc(line)}</li>" for line in INSTRUCTIONS)
        + "</ul></section>"
        f'<section class="card"><h2>Article</h2>{article}</section>'
        f'<section class="card"><h2>Tasks</h2><ol>{"".join(tasks)}</ol></section>'
        f"{extra}</main>"
    )
    return page(f"{head}: {ws.title}", body, script=answer_key)
