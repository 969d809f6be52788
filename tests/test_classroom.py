"""Worksheets, grading, compare and the quiz, through the command line."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rhetoric.cli import app
from rhetoric.core.report import CATEGORIES, Report

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpora" / "passages.jsonl"
COSTA = ROOT / "corpora" / "examples" / "costa-under-pressure.txt"
WIRE = ROOT / "corpora" / "examples" / "wire-control.txt"

# Our own two-passage key (written for this test).
KEY = [
    {
        "id": "t1",
        "text": "Critics say the mayor's reckless gamble will bankrupt the city. "
        "It seems the budget may collapse.",
        "spans": [
            {"start": 0, "end": 11, "category": "attribution", "label": "vague_attribution"},
            {"start": 23, "end": 38, "category": "loaded_language", "label": "emotive"},
            {"start": 64, "end": 72, "category": "hedging", "label": "appearance"},
        ],
    },
    {
        "id": "t2",
        "text": "Enough is enough. Only traitors oppose the plan.",
        "spans": [
            {
                "start": 0,
                "end": 16,
                "category": "propaganda",
                "label": "Thought-terminating_Cliches",
            },
            {"start": 23, "end": 31, "category": "loaded_language", "label": "name_calling"},
        ],
    },
]


@pytest.fixture
def key(tmp_path: Path) -> Path:
    p = tmp_path / "key.jsonl"
    p.write_text("\n".join(json.dumps(r) for r in KEY) + "\n", encoding="utf-8")
    return p


def _grade(*args: str) -> dict:
    r = runner.invoke(app, ["grade", *args, "--format", "json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_key_graded_against_itself_is_perfect(key: Path) -> None:
    data = _grade(str(key), "--key", str(key))
    scores = data["students"][0]["scores"]
    for c in (*CATEGORIES, "all"):
        assert scores[c]["precision"] == 1.0 and scores[c]["recall"] == 1.0, c
    assert data["students"][0]["missed"] == [] and data["students"][0]["extra"] == []


def test_shipped_corpus_graded_against_itself_is_perfect() -> None:
    data = _grade(str(CORPUS), "--key", str(CORPUS))
    for c in CATEGORIES:
        s = data["students"][0]["scores"][c]
        assert s["key_spans"] > 0 and s["precision"] == 1.0 and s["recall"] == 1.0


def test_empty_answer_has_recall_zero(key: Path, tmp_path: Path) -> None:
    empty = tmp_path / "nobody.txt"
    empty.write_text("# nothing found\n", encoding="utf-8")
    data = _grade(str(empty), "--key", str(key))
    st = data["students"][0]
    assert st["student"] == "nobody"
    for c in CATEGORIES:
        assert st["scores"][c]["recall"] == 0.0
    assert len(st["missed"]) == 5
    assert all(m["explanation"] for m in st["missed"])


def test_plain_text_answers_match_by_overlap(key: Path, tmp_path: Path) -> None:
    ans = tmp_path / "ana.txt"
    ans.write_text(
        "t1 | 1 | loaded language | reckless\n"  # overlaps "reckless gamble"
        "t1 | 2 | H | may collapse\n"  # hedging, but the key marks "It seems"
        "t2 | 2 | name_calling | \u201ctraitors\u201d\n"  # a label maps to its category
        "t2 | 1 | attribution | Enough\n",  # wrong category: the key says propaganda
        encoding="utf-8",
    )
    st = _grade(str(ans), "--key", str(key))["students"][0]["scores"]
    assert st["loaded_language"] == {**st["loaded_language"], "found": 2, "correct": 2}
    assert st["hedging"]["found"] == 0 and st["hedging"]["correct"] == 0
    assert st["attribution"]["precision"] == 0.0
    r = runner.invoke(app, ["grade", str(ans), "--key", str(key)])
    assert "extra" in r.stdout and "propaganda" in r.stdout and "class summary" in r.stdout


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("t1 | loaded language", "expected 'sentence number | category | phrase'"),
        ("t1 | one | loaded | mayor", "is not a number"),
        ("t1 | 9 | loaded | mayor", "sentence 9 does not exist"),
        ("t1 | 1 | sarcasm | mayor", "unknown category"),
        ("t9 | 1 | loaded | mayor", "unknown passage"),
        ("1 | loaded | mayor", "the key has 2 passages"),
    ],
)
def test_malformed_answers_get_line_numbered_errors(
    key: Path, tmp_path: Path, line: str, message: str
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text(f"# header\n\n{line}\n", encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text("t2 | 2 | loaded | traitors\n", encoding="utf-8")
    r = runner.invoke(app, ["grade", str(bad), str(good), "--key", str(key)])
    assert r.exit_code == 2
    errs = r.stderr.strip().splitlines()
    assert len(errs) == 1 and f"{bad}:3:" in errs[0] and message in errs[0]
    assert "Traceback" not in r.output
    assert "student: good" in r.stdout  # the others are still graded


def test_malformed_jsonl_answer_and_key(key: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "t1", "spans": []}\n{"id": "t1", "spans": [oops\n', encoding="utf-8")
    r = runner.invoke(app, ["grade", str(bad), "--key", str(key)])
    assert r.exit_code == 2 and f"{bad}:2:" in r.stderr
    r = runner.invoke(app, ["grade", str(bad), "--key", str(tmp_path / "missing.jsonl")])
    assert r.exit_code == 2 and "no such file" in r.stderr


def test_grade_against_an_article_csv(tmp_path: Path) -> None:
    ans = tmp_path / "sam.txt"
    ans.write_text("3 | attribution | sources claim\n", encoding="utf-8")
    r = runner.invoke(app, ["grade", str(ans), "--key", str(COSTA), "--format", "csv"])
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    attr = next(x for x in rows if x["student"] == "sam" and x["category"] == "attribution")
    assert attr["correct"] == "1" and float(attr["precision"]) == 1.0
    assert any(x["student"] == "(class mean)" for x in rows)


def test_worksheet_md_and_answer_key() -> None:
    r = runner.invoke(app, ["worksheet", str(COSTA)])
    assert r.exit_code == 0, r.output
    sheet = r.stdout
    assert "**(1)**" in sheet and "**(7)**" in sheet and "Name:" in sheet
    assert "Find two phrases that use loaded language" in sheet
    assert "Sentence 3 makes a claim. Who is its source?" in sheet
    assert "\u27e6" not in sheet and "humiliation" in sheet  # clean article
    r = runner.invoke(app, ["worksheet", str(COSTA), "--answer-key"])
    key = r.stdout
    assert r.exit_code == 0 and "\u27e6broken man\u27e7L1" in key
    assert "\u27e6humiliation" not in key  # a sports score's word, below the line
    assert "Anonymous source (confidence 0.75)" in key and "cannot be checked" in key


def test_worksheet_html_escapes_and_numbers(tmp_path: Path) -> None:
    p = tmp_path / "x.txt"
    p.write_text("Critics say <script>alert(1)</script> is a disaster. It seems bad.\n")
    r = runner.invoke(app, ["worksheet", str(p), "--format", "html"])
    assert r.exit_code == 0
    assert "<script>alert" not in r.stdout and "&lt;script&gt;" in r.stdout
    assert "<mark" not in r.stdout and 'class="sn"' in r.stdout
    r = runner.invoke(app, ["worksheet", str(p), "--format", "html", "--answer-key"])
    assert "<mark data-category" in r.stdout
    r = runner.invoke(app, ["worksheet", str(tmp_path / "none.txt")])
    assert r.exit_code == 2 and "Traceback" not in r.output


def test_compare_text_and_html() -> None:
    r = runner.invoke(app, ["compare", str(COSTA), str(WIRE)])
    assert r.exit_code == 0, r.output
    out = r.stdout
    assert "loaded language score" in out and "sources: named" in out
    assert "strongest loaded phrases" in out and "humiliation" in out
    r = runner.invoke(app, ["compare", str(COSTA), str(WIRE), "--format", "html"])
    assert r.exit_code == 0 and r.stdout.startswith("<!DOCTYPE html>")
    assert r.stdout.count('<svg class="chart"') == 2
    r = runner.invoke(app, ["compare", str(COSTA), "/nonexistent.txt"])
    assert r.exit_code == 2 and "Traceback" not in r.output


def _quiz(inp: str, *args: str) -> str:
    r = runner.invoke(app, ["quiz", *args], input=inp)
    assert r.exit_code == 0, r.output
    return r.stdout


def test_quiz_is_reproducible_and_scores(key: Path) -> None:
    a = _quiz("1\n1\n1\n1\n1\n1\n", "--seed", "3", "--questions", "3")
    b = _quiz("1\n1\n1\n1\n1\n1\n", "--seed", "3", "--questions", "3")
    assert a == b and "Question 3 of 3" in a and "Score:" in a
    out = _quiz("", str(key), "--seed", "1", "--questions", "5")
    assert "Question 1 of 5  (t" in out
    assert "Score: 0 of 0 points (0 questions)" in out  # end of input stops the quiz


def test_quiz_feedback_right_and_wrong(tmp_path: Path) -> None:
    one = tmp_path / "one.jsonl"
    one.write_text(json.dumps(KEY[1] | {"spans": KEY[1]["spans"][1:]}) + "\n", encoding="utf-8")
    out = _quiz("1\nname_calling\n", str(one), "--seed", "0", "-n", "1")
    assert "[traitors]" in out and "Right: loaded language" in out
    assert "Right: Name-calling." in out and "Score: 2 of 2 points" in out
    out = _quiz("hedging\n", str(one), "--seed", "0", "-n", "1")
    assert "Not quite: it is loaded language (Name-calling)" in out
    assert "Why it matters" in out and "Score: 0 of 2 points" in out
    out = _quiz("7\nx\nzzz\n", str(one), "-n", "1")
    assert "Please answer 1-4" in out and "Score: 0 of 2" in out


def test_quiz_bad_corpus(tmp_path: Path) -> None:
    r = runner.invoke(app, ["quiz", str(tmp_path / "missing.jsonl")])
    assert r.exit_code == 2 and "Traceback" not in r.output


# ---------------------------------------------------------------- the exercise policy
# The mechanism only: which floor and families are right is the accuracy
# work's to set (rhetoric/classroom/policy.py); these use policies of their own.


def _finding(text: str, phrase: str, category: str, label: str, conf: float, det: str):
    from rhetoric.core.report import Finding

    start = text.index(phrase)
    end = start + len(phrase)
    return Finding(start, end, phrase, category, label, conf, det, f"why {label}")


def _report(text: str, findings: list) -> Report:
    from rhetoric.core.report import Passage

    return Report(
        "t",
        text,
        {"overall": 0},
        findings,
        [Passage(0, len(text), 0, {}, len(text.split()), len(findings))],
        [],
        {},
    )


POLICY_TEXT = "The reckless plan failed. Critics say it was a disaster. It seems late."


def _policy_report() -> Report:
    t = POLICY_TEXT
    return _report(
        t,
        [
            _finding(t, "reckless", "loaded_language", "emotive", 0.9, "loaded_language.emotive"),
            _finding(
                t, "Critics say", "attribution", "vague_attribution", 0.7, "attribution.vague"
            ),
            _finding(t, "disaster", "loaded_language", "biased_wording", 0.3, "bias_model"),
            _finding(t, "It seems", "hedging", "appearance", 0.8, "hedging_model"),
        ],
    )


def test_policy_floor_and_families_decide_tasks_key_and_highlights() -> None:
    from rhetoric.classroom.policy import ExercisePolicy
    from rhetoric.classroom.worksheet import make_worksheet, render_worksheet_md

    report = _policy_report()
    ws = make_worksheet(report)  # the shipped policy: floor 0.5, every family
    assert [f.text for f in ws.key] == ["reckless", "Critics say", "It seems"]
    key_md = render_worksheet_md(ws, answer_key=True)
    assert "\u27e6reckless\u27e7L" in key_md and "\u27e6disaster" not in key_md
    assert "Emotive wording (confidence 0.90). why emotive" in key_md
    assert "1 weaker finding is left out of this key" in key_md
    only_rules = ExercisePolicy(floor=0.5, families=frozenset({"loaded_language", "attribution"}))
    ws = make_worksheet(report, only_rules)
    assert [f.text for f in ws.key] == ["reckless", "Critics say"]
    assert not any(t.category == "hedging" for t in ws.tasks)
    ws = make_worksheet(report, ExercisePolicy(floor=0.95))
    assert ws.key == [] and "nothing strong enough" in ws.tasks[0].prompt
    ws = make_worksheet(report, categories=["attribution"])
    assert {t.category for t in ws.tasks} <= {"attribution", None}


def test_also_seen_by_the_tool_is_credited_and_most_missed_is_key_only() -> None:
    from rhetoric.classroom.grade import (
        class_summary,
        grade_student,
        key_from_report,
        locate_answer,
    )
    from rhetoric.classroom.policy import ExercisePolicy

    kp = key_from_report(_policy_report(), ExercisePolicy(floor=0.5, families=None))
    assert [k.text for k in kp.spans] == ["reckless", "Critics say", "It seems"]
    assert [k.confidence for k in kp.spans] == [0.9, 0.7, 0.8]
    assert [k.text for k in kp.weak] == ["disaster"]
    found = locate_answer(kp, "loaded language", "disaster")
    wrong = locate_answer(kp, "hedging", "plan failed")
    r = grade_student("ana", "web", [found, wrong], [kp])
    assert [(a.phrase, k.label) for a, k in r.also_seen] == [("disaster", "biased_wording")]
    assert r.scores["loaded_language"].correct == 1  # credited, not marked wrong
    assert r.scores["loaded_language"].found == 0  # but not a key item found
    assert [a.phrase for a, _ in r.extra] == ["plan failed"]
    assert "below the key's 0.5" in r.to_dict()["also_seen"][0]["why"]
    s = class_summary([r, grade_student("bo", "web", [], [kp])])
    assert {m["text"] for m in s["most_missed"]} == {"reckless", "Critics say", "It seems"}
    # a family left out of the key: its findings are "also seen", with the reason
    kp = key_from_report(_policy_report(), ExercisePolicy(families=frozenset({"attribution"})))
    assert [k.text for k in kp.spans] == ["Critics say"]
    r = grade_student("cy", "web", [locate_answer(kp, "hedging", "It seems")], [kp])
    assert "not precise enough on news" in r.also_seen[0][1].explanation


def test_grade_text_lists_also_seen(tmp_path: Path) -> None:
    ans = tmp_path / "sam.txt"
    ans.write_text("2 | loaded language | touchline\n", encoding="utf-8")
    r = runner.invoke(app, ["grade", str(ans), "--key", str(COSTA)])
    assert r.exit_code == 0, r.output
    assert "also seen by the tool (not in the key; counted as correct):" in r.stdout
    assert "touchline" in r.stdout.split("also seen by the tool")[1]
    assert "touchline" not in r.stdout.split("most missed:")[1]


def test_quiz_technique_names_are_human(tmp_path: Path) -> None:
    from rhetoric.core.glossary import label_title

    assert label_title("Whataboutism,Straw_Men,Red_Herring") == (
        "Whataboutism, straw man, red herring"
    )
    one = tmp_path / "w.jsonl"
    text = "And what about the other side's crimes?"
    one.write_text(
        json.dumps(
            {
                "id": "w",
                "text": text,
                "spans": [
                    {
                        "start": 0,
                        "end": len(text),
                        "category": "propaganda",
                        "label": "Whataboutism,Straw_Men,Red_Herring",
                    }
                ],
            }
        )
        + "\n",
        encoding="utf-8",
    )
    out = _quiz("propaganda\nwhataboutism\n", str(one), "--seed", "0", "-n", "1")
    assert "Whataboutism, straw man, red herring" in out and "Straw_Men" not in out
    assert "Right: Whataboutism, straw man, red herring." in out
