"""``ignore_labels`` is checked against the labels the detectors give: a typo
is a one-line configuration error (exit 2), never a setting that silently does
nothing. Every text here is our own."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rhetoric.cli import app
from rhetoric.config import Analyzer, ConfigError, Options, builtin_labels, load_config
from rhetoric.io.inputs import InputDoc

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]

ARTICLE = (
    "Critics say the so-called reform is a total disaster, and the minister's "
    "cronies slammed the report.\n\n"
    "Sources close to the cabinet said the plan may yet collapse.\n"
)
LEXICON = (
    "# family: newsroom\n"
    "# category: loaded_language\n"
    "# source: our style guide\n"
    "# explanation: Our newsroom flags this word.\n"
    "term\tlabel\tweight\texplanation\n"
    "plan\tnewsroom_term\t0.9\t\n"
)


def _choices() -> str:
    return ", ".join(repr(x) for x in sorted(builtin_labels(), key=str.lower))


def _findings(cfg: Path | None) -> list[tuple[str, str]]:
    options = Options(models=False, config=str(cfg) if cfg else None, search=False)
    report = Analyzer(options).analyze(InputDoc("a", ARTICLE))
    return [(f.text, f.label) for f in report.findings]


def test_ignore_labels_drops_exactly_those_labels(tmp_path: Path) -> None:
    assert _findings(None) == [
        ("Critics say", "vague_attribution"),
        ("so-called", "so_called"),
        ("total disaster", "exaggeration"),
        ("cronies", "emotive"),
        ("slammed", "emotive"),
        ("Sources close to the cabinet said", "anonymous_source"),
        ("may yet", "epistemic_modal"),
    ]
    cfg = tmp_path / ".rhetoric.toml"
    cfg.write_text('ignore_labels = ["emotive", "so_called"]\nmodels = false\n', encoding="utf-8")
    assert load_config(cfg).ignore_labels == ("emotive", "so_called")
    assert _findings(cfg) == [
        ("Critics say", "vague_attribution"),
        ("total disaster", "exaggeration"),
        ("Sources close to the cabinet said", "anonymous_source"),
        ("may yet", "epistemic_modal"),
    ]


def test_a_user_lexicon_label_is_accepted_wherever_the_key_is(tmp_path: Path) -> None:
    (tmp_path / "terms.tsv").write_text(LEXICON, encoding="utf-8")
    cfg = tmp_path / ".rhetoric.toml"
    # ignore_labels before lexicons in the file: the lexicon's labels still count
    cfg.write_text(
        'ignore_labels = ["newsroom_term"]\nlexicons = ["terms.tsv"]\n', encoding="utf-8"
    )
    assert load_config(cfg).ignore_labels == ("newsroom_term",)
    assert ("plan", "newsroom_term") not in _findings(cfg)
    cfg.write_text('lexicons = ["terms.tsv"]\n', encoding="utf-8")
    assert ("plan", "newsroom_term") in _findings(cfg)
    # a label from a lexicon this configuration does not load is unknown
    cfg.write_text('ignore_labels = ["newsroom_term"]\n', encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        load_config(cfg)
    assert str(e.value) == (
        f"{cfg}: key 'ignore_labels': unknown label 'newsroom_term'; choose from {_choices()}"
    )


@pytest.mark.parametrize(
    ("label", "hint"),
    [
        ("emotiv", " (did you mean 'emotive'?)"),
        ("repetition", " (did you mean 'Repetition'?)"),  # labels are case-sensitive
        ("subjective", " (loaded_language.subjective findings are labelled 'emotive')"),
        ("subjectve", " (loaded_language.subjective findings are labelled 'emotive')"),
        (
            "metaphor",
            " (loaded_language.metaphor findings are labelled 'crime_metaphor' or 'war_metaphor')",
        ),
        ("hedging", " ('hedging' is a category: leave it out of 'categories' instead)"),
        ("xyzzy", ""),
    ],
)
def test_unknown_label_names_file_key_and_choices(tmp_path: Path, label: str, hint: str) -> None:
    cfg = tmp_path / ".rhetoric.toml"
    cfg.write_text(f'ignore_labels = ["so_called", "{label}"]\n', encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        load_config(cfg)
    assert str(e.value) == (
        f"{cfg}: key 'ignore_labels': unknown label {label!r}{hint}; choose from {_choices()}"
    )


@pytest.mark.parametrize("command", ["score", "batch"])
def test_cli_unknown_label_is_one_line_and_exit_2(tmp_path: Path, command: str) -> None:
    cfg = tmp_path / "pyproject.toml"
    cfg.write_text(
        '[project]\nname = "x"\n\n[tool.rhetoric]\nignore_labels = ["subjectve"]\n',
        encoding="utf-8",
    )
    art = tmp_path / "article.txt"
    art.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    args = ["score", "-f", "json", str(art)] if command == "score" else ["batch", str(art)]
    r = runner.invoke(app, args + (["-o", str(out)] if command == "batch" else []))
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output
    assert r.stderr.strip().splitlines() == [
        f"rhetoric: error: {cfg}: key 'tool.rhetoric.ignore_labels': unknown label "
        f"'subjectve' (loaded_language.subjective findings are labelled 'emotive'); "
        f"choose from {_choices()}"
    ]
    assert r.stdout == ""


def test_cli_valid_ignore_labels_filters_the_report(tmp_path: Path) -> None:
    (tmp_path / ".rhetoric.toml").write_text(
        'ignore_labels = ["anonymous_source"]\nmodels = false\n', encoding="utf-8"
    )
    art = tmp_path / "article.txt"
    art.write_text(ARTICLE, encoding="utf-8")
    r = runner.invoke(app, ["score", "-f", "json", str(art)])
    assert r.exit_code == 0, r.output
    labels = [f["label"] for f in json.loads(r.stdout)["findings"]]
    assert labels == [
        "vague_attribution",
        "so_called",
        "exaggeration",
        "emotive",
        "emotive",
        "epistemic_modal",
    ]


def test_builtin_labels_cover_what_the_detectors_give() -> None:
    """Drift guard: every label the shipped detectors and models give on the
    project's corpus is one ``ignore_labels`` accepts, and the code's own
    labels (scare quotes, repetition, the BABE model) are there."""
    known = builtin_labels()
    analyzer = Analyzer(Options(search=False))  # the models too, when installed
    seen: set[str] = set()
    for path in ("passages.jsonl", "passages_heldout.jsonl"):
        for line in (ROOT / "corpora" / path).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            seen.update(
                f.label for f in analyzer.analyze(InputDoc(row["id"], row["text"])).findings
            )
    assert seen and seen <= known, sorted(seen - known)
    assert {"scare_quotes", "Repetition", "biased_wording", "unsupported_claim", "weasel"} <= known
    # categories are not labels (the glossary lists them alongside)
    assert not known & {"loaded_language", "hedging", "attribution", "propaganda"}


def test_labels_are_not_worked_out_at_import() -> None:
    code = (
        "import rhetoric.cli, rhetoric.config as c\n"
        "assert c.builtin_labels.cache_info().currsize == 0\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
