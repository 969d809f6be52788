"""Hostile input (issue 16): poison JSON lines and TOML, file names that are
not UTF-8 or too long, links and FIFOs where pages go, formula cells, CR line
endings, terms that cannot be matched, stray configuration files, a closed
pipe. One line and exit 2 (or the documented code) for what cannot be used;
everything else still processed; no file written where it should not be."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rhetoric.batch import BatchOptions, run_batch
from rhetoric.batch.files import csv_escape, csv_unescape
from rhetoric.cli import app
from rhetoric.config import Options
from rhetoric.core.safe import MAX_JSON_DEPTH, json_loads, printable
from rhetoric.io.inputs import MAX_CHARS

from .conftest import ROOT

runner = CliRunner()
RULES_ONLY = BatchOptions(analysis=Options(models=False))
TEXT = "Critics say the so-called reform is a total disaster, sources said."


def _rec(i: object, text: str = TEXT) -> str:
    return json.dumps({"id": i, "text": text, "spans": [], "split": "dev"})


POISON = {
    "digits": ('{"id": ' + "9" * 5000 + "}", "a number with too many digits"),
    "depth": ("[" * 100_000, f"nested more than {MAX_JSON_DEPTH} levels deep"),
}


def _run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "rhetoric", *args], input=stdin, capture_output=True, env=env,
        timeout=300,
    )  # fmt: skip


# ---------------------------------------------------------------- poison JSON


@pytest.fixture(params=sorted(POISON))
def poison(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, str]:
    line, why = POISON[request.param]
    p = tmp_path / "p.jsonl"
    p.write_text(f"{_rec('1')}\n{line}\n{_rec('3', 'It is a total disaster.')}\n", "utf-8")
    return p, f"{p}:2: malformed JSON ({why})"


def test_poison_line_is_one_error_and_the_rest_is_scored(poison: tuple[Path, str]) -> None:
    p, message = poison
    r = runner.invoke(app, ["score", "-f", "jsonl", "--no-models", str(p)])
    assert r.exit_code == 2 and r.stderr == f"rhetoric: error: {message}\n"
    assert [json.loads(x)["id"] for x in r.stdout.splitlines()] == ["1", "3"]


def test_poison_line_in_a_batch_and_its_resume(poison: tuple[Path, str], tmp_path: Path) -> None:
    p, message = poison
    out = tmp_path / "r.jsonl"
    for resume in (False, True, True):  # resume used to crash on the same line forever
        result = run_batch([str(p)], out, resume=resume, opts=RULES_ONLY)
        assert not result.interrupted
    assert [json.loads(x)["id"] for x in out.read_text().splitlines()] == ["1", "3"]
    errors = [json.loads(x) for x in (tmp_path / "r.errors.jsonl").read_text().splitlines()]
    assert errors == [{"id": f"{p}:2", "error": message}]


@pytest.mark.parametrize(
    "args",
    [
        ["quiz", "{p}"],
        ["evaluate", "{p}"],
        ["worksheet", "{p}"],
        ["compare", str(ROOT / "corpora" / "examples" / "wire-control.txt"), "{p}"],
        ["grade", str(ROOT / "corpora" / "passages.jsonl"), "--key", "{p}"],
    ],
)
def test_every_reader_gives_the_poison_line_one_error(
    poison: tuple[Path, str], args: list[str]
) -> None:
    p, message = poison
    r = runner.invoke(app, [a.replace("{p}", str(p)) for a in args], input="")
    assert r.exit_code == 2, r.output
    assert r.stderr.strip().splitlines() == [f"rhetoric: error: {message}"]


def test_json_depth_and_strings() -> None:
    ok = "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH
    assert json_loads(ok) is not None
    with pytest.raises(json.JSONDecodeError):
        json_loads("[" + ok + "]")
    # brackets and escaped quotes inside strings are not nesting
    assert json_loads(json.dumps({"t": '[[[\\"[[' * 200})) == {"t": '[[[\\"[[' * 200}


def test_deeply_nested_toml_is_one_line(tmp_path: Path) -> None:
    art = tmp_path / "a.txt"
    art.write_text(TEXT, encoding="utf-8")
    cfg = tmp_path / "bad.toml"
    for body, why in (
        ("x = " + "[" * 5000 + "]" * 5000, "nested too deeply"),
        ("min_confidence = " + "1" * 5000, "a number with too many digits"),
    ):
        cfg.write_text(body + "\n", encoding="utf-8")
        r = runner.invoke(app, ["score", "--config", str(cfg), str(art)])
        assert r.exit_code == 2
        assert r.stderr == f"rhetoric: error: {cfg}: invalid TOML ({why})\n"


# ---------------------------------------------------------------- names and pages


def test_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    try:
        (d / os.fsdecode(b"caf\xe9.txt")).write_text(TEXT, encoding="utf-8")
    except (OSError, UnicodeError):
        pytest.skip("the file system refuses such names")
    (d / "plain.txt").write_text(TEXT, encoding="utf-8")
    shown = f"{d}/caf\\xe9.txt"
    for name in ("r.jsonl", "r.csv"):
        out = tmp_path / name
        for resume in (False, True):
            result = run_batch([str(d)], out, resume=resume, opts=RULES_ONLY)
            assert (result.written, result.failed) == ((2, 0) if not resume else (0, 0))
        text = out.read_text(encoding="utf-8")
        if name.endswith(".csv"):
            ids = [row[0] for row in csv.reader(text.splitlines()[1:])]
        else:
            ids = [json.loads(x)["id"] for x in text.splitlines()]
        assert shown in ids
    pages = tmp_path / "pages"
    r = runner.invoke(app, ["score", "-f", "html", "--no-models", "--out", str(pages), str(d)])
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in pages.iterdir()) == ["caf_xe9.html", "plain.html"]


def test_an_id_longer_than_a_file_name_may_be(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    long_id = "\u00e9" * 200  # 400 bytes in UTF-8
    corpus.write_text(_rec(long_id) + "\n" + _rec("next") + "\n", encoding="utf-8")
    pages = tmp_path / "pages"
    r = runner.invoke(app, ["score", "-f", "html", "--no-models", "--out", str(pages), str(corpus)])
    assert r.exit_code == 0, r.output
    names = sorted(p.name for p in pages.iterdir())
    assert len(names) == 2 and "next.html" in names
    assert all(len(n.encode("utf-8")) <= 255 for n in names)


def test_out_dir_never_writes_through_a_link_or_into_a_fifo(tmp_path: Path) -> None:
    art = tmp_path / "article.txt"
    art.write_text(TEXT, encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    page = out / "article.html"
    page.symlink_to(elsewhere / "new.html")  # dangling: it would create a file outside
    r = runner.invoke(app, ["score", "-f", "html", "--no-models", "--out", str(out), str(art)])
    assert r.exit_code == 2
    assert r.stderr == f"rhetoric: error: {page}: is a symbolic link; not writing through it\n"
    assert not (elsewhere / "new.html").exists()
    # a link to a report elsewhere: that report is not replaced
    report = elsewhere / "kept.html"
    runner.invoke(app, ["score", "-f", "html", "--no-models", "--out", str(elsewhere), str(art)])
    (elsewhere / "article.html").rename(report)
    before = report.read_bytes()
    page.unlink()
    page.symlink_to(report)
    r = runner.invoke(app, ["score", "-f", "html", "--no-models", "--out", str(out), str(art)])
    assert r.exit_code == 2 and report.read_bytes() == before
    # a FIFO named like the page: refused at once, not waited on
    page.unlink()
    os.mkfifo(page)
    r2 = _run("score", "-f", "html", "--no-models", "--out", str(out), str(art))
    assert r2.returncode == 2
    assert r2.stderr.decode() == (
        f"rhetoric: error: {page}: exists and is not a regular file; not replacing it\n"
    )
    assert [p.name for p in out.iterdir()] == ["article.html"]  # no temporary file left


def test_batch_output_that_is_a_fifo_is_refused(tmp_path: Path) -> None:
    art = tmp_path / "a.txt"
    art.write_text(TEXT, encoding="utf-8")
    os.mkfifo(tmp_path / "r.jsonl")
    r = _run("batch", str(art), "-o", str(tmp_path / "r.jsonl"), "--no-models")
    assert r.returncode == 2
    assert b"not a regular file" in r.stderr and r.stderr.count(b"\n") == 1


# ---------------------------------------------------------------- CSV


AWKWARD = ["=1+1", "+x", "-y", "@z", "'=q", "a  b", "line\nbreak", "tab\tin", " pad "]


def test_csv_ids_are_exact_and_formulas_neutralised(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(_rec(i) + "\n" for i in AWKWARD), encoding="utf-8")
    page = tmp_path / "page.html"
    page.write_text(
        '<html><head><title>=HYPERLINK("http://x.invalid","click")</title></head><body>'
        f"<article><p>{TEXT} The council met on Tuesday to discuss it.</p></article></body></html>",
        encoding="utf-8",
    )
    out = tmp_path / "r.csv"
    result = run_batch([str(corpus), str(page)], out, opts=RULES_ONLY)
    assert result.written == len(AWKWARD) + 1
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row
    assert [csv_unescape(r["id"]) for r in rows[:-1]] == AWKWARD  # not "a b"
    assert rows[-1]["title"].startswith("'=HYPERLINK")
    again = run_batch([str(corpus), str(page)], out, resume=True, opts=RULES_ONLY)
    assert (again.written, again.skipped) == (0, len(AWKWARD) + 1)  # none written twice


def test_grade_csv_names_are_never_formulas(tmp_path: Path) -> None:
    """A student's name comes from an answer file's name (or, in the web app,
    from what the student typed): the teacher's spreadsheet must not run it."""
    article = tmp_path / "article.txt"
    article.write_text("Critics say the so-called reform is a total disaster.\n", "utf-8")
    names = ['=HYPERLINK("x.invalid","ok")', "@bob", "+1", "-2"]
    answers = []
    for name in names:
        p = tmp_path / f"{name}.txt"
        p.write_text("1 | loaded_language | total disaster\n", encoding="utf-8")
        answers.append(str(p))
    r = runner.invoke(app, ["grade", "--no-models", "-k", str(article), "-f", "csv", *answers])
    assert r.exit_code == 0, r.stderr
    rows = list(csv.DictReader(r.stdout.splitlines()))
    assert {row["student"] for row in rows} >= {"'" + n for n in names}
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row


