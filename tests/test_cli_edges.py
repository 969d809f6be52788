"""The command line on odd and bad input: one line on stderr and exit 2 for
anything it cannot use, never a traceback, never a user's file lost or
rewritten. Regression tests from a QA sweep; every text here is our own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rhetoric.batch import BatchOptions, run_batch
from rhetoric.cli import app
from rhetoric.config import Options
from rhetoric.core.report import Finding
from rhetoric.pipeline.analyze import analyze
from rhetoric.render.html import output_name
from rhetoric.render.text import _passage_text

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
RULES_ONLY = BatchOptions(analysis=Options(models=False))  # independent of model retraining

ARTICLE = (
    "Critics say the so-called reform is a total disaster, and the minister's "
    "cronies slammed the report.\n\n"
    "Sources close to the cabinet said the plan may yet collapse.\n"
)


def _one_error(r: object, exit_code: int = 2) -> str:
    """The single stderr line of a failed run (asserting there is just one)."""
    assert r.exit_code == exit_code, r.output  # type: ignore[attr-defined]
    assert "Traceback" not in r.output  # type: ignore[attr-defined]
    lines = r.stderr.strip().splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1, r.stderr  # type: ignore[attr-defined]
    assert lines[0].startswith("rhetoric: error: ")
    return lines[0]


@pytest.fixture
def article(tmp_path: Path) -> Path:
    p = tmp_path / "article.txt"
    p.write_text(ARTICLE, encoding="utf-8")
    return p


# ---------------------------------------------------------------- usage errors


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["score", "--min-confidence", "1.5"], "Invalid value for '--min-confidence'"),
        (["score", "--format", "xml"], "Invalid value for '--format'"),
        (["score", "--fail-over", "101"], "Invalid value for '--fail-over'"),
        (["scroe"], "No such command 'scroe'. Did you mean 'score'?"),
        (["compare", "a.txt"], "Missing argument 'b'; see 'rhetoric compare --help'"),
        (["batch", "a.txt"], "Missing option '--out'"),
        (["ptc", "predict"], "Missing argument 'articles'; see 'rhetoric ptc predict --help'"),
        (["train", "ptc", "--folds", "1"], "Invalid value for '--folds'"),
    ],
)
def test_usage_errors_are_one_line(args: list[str], message: str) -> None:
    line = _one_error(runner.invoke(app, args))
    assert message in line and "Usage:" not in line


def test_no_arguments_still_prints_the_help() -> None:
    r = runner.invoke(app, [])
    assert r.exit_code == 2 and "score" in r.stdout and "Commands" in r.stdout


def test_help_shows_the_pyproject_table_name() -> None:
    # rich markup used to swallow "[tool.rhetoric]" as a style tag
    for cmd in ("score", "worksheet"):
        r = runner.invoke(app, [cmd, "--help"], env={"COLUMNS": "200"})
        assert r.exit_code == 0 and "[tool.rhetoric]" in r.stdout


def _rhetoric(*args: str, **kw: object) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "rhetoric", *args],
        stderr=subprocess.PIPE,
        cwd=ROOT,
        **kw,  # type: ignore[arg-type]
    )


def test_closed_pipe_is_a_quiet_exit_0(tmp_path: Path) -> None:
    corpus = tmp_path / "many.jsonl"
    rows = (json.dumps({"id": f"d{i}", "text": ARTICLE}) for i in range(40))
    corpus.write_text("\n".join(rows) + "\n", encoding="utf-8")  # far over a pipe's buffer
    proc = _rhetoric("score", "-f", "jsonl", "--no-models", str(corpus), stdout=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    assert json.loads(proc.stdout.readline())["id"] == "d0"
    proc.stdout.close()  # like `| head -1`
    assert proc.wait(timeout=120) == 0
    assert proc.stderr.read() == b""


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_output_that_cannot_be_written_is_one_line(article: Path) -> None:
    with open("/dev/full", "wb") as full:
        proc = _rhetoric("score", "-f", "json", "--no-models", str(article), stdout=full)
        assert proc.wait(timeout=120) == 2
    assert proc.stderr is not None
    err = proc.stderr.read().decode().strip().splitlines()
    assert err == ["rhetoric: error: cannot write output: No space left on device"]


# ---------------------------------------------------------------- inputs


def test_utf16_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    p = tmp_path / "notepad.txt"
    raw = ARTICLE.encode("utf-16")  # with a BOM, as Windows editors save "Unicode"
    p.write_bytes(raw)
    r = runner.invoke(app, ["score", "-f", "json", "--no-models", str(p)])
    assert r.exit_code == 0, r.output
    assert (
        r.stderr.strip() == f"rhetoric: note: {p}: not UTF-8; decoded as UTF-16 (byte order mark)"
    )
    data = json.loads(r.stdout)
    assert data["findings"] and all(
        ARTICLE[f["start"] : f["end"]] == f["text"] for f in data["findings"]
    )
    assert p.read_bytes() == raw


def test_csv_bad_utf8_names_its_line_and_earlier_rows_are_scored(tmp_path: Path) -> None:
    p = tmp_path / "rows.csv"
    lines = [b"id,text"] + [f"r{i},Row {i} of our own.".encode() for i in range(1, 80)]
    lines[60] = b"r60,caf\xe9 owners"  # cp1252, on physical line 61
    p.write_bytes(b"\n".join(lines) + b"\n")
    r = runner.invoke(app, ["score", "-f", "jsonl", "--no-models", str(p)])
    assert _one_error(r) == f"rhetoric: error: {p}:61: not valid UTF-8 (save the CSV as UTF-8)"
    assert [json.loads(x)["id"] for x in r.stdout.splitlines()] == [f"r{i}" for i in range(1, 60)]


def test_csv_with_old_mac_line_endings(tmp_path: Path) -> None:
    p = tmp_path / "mac.csv"
    p.write_bytes(b'id,text\r1,"The so-called\rplan"\r2,Critics say so.\r')
    r = runner.invoke(app, ["score", "-f", "jsonl", "--no-models", str(p)])
    assert r.exit_code == 0, r.output
    assert [json.loads(x)["id"] for x in r.stdout.splitlines()] == ["1", "2"]


def test_jsonl_unpaired_surrogate_is_an_input_error(tmp_path: Path) -> None:
    p = tmp_path / "bad.jsonl"
    p.write_text(
        '{"id": "ok", "text": "Critics say so."}\n{"id": "x", "text": "A plan \\ud800 here."}\n',
        encoding="utf-8",
    )
    for fmt in ("text", "html", "json"):
        r = runner.invoke(app, ["score", "-f", fmt, "--no-models", str(p)])
        assert _one_error(r) == (
            f"rhetoric: error: {p}:2: not valid Unicode (an unpaired \\ud800-\\udfff escape)"
        )


def test_jsonl_ids_that_are_not_strings_read_as_json(tmp_path: Path) -> None:
    p = tmp_path / "ids.jsonl"
    rows = [{"id": True, "text": "Critics say so."}, {"id": 7, "text": "Critics say so."}]
    p.write_text("\n".join(json.dumps(x) for x in rows) + "\n", encoding="utf-8")
    r = runner.invoke(app, ["score", "-f", "jsonl", "--no-models", str(p)])
    assert [json.loads(x)["id"] for x in r.stdout.splitlines()] == ["true", "7"]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://[::1", "not a valid URL (Invalid IPv6 URL)"),
        ("http://127.0.0.1:abc/story", "not a valid URL (Port could not be cast"),
        ("http://exa mple.org/story", "not a valid URL (spaces or control characters)"),
    ],
)
def test_malformed_urls_are_one_line(url: str, message: str, tmp_path: Path) -> None:
    line = _one_error(runner.invoke(app, ["score", url]))
    assert line.startswith(f"rhetoric: error: {url}: {message}")
    out = tmp_path / "r.jsonl"
    assert runner.invoke(app, ["batch", "--no-models", url, "-o", str(out)]).exit_code == 0
    err = json.loads((tmp_path / "r.errors.jsonl").read_text(encoding="utf-8"))
    assert message in err["error"] and "internal error" not in err["error"]


def test_config_that_is_not_utf8(article: Path) -> None:
    (article.parent / ".rhetoric.toml").write_bytes(b"\xff\xfeignore = 1\n")
    for args in (["score"], ["worksheet"]):
        r = runner.invoke(app, [*args, str(article)])
        toml = article.parent / ".rhetoric.toml"
        assert _one_error(r) == f"rhetoric: error: {toml}: not UTF-8 (TOML files are UTF-8)"


# ---------------------------------------------------------------- HTML pages


def test_html_out_never_overwrites_a_users_file(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    saved = pages / "story.html"  # the user's own saved page, scored from its folder
    page = (
        "<html><head><title>Our story</title></head><body><article><p>Critics say the "
        "so-called reform is a total disaster for the town and its people.</p></article>"
        "</body></html>"
    )
    saved.write_text(page, encoding="utf-8")
    r = runner.invoke(app, ["score", "-f", "html", "--no-models", "--out", str(pages), str(pages)])
    assert _one_error(r) == f"rhetoric: error: {saved}: is an input file; not overwriting it"
    assert saved.read_text(encoding="utf-8") == page

    notes = tmp_path / "article.txt"
    notes.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    mine = out / "article.html"
    mine.write_text("<p>my notes</p>", encoding="utf-8")
    r = runner.invoke(app, ["score", "-f", "html", "--no-models", "--out", str(out), str(notes)])
    assert _one_error(r) == (
        f"rhetoric: error: {mine}: exists and is not a rhetoric report; not overwriting it"
    )
    assert mine.read_text(encoding="utf-8") == "<p>my notes</p>"
    # a page an earlier run wrote is replaced
    mine.unlink()
    for _ in range(2):
        r = runner.invoke(
            app, ["score", "-f", "html", "--no-models", "--out", str(out), str(notes)]
        )
        assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["score", "-f", "html", "--out", str(notes), str(notes)])
    assert _one_error(r) == f"rhetoric: error: {notes}: not a folder (--out needs a folder)"
    assert notes.read_text(encoding="utf-8") == ARTICLE


def test_html_page_names_keep_letters_of_any_script() -> None:
    assert output_name("class/Übung 3.txt") == "Übung_3"
    assert output_name("статья.md") == "статья"
    assert output_name("../..") == "report"


def test_text_view_closes_the_inner_finding_first() -> None:
    text = "It seems he will be shown the door."
    report = analyze(text, "x", detectors=())
    outer = Finding(0, 34, text[0:34], "hedging", "appearance", 0.7, "t", "")
    inner = Finding(20, 34, text[20:34], "loaded_language", "idiom", 0.8, "t", "")
    out = _passage_text(report, 0, len(text), [(1, outer), (2, inner)], color=False).plain
    assert out == "[It seems he will be [shown the door]L2]H1."


# ---------------------------------------------------------------- batch


def test_batch_output_that_cannot_be_written_fails_before_scoring(
    article: Path, tmp_path: Path
) -> None:
    r = runner.invoke(app, ["batch", str(article), "-o", str(tmp_path / "r.jsonl"), "--errors",
                            str(tmp_path / "no" / "e.jsonl")])  # fmt: skip
    assert _one_error(r) == f"rhetoric: error: {tmp_path / 'no'}: no such directory for --errors"
    assert not (tmp_path / "r.jsonl").exists()
    if Path("/proc").is_dir():  # a folder no one can create files in
        r = runner.invoke(app, ["batch", str(article), "-o", "/proc/rhetoric-test.jsonl"])
        assert _one_error(r).startswith("rhetoric: error: /proc/rhetoric-test.jsonl: cannot write")


def test_batch_resume_leaves_a_file_it_did_not_write_alone(article: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes.jsonl"
    notes.write_bytes(b"my notes, with no newline at the end")
    table = tmp_path / "marks.csv"
    table.write_bytes(b"name,mark\nana,7\nbo,8")
    for target in (notes, table):
        before = target.read_bytes()
        r = runner.invoke(app, ["batch", str(article), "-o", str(target), "--resume"])
        assert "not" in _one_error(r) and target.read_bytes() == before
    # an output cut short in its header row (a kill at the very start) is repaired
    out = tmp_path / "r.csv"
    out.write_bytes(b"id,overall,loaded")
    r = runner.invoke(app, ["batch", str(article), "-o", str(out), "--resume", "--no-models"])
    assert r.exit_code == 0, r.output
    assert out.read_text(encoding="utf-8").splitlines()[0].startswith("id,overall,loaded_language,")


def test_batch_reports_every_duplicate_id(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    rows = [{"id": "a", "text": ARTICLE}, {"id": "a", "text": "One."}, {"id": "a", "text": "Two."}]
    corpus.write_text("\n".join(json.dumps(x) for x in rows) + "\n", encoding="utf-8")
    out = tmp_path / "r.jsonl"
    result = run_batch([str(corpus)], out, opts=RULES_ONLY)
    assert (result.written, result.failed, result.skipped) == (1, 2, 0)
    errors = (tmp_path / "r.errors.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(x) for x in errors] == [  # each under its own line: every key once
        {
            "id": f"{corpus}:{n}",
            "error": f"{corpus}:{n}: duplicate id 'a' (an earlier document has it)",
        }
        for n in (2, 3)
    ]
    again = run_batch([str(corpus)], out, resume=True, opts=RULES_ONLY)
    assert (again.written, again.failed, again.skipped) == (0, 0, 3)


# ---------------------------------------------------------------- other commands


def test_evaluate_bad_data_is_one_line(tmp_path: Path) -> None:
    corpus = ROOT / "corpora" / "passages.jsonl"
    r = runner.invoke(app, ["evaluate", str(corpus), "--split", "tset"])
    assert _one_error(r) == (
        f"rhetoric: error: {corpus}: no passages with split 'tset' (splits: dev, test)"
    )
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes(b'{"id": "x", "text": "caf\xe9", "spans": []}\n')
    assert _one_error(runner.invoke(app, ["evaluate", str(latin)])) == (
        f"rhetoric: error: {latin}: not valid UTF-8 text"
    )
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    assert "no passages to evaluate" in _one_error(runner.invoke(app, ["evaluate", str(empty)]))
    babe = tmp_path / "b.csv"
    babe.write_text("text,label_bias\n", encoding="utf-8")
    r = runner.invoke(app, ["evaluate", str(babe), "--split", "test"])
    assert _one_error(r) == (
        "rhetoric: error: --split is for corpus JSONL, hyperpartisan or BASIL data, not babe data"
    )


def test_ptc_predict_non_utf8_article(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import rhetoric.evaluation.datasets as evaluation

    def read_articles(articles: str, template: str | None) -> list[str]:
        # what reading a cp1252 article<ID>.txt raises (without loading the models)
        return [b"caf\xe9".decode("utf-8")]

    monkeypatch.setattr(evaluation, "ptc_predict_lines", read_articles)
    r = runner.invoke(app, ["ptc", "predict", str(tmp_path)])
    assert _one_error(r) == (
        f"rhetoric: error: {tmp_path}: an article or label file is not valid UTF-8 text"
    )


def test_train_checks_out_before_training(article: Path) -> None:
    # fails at once; a real run would train for minutes before finding out
    r = runner.invoke(app, ["train", "corpus", "--out", str(article)])
    assert _one_error(r) == f"rhetoric: error: {article}: not a folder (--out)"
    assert article.read_text(encoding="utf-8") == ARTICLE
    # without --out, a tiny corpus model would replace the shipped PTC models
    r = runner.invoke(app, ["train", "corpus"])
    assert _one_error(r) == (
        "rhetoric: error: train corpus writes a small PTC-format model: give --out FOLDER"
    )


def test_grade_key_from_an_html_page_uses_its_article_text(tmp_path: Path) -> None:
    page = tmp_path / "story.html"
    page.write_text(
        "<html><head><title>T</title></head><body><nav>Home | News</nav><article>"
        "<p>The council met on Monday to discuss the budget for the coming year.</p>"
        "<p>Only traitors would oppose the reform, the mayor told the town.</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    answers = tmp_path / "ana.txt"
    answers.write_text("2 | loaded language | traitors\n", encoding="utf-8")
    r = runner.invoke(app, ["grade", str(answers), "--key", str(page), "-f", "json", "--no-models"])
    assert r.exit_code == 0, r.output
    student = json.loads(r.stdout)["students"][0]
    assert student["scores"]["loaded_language"]["correct"] == 1
    bad = tmp_path / "bo.txt"
    bad.write_text("3 | hedging | may\n", encoding="utf-8")
    r = runner.invoke(app, ["grade", str(bad), "--key", str(page), "--no-models"])
    assert "(the article has 2 sentences)" in _one_error(r)
    r = runner.invoke(app, ["grade", str(answers), "--key", str(tmp_path)])
    assert _one_error(r) == (
        f"rhetoric: error: {tmp_path}: is a folder; the key is one article or an annotated .jsonl"
    )


def test_worksheet_of_an_empty_article(tmp_path: Path) -> None:
    p = tmp_path / "blank.txt"
    p.write_text("  \n\n", encoding="utf-8")
    r = runner.invoke(app, ["worksheet", "--no-models", str(p)])
    assert _one_error(r) == (
        f"rhetoric: error: {p}: the article is empty; nothing to make a worksheet from"
    )


def test_quiz_and_explain_bad_arguments(tmp_path: Path) -> None:
    latin = tmp_path / "q.jsonl"
    latin.write_bytes(b"caf\xe9\n")
    assert _one_error(runner.invoke(app, ["quiz", str(latin)])) == (
        f"rhetoric: error: {latin}: not valid UTF-8 text"
    )
    assert _one_error(runner.invoke(app, ["quiz", str(tmp_path)])) == (
        f"rhetoric: error: {tmp_path}: is a folder; the quiz reads an annotated .jsonl file"
    )
    assert _one_error(runner.invoke(app, ["explain", ""])) == (
        "rhetoric: error: empty label; run 'rhetoric explain' for the list"
    )


def test_html_to_stdout_refuses_a_second_input_at_once(article: Path) -> None:
    r = runner.invoke(app, ["score", "-f", "html", "--no-models", str(article), str(article)])
    assert _one_error(r) == "rhetoric: error: several inputs make several pages: use --out DIR"
    assert r.stdout == ""  # it stops at the second input instead of scoring them all first


def test_progress_rate_is_documents_per_second_since_the_start() -> None:
    from types import SimpleNamespace

    from rhetoric.cli.batch import _progress_bar

    rate = next(c for c in _progress_bar().columns if type(c).__name__ == "Rate")
    # a burst (two documents finishing together) used to read as 67,000 docs/s
    task = SimpleNamespace(elapsed=2.0, completed=10, fields={"skipped": 4})
    assert rate.render(task).plain == "  3.0 docs/s"
    assert rate.render(SimpleNamespace(elapsed=0.0, completed=0, fields={})).plain == "  -.- docs/s"


def test_ctrl_c_is_one_line_and_exit_130(monkeypatch: pytest.MonkeyPatch) -> None:
    import rhetoric.core.glossary

    def interrupted() -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr(rhetoric.core.glossary, "render_index", interrupted)
    r = runner.invoke(app, ["explain"])
    assert r.exit_code == 130 and r.stderr == "rhetoric: interrupted\n"


def test_csv_id_column_that_is_not_there(tmp_path: Path) -> None:
    p = tmp_path / "rows.csv"
    p.write_text("key,body\nk1,Critics say so.\n", encoding="utf-8")
    args = ["score", "-f", "jsonl", "--no-models", "--text-column", "body", str(p)]
    r = runner.invoke(app, [*args, "--id-column", "url"])  # a typo used to give FILE:LINE ids
    assert (
        _one_error(r)
        == f"rhetoric: error: {p}: no 'url' column (columns: key, body); see --id-column"
    )
    r = runner.invoke(app, args)  # the default 'id' may be missing: ids are FILE:LINE
    assert r.exit_code == 0 and json.loads(r.stdout)["id"] == f"{p}:2"


def test_csv_bad_records_are_one_error_each_and_the_rest_go_on(tmp_path: Path) -> None:
    p = tmp_path / "rows.csv"
    p.write_text(
        'id,text\n1,"quoted"then more,x\n2,Critics say so.\n3,"never closed\n4,swallowed\n',
        encoding="utf-8",
    )
    r = runner.invoke(app, ["score", "-f", "jsonl", "--no-models", str(p)])
    assert r.exit_code == 2
    assert r.stderr.splitlines() == [
        f"rhetoric: error: {p}:2: malformed CSV (',' expected after '\"')",
        f"rhetoric: error: {p}:4: malformed CSV (a quoted cell that starts here is never closed)",
    ]
    assert [json.loads(x)["id"] for x in r.stdout.splitlines()] == ["2"]


def test_batch_reports_a_link_to_nothing(tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (d / "gone.txt").symlink_to(tmp_path / "deleted.txt")
    result = run_batch([str(d)], tmp_path / "r.jsonl", opts=RULES_ONLY)
    assert (result.written, result.failed) == (1, 1)
    err = json.loads((tmp_path / "r.errors.jsonl").read_text(encoding="utf-8"))
    assert err == {
        "id": str(d / "gone.txt"),
        "error": f"{d / 'gone.txt'}: cannot read (No such file or directory)",
    }


def test_a_page_cut_short_is_not_scored() -> None:
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Short(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # promises 500 bytes, sends 30, hangs up
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", "500")
            self.end_headers()
            self.wfile.write(b"Critics say the so-called plan")
            self.close_connection = True

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Short)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/story.txt"
        r = runner.invoke(app, ["score", "--no-models", url])
        assert _one_error(r) == f"rhetoric: error: {url}: page cut short (30 of 500 bytes arrived)"
    finally:
        httpd.shutdown()
        httpd.server_close()
