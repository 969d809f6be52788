"""Real-news corpora for calibrating and measuring on news, not on our own
passages: BASIL (mainstream articles with phrase-level bias spans, each
marked quote or not), the SemEval-2019 hyperpartisan by-article set
(article-level labels), and our blind audits of findings on such articles.

Every reader here also knows the project's **final split**: a fixed part of
each corpus that no tuning, training or model selection ever reads, kept for
the last, untouched check (a hash of the id, so it never moves):

* hyperpartisan: articles whose ``sha1(id) % 10 == 0`` (49 of 645);
* BASIL: events whose ``sha1(triplet-uuid) % 5 == 0`` (6 of 50 events, 18 articles);
* PolNeAR: the whole dev split (the taggers train on train).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .inputs import jsonl_objects

__all__ = [
    "AuditItem",
    "BasilArticle",
    "BasilSpan",
    "NewsArticle",
    "in_final_split",
    "read_audits",
    "read_basil",
    "read_hyperpartisan",
    "read_news_pool",
]


def _h(key: str, m: int) -> int:
    return int(hashlib.sha1(key.encode("utf-8")).hexdigest(), 16) % m


def in_final_split(corpus: str, key: str) -> bool:
    """Whether ``key`` (a hyperpartisan id, a BASIL triplet uuid, a PolNeAR
    split name) belongs to the final split of ``corpus``."""
    if corpus == "hyperpartisan":
        return _h(key, 10) == 0
    if corpus == "basil":
        return _h(key, 5) == 0
    if corpus == "polnear":
        return key == "dev"
    raise ValueError(f"unknown corpus {corpus!r}")


@dataclass(frozen=True, slots=True)
class BasilSpan:
    """A BASIL phrase annotation in the article's text: ``bias`` is "lex"
    (lexical: the wording) or "inf" (informational: what is told);
    ``quote`` whether the span is a quotation, ``speaker`` whose."""

    start: int
    end: int
    bias: str
    quote: bool
    speaker: str
    polarity: str


@dataclass
class NewsArticle:
    """An article of a news pool: ``id`` is "<pool>/<name>"; ``label`` the
    hyperpartisan label where there is one; ``final`` its final-split flag."""

    id: str
    text: str
    title: str = ""
    label: bool | None = None
    final: bool = False
    source: str = ""


@dataclass
class BasilArticle(NewsArticle):
    event: str = ""
    spans: list[BasilSpan] = field(default_factory=list)


def read_basil(root: str | Path) -> list[BasilArticle]:
    """BASIL's articles with their spans, as one text each: a paragraph's
    sentences joined by a space, paragraphs by a blank line (the annotations'
    offsets are per sentence; they are moved into that text)."""
    root = Path(root)
    out = []
    for path in sorted(root.glob("articles/*/*.json")):
        d = json.loads(path.read_text(encoding="utf-8"))
        ann_path = root / "annotations" / path.parent.name / f"{path.stem}_ann.json"
        ann = json.loads(ann_path.read_text(encoding="utf-8")) if ann_path.is_file() else {}
        sentences: list[tuple[int, str]] = []
        parts: list[str] = []
        pos = 0
        for pi, para in enumerate(d.get("body-paragraphs", [])):
            if pi:
                parts.append("\n\n")
                pos += 2
            for si, sent in enumerate(para):
                if si:
                    parts.append(" ")
                    pos += 1
                sentences.append((pos, sent))
                parts.append(sent)
                pos += len(sent)
        spans = []
        for a in ann.get("phrase-level-annotations", []):
            for off, sent in sentences:
                if sent[a["start"] : a["end"]] == a["txt"]:
                    spans.append(
                        BasilSpan(
                            off + a["start"],
                            off + a["end"],
                            a.get("bias", ""),
                            a.get("quote") == "yes",
                            a.get("speaker", ""),
                            a.get("polarity", ""),
                        )
                    )
                    break
        event = d.get("triplet-uuid", path.stem)
        out.append(
            BasilArticle(
                id=f"basil/{path.stem}",
                text="".join(parts),
                title=d.get("title", ""),
                final=in_final_split("basil", event),
                source=str(d.get("source", "")).lower(),
                event=event,
                spans=sorted(spans, key=lambda s: (s.start, s.end)),
            )
        )
    return out


def read_hyperpartisan(path: str | Path) -> list[NewsArticle]:
    """The by-article JSONL (``id``, ``title``, ``text``, ``hyperpartisan``)."""
    out = []
    with open(path, encoding="utf-8") as f:
        for _, r in jsonl_objects(f, str(path)):
            out.append(
                NewsArticle(
                    id=f"hp/{r['id']}",
                    text=r["text"],
                    title=r.get("title", ""),
                    label=bool(r["hyperpartisan"]),
                    final=in_final_split("hyperpartisan", str(r["id"])),
                )
            )
    return out


def _polnear(root: Path, split: str) -> Iterator[NewsArticle]:
    for p in sorted((root / split / "text").glob("*.txt")):
        yield NewsArticle(
            id=f"polnear-{split}/{p.stem}",
            text=p.read_text(encoding="utf-8"),
            final=in_final_split("polnear", split),
        )


def read_news_pool(data: str | Path) -> dict[str, NewsArticle]:
    """Every article of the news pools under ``data`` (the ../shared/data
    layout) by id: hyperpartisan, BASIL and PolNeAR train and dev. Pools
    whose folder is missing are skipped."""
    data = Path(data)
    out: dict[str, NewsArticle] = {}
    hp = data / "hyperpartisan" / "byarticle_train.jsonl"
    if hp.is_file():
        out.update((a.id, a) for a in read_hyperpartisan(hp))
    if (data / "basil").is_dir():
        out.update((a.id, a) for a in read_basil(data / "basil"))
    for split in ("train", "dev"):
        if (data / "polnear" / split / "text").is_dir():
            out.update((a.id, a) for a in _polnear(data / "polnear", split))
    return out


@dataclass(frozen=True, slots=True)
class AuditItem:
    """One blind judgment of a finding on a news article: the article id,
    the span, the finding's category, label and detector when judged, and
    the share of judges who agreed with it (0-1)."""

    article: str
    start: int
    end: int
    category: str
    label: str
    detector: str
    agree: float
    round: str


def read_audits(path: str | Path) -> list[AuditItem]:
    """Audit judgments (``corpora/audits/*.jsonl``: offsets and labels only,
    never the articles' text)."""
    out = []
    with open(path, encoding="utf-8") as f:
        for _, r in jsonl_objects(f, str(path)):
            out.append(
                AuditItem(
                    r["article"],
                    r["start"],
                    r["end"],
                    r["category"],
                    r["label"],
                    r["detector"],
                    float(r["agree"]),
                    r.get("round", ""),
                )
            )
    return out
