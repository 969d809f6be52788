"""Grading student answers against a key, with overlap matching.

The key is an annotated JSONL file in the ``corpora/`` format, or an article
(graded against the tool's own findings at or above a confidence). Students
answer in the same JSONL format, or in a plain-text form they can type, one
answer per line::

    # comments and blank lines are ignored
    2 | loaded language | humiliation
    3 | attribution | sources claim
    p017-some-passage | 4 | hedging | may yet     (when the key has several passages)

A key span is *found* when an answer of the same category overlaps it by at
least one character; an answer is *correct* when it overlaps a key span of its
category (the rule ``rhetoric evaluate`` uses).

Undefined ratios follow one convention, stated so a class can rely on it:
with nothing to find and nothing claimed a category scores 1.0 for both;
recall with nothing to find is 1.0; precision with nothing claimed is 0.0
when there was something to find.
"""

from __future__ import annotations

import bisect
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..core.document import spans_overlap
from ..core.labels import CATEGORY_NAMES
from ..core.report import CATEGORIES
from ..core.safe import csv_line
from .policy import EXERCISE, ExercisePolicy, exercise_findings

__all__ = [
    "Answer",
    "GradeError",
    "KeyPassage",
    "KeySpan",
    "StudentResult",
    "class_summary",
    "grade_files",
    "grade_student",
    "key_from_report",
    "load_key",
    "locate_answer",
    "parse_answers",
    "render_csv",
    "render_json",
    "render_text",
]


class GradeError(ValueError):
    """Bad key or answer input; ``str(err)`` is one line naming file and line."""


@dataclass(frozen=True, slots=True)
class KeySpan:
    start: int
    end: int
    category: str
    label: str
    text: str
    sentence: int
    explanation: str
    #: article keys only: the tool's confidence (the key shows it)
    confidence: float | None = None


@dataclass
class KeyPassage:
    id: str
    text: str
    spans: list[KeySpan]
    sentence_starts: list[int] = field(default_factory=list)
    sentence_ends: list[int] = field(default_factory=list)
    #: article keys only: the tool's findings the exercise policy leaves out
    #: (below its floor, or from a family it does not admit); a student's
    #: answer on one is credited as "also seen by the tool"
    weak: list[KeySpan] = field(default_factory=list)

    def sentence_of(self, pos: int) -> int:
        return max(1, bisect.bisect_right(self.sentence_starts, pos))


@dataclass(frozen=True, slots=True)
class Answer:
    passage: str
    start: int  # -1 when the phrase is not in the article
    end: int
    category: str
    phrase: str
    line: int | None = None
    sentence: int | None = None  # as the student wrote it (plain-text form)


@dataclass
class CategoryScore:
    key: int = 0
    found: int = 0
    answered: int = 0
    correct: int = 0

    @property
    def recall(self) -> float:
        if self.key:
            return self.found / self.key
        return 1.0

    @property
    def precision(self) -> float:
        if self.answered:
            return self.correct / self.answered
        return 1.0 if self.key == 0 else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "key_spans": self.key,
            "found": self.found,
            "answers": self.answered,
            "correct": self.correct,
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
        }


@dataclass
class StudentResult:
    name: str
    source: str
    scores: dict[str, CategoryScore]
    missed: list[tuple[str, KeySpan]]
    extra: list[tuple[Answer, str]]
    notes: list[str] = field(default_factory=list)
    #: answers not in the key that the tool also saw, below the key's bar:
    #: counted as correct, never as wrong
    also_seen: list[tuple[Answer, KeySpan]] = field(default_factory=list)

    @property
    def total(self) -> CategoryScore:
        t = CategoryScore()
        for s in self.scores.values():
            t.key += s.key
            t.found += s.found
            t.answered += s.answered
            t.correct += s.correct
        return t

    def to_dict(self) -> dict[str, Any]:
        return {
            "student": self.name,
            "source": self.source,
            "scores": {c: s.to_dict() for c, s in self.scores.items()}
            | {"all": self.total.to_dict()},
            "missed": [
                {
                    "passage": pid,
                    "sentence": k.sentence,
                    "start": k.start,
                    "end": k.end,
                    "text": k.text,
                    "category": k.category,
                    "label": k.label,
                    "explanation": k.explanation,
                }
                for pid, k in self.missed
            ],
            "extra": [
                {
                    "passage": a.passage,
                    "start": a.start if a.start >= 0 else None,
                    "end": a.end if a.start >= 0 else None,
                    "text": a.phrase,
                    "category": a.category,
                    "line": a.line,
                    "why": why,
                }
                for a, why in self.extra
            ],
            "also_seen": [
                {
                    "passage": a.passage,
                    "start": a.start,
                    "end": a.end,
                    "text": a.phrase,
                    "category": a.category,
                    "line": a.line,
                    "tool_label": k.label,
                    "why": k.explanation,
                }
                for a, k in self.also_seen
            ],
            "notes": list(self.notes),
        }


