"""The command line, driven through Typer's CliRunner on real inputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rhetoric import __version__
from rhetoric.cli import app

runner = CliRunner()

LOADED = (
    "Critics say the so-called reform is a total disaster, and the minister's "
    "cronies slammed the smoking gun report.\n\n"
    "Sources close to the cabinet said the plan looks to be a deliberate stall.\n"
)
NEUTRAL = (
    "The city council approved a budget of 4.2 million euros on Tuesday. "
    "Mayor Ana Ruiz said repairs to the bridge would begin in March.\n"
)


@pytest.fixture
def article(tmp_path: Path) -> Path:
    p = tmp_path / "article.txt"
    p.write_text(LOADED, encoding="utf-8")
    return p


def test_version() -> None:
    r = runner.invoke(app, ["--version"])
    assert r.exit_code == 0 and r.stdout.strip() == f"rhetoric {__version__}"


def test_help_lists_commands() -> None:
    r = runner.invoke(app, ["--help"])
    assert r.exit_code == 0
    assert "score" in r.stdout and "explain" in r.stdout


def test_json_report_contract(article: Path) -> None:
    r = runner.invoke(app, ["score", "--format", "json", str(article)])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["schema_version"] == 1 and data["id"] == str(article)
    assert set(data["scores"]) == {
        "overall",
        "loaded_language",
        "hedging",
        "attribution",
        "propaganda",
    }
    for f in data["findings"]:
        assert LOADED[f["start"] : f["end"]] == f["text"]
        assert 0 <= f["confidence"] <= 1
    found = {f["text"] for f in data["findings"]}
    assert {"so-called", "smoking gun", "cronies", "slammed"} <= found
    assert any(t.startswith("Sources close to") for t in found)
    assert any(t.startswith("looks to be a deliberate stall") for t in found)
    assert data["passages"] and all(0 <= p["score"] <= 100 for p in data["passages"])
    assert "flesch_reading_ease" in data["readability"]


def test_several_inputs_give_a_list_and_jsonl_gives_lines(article: Path, tmp_path: Path) -> None:
    other = tmp_path / "b.md"
    other.write_text(NEUTRAL, encoding="utf-8")
    r = runner.invoke(app, ["score", "-f", "json", str(article), str(other)])
    assert r.exit_code == 0
    assert [d["id"] for d in json.loads(r.stdout)] == [str(article), str(other)]
    r = runner.invoke(app, ["score", "-f", "jsonl", str(tmp_path)])
    lines = r.stdout.splitlines()
    assert r.exit_code == 0 and len(lines) == 2
    assert {json.loads(x)["id"] for x in lines} == {str(article), str(other)}


def test_lines_format_points_at_line_and_column(article: Path) -> None:
    r = runner.invoke(app, ["score", "-f", "lines", str(article)])
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert any(x.startswith(f"{article}:3:1: attribution/anonymous_source:") for x in lines)
    col = LOADED.index("so-called") + 1
    assert any(x.startswith(f"{article}:1:{col}: loaded_language/so_called:") for x in lines)


def test_text_output_has_no_colour_off_a_terminal(article: Path) -> None:
    r = runner.invoke(app, ["score", str(article)])
    assert r.exit_code == 0
    assert "\x1b[" not in r.stdout
    assert "Scores for" in r.stdout and "Legend" in r.stdout
    assert "[so-called]L" in r.stdout  # bracketed and numbered without colour


def test_stdin_and_dash(article: Path) -> None:
    r = runner.invoke(app, ["score", "-f", "json"], input=LOADED)
    assert r.exit_code == 0 and json.loads(r.stdout)["id"] == "-"
    r = runner.invoke(app, ["score", "-f", "json", "-"], input=NEUTRAL)
    assert r.exit_code == 0 and json.loads(r.stdout)["id"] == "-"


def test_jsonl_batch_input_uses_line_ids(tmp_path: Path) -> None:
    p = tmp_path / "batch.jsonl"
    p.write_text(
        json.dumps({"id": "a1", "text": LOADED})
        + "\n\n"
        + json.dumps({"id": "a2", "text": NEUTRAL})
        + "\n",
        encoding="utf-8",
    )
    r = runner.invoke(app, ["score", "-f", "jsonl", str(p)])
    assert r.exit_code == 0
    assert [json.loads(x)["id"] for x in r.stdout.splitlines()] == ["a1", "a2"]


def test_category_filter_and_min_confidence(article: Path) -> None:
    r = runner.invoke(app, ["score", "-f", "json", "-c", "hedging", str(article)])
    data = json.loads(r.stdout)
    assert data["findings"] and {f["category"] for f in data["findings"]} == {"hedging"}
    r = runner.invoke(app, ["score", "-f", "json", "--min-confidence", "0.99", str(article)])
    assert json.loads(r.stdout)["findings"] == []
    r = runner.invoke(app, ["score", "-c", "nonsense", str(article)])
    assert r.exit_code == 2 and "unknown category" in r.stderr
    # the threshold cuts the findings as reported: the full report's findings
    # at or above it, with the same spans and confidences
    full = json.loads(runner.invoke(app, ["score", "-f", "json", str(article)]).stdout)
    r = runner.invoke(app, ["score", "-f", "json", "--min-confidence", "0.6", str(article)])
    cut = json.loads(r.stdout)["findings"]
    assert cut and cut == [f for f in full["findings"] if f["confidence"] >= 0.6]


def test_fail_over(article: Path, tmp_path: Path) -> None:
    assert (
        runner.invoke(app, ["score", "-f", "json", "--fail-over", "0", str(article)]).exit_code == 1
    )
    assert (
        runner.invoke(app, ["score", "-f", "json", "--fail-over", "100", str(article)]).exit_code
        == 0
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("blob.txt", b"\x00\x01\x02binary\x00", "binary"),
        ("paper.pdf", b"%PDF-1.4", "unsupported format"),
        ("data.xyz", b"hello", "unknown format"),
        ("bad.jsonl", b'{"id": "1", "text": "ok"}\n{not json\n', "bad.jsonl:2: malformed JSON"),
        ("nofield.jsonl", b'{"id": "1"}\n', "nofield.jsonl:1: expected an object"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    p = tmp_path / name
    p.write_bytes(content)
    r = runner.invoke(app, ["score", "-f", "json", str(p)])
    assert r.exit_code == 2
    err = r.stderr.strip().splitlines()
    assert len(err) == 1 and message in err[0] and "Traceback" not in r.output
    assert p.read_bytes() == content  # never written


def test_missing_path_empty_folder_and_oversize(tmp_path: Path) -> None:
    r = runner.invoke(app, ["score", str(tmp_path / "nope.txt")])
    assert r.exit_code == 2 and "no such file" in r.stderr
    (tmp_path / "empty").mkdir()
    r = runner.invoke(app, ["score", str(tmp_path / "empty")])
    assert r.exit_code == 2 and "no .txt or .md files" in r.stderr
    big = tmp_path / "big.txt"
    big.write_text("word " * 100, encoding="utf-8")
    r = runner.invoke(app, ["score", "--max-bytes", "100", str(big)])
    assert r.exit_code == 2 and "limit" in r.stderr


def test_one_bad_file_does_not_stop_the_others(article: Path, tmp_path: Path) -> None:
    bad = tmp_path / "z.pdf"
    bad.write_bytes(b"%PDF")
    r = runner.invoke(app, ["score", "-f", "jsonl", str(article), str(bad)])
    assert r.exit_code == 2 and len(r.stdout.splitlines()) == 1


def test_cp1252_is_decoded_with_a_note(tmp_path: Path) -> None:
    p = tmp_path / "old.txt"
    raw = "The \u201cso-called\u201d caf\u00e9 reform \u2014 a fiasco.".encode("cp1252")
    p.write_bytes(raw)
    r = runner.invoke(app, ["score", "-f", "json", str(p)])
    assert r.exit_code == 0
    assert "decoded as cp1252" in r.stderr
    data = json.loads(r.stdout)
    assert any(f["text"] == "fiasco" for f in data["findings"])
    assert p.read_bytes() == raw


def test_empty_input_is_a_report_with_zero_scores(tmp_path: Path) -> None:
    p = tmp_path / "empty.txt"
    p.write_text("", encoding="utf-8")
    r = runner.invoke(app, ["score", "-f", "json", str(p)])
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert data["findings"] == [] and data["scores"]["overall"] == 0
    assert data["notes"] == ["empty input: nothing to analyse"]


def test_explain() -> None:
    r = runner.invoke(app, ["explain"])
    assert r.exit_code == 0 and "war_metaphor" in r.stdout and "anonymous_source" in r.stdout
    r = runner.invoke(app, ["explain", "war_metaphor"])
    assert r.exit_code == 0 and "Why it matters" in r.stdout and "Example (" in r.stdout
    r = runner.invoke(app, ["explain", "hedging"])
    assert r.exit_code == 0 and "conditional" in r.stdout
    r = runner.invoke(app, ["explain", "no_such_label"])
    assert r.exit_code == 2 and "no glossary entry" in r.stderr