@pytest.mark.parametrize("value", ["=x", "x", "'x", "'=x", "''=x", "-", "", "\t1"])
def test_csv_escape_round_trips(value: str) -> None:
    assert csv_unescape(csv_escape(value)) == value
    assert not csv_escape(value).startswith(("=", "+", "-", "@", "\t", "\r"))


# ---------------------------------------------------------------- line endings


def test_ignore_comment_in_a_crlf_file_silences_one_paragraph(tmp_path: Path) -> None:
    p = tmp_path / "crlf.txt"
    p.write_bytes(
        b"<!-- rhetoric: ignore -->\r\nCritics say the so-called reform is a total disaster."
        b"\r\n\r\nThe cronies slammed the total disaster, sources said.\r\n"
    )
    r = runner.invoke(app, ["score", "-f", "json", "--no-models", str(p)])
    found = {f["text"] for f in json.loads(r.stdout)["findings"]}
    assert {"cronies", "sources said"} <= found and "Critics say" not in found


def test_old_mac_line_endings_make_paragraphs_and_lines(tmp_path: Path) -> None:
    p = tmp_path / "cr.txt"
    p.write_bytes(b"Critics say it failed.\r\rThe plan may yet fail, sources said.\r")
    r = runner.invoke(app, ["score", "-f", "json", "--no-models", str(p)])
    assert len(json.loads(r.stdout)["passages"]) == 2
    r = runner.invoke(app, ["score", "-f", "lines", "--no-models", str(p)])
    assert {line.split(":")[1] for line in r.stdout.splitlines()} == {"1", "3"}