# ---------------------------------------------------------------- the key


def _label_explanation(label: str, category: str) -> str:
    from ..core.glossary import load_glossary

    g = load_glossary()
    e = g.get(label) or g.get(category)
    return e["definition"] if e else ""


def _sentences(text: str) -> tuple[list[int], list[int]]:
    from ..core.document import Document

    sents = Document(text).sentences
    return [s.start for s in sents], [s.end for s in sents]


def _passage(pid: str, text: str, spans: Iterable[tuple[int, int, str, str, str]]) -> KeyPassage:
    starts, ends = _sentences(text)
    kp = KeyPassage(pid, text, [], starts, ends)
    kp.spans = [
        KeySpan(s, e, c, lab, text[s:e], kp.sentence_of(s), expl)
        for s, e, c, lab, expl in sorted(spans)
    ]
    return kp


def key_from_report(
    report: Any, policy: ExercisePolicy = EXERCISE, categories: Iterable[str] | None = None
) -> KeyPassage:
    """A key from the tool's own analysis: the findings ``policy`` admits (in
    ``categories`` when given); the tool's other findings of those categories
    become ``weak`` spans, credited as "also seen by the tool"."""
    cats = set(categories) if categories is not None else set(CATEGORIES)
    admitted = {id(f) for f in exercise_findings(report.findings, policy, cats)}
    starts, ends = _sentences(report.text)
    kp = KeyPassage(report.id, report.text, [], starts, ends)
    for f in sorted(report.findings, key=lambda f: (f.start, f.end, f.category, f.label)):
        if f.category not in cats:
            continue
        if id(f) in admitted:
            kp.spans.append(
                KeySpan(
                    f.start,
                    f.end,
                    f.category,
                    f.label,
                    report.text[f.start : f.end],
                    kp.sentence_of(f.start),
                    f.explanation,
                    round(f.confidence, 3),
                )
            )
        else:
            kp.weak.append(
                KeySpan(
                    f.start,
                    f.end,
                    f.category,
                    f.label,
                    f.text,
                    kp.sentence_of(f.start),
                    f"{f.explanation} ({policy.why_not(f)})",
                    round(f.confidence, 3),
                )
            )
    return kp


def load_key(
    path: str, min_confidence: float | None = None, analyzer: Any = None
) -> list[KeyPassage]:
    """Read a JSONL key (``corpora/`` format) or analyse an article into one,
    with ``analyzer`` (a ``config.Analyzer``; default: the configuration found
    from the article's folder, as ``rhetoric score`` would use). An article's
    key follows the exercise policy; ``min_confidence`` overrides its floor."""
    p = Path(path)
    if p.is_dir():
        raise GradeError(f"{path}: is a folder; the key is one article or an annotated .jsonl")
    if not p.is_file():
        raise GradeError(f"{path}: no such file")
    if p.suffix.lower() == ".jsonl":
        from ..io.corpus import CorpusError, read_corpus

        try:
            records = list(read_corpus(p))
        except CorpusError as e:
            raise GradeError(str(e)) from None
        except (OSError, UnicodeDecodeError) as e:
            raise GradeError(f"{path}: cannot read ({e})") from None
        if not records:
            raise GradeError(f"{path}: the key has no passages")
        seen: set[str] = set()
        out = []
        for rec in records:
            if rec["id"] in seen:
                raise GradeError(f"{path}: passage id {rec['id']!r} appears twice")
            seen.add(rec["id"])
            out.append(
                _passage(
                    rec["id"],
                    rec["text"],
                    [
                        (
                            s["start"],
                            s["end"],
                            s["category"],
                            s["label"],
                            _label_explanation(s["label"], s["category"]),
                        )
                        for s in rec["spans"]
                    ],
                )
            )
        return out
    from ..config import Analyzer, ConfigError
    from ..io.inputs import InputError, iter_inputs

    # read as `rhetoric score` and `rhetoric worksheet` read it (an HTML page's
    # article text, not its markup), so sentence numbers agree with the sheet
    docs = []
    for item in iter_inputs([path]):
        if isinstance(item, InputError):
            raise GradeError(str(item))
        docs.append(item)
    if len(docs) != 1:
        raise GradeError(f"{path}: expected one article, found {len(docs)}")
    try:
        report = (analyzer or Analyzer()).analyze(docs[0])
    except ConfigError as e:
        raise GradeError(str(e)) from None
    policy = EXERCISE if min_confidence is None else replace(EXERCISE, floor=min_confidence)
    return [key_from_report(report, policy)]


