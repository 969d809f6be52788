"""Fill each glossary entry's example from the project's own corpus.

    python tools/glossary_examples.py   # rewrites rhetoric/data/glossary.json

For every label, the first annotated span in ``corpora/passages.jsonl`` (dev
split first) is taken with its sentence, the phrase marked with [brackets].
The corpus is our own writing, so copying from it is allowed; the test suite
checks every example still matches the corpus.
"""

from __future__ import annotations

import json
from pathlib import Path

from rhetoric.core.document import Document

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "rhetoric" / "data" / "glossary.json"
CORPUS = ROOT / "corpora" / "passages.jsonl"
# Labels our annotators fold into a neighbour (PTC names used by the models, and
# scare quotes, which the corpus marks as so_called).
ALIASES = {
    "Loaded_Language": "emotive",
    "Name_Calling,Labeling": "name_calling",
    "Exaggeration,Minimisation": "exaggeration",
    "scare_quotes": "so_called",
}


def example_for(record: dict, span: dict) -> str:
    doc = Document(record["text"])
    s = doc.sentences[doc.sentence_index(span["start"])]
    text = record["text"]
    start, end = span["start"], span["end"]
    lo, hi = min(s.start, start), max(s.end, end)
    return " ".join((text[lo:start] + "[" + text[start:end] + "]" + text[end:hi]).split())


def main() -> None:
    data = json.loads(GLOSSARY.read_text(encoding="utf-8"))
    records = [json.loads(x) for x in CORPUS.read_text(encoding="utf-8").splitlines() if x.strip()]
    records.sort(key=lambda r: r.get("split") != "dev")
    for label, entry in data["entries"].items():
        entry["example"] = None
        for rec in records:
            want = ALIASES.get(label, label)
            spans = [
                s
                for s in rec["spans"]
                if s["label"] == want
                or (entry["category"] == "category" and s["category"] == label)
            ]
            if spans:
                entry["example"] = {"corpus_id": rec["id"], "text": example_for(rec, spans[0])}
                break
    GLOSSARY.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