# ---------------------------------------------------------------- lexicons, configuration


def test_a_term_that_cannot_be_matched_is_refused(tmp_path: Path) -> None:
    lex = tmp_path / "lang.tsv"
    lex.write_text(
        "# category: loaded_language\nterm\tlabel\tweight\texplanation\nc++\tlang\t0.9\t\n",
        encoding="utf-8",
    )
    cfg = tmp_path / "r.toml"
    cfg.write_text('lexicons = ["lang.tsv"]\n', encoding="utf-8")
    art = tmp_path / "a.txt"
    art.write_text("I like c and c++.", encoding="utf-8")
    r = runner.invoke(app, ["score", "--config", str(cfg), str(art)])
    assert r.exit_code == 2
    assert "term 'c++': '+' cannot be matched" in r.stderr and r.stderr.count("\n") == 1


def test_a_stray_configuration_above_the_boundary_is_not_used(tmp_path: Path) -> None:
    (tmp_path / ".rhetoric.toml").write_text('categories = ["hedging"]\n', encoding="utf-8")
    deep = tmp_path / "x" / "y"
    deep.mkdir(parents=True)
    art = deep / "a.txt"
    art.write_text(TEXT, encoding="utf-8")
    # tmp_path is in no repository, not under the home or working folder
    r = runner.invoke(app, ["score", "-f", "json", "--no-models", "-v", str(art)])
    assert r.exit_code == 0, r.output
    assert {f["category"] for f in json.loads(r.stdout)["findings"]} != {"hedging"}
    assert f"no configuration file in {deep} or above it up to {deep}" in r.stderr
    (tmp_path / "x" / ".git").mkdir()  # a repository root: searched up to it, not past
    (tmp_path / "x" / ".rhetoric.toml").write_text('categories = ["attribution"]\n', "utf-8")
    r = runner.invoke(app, ["score", "-f", "json", "--no-models", "-v", str(art)])
    assert {f["category"] for f in json.loads(r.stdout)["findings"]} == {"attribution"}
    assert f"configuration {tmp_path / 'x' / '.rhetoric.toml'} (found)" in r.stderr


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_batch_with_a_wrong_text_column_does_not_start(tmp_path: Path, suffix: str) -> None:
    corpus = tmp_path / f"c{suffix}"
    if suffix == ".csv":
        corpus.write_text(f"id,body\n1,{TEXT}\n", encoding="utf-8")
        where = "column"
    else:
        corpus.write_text(json.dumps({"id": 1, "body": TEXT}) + "\n", encoding="utf-8")
        where = "field in the first record"
    r = runner.invoke(app, ["batch", str(corpus), "-o", str(tmp_path / "r.jsonl")])
    assert r.exit_code == 2
    assert r.stderr == f"rhetoric: error: {corpus}: no 'text' {where} (see --text-column)\n"
    assert not (tmp_path / "r.jsonl").exists()