# ---------------------------------------------------------------- answers


def _category_aliases() -> dict[str, str]:
    from ..core.glossary import load_glossary

    alias = {c: c for c in CATEGORIES}
    alias.update({n: c for c, n in CATEGORY_NAMES.items()})
    alias.update(
        {
            "loaded": "loaded_language",
            "l": "loaded_language",
            "hedge": "hedging",
            "h": "hedging",
            "attribution gap": "attribution",
            "source": "attribution",
            "sourcing": "attribution",
            "a": "attribution",
            "p": "propaganda",
        }
    )
    for label, e in load_glossary().items():
        if e["category"] in CATEGORIES:
            alias.setdefault(label.lower(), e["category"])
    return {k.replace("_", " ").replace("-", " "): v for k, v in alias.items()}


def parse_category(raw: str) -> str | None:
    """A category from what a student typed: name, short letter or a label."""
    key = " ".join(raw.strip().lower().replace("_", " ").replace("-", " ").split())
    return _category_aliases().get(key)


_QUOTES = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb"


def _find(kp: KeyPassage, phrase: str, lo: int, hi: int) -> tuple[int, int] | None:
    from ..core.document import normalize

    hay = normalize(kp.text[lo:hi]).lower()
    needle = normalize(phrase).lower()
    i = hay.find(needle)
    if i < 0:  # tolerate different spacing: match word by word
        import re

        words = needle.split()
        if not words:
            return None
        m = re.search(r"\s+".join(re.escape(w) for w in words), hay)
        if not m:
            return None
        return lo + m.start(), lo + m.end()
    return lo + i, lo + i + len(needle)


def locate_answer(
    kp: KeyPassage,
    category: str,
    phrase: str,
    start: int | None = None,
    end: int | None = None,
) -> Answer:
    """An answer from a phrase a student marked in a browser: at the marked
    offsets when they hold the phrase, else where the phrase first occurs
    (offsets -1 when it is not in the article). Raises ``GradeError``."""
    from ..core.document import normalize

    cat = parse_category(category)
    if cat is None:
        raise GradeError(f"unknown category {category!r}")
    phrase = phrase.strip()
    if not phrase:
        raise GradeError("the phrase is empty")
    if (
        isinstance(start, int)
        and isinstance(end, int)
        and 0 <= start < end <= len(kp.text)
        and " ".join(normalize(kp.text[start:end]).split()) == " ".join(normalize(phrase).split())
    ):
        return Answer(kp.id, start, end, cat, kp.text[start:end])
    hit = _find(kp, phrase, 0, len(kp.text))
    if hit is None:
        return Answer(kp.id, -1, -1, cat, phrase)
    return Answer(kp.id, hit[0], hit[1], cat, kp.text[hit[0] : hit[1]])


