"""What the web pages ask of the library: read an article, analyse it, make an
exercise from the report, grade a class. No analysis happens here; this
module calls what ``rhetoric score``, ``worksheet`` and ``grade`` call, so the
web app and the command line give the same answers.
"""

from __future__ import annotations

import dataclasses
import json
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path, PurePath
from typing import Any

from ..classroom.grade import (
    Answer,
    GradeError,
    KeyPassage,
    KeySpan,
    StudentResult,
    grade_student,
    key_from_report,
    locate_answer,
)
from ..classroom.policy import EXERCISE, SOURCE_KINDS
from ..classroom.worksheet import make_worksheet
from ..config import Analyzer, ConfigError, Options
from ..core.glossary import label_title
from ..core.report import CATEGORIES, Report, report_from_dict
from ..io.decode import InputError, decode, is_url
from ..io.inputs import MAX_BYTES, InputDoc, Source, load
from ..render.html import render_html
from ..render.jsonfmt import render_json
from .storage import Exercise, Store, StudentAnswer

__all__ = [
    "Scorer",
    "ServiceError",
    "exercise_from_report",
    "grade_exercise",
    "grade_student_now",
    "key_of",
    "new_answer",
    "stored_report",
]

MAX_TASKS = 12


class ServiceError(ValueError):
    """Input the app refuses; ``str(err)`` is one line, ``status`` the HTTP code."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


class Scorer:
    """One analyser for the whole server (models load once), used by one
    request at a time: the detectors keep caches that are not thread-safe."""

    def __init__(
        self, models: bool = True, config: str | None = None, max_bytes: int = MAX_BYTES
    ) -> None:
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        try:
            self.analyzer = Analyzer(Options(None, None, None if models else False, config))
        except ConfigError as e:
            raise ServiceError(str(e)) from None

    def warm_up(self) -> None:
        """Load the models now, so the first teacher does not wait for them."""
        self.analyze(InputDoc("-", "Critics say the plan may fail."))

    def analyze(self, doc: InputDoc) -> Report:
        with self._lock:
            try:
                return self.analyzer.analyze(doc)
            except ConfigError as e:
                raise ServiceError(str(e)) from None

    # ---------------------------------------------------------- inputs

    def from_text(self, text: str, name: str = "-") -> InputDoc:
        """Pasted text, read as ``rhetoric score -`` reads stdin (same limit,
        same refusal of binary-looking data, a BOM dropped)."""
        data = text.encode("utf-8", "surrogatepass")
        if len(data) > self.max_bytes:
            raise ServiceError(f"text is over the {self.max_bytes:,}-byte limit", 413)
        try:
            body, notes = decode(data, name)
        except InputError as e:
            raise ServiceError(str(e)) from None
        return InputDoc(name, body, notes)

    def from_url(self, url: str) -> InputDoc:
        """A web page fetched as ``rhetoric score URL`` fetches it: http(s)
        only (never a local file), the same timeout and size limit."""
        if not is_url(url):
            raise ServiceError(f"{url}: not an http(s) URL")
        try:
            return load(Source(url, "url", url), max_bytes=self.max_bytes)
        except InputError as e:
            raise ServiceError(str(e), 422) from None

    def from_upload(self, filename: str, data: bytes) -> InputDoc:
        """An uploaded file, read as ``rhetoric score FILE`` reads it (by its
        suffix: text, Markdown or an HTML page), from a private temporary copy."""
        name = PurePath(filename.replace("\\", "/")).name or "upload.txt"
        if len(data) > self.max_bytes:
            raise ServiceError(f"{name}: file is over the {self.max_bytes:,}-byte limit", 413)
        with tempfile.TemporaryDirectory(prefix="rhetoric-upload-") as tmp:
            path = Path(tmp) / name
            path.write_bytes(data)
            try:
                doc = load(Source(name, "file", str(path)), max_bytes=self.max_bytes)
            except InputError as e:
                raise ServiceError(str(e).replace(str(path), name)) from None
        # the server's configuration applies, not one found beside the temporary copy
        return dataclasses.replace(
            doc, origin=None, notes=[n.replace(str(path), name) for n in doc.notes]
        )

    @staticmethod
    def json_report(report: Report) -> str:
        """Exactly what ``rhetoric score --format json`` prints."""
        return render_json([report]) + "\n"

    @staticmethod
    def html_report(report: Report) -> str:
        """Exactly what ``rhetoric score --format html`` prints."""
        return render_html(report)


# ---------------------------------------------------------------- exercises


def exercise_from_report(
    report: Report, categories: Sequence[str], tasks: int
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The tasks and the key of an exercise, as stored: the worksheet's tasks
    for ``categories`` (those a student answers by marking a phrase, at most
    ``tasks``) and the grading key from the same exercise policy."""
    cats = [c for c in CATEGORIES if c in categories]
    if not cats:
        raise ServiceError("choose at least one category")
    if not 1 <= tasks <= MAX_TASKS:
        raise ServiceError(f"the number of tasks must be 1 to {MAX_TASKS}")
    ws = make_worksheet(report, EXERCISE, cats)
    chosen = [t for t in ws.tasks if t.category in cats][:tasks]
    kp = key_from_report(report, EXERCISE, cats)
    task_rows = [
        {
            "prompt": t.prompt,
            "category": t.category,
            "answers": list(t.answers),
            "explanation": t.explanation,
        }
        for t in chosen
    ]
    key = {
        "id": kp.id,
        "text": kp.text,
        "spans": [dataclasses.asdict(k) for k in kp.spans],
        "weak": [dataclasses.asdict(k) for k in kp.weak],
        "sentence_starts": kp.sentence_starts,
        "sentence_ends": kp.sentence_ends,
        "passages": [[p.start, p.end] for p in report.passages],
        "floor": EXERCISE.floor,
    }
    return task_rows, key