# ---------------------------------------------------------------- folders


def test_unreadable_folders_fifos_and_links_are_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    d = tmp_path / "in"
    (d / "locked").mkdir(parents=True)
    (d / "locked" / "b.txt").write_text(TEXT, encoding="utf-8")
    (d / "a.txt").write_text(TEXT, encoding="utf-8")
    os.mkfifo(d / "pipe.txt")
    (d / "link").symlink_to(d / "locked")
    real = os.scandir

    def scandir(path: object = ".") -> object:  # as without the permission (tests run as root)
        if str(path) == str(d / "locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    out = tmp_path / "r.jsonl"
    result = run_batch([str(d)], out, opts=RULES_ONLY)
    assert (result.written, result.failed) == (1, 3)
    errors = {
        e["id"]: e["error"]
        for e in map(json.loads, (tmp_path / "r.errors.jsonl").read_text().splitlines())
    }
    assert errors == {
        str(d / "link"): f"{d / 'link'}: a link to a folder; not followed",
        str(d / "locked"): f"{d / 'locked'}: cannot read folder (permission denied)",
        str(d / "pipe.txt"): f"{d / 'pipe.txt'}: a FIFO, not a regular file; not read",
    }
    r = runner.invoke(app, ["score", "-f", "jsonl", "--no-models", str(d)])
    assert r.exit_code == 2 and "cannot read folder (permission denied)" in r.stderr


# ---------------------------------------------------------------- the terminal


def test_closed_pipe_with_text_output_exits_0() -> None:
    examples = sorted(str(p) for p in (ROOT / "corpora" / "examples").glob("*.txt"))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "rhetoric", "score", "--no-models", *examples * 20],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )  # fmt: skip
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline().startswith(b"rhetoric: ")
    proc.stdout.close()  # `| head -1`
    assert proc.wait(timeout=300) == 0  # rich's own handler exited 1
    assert proc.stderr.read() == b""


def test_stderr_that_cannot_be_written_keeps_the_exit_code(tmp_path: Path) -> None:
    r, w = os.pipe()
    os.close(r)  # stderr is a closed pipe
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    missing = str(tmp_path / "missing.txt")
    code = subprocess.run(
        [sys.executable, "-m", "rhetoric", "score", missing], stderr=w, env=env, timeout=300
    ).returncode
    os.close(w)
    assert code == 2  # was 0 (a broken pipe taken for stdout's) or 1


