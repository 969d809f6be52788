"""The classroom's memory: one SQLite file in the data folder (standard library).

Everything a class produces lives here (articles with their stored report,
exercises with their key, students and their answers), so stopping and
starting the server loses nothing. Each call opens its own short connection:
requests run on several threads, and SQLite serialises the writes.
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Article", "Exercise", "Store", "StoreError", "Student", "StudentAnswer"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    origin TEXT NOT NULL,
    text TEXT NOT NULL,
    report_json TEXT NOT NULL,
    report_html TEXT NOT NULL,
    extracted INTEGER NOT NULL DEFAULT 0,
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS exercises (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    code TEXT NOT NULL UNIQUE,
    categories TEXT NOT NULL,
    tasks TEXT NOT NULL,
    key TEXT NOT NULL,
    released INTEGER NOT NULL DEFAULT 0,
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS students (
    id INTEGER PRIMARY KEY,
    exercise_id INTEGER NOT NULL REFERENCES exercises(id),
    name TEXT NOT NULL,
    token TEXT NOT NULL UNIQUE,
    submitted INTEGER NOT NULL DEFAULT 0,
    joined REAL NOT NULL,
    UNIQUE (exercise_id, name)
);
CREATE TABLE IF NOT EXISTS answers (
    id INTEGER PRIMARY KEY,
    student_id INTEGER NOT NULL REFERENCES students(id),
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    category TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT '',
    phrase TEXT NOT NULL,
    created REAL NOT NULL
);
"""

# Join codes: no 0/O, 1/I/L, so a code read off a projector is typed right.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


class StoreError(Exception):
    """The data folder cannot be used; ``str(err)`` is one line."""


@dataclass(frozen=True)
class Article:
    id: int
    title: str
    origin: str
    text: str
    report_json: str
    report_html: str
    extracted: bool
    created: float


@dataclass(frozen=True)
class Exercise:
    id: int
    article_id: int
    code: str
    categories: list[str]
    tasks: list[dict[str, Any]]
    key: dict[str, Any]
    released: bool
    created: float


@dataclass(frozen=True)
class Student:
    id: int
    exercise_id: int
    name: str
    token: str
    submitted: bool
    joined: float


@dataclass(frozen=True)
class StudentAnswer:
    id: int
    student_id: int
    start: int
    end: int
    category: str
    kind: str
    phrase: str


