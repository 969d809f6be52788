"""Every report on our examples and passages, byte for byte (tests/golden/).

A failure means the output changed: if that was intended, run
`python -m tests.golden` and let the diff show in review."""

from __future__ import annotations

import pytest

from . import golden

EXPECTED = golden.files(golden.GOLDEN)


@pytest.fixture(scope="module")
def produced(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    dest = tmp_path_factory.mktemp("golden")
    golden.render_all(dest)
    return golden.files(dest)


def test_golden_reports_exist() -> None:
    assert len(EXPECTED) > 12, "run `python -m tests.golden` to create tests/golden/"


def test_same_files(produced: dict[str, bytes]) -> None:
    assert sorted(produced) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_golden_report(name: str, produced: dict[str, bytes]) -> None:
    got, want = produced.get(name), EXPECTED[name]
    if got != want:
        line = _first_difference(got or b"", want)
        pytest.fail(
            f"tests/golden/{name} differs from this code's output at line {line}; "
            "if the change is intended, run `python -m tests.golden` and review the diff"
        )


def _first_difference(got: bytes, want: bytes) -> int:
    for i, (a, b) in enumerate(zip(got.splitlines(), want.splitlines(), strict=False), 1):
        if a != b:
            return i
    return min(len(got.splitlines()), len(want.splitlines())) + 1