def test_control_characters_never_reach_the_terminal(tmp_path: Path) -> None:
    p = tmp_path / "esc\x1b[2J.txt"
    p.write_text(
        "Critics say \x1b]0;PWNED\x07 it is a total \x1b[31mdisaster\x9b. " + TEXT * 3, "utf-8"
    )
    for fmt in ("text", "lines"):
        r = _run("score", "-f", fmt, "--no-models", str(p))
        assert r.returncode == 0, r.stderr
        for raw in (b"\x1b", b"\x07", b"\xc2\x9b"):
            assert raw not in r.stdout and raw not in r.stderr
    assert printable("a\x1b[2Jb\r\nc\udce9") == "a\\x1b[2Jb\\r\\nc\\xe9"


def _on_a_terminal(*args: str) -> tuple[int, bytes]:
    """Run rhetoric with stdout on a pseudo-terminal; its exit code and output."""
    pty = pytest.importorskip("pty")
    leader, follower = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "rhetoric", *args],
        stdin=subprocess.DEVNULL, stdout=follower, stderr=subprocess.DEVNULL, env=env,
    )  # fmt: skip
    os.close(follower)
    out = b""
    while True:
        try:
            chunk = os.read(leader, 1 << 16)
        except OSError:  # EIO: the other end is closed
            break
        if not chunk:
            break
        out += chunk
    os.close(leader)
    return proc.wait(timeout=300), out


def test_every_output_format_is_inert_on_a_terminal(tmp_path: Path) -> None:
    """Worksheets, JSON (which leaves C1 controls as they are), HTML pages and
    comparisons printed to a terminal show an article's control characters
    instead of sending them; a file or a pipe gets the bytes unchanged."""
    p = tmp_path / "a.txt"
    p.write_text(
        "Critics say the \x1b]0;PWNED\x07so-called reform is a total disaster.\x1b[2J "
        "Sources said it may fail.\rOfficials slammed the \x9b1m plan.\n",
        encoding="utf-8",
    )
    for args in (
        ["worksheet", str(p)],
        ["score", "-f", "json", str(p)],
        ["score", "-f", "html", str(p)],
        ["compare", str(p), str(p)],
    ):
        code, out = _on_a_terminal(*args, "--no-models")
        assert code == 0, args
        assert b"PWNED" in out or args[0] == "compare", args
        for raw in (b"\x1b]", b"\x1b[2J", b"\x07", b"\xc2\x9b"):
            assert raw not in out, (args, raw)
    piped = _run("score", "-f", "html", "--no-models", str(p)).stdout
    assert b"\x1b]0;PWNED\x07" in piped  # a file gets the article as it is


def test_score_on_a_terminal_says_it_waits_for_input() -> None:
    pty = pytest.importorskip("pty")
    leader, follower = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "rhetoric", "score", "--no-models", "-f", "jsonl"],
        stdin=follower, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )  # fmt: skip
    os.close(follower)
    assert proc.stderr is not None
    line = proc.stderr.readline()  # said before anything is read
    assert line.startswith(b"rhetoric: reading the article from the terminal")
    os.write(leader, b"Critics say it failed.\n\x04")  # the text, then Ctrl-D
    out, _ = proc.communicate(timeout=300)
    os.close(leader)
    assert proc.returncode == 0 and json.loads(out)["id"] == "-"


def test_a_text_over_the_analysis_limit_is_refused_up_front(tmp_path: Path) -> None:
    p = tmp_path / "huge.txt"
    with p.open("w", encoding="utf-8") as f:
        f.write(("word " * 1000 + "\n\n") * (MAX_CHARS // 5000 + 1))
    r = runner.invoke(app, ["score", "--no-models", str(p)])
    assert r.exit_code == 2
    assert r.stderr.endswith("-character limit of one analysis; split the text\n")
    assert r.stderr.count("\n") == 1 and r.stdout == ""


def test_a_navigation_only_page_has_no_article(tmp_path: Path) -> None:
    links = "".join(
        f"<p><a href='/{i}'>Section {i}: the latest stories from our correspondents</a></p>"
        for i in range(6)
    )
    p = tmp_path / "home.html"
    p.write_text(f"<html><body><main>{links}</main></body></html>", encoding="utf-8")
    r = runner.invoke(app, ["score", "--no-models", str(p)])
    assert r.exit_code == 2
    assert r.stderr == f"rhetoric: error: {p}: no article text found in the HTML page\n"
