"""Configuration files (found by walking up) and inline suppression comments."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rhetoric.cli import app
from rhetoric.config import Analyzer, ConfigError, find_config, load_config, suppressed_ranges
from rhetoric.io.inputs import InputDoc

runner = CliRunner()

TEXT = (
    "Critics say the so-called reform is a total disaster.\n\n"
    "The minister's cronies slammed the report on Tuesday.\n\n"
    "The council will publish the figures in the spring.\n"
)
LEXICON = (
    "# family: newsroom\n"
    "# category: loaded_language\n"
    "# source: our style guide\n"
    "# explanation: Our newsroom flags this word.\n"
    "term\tlabel\tweight\texplanation\n"
    "figures\tnewsroom_term\t0.9\tA house rule: say which figures.\n"
    "spring\tnewsroom_term\t0.6\t\n"
)


def _score(path: Path, *extra: str) -> dict:
    r = runner.invoke(app, ["score", "-f", "json", *extra, str(path)])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def _texts(data: dict) -> set[str]:
    return {f["text"] for f in data["findings"]}


def test_pyproject_found_by_walking_up_and_cli_overrides(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()  # the search goes up to the repository's root, no higher
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.rhetoric]\ncategories = ["hedging"]\n', encoding="utf-8"
    )
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    art = deep / "art.txt"
    art.write_text(TEXT + "Sources said the plan may yet fail.\n", encoding="utf-8")
    assert find_config(art) == tmp_path / "pyproject.toml"
    cats = {f["category"] for f in _score(art)["findings"]}
    assert cats == {"hedging"}
    cats = {f["category"] for f in _score(art, "-c", "loaded_language")["findings"]}
    assert cats == {"loaded_language"}


def test_rhetoric_toml_wins_and_user_lexicon_and_ignore(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.rhetoric]\ncategories = ["hedging"]\n', encoding="utf-8"
    )
    (tmp_path / "terms.tsv").write_text(LEXICON, encoding="utf-8")
    (tmp_path / ".rhetoric.toml").write_text(
        'lexicons = ["terms.tsv"]\nignore = ["so-called", "Slam"]\nmin_confidence = 0.1\n',
        encoding="utf-8",
    )
    art = tmp_path / "art.txt"
    art.write_text(TEXT, encoding="utf-8")
    data = _score(art)
    found = _texts(data)
    assert "so-called" not in found and "slammed" not in found  # ignored (with inflection)
    assert "cronies" in found  # everything else as usual
    mine = [f for f in data["findings"] if f["label"] == "newsroom_term"]
    assert {f["text"] for f in mine} == {"figures", "spring"}
    by_text = {f["text"]: f for f in mine}
    assert by_text["figures"]["explanation"] == "A house rule: say which figures."
    assert by_text["spring"]["explanation"] == "Our newsroom flags this word."  # header default
    assert by_text["figures"]["detector"] == "user.newsroom"
    for f in data["findings"]:
        assert TEXT[f["start"] : f["end"]] == f["text"]
    # --config picks a file explicitly; the found one is then not used
    other = tmp_path / "other.toml"
    other.write_text('categories = ["attribution"]\n', encoding="utf-8")
    assert {f["category"] for f in _score(art, "--config", str(other))["findings"]} <= {
        "attribution"
    }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("min_confidence = 2\n", "key 'min_confidence': expected a number from 0 to 1"),
        ('categories = ["spin"]\n', "key 'categories': unknown category 'spin'"),
        ("colour = true\n", "unknown key 'colour'"),
        ('lexicons = ["missing.tsv"]\n', "key 'lexicons': cannot read"),
        ("ignore = 3\n", "key 'ignore': expected a list of strings"),
        ("min_confidence = \n", "invalid TOML"),
    ],
)
def test_bad_configuration_names_file_and_key(tmp_path: Path, content: str, message: str) -> None:
    cfg = tmp_path / ".rhetoric.toml"
    cfg.write_text(content, encoding="utf-8")
    art = tmp_path / "art.txt"
    art.write_text(TEXT, encoding="utf-8")
    out = str(tmp_path / "r.jsonl")
    for cmd in (["score", "-f", "json", str(art)], ["batch", str(art), "-o", out]):
        r = runner.invoke(app, cmd)
        assert r.exit_code == 2, (cmd, r.output)
        err = r.stderr.strip().splitlines()
        assert len(err) == 1 and str(cfg) in err[0] and message in err[0], err
        assert "Traceback" not in r.output


def test_pyproject_key_names_the_table(tmp_path: Path) -> None:
    cfg = tmp_path / "pyproject.toml"
    cfg.write_text("[tool.rhetoric]\nmodels = 'no'\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"pyproject.toml: key 'tool.rhetoric.models'"):
        load_config(cfg)
    (tmp_path / "bad.tsv").write_text("term\tlabel\tweight\texplanation\nx\ty\t0.5\t\n")
    cfg.write_text("[tool.rhetoric]\nlexicons = ['bad.tsv']\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="needs a '# category:' header"):
        load_config(cfg)


def test_inline_suppression_filters_findings_and_keeps_offsets() -> None:
    text = (
        "Critics say the so-called reform is a total disaster.\n\n"
        "<!-- rhetoric: ignore -->\n"
        "The minister's cronies slammed the smoking gun report.\n\n"
        "Sources close to the cabinet said the plan is a fiasco. <!-- rhetoric: ignore-line -->\n"
        "The opposition called it a shameful farce.\n\n"
        "<!-- rhetoric: off -->\nA vile, disgraceful sham.\n\nAnother outrageous stunt.\n"
        "<!-- rhetoric: on -->\nThe so-called review was a whitewash.\n"
    )
    plain = Analyzer().analyze(InputDoc("t", text.replace("rhetoric:", "rhetorix:")))
    quiet = Analyzer().analyze(InputDoc("t", text))
    loud = {f.text for f in plain.findings}
    kept = {f.text for f in quiet.findings}
    assert {"cronies", "fiasco", "disgraceful", "outrageous"} <= loud
    assert not kept & {"cronies", "slammed", "smoking gun", "fiasco", "disgraceful", "outrageous"}
    assert {"so-called", "shameful", "whitewash"} <= kept  # outside the silenced parts
    for f in quiet.findings:
        assert text[f.start : f.end] == f.text
    # the unsuppressed findings are exactly those of the plain run outside the ranges
    ranges = suppressed_ranges(text)
    expected = [
        (f.start, f.end, f.label)
        for f in plain.findings
        if not any(s <= f.start < e for s, e in ranges)
    ]
    assert [(f.start, f.end, f.label) for f in quiet.findings] == expected
    assert quiet.scores["overall"] <= plain.scores["overall"]
    assert any("suppressed" in n for n in quiet.notes)


def test_classroom_commands_use_the_class_configuration(tmp_path: Path) -> None:
    # a teacher's lexicon and ignores apply to worksheets, comparisons and
    # article keys exactly as to `rhetoric score`
    from typer.testing import CliRunner

    from rhetoric.cli import app

    runner = CliRunner()
    (tmp_path / "terms.tsv").write_text(LEXICON, encoding="utf-8")
    (tmp_path / ".rhetoric.toml").write_text(
        'lexicons = ["terms.tsv"]\nignore = ["so-called"]\n', encoding="utf-8"
    )
    art = tmp_path / "art.txt"
    art.write_text(TEXT, encoding="utf-8")
    r = runner.invoke(app, ["worksheet", str(art), "--answer-key", "--no-models"])
    assert r.exit_code == 0, r.output
    assert "\u27e6figures\u27e7" in r.stdout  # the class term is in the key
    assert "\u27e6so-called" not in r.stdout  # the ignored term is not
    r = runner.invoke(app, ["compare", str(art), str(art), "--no-models"])
    assert r.exit_code == 0 and "figures" in r.stdout
    answers = tmp_path / "student.txt"
    answers.write_text("3 | loaded | figures\n", encoding="utf-8")
    r = runner.invoke(
        app, ["grade", str(answers), "--key", str(art), "--format", "json", "--no-models"]
    )
    assert r.exit_code == 0, r.output
    import json

    student = json.loads(r.stdout)["students"][0]
    assert student["scores"]["loaded_language"]["found"] == 1  # the class term is in the key
    # a broken configuration is one line and exit 2, for every classroom command
    (tmp_path / ".rhetoric.toml").write_text("min_confidence = 2\n", encoding="utf-8")
    for args in (["worksheet", str(art)], ["compare", str(art), str(art)]):
        r = runner.invoke(app, args)
        assert r.exit_code == 2 and "min_confidence" in r.output and "Traceback" not in r.output
    r = runner.invoke(app, ["grade", str(answers), "--key", str(art)])
    assert r.exit_code == 2 and "min_confidence" in r.output