def key_of(ex: Exercise) -> KeyPassage:
    """The stored key as the grader's ``KeyPassage``."""
    k = ex.key
    return KeyPassage(
        k["id"],
        k["text"],
        [KeySpan(**s) for s in k["spans"]],
        list(k["sentence_starts"]),
        list(k["sentence_ends"]),
        [KeySpan(**s) for s in k["weak"]],
    )


def stored_report(report_json: str, text: str, extracted: bool) -> Report:
    """The report kept with an article."""
    return report_from_dict(json.loads(report_json), text, extracted)


def answer_of(kp: KeyPassage, a: StudentAnswer) -> Answer:
    return Answer(kp.id, a.start, a.end, a.category, a.phrase)


def new_answer(
    kp: KeyPassage, category: str, phrase: str, start: Any = None, end: Any = None
) -> Answer:
    """A student's marked phrase, placed in the article; ServiceError if bad."""
    if category not in CATEGORIES:
        raise ServiceError(f"unknown category {category!r}")
    if len(phrase) > 500:
        raise ServiceError("the phrase is too long (500 characters at most)")
    try:
        a = locate_answer(
            kp,
            category,
            phrase,
            start if isinstance(start, int) else None,
            end if isinstance(end, int) else None,
        )
    except GradeError as e:
        raise ServiceError(str(e)) from None
    if a.start < 0:
        raise ServiceError("that phrase is not in the article; select it or copy it exactly")
    return a


def grade_exercise(
    store: Store, ex: Exercise
) -> list[tuple[Any, list[StudentAnswer], StudentResult]]:
    """Every student of an exercise with their answers and grade."""
    kp = key_of(ex)
    out = []
    for s in store.students(ex.id):
        answers = store.answers(s.id)
        result = grade_student(s.name, "web", [answer_of(kp, a) for a in answers], [kp])
        out.append((s, answers, result))
    return out


def grade_student_now(student: Any, answers: Sequence[StudentAnswer], kp: KeyPassage) -> Any:
    """One student's feedback: the grade, and each answer with its verdict
    (``key``: a key item; ``also``: the tool saw it too, below the key's bar;
    ``extra``: not in the key, with why) and, for a source, whether the kind
    the student chose agrees with the tool's label."""
    result = grade_student(student.name, "web", [answer_of(kp, a) for a in answers], [kp])
    also = {(a.start, a.end, a.category): k for a, k in result.also_seen}
    extra = {(a.start, a.end, a.category): why for a, why in result.extra}
    rows = []
    for a in answers:
        where = (a.start, a.end, a.category)
        hit = next(
            (
                k
                for k in kp.spans
                if k.category == a.category and a.start < k.end and k.start < a.end
            ),
            None,
        )
        if where in also:
            verdict, span, why = "also", also[where], also[where].explanation
        elif where in extra:
            verdict, span, why = "extra", None, extra[where]
        else:
            verdict, span, why = "key", hit, hit.explanation if hit else ""
        kind_note = ""
        if a.kind and span is not None and a.category == "attribution":
            agrees = span.label in SOURCE_KINDS.get(a.kind, ("", ()))[1]
            kind_note = (
                f"You said the source is {SOURCE_KINDS[a.kind][0]}; the tool calls it "
                f"\u201c{label_title(span.label)}\u201d" + (" \u2014 you agree." if agrees else ".")
            )
        rows.append(
            {
                "answer": a,
                "verdict": verdict,
                "label": label_title(span.label) if span else "",
                "why": why,
                "kind_note": kind_note,
            }
        )
    missed = {(k.start, k.end, k.category) for _, k in result.missed}
    found = [k for k in kp.spans if (k.start, k.end, k.category) not in missed]
    return {"result": result, "rows": rows, "found": found, "missed": [k for _, k in result.missed]}
