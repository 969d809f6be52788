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
from dataclasses import dataclass, field, replace

from ..core.glossary import label_title
from ..core.labels import CATEGORY_NAMES
from ..core.report import CATEGORIES, Finding, Report
from ..render.html import (
    article_html,
    esc,
    findings_list_html,
    layout_marks,
    legend_html,
    page,
)
from ..render.marks import bracket_tags
from .policy import EXERCISE, ExercisePolicy, exercise_findings, plausible_name, voice_rank

__all__ = [
    "Task",
    "Worksheet",
    "build_worksheet",
    "key_answer",
    "key_report",
    "left_out_note",
    "make_worksheet",
    "render_worksheet_html",
    "render_worksheet_md",
]

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
    """One question, with the answer and why (shown only on the key).
    ``category``: what a student looks for (None: a rewrite or a reading task,
    not answered by marking a phrase); ``findings``: the key items behind it."""

    prompt: str
    answers: tuple[str, ...]
    explanation: str = ""
    category: str | None = None
    findings: tuple[Finding, ...] = ()


@dataclass
class Worksheet:
    report: Report
    sentences: list[tuple[int, int]]
    tasks: list[Task] = field(default_factory=list)
    #: the findings the policy admits: the key items, and the only highlights
    key: list[Finding] = field(default_factory=list)
    policy: ExercisePolicy = EXERCISE

    def sentence_of(self, pos: int) -> int:
        """1-based number of the sentence holding offset ``pos``."""
        starts = [s for s, _ in self.sentences]
        return max(1, bisect.bisect_right(starts, pos))

    @property
    def title(self) -> str:
        first = self.report.text.strip().splitlines()[0] if self.report.text.strip() else ""
        return first.strip()[:90] or self.report.id

    @property
    def left_out(self) -> int:
        """How many of the tool's findings are not key items."""
        return len(self.report.findings) - len(self.key)


def _quote(f: Finding) -> str:
    return "\u201c" + " ".join(f.text.split()) + "\u201d"


def key_answer(f: Finding, sentence: int) -> str:
    """A key line: where, the words, the human name, the confidence and why."""
    return (
        f"sentence {sentence}: {_quote(f)}, {label_title(f.label)} "
        f"(confidence {f.confidence:.2f}). {f.explanation}"
    )


def _strongest(key: Sequence[Finding], category: str) -> list[Finding]:
    """Key items of a category: the author's own words first, then strongest."""
    found = [f for f in key if f.category == category]
    return sorted(found, key=lambda f: (voice_rank(f), -f.confidence, f.start))


def build_worksheet(
    report: Report,
    sentences: Sequence[tuple[int, int]],
    policy: ExercisePolicy = EXERCISE,
    categories: Sequence[str] | None = None,
) -> Worksheet:
    """Tasks in a fixed order (loaded language, sources, hedging, propaganda,
    a rewrite), each only when the policy admits a finding to ask about, so no
    task rests on a finding too weak to hand out. ``categories``: only these."""
    key = exercise_findings(report.findings, policy, categories)
    ws = Worksheet(report, list(sentences), key=key, policy=policy)
    n = ws.sentence_of
    cats = set(categories) if categories is not None else set(CATEGORIES)

    loaded = _strongest(key, "loaded_language")
    if loaded:
        k = min(2, len(loaded))
        shown = sorted(loaded[:6], key=lambda f: f.start)
        ws.tasks.append(
            Task(
                f"Find {NUMBER_WORDS[k]} phrase{'s' if k > 1 else ''} that use"
                f"{'' if k > 1 else 's'} loaded language (words chosen to make you feel "
                "something). For each, suggest a neutral word.",
                tuple(key_answer(f, n(f.start)) for f in shown),
                "Any of these counts.",
                "loaded_language",
                tuple(shown),
            )
        )
    gaps = sorted(_strongest(key, "attribution")[:2], key=lambda f: f.start)
    for f in gaps:
        ws.tasks.append(
            Task(
                f"Sentence {n(f.start)} makes a claim. Who is its source? Could a reader check it?",
                (key_answer(f, n(f.start)),),
                "",
                "attribution",
                (f,),
            )
        )
    named = [
        a
        for a in report.attributions
        if a.kind == "named" and a.source and plausible_name(a.source.text)
    ]
    if named and len(gaps) < 2 and "attribution" in cats:
        a = named[0]
        src = " ".join(a.source.text.split()) if a.source else ""
        ws.tasks.append(
            Task(
                f"Who is quoted in sentence {n(a.cue.start)}, and is the source named?",
                (f"\u201c{src}\u201d, a named source.",),
                "A named source can be checked; compare with the unnamed ones.",
            )
        )
    hedges = _strongest(key, "hedging")
    if hedges:
        f = hedges[0]
        ws.tasks.append(
            Task(
                f"Sentence {n(f.start)} presents something as possible or likely rather than "
                "certain. Which words show this? What evidence is given?",
                (key_answer(f, n(f.start)),),
                "",
                "hedging",
                (f,),
            )
        )
    prop = _strongest(key, "propaganda")
    if prop:
        f = prop[0]
        ws.tasks.append(
            Task(
                f"Sentence {n(f.start)} tries to persuade you without giving a reason. "
                "Which words do it, and how do they work on the reader?",
                (key_answer(f, n(f.start)),),
                "",
                "propaganda",
                (f,),
            )
        )
    if key:
        per: dict[int, float] = {}
        for f in key:
            per[n(f.start)] = per.get(n(f.start), 0.0) + f.confidence
        worst = max(sorted(per), key=lambda s: per[s])
        inside = [f for f in key if n(f.start) == worst]
        ws.tasks.append(
            Task(
                f"Rewrite sentence {worst} so that it reports the same facts in neutral words.",
                tuple(
                    f"{_quote(f)}: {CATEGORY_NAMES.get(f.category, f.category)}, "
                    f"{label_title(f.label)}"
                    for f in inside
                ),
                "A good rewrite removes or replaces these.",
            )
        )
    else:
        ws.tasks.append(
            Task(
                "The tool found nothing strong enough to ask about here. "
                "Find one sentence where a claim is tied to a named source.",
                ("Accept any sentence with a named source and a reason.",),
            )
        )
    return ws


