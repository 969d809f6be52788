"""A terminal quiz on annotated passages: which category, which technique.

Questions come from a corpus in the ``corpora/`` format (our own passages by
default) or, when no corpus is around, from the glossary's examples, which
ship with the package. The quiz is a plain loop over ``ask``/``say``
callables, so tests drive it with scripted answers and ``--seed`` makes a
run reproducible.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..core.glossary import label_title
from ..core.labels import CATEGORY_NAMES
from ..core.report import CATEGORIES

__all__ = [
    "Question",
    "QuizResult",
    "default_corpus",
    "load_items",
    "make_questions",
    "run_quiz",
]

MAX_TRIES = 3


@dataclass(frozen=True)
class Item:
    """One annotated phrase in its context, ``[``bracketed``]``."""

    source: str
    context: str
    phrase: str
    category: str
    label: str


@dataclass(frozen=True)
class Question:
    item: Item
    label_options: tuple[str, ...]


@dataclass
class QuizResult:
    points: int = 0
    possible: int = 0
    asked: int = 0
    quit: bool = False
    log: list[tuple[str, str, bool]] = field(default_factory=list)  # question, answer, right


def default_corpus() -> Path | None:
    """``corpora/passages.jsonl`` here or in the source checkout, if present."""
    for base in (Path.cwd(), Path(__file__).resolve().parents[2]):
        p = base / "corpora" / "passages.jsonl"
        if p.is_file():
            return p
    return None


def _context(text: str, start: int, end: int, width: int = 240) -> str:
    from ..core.document import Document

    sents = Document(text).sentences
    lo = max((s.start for s in sents if s.start <= start), default=0)
    hi = min((s.end for s in sents if s.end >= end), default=len(text))
    before, phrase, after = text[lo:start], text[start:end], text[end:hi]
    if len(before) > width // 2:
        before = "\u2026" + before[-(width // 2) :].lstrip()
    if len(after) > width // 2:
        after = after[: width // 2].rstrip() + "\u2026"
    return " ".join(f"{before}[{phrase}]{after}".split())


def load_items(corpus: str | Path | None) -> list[Item]:
    """Every annotated span of a corpus (or the glossary's examples)."""
    items: list[Item] = []
    if corpus is not None:
        from ..io.corpus import read_corpus

        for rec in read_corpus(corpus):
            for s in rec["spans"]:
                items.append(
                    Item(
                        rec["id"],
                        _context(rec["text"], s["start"], s["end"]),
                        rec["text"][s["start"] : s["end"]],
                        s["category"],
                        s["label"],
                    )
                )
        return items
    from ..core.glossary import load_glossary

    for label, e in load_glossary().items():
        ex = e.get("example")
        if e["category"] not in CATEGORIES or not ex:
            continue
        m = re.search(r"\[([^\]]+)\]", ex["text"])
        if m:
            items.append(Item(ex["corpus_id"], ex["text"], m.group(1), e["category"], label))
    return items


def _labels_by_category(items: Sequence[Item]) -> dict[str, list[str]]:
    from ..core.glossary import load_glossary

    out: dict[str, list[str]] = {c: [] for c in CATEGORIES}
    for label, e in load_glossary().items():
        if e["category"] in out:
            out[e["category"]].append(label)
    for it in items:
        if it.label not in out[it.category]:
            out[it.category].append(it.label)
    return out


def make_questions(items: Sequence[Item], n: int, seed: int | None = None) -> list[Question]:
    """``n`` questions (fewer if the corpus is small), balanced over the
    categories present, each with four technique options."""
    rng = random.Random(seed)
    labels = _labels_by_category(items)
    pools = {c: [it for it in items if it.category == c] for c in CATEGORIES}
    for pool in pools.values():
        rng.shuffle(pool)
    chosen: list[Item] = []
    cats = [c for c in CATEGORIES if pools[c]]
    while len(chosen) < n and any(pools[c] for c in cats):
        rng.shuffle(cats)
        for c in cats:
            if pools[c] and len(chosen) < n:
                chosen.append(pools[c].pop())
    rng.shuffle(chosen)
    out = []
    for it in chosen:
        others = [lab for lab in labels[it.category] if lab != it.label]
        opts = [it.label, *rng.sample(others, min(3, len(others)))]
        rng.shuffle(opts)
        out.append(Question(it, tuple(opts)))
    return out


def _explain(label: str, category: str) -> str:
    from ..core.glossary import load_glossary

    e = load_glossary().get(label) or load_glossary().get(category)
    if not e:
        return ""
    return f"{e['definition']} Why it matters: {e['why']}"


def _norm(name: str) -> str:
    return re.sub(r"[\s_,/-]+", "_", name.strip().lower())


def _choose(
    ask: Callable[[str], str | None],
    say: Callable[[str], None],
    options: Sequence[str],
    aliases: Sequence[str] = (),
) -> int | None:
    """The index the student picks (by number, by name, or by an alias such as
    the raw label behind a human name); None to quit."""
    for _ in range(MAX_TRIES):
        raw = ask("> ")
        if raw is None:
            return None
        raw = raw.strip().lower()
        if raw in ("q", "quit", "exit"):
            return None
        if raw.isdigit() and 1 <= int(raw) <= len(options):
            return int(raw) - 1
        norm = _norm(raw)
        names = [(i, _norm(o)) for i, o in enumerate(options)]
        names += [(i, _norm(a)) for i, a in enumerate(aliases)]
        hits = sorted({i for i, o in names if o.startswith(norm)})
        if raw and len(hits) == 1:
            return hits[0]
        say(f"Please answer 1-{len(options)} (or q to stop).")
    return -1  # counted as a wrong answer


def run_quiz(
    questions: Sequence[Question],
    ask: Callable[[str], str | None],
    say: Callable[[str], None],
) -> QuizResult:
    """Ask each question: the category (1 point) and, when that is right, the
    technique (1 point). ``ask`` returns None at end of input, which ends the
    quiz with the score so far."""
    res = QuizResult()
    cats = list(CATEGORIES)
    for qi, q in enumerate(questions, 1):
        it = q.item
        say("")
        say(f"Question {qi} of {len(questions)}  ({it.source})")
        say(f"  {it.context}")
        say("Which category does the [bracketed] phrase belong to?")
        say("  " + "   ".join(f"{i}) {CATEGORY_NAMES[c]}" for i, c in enumerate(cats, 1)))
        res.asked += 1
        res.possible += 2
        pick = _choose(ask, say, [CATEGORY_NAMES[c] for c in cats])
        if pick is None:
            res.quit = True
            res.possible -= 2
            res.asked -= 1
            break
        right = pick >= 0 and cats[pick] == it.category
        res.log.append((f"category of {it.phrase!r}", cats[pick] if pick >= 0 else "", right))
        if not right:
            say(f"Not quite: it is {CATEGORY_NAMES[it.category]} ({label_title(it.label)}).")
            say(f"  {_explain(it.label, it.category)}")
            continue
        res.points += 1
        say(f"Right: {CATEGORY_NAMES[it.category]}. Which technique?")
        titles = [label_title(o) for o in q.label_options]
        say("  " + "   ".join(f"{i}) {o}" for i, o in enumerate(titles, 1)))
        pick = _choose(ask, say, titles, q.label_options)
        if pick is None:
            res.quit = True
            break
        right = pick >= 0 and q.label_options[pick] == it.label
        res.log.append(
            (f"technique of {it.phrase!r}", q.label_options[pick] if pick >= 0 else "", right)
        )
        if right:
            res.points += 1
            say(f"Right: {label_title(it.label)}.")
        else:
            say(f"Not quite: it is {label_title(it.label)}.")
        say(f"  {_explain(it.label, it.category)}")
    say("")
    say(
        f"Score: {res.points} of {res.possible} points ({res.asked} question"
        f"{'s' if res.asked != 1 else ''})."
    )
    return res