class Store:
    """The SQLite file ``DATA/rhetoric.sqlite3``, created on first use."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as e:
            raise StoreError(f"{folder}: cannot create the data folder ({e.strerror or e})") from e
        if not self.folder.is_dir():
            raise StoreError(f"{folder}: not a folder (--data needs a folder)")
        self.path = self.folder / "rhetoric.sqlite3"
        try:
            with self._db() as con:
                con.executescript(SCHEMA)
            os.chmod(self.path, 0o600)  # student names and the teacher token
        except sqlite3.Error as e:
            raise StoreError(f"{self.path}: cannot open the database ({e})") from e
        except OSError as e:
            raise StoreError(f"{self.path}: {e.strerror or e}") from e

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        con = sqlite3.connect(self.path, timeout=30)
        con.row_factory = sqlite3.Row
        try:
            con.execute("PRAGMA journal_mode=WAL")
            with con:  # one transaction: committed, or rolled back on error
                yield con
        finally:
            con.close()

    # ------------------------------------------------------------ settings

    def secret(self, name: str) -> str:
        """A random value made once and kept (the teacher token)."""
        with self._db() as con:
            row = con.execute("SELECT value FROM meta WHERE key = ?", (name,)).fetchone()
            if row:
                return str(row["value"])
            value = secrets.token_urlsafe(18)
            con.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (name, value))
            return value

    # ------------------------------------------------------------ articles

    def add_article(
        self,
        title: str,
        origin: str,
        text: str,
        report_json: str,
        report_html: str,
        extracted: bool,
    ) -> int:
        with self._db() as con:
            cur = con.execute(
                "INSERT INTO articles (title, origin, text, report_json, report_html, extracted,"
                " created) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (title, origin, text, report_json, report_html, int(extracted), time.time()),
            )
            return int(cur.lastrowid or 0)

    def article(self, article_id: int) -> Article | None:
        with self._db() as con:
            row = con.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        return _article(row) if row else None

    def articles(self) -> list[Article]:
        with self._db() as con:
            rows = con.execute("SELECT * FROM articles ORDER BY id DESC").fetchall()
        return [_article(r) for r in rows]

    # ------------------------------------------------------------ exercises

    def add_exercise(
        self,
        article_id: int,
        categories: list[str],
        tasks: list[dict[str, Any]],
        key: dict[str, Any],
    ) -> Exercise:
        with self._db() as con:
            for _ in range(100):
                code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
                if not con.execute("SELECT 1 FROM exercises WHERE code = ?", (code,)).fetchone():
                    break
            cur = con.execute(
                "INSERT INTO exercises (article_id, code, categories, tasks, key, created)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    article_id,
                    code,
                    json.dumps(categories),
                    json.dumps(tasks, ensure_ascii=False),
                    json.dumps(key, ensure_ascii=False),
                    time.time(),
                ),
            )
            row = con.execute("SELECT * FROM exercises WHERE id = ?", (cur.lastrowid,)).fetchone()
        return _exercise(row)

    def exercise(self, exercise_id: int) -> Exercise | None:
        with self._db() as con:
            row = con.execute("SELECT * FROM exercises WHERE id = ?", (exercise_id,)).fetchone()
        return _exercise(row) if row else None

    def exercise_by_code(self, code: str) -> Exercise | None:
        with self._db() as con:
            row = con.execute(
                "SELECT * FROM exercises WHERE code = ?", (code.strip().upper(),)
            ).fetchone()
        return _exercise(row) if row else None

    def exercises(self, article_id: int | None = None) -> list[Exercise]:
        with self._db() as con:
            if article_id is None:
                rows = con.execute("SELECT * FROM exercises ORDER BY id DESC").fetchall()
            else:
                rows = con.execute(
                    "SELECT * FROM exercises WHERE article_id = ? ORDER BY id DESC", (article_id,)
                ).fetchall()
        return [_exercise(r) for r in rows]

    def release(self, exercise_id: int) -> None:
        with self._db() as con:
            con.execute("UPDATE exercises SET released = 1 WHERE id = ?", (exercise_id,))

    # ------------------------------------------------------------ students

    def join(self, exercise_id: int, name: str) -> Student | None:
        """A new student, or None when the name is taken in this exercise."""
        token = secrets.token_urlsafe(18)
        with self._db() as con:
            try:
                cur = con.execute(
                    "INSERT INTO students (exercise_id, name, token, joined) VALUES (?, ?, ?, ?)",
                    (exercise_id, name, token, time.time()),
                )
            except sqlite3.IntegrityError:
                return None
            row = con.execute("SELECT * FROM students WHERE id = ?", (cur.lastrowid,)).fetchone()
        return _student(row)

    def student_by_token(self, token: str) -> Student | None:
        with self._db() as con:
            row = con.execute("SELECT * FROM students WHERE token = ?", (token,)).fetchone()
        return _student(row) if row else None

    def students(self, exercise_id: int) -> list[Student]:
        with self._db() as con:
            rows = con.execute(
                "SELECT * FROM students WHERE exercise_id = ? ORDER BY id", (exercise_id,)
            ).fetchall()
        return [_student(r) for r in rows]

    def submit(self, student_id: int) -> None:
        with self._db() as con:
            con.execute("UPDATE students SET submitted = 1 WHERE id = ?", (student_id,))

    # ------------------------------------------------------------ answers

    def add_answer(
        self, student_id: int, start: int, end: int, category: str, kind: str, phrase: str
    ) -> None:
        with self._db() as con:
            con.execute(
                'INSERT INTO answers (student_id, start, "end", category, kind, phrase, created)'
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (student_id, start, end, category, kind, phrase, time.time()),
            )

    def remove_answer(self, student_id: int, answer_id: int) -> None:
        with self._db() as con:
            con.execute(
                "DELETE FROM answers WHERE id = ? AND student_id = ?", (answer_id, student_id)
            )

    def answers(self, student_id: int) -> list[StudentAnswer]:
        with self._db() as con:
            rows = con.execute(
                "SELECT * FROM answers WHERE student_id = ? ORDER BY id", (student_id,)
            ).fetchall()
        return [_answer(r) for r in rows]


def _article(r: sqlite3.Row) -> Article:
    return Article(
        r["id"],
        r["title"],
        r["origin"],
        r["text"],
        r["report_json"],
        r["report_html"],
        bool(r["extracted"]),
        r["created"],
    )


def _exercise(r: sqlite3.Row) -> Exercise:
    return Exercise(
        r["id"],
        r["article_id"],
        r["code"],
        json.loads(r["categories"]),
        json.loads(r["tasks"]),
        json.loads(r["key"]),
        bool(r["released"]),
        r["created"],
    )


def _student(r: sqlite3.Row) -> Student:
    return Student(
        r["id"], r["exercise_id"], r["name"], r["token"], bool(r["submitted"]), r["joined"]
    )


def _answer(r: sqlite3.Row) -> StudentAnswer:
    return StudentAnswer(
        r["id"], r["student_id"], r["start"], r["end"], r["category"], r["kind"], r["phrase"]
    )
