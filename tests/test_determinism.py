"""Reports and every model probability are the same in any process: nothing
on the scoring path may depend on ``PYTHONHASHSEED`` (a set's order did: the
lexicon families of a word were iterated as a frozenset, which moved 0.7% of
the probabilities in the last bit between two processes)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# full-precision outputs of every shipped model on our own passages, and the
# report as JSON
_SCRIPT = r"""
import json, sys
from rhetoric.core.document import Document
from rhetoric.models.apply import sentence_probabilities, word_probabilities
from rhetoric.models.store import MODEL_FILES, load_bundle
from rhetoric.models.linear import LinearModel
from rhetoric.pipeline.analyze import analyze
text = sys.stdin.read()
doc = Document(text)
out = []
for bundle in sorted(MODEL_FILES):
    models = load_bundle(bundle) or {}
    for role in sorted(models):
        m = models[role]
        if isinstance(m, LinearModel):
            words = word_probabilities(doc, m) if m.scales is None else []
            out.append([bundle, role, [*map(repr, words)],
                        [*map(repr, sentence_probabilities(doc, m))]])
print(json.dumps(out))
print(json.dumps(analyze(text).to_dict(), sort_keys=True))
"""


def _run(seed: str, text: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-c", _SCRIPT],
        input=text,
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=300,
    )
    return proc.stdout


def test_two_hash_seeds_give_the_same_bytes() -> None:
    rows = (ROOT / "corpora" / "passages.jsonl").read_text(encoding="utf-8").splitlines()
    text = "\n\n".join(json.loads(r)["text"] for r in rows[:40])
    first, second = _run("1", text), _run("2", text)
    assert first.count("\n") == 2 and len(first) > 100_000
    assert first == second