def make_worksheet(
    report: Report,
    policy: ExercisePolicy = EXERCISE,
    categories: Sequence[str] | None = None,
) -> Worksheet:
    """A worksheet for a report, with its sentences from the document model."""
    from ..core.document import Document

    doc = Document(report.text, report.id)
    return build_worksheet(report, [(s.start, s.end) for s in doc.sentences], policy, categories)


def key_report(ws: Worksheet) -> Report:
    """The report with only the key items, for highlighting the key: a weak
    finding ("wrist", "camera") is not shown to a teacher as an answer."""
    return replace(ws.report, findings=list(ws.key))


def left_out_note(ws: Worksheet) -> str:
    """The key's note on the tool's findings that are not key items."""
    n = ws.left_out
    if not n:
        return ""
    return (
        f"{n} weaker finding{'s are' if n != 1 else ' is'} left out of this key "
        f"(confidence below {ws.policy.floor:g}, or a detector not precise enough on "
        "news). A student who finds one is credited as \u201calso seen by the tool\u201d."
    )


_MD_SPECIAL = set("\\`*_[]<>#|~")


def _md(text: str) -> str:
    """Backslash-escape Markdown punctuation so article text stays text
    (``\\<script>`` renders as ``<script>``, never as HTML)."""
    return "".join("\\" + c if c in _MD_SPECIAL else c for c in text)


def _md_article(ws: Worksheet, answer_key: bool) -> list[str]:
    report = key_report(ws)
    text = report.text
    items = (
        [(f"{SHORT.get(m.finding.category, '?')}{m.n}", m.finding) for m in layout_marks(report)]
        if answer_key
        else []
    )
    opens, closes = bracket_tags(items, "\u27e6", "\u27e7")
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
    if answer_key and ws.key:
        out += ["", "## Findings in the key", ""]
        for n, f in enumerate(ws.key, 1):
            out.append(
                f"{n}. sentence {ws.sentence_of(f.start)}, "
                f"{CATEGORY_NAMES.get(f.category, f.category)}/{_md(label_title(f.label))} "
                f"({f.confidence:.2f}): \u201c{_md(' '.join(f.text.split()))}\u201d: "
                f"{_md(f.explanation)}"
            )
        out.append("")
        if ws.left_out:
            out += [_md(left_out_note(ws)), ""]
        out.append(
            "Marks in the article: \u27e6phrase\u27e7 followed by L (loaded language), "
            "H (hedging), A (attribution gap) or P (propaganda) and the finding's number."
        )
    return "\n".join(out).rstrip() + "\n"


def render_worksheet_html(ws: Worksheet, answer_key: bool = False) -> str:
    """The worksheet (or its answer key) as one self-contained, printable page."""
    numbers = [(s, i) for i, (s, _) in enumerate(ws.sentences, 1)]
    article = article_html(
        key_report(ws), highlight=answer_key, margin_bars=False, sentence_numbers=numbers
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
        note = left_out_note(ws)
        extra = (
            '<section class="card"><h2>Findings in the key</h2>'
            f'<nav aria-label="Show or hide categories">{legend_html()}</nav>'
            f"{findings_list_html(key_report(ws))}"
            + (f'<p class="muted">{esc(note)}</p>' if note else "")
            + "</section>"
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