def _parse_text_answers(
    path: str, lines: Sequence[str], key: Sequence[KeyPassage]
) -> tuple[list[Answer], list[str]]:
    by_id = {k.id: k for k in key}
    answers: list[Answer] = []
    notes: list[str] = []
    for lineno, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = [x.strip() for x in line.split("|")]
        where = f"{path}:{lineno}"
        if len(parts) == 4:
            pid, num, cat, phrase = parts
            if pid not in by_id:
                raise GradeError(f"{where}: unknown passage id {pid!r}")
            kp = by_id[pid]
        elif len(parts) == 3:
            num, cat, phrase = parts
            if len(key) != 1:
                raise GradeError(
                    f"{where}: the key has {len(key)} passages; write "
                    "'passage id | sentence | category | phrase'"
                )
            kp = key[0]
        else:
            raise GradeError(
                f"{where}: expected 'sentence number | category | phrase', got "
                f"{len(parts)} field{'s' if len(parts) != 1 else ''}"
            )
        try:
            sn = int(num.lstrip("#"))
        except ValueError:
            raise GradeError(f"{where}: sentence number {num!r} is not a number") from None
        if not 1 <= sn <= len(kp.sentence_starts):
            n = len(kp.sentence_starts)
            raise GradeError(
                f"{where}: sentence {sn} does not exist (the article has "
                f"{n} sentence{'' if n == 1 else 's'})"
            )
        category = parse_category(cat)
        if category is None:
            raise GradeError(
                f"{where}: unknown category {cat!r} (use loaded language, hedging, "
                "attribution or propaganda)"
            )
        phrase = phrase.strip().strip(_QUOTES).strip()
        if not phrase:
            raise GradeError(f"{where}: the phrase is empty")
        lo, hi = kp.sentence_starts[sn - 1], kp.sentence_ends[sn - 1]
        hit = _find(kp, phrase, lo, hi)
        if hit is None:
            hit = _find(kp, phrase, 0, len(kp.text))
            if hit is not None:
                notes.append(
                    f"line {lineno}: \u201c{phrase}\u201d is in sentence "
                    f"{kp.sentence_of(hit[0])}, not {sn}"
                )
        if hit is None:
            answers.append(Answer(kp.id, -1, -1, category, phrase, lineno, sn))
        else:
            answers.append(
                Answer(kp.id, hit[0], hit[1], category, kp.text[hit[0] : hit[1]], lineno, sn)
            )
    return answers, notes


def _parse_jsonl_answers(
    path: str, lines: Sequence[str], key: Sequence[KeyPassage]
) -> list[Answer]:
    from ..io.inputs import jsonl_objects

    by_id = {k.id: k for k in key}
    by_text = {k.text: k for k in key}
    answers: list[Answer] = []
    for lineno, obj in jsonl_objects(lines, path, GradeError):
        where = f"{path}:{lineno}"
        if not isinstance(obj, dict) or not isinstance(obj.get("spans"), list):
            raise GradeError(f"{where}: expected an object with a 'spans' list")
        kp = by_id.get(obj.get("id")) if isinstance(obj.get("id"), str) else None
        if kp is None and isinstance(obj.get("text"), str):
            kp = by_text.get(obj["text"])
        if kp is None and len(key) == 1:
            kp = key[0]
        if kp is None:
            raise GradeError(f"{where}: passage {obj.get('id')!r} is not in the key")
        if isinstance(obj.get("text"), str) and obj["text"] != kp.text:
            raise GradeError(
                f"{where}: text differs from the key's passage {kp.id!r}; offsets would not line up"
            )
        for i, s in enumerate(obj["spans"]):
            if not isinstance(s, dict):
                raise GradeError(f"{where}: span {i} is not an object")
            st, en = s.get("start"), s.get("end")
            if not (isinstance(st, int) and isinstance(en, int) and 0 <= st < en <= len(kp.text)):
                raise GradeError(f"{where}: span {i} has bad offsets {st}..{en}")
            cat = s.get("category")
            category = parse_category(cat) if isinstance(cat, str) else None
            if category is None:
                raise GradeError(f"{where}: span {i} has unknown category {cat!r}")
            answers.append(Answer(kp.id, st, en, category, kp.text[st:en], lineno))
    return answers


def parse_answers(path: str, key: Sequence[KeyPassage]) -> tuple[list[Answer], list[str]]:
    """Read one student's answers (JSONL by suffix, else the plain-text form).

    Returns the answers and notes (phrases found in another sentence, or not
    at all); raises ``GradeError`` naming the line for malformed input."""
    p = Path(path)
    if not p.is_file():
        raise GradeError(f"{path}: no such file")
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise GradeError(f"{path}: not UTF-8 text") from None
    except OSError as e:
        raise GradeError(f"{path}: cannot read ({e.strerror or e})") from None
    lines = text.splitlines()
    if p.suffix.lower() == ".jsonl":
        return _parse_jsonl_answers(path, lines, key), []
    return _parse_text_answers(path, lines, key)


# ---------------------------------------------------------------- grading


def _overlaps(a: Answer, k: KeySpan) -> bool:
    return a.start >= 0 and spans_overlap(a.start, a.end, k.start, k.end)


def grade_student(
    name: str, source: str, answers: Sequence[Answer], key: Sequence[KeyPassage]
) -> StudentResult:
    """Per-category precision and recall, missed key spans, extra answers."""
    scores = {c: CategoryScore() for c in CATEGORIES}
    missed: list[tuple[str, KeySpan]] = []
    extra: list[tuple[Answer, str]] = []
    also_seen: list[tuple[Answer, KeySpan]] = []
    by_passage: dict[str, list[Answer]] = {}
    for a in answers:
        by_passage.setdefault(a.passage, []).append(a)
    for kp in key:
        mine = by_passage.get(kp.id, [])
        for k in kp.spans:
            scores[k.category].key += 1
            if any(a.category == k.category and _overlaps(a, k) for a in mine):
                scores[k.category].found += 1
            else:
                missed.append((kp.id, k))
        for a in mine:
            scores[a.category].answered += 1
            if any(a.category == k.category and _overlaps(a, k) for k in kp.spans):
                scores[a.category].correct += 1
                continue
            if a.start < 0:
                extra.append((a, "not found in the article"))
                continue
            weak = next((k for k in kp.weak if k.category == a.category and _overlaps(a, k)), None)
            if weak is not None:  # a real find the key lacks: credit, not a mistake
                scores[a.category].correct += 1
                also_seen.append((a, weak))
                continue
            other = next((k for k in kp.spans if _overlaps(a, k)), None)
            if other is not None:
                why = (
                    f"the key marks \u201c{other.text}\u201d as {CATEGORY_NAMES[other.category]} "
                    f"({other.label}): {other.explanation}"
                )
            else:
                why = f"the key marks no {CATEGORY_NAMES[a.category]} here"
            extra.append((a, why))
    return StudentResult(name, source, scores, missed, extra, also_seen=also_seen)


def class_summary(results: Sequence[StudentResult], top: int = 5) -> dict[str, Any]:
    """Mean precision/recall per category, and what the class missed most."""
    n = len(results)
    out: dict[str, Any] = {"students": n, "categories": {}}
    for c in (*CATEGORIES, "all"):
        scs = [r.total if c == "all" else r.scores[c] for r in results]
        out["categories"][c] = {
            "mean_precision": round(sum(s.precision for s in scs) / n, 3) if n else 0.0,
            "mean_recall": round(sum(s.recall for s in scs) / n, 3) if n else 0.0,
            "mean_f1": round(sum(s.f1 for s in scs) / n, 3) if n else 0.0,
        }
    missed = Counter(
        (pid, k.start, k.end, k.text, k.category, k.label) for r in results for pid, k in r.missed
    )
    out["most_missed"] = [
        {"passage": pid, "text": t, "category": c, "label": lab, "students": cnt}
        for (pid, _s, _e, t, c, lab), cnt in missed.most_common(top)
    ]
    extra = Counter((a.passage, a.phrase, a.category) for r in results for a, _ in r.extra)
    out["most_common_extra"] = [
        {"passage": pid, "text": t, "category": c, "students": cnt}
        for (pid, t, c), cnt in extra.most_common(top)
    ]
    return out


# ---------------------------------------------------------------- output


def render_json(key_path: str, results: Sequence[StudentResult]) -> str:
    return json.dumps(
        {
            "key": key_path,
            "students": [r.to_dict() for r in results],
            "class": class_summary(results),
        },
        ensure_ascii=False,
        indent=2,
    )


CSV_FIELDS = (
    "student",
    "category",
    "key_spans",
    "answers",
    "found",
    "correct",
    "precision",
    "recall",
    "f1",
)


def render_csv(results: Sequence[StudentResult]) -> str:
    """One row per student and category (and ``all``), then the class means."""
    # every text cell (a student's name is a file name, or what they typed in
    # the web app) is never a formula for the teacher's spreadsheet
    rows: list[Sequence[Any]] = [CSV_FIELDS]
    for r in results:
        for c, s in [*r.scores.items(), ("all", r.total)]:
            d = s.to_dict()
            rows.append(
                [
                    r.name,
                    c,
                    d["key_spans"],
                    d["answers"],
                    d["found"],
                    d["correct"],
                    d["precision"],
                    d["recall"],
                    d["f1"],
                ]
            )
    summary = class_summary(results)
    for c, d in summary["categories"].items():
        rows.append(
            ["(class mean)", c, "", "", "", "", d["mean_precision"], d["mean_recall"], d["mean_f1"]]
        )
    return "".join(csv_line(row) + "\n" for row in rows)


def _fmt_span(pid: str, sentence: int, text: str, multi: bool) -> str:
    where = f"{pid} " if multi else ""
    return f"{where}sentence {sentence} \u201c{' '.join(text.split())}\u201d"


def render_text(results: Sequence[StudentResult], key: Sequence[KeyPassage]) -> str:
    """A readable report per student and the class summary."""
    multi = len(key) > 1
    kp_by_id = {k.id: k for k in key}
    out: list[str] = []
    for r in results:
        out.append(f"student: {r.name}  ({r.source})")
        out.append(
            f"  {'category':18s} {'precision':>9s} {'recall':>7s}   found/key  correct/answers"
        )
        for c, s in [*r.scores.items(), ("all", r.total)]:
            out.append(
                f"  {CATEGORY_NAMES.get(c, c):18s} {s.precision:9.2f} {s.recall:7.2f}   "
                f"{f'{s.found}/{s.key}':>9s}  {f'{s.correct}/{s.answered}':>15s}"
            )
        if r.missed:
            out.append("  missed:")
            for pid, k in r.missed:
                out.append(
                    f"    {_fmt_span(pid, k.sentence, k.text, multi)} "
                    f"{CATEGORY_NAMES[k.category]}/{k.label}: {k.explanation}"
                )
        if r.also_seen:
            out.append("  also seen by the tool (not in the key; counted as correct):")
            for a, k in r.also_seen:
                line = f"line {a.line}: " if a.line else ""
                out.append(
                    f"    {line}{_fmt_span(a.passage, k.sentence, a.phrase, multi)} "
                    f"as {CATEGORY_NAMES[a.category]}: {k.explanation}"
                )
        if r.extra:
            out.append("  extra (not in the key):")
            for a, why in r.extra:
                sn = kp_by_id[a.passage].sentence_of(a.start) if a.start >= 0 else a.sentence or "?"
                line = f"line {a.line}: " if a.line else ""
                where = f"{a.passage} " if multi else ""
                out.append(
                    f"    {line}{where}sentence {sn} \u201c{' '.join(a.phrase.split())}\u201d "
                    f"as {CATEGORY_NAMES[a.category]}: {why}"
                )
        for note in r.notes:
            out.append(f"  note: {note}")
        out.append("")
    s = class_summary(results)
    out.append(f"class summary ({s['students']} student{'s' if s['students'] != 1 else ''})")
    out.append(f"  {'category':18s} {'precision':>9s} {'recall':>7s} {'F1':>6s}  (means)")
    for c, d in s["categories"].items():
        out.append(
            f"  {CATEGORY_NAMES.get(c, c):18s} {d['mean_precision']:9.2f} {d['mean_recall']:7.2f} "
            f"{d['mean_f1']:6.2f}"
        )
    if s["most_missed"]:
        out.append("  most missed:")
        for m in s["most_missed"]:
            out.append(
                f"    {m['students']} of {s['students']}: "
                f"\u201c{' '.join(m['text'].split())}\u201d "
                f"({CATEGORY_NAMES[m['category']]}/{m['label']})"
                + (f" in {m['passage']}" if multi else "")
            )
    return "\n".join(out) + "\n"


def grade_files(
    paths: Sequence[str], key: Sequence[KeyPassage]
) -> tuple[list[StudentResult], list[str]]:
    """Grade each answer file (one student each, named after the file); a
    malformed file gives an error line and the others are still graded."""
    results: list[StudentResult] = []
    errors: list[str] = []
    used: Counter[str] = Counter()
    for path in paths:
        try:
            answers, notes = parse_answers(path, key)
        except GradeError as e:
            errors.append(str(e))
            continue
        stem = Path(path).stem or path
        used[stem] += 1
        name = stem if used[stem] == 1 else f"{stem}-{used[stem]}"
        result = grade_student(name, path, answers, key)
        result.notes.extend(notes)
        results.append(result)
    return results, errors
