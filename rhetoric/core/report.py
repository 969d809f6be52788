"""Findings, attributions and the report: the JSON contract (see docs/schema.md).

``SCHEMA_VERSION`` is 1. Later versions may add fields; they never rename or
remove the ones here, because tools and classroom checks read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "ATTRIBUTION_KINDS",
    "CATEGORIES",
    "SCHEMA_VERSION",
    "Attribution",
    "Finding",
    "Passage",
    "Report",
    "SentenceScore",
    "SpanText",
    "report_from_dict",
]

SCHEMA_VERSION = 1
CATEGORIES: tuple[str, ...] = ("loaded_language", "hedging", "attribution", "propaganda")
ATTRIBUTION_KINDS: tuple[str, ...] = ("named", "anonymous", "vague", "self", "unattributed")


@dataclass(frozen=True, slots=True)
class Finding:
    """One flagged span. ``text == document.text[start:end]`` always."""

    start: int
    end: int
    text: str
    category: str
    label: str
    confidence: float
    detector: str
    explanation: str
    # Added in schema 1 without breaking it: whose words the finding is on.
    # ``voice`` is "author" (the writer's) or "quoted" (inside a direct
    # quotation); ``attribution`` indexes the report's attributions (the quote's
    # source, or for an author finding inside reported speech the source whose
    # claim the writer paraphrases); ``speaker`` is that source's text.
    voice: str = "author"
    attribution: int | None = None
    speaker: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "category": self.category,
            "label": self.label,
            "confidence": round(self.confidence, 3),
            "detector": self.detector,
            "explanation": self.explanation,
            "voice": self.voice,
            "attribution": self.attribution,
            "speaker": self.speaker,
        }


@dataclass(frozen=True, slots=True)
class SpanText:
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who said what: the cue ("said", "according to"), its source and content."""

    cue: SpanText
    source: SpanText | None
    content: SpanText | None
    kind: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "cue": self.cue.to_dict(),
            "source": self.source.to_dict() if self.source else None,
            "content": (
                {"start": self.content.start, "end": self.content.end} if self.content else None
            ),
            "kind": self.kind,
        }


@dataclass(frozen=True, slots=True)
class Passage:
    """A paragraph with its scores (overall and per category)."""

    start: int
    end: int
    score: int
    scores: dict[str, int]
    words: int
    findings: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "score": self.score,
            "scores": dict(self.scores),
            "words": self.words,
            "findings": self.findings,
        }


@dataclass(frozen=True, slots=True)
class SentenceScore:
    """Sentence-level model probabilities (added in schema 1 without breaking
    it): ``propaganda`` from the PTC models, ``bias`` from the BABE model,
    ``uncertainty`` from the hedging models; None when the model is not installed or was not run."""

    start: int
    end: int
    propaganda: float | None
    bias: float | None
    uncertainty: float | None = None  # P(uncertain) from the hedging models
    opinion: float | None = None  # P(voices an opinion), the BABE opinion model

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "propaganda": None if self.propaganda is None else round(self.propaganda, 3),
            "bias": None if self.bias is None else round(self.bias, 3),
            "uncertainty": None if self.uncertainty is None else round(self.uncertainty, 3),
            "opinion": None if self.opinion is None else round(self.opinion, 3),
        }


@dataclass
class Report:
    """Everything a renderer needs; renderers read nothing else."""

    id: str
    text: str
    scores: dict[str, int]
    findings: list[Finding]
    passages: list[Passage]
    attributions: list[Attribution]
    readability: dict[str, float]
    notes: list[str] = field(default_factory=list)
    words: int = 0
    sentences: int = 0
    sentence_scores: list[SentenceScore] = field(default_factory=list)
    # Added in schema 1 without breaking it: who the article lets speak
    # (``sourcing.sourcing_profile``; see docs/schema.md).
    sourcing: dict[str, Any] = field(default_factory=dict)
    # Added in schema 1 without breaking it: where the text came from (title,
    # author, date, url of a web page) and whether it was extracted from HTML,
    # in which case the offsets refer to the extracted text and ``to_dict``
    # carries it as ``text``.
    metadata: dict[str, str] = field(default_factory=dict)
    extracted: bool = False
    # Added in schema 1 without breaking it: the scores of the rhetoric inside
    # quotations (``scores`` are the writer's own), and the page-furniture
    # lines left out of the analysis ({start, end, kind}).
    quoted: dict[str, Any] = field(default_factory=dict)
    boilerplate: list[dict[str, Any]] = field(default_factory=list)
    # Added in schema 1 without breaking it: the overall score explained, one
    # entry per evidence term ({evidence, weight, share}; see docs/scoring.md).
    evidence: dict[str, Any] = field(default_factory=dict)

    def to_dict(self, include_text: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "id": self.id,
            "scores": dict(self.scores),
            "findings": [f.to_dict() for f in self.findings],
            "passages": [p.to_dict() for p in self.passages],
            "attributions": [a.to_dict() for a in self.attributions],
            "readability": dict(self.readability),
            "stats": {
                "words": self.words,
                "sentences": self.sentences,
                "paragraphs": len(self.passages),
            },
            "notes": list(self.notes),
            "sentence_scores": [s.to_dict() for s in self.sentence_scores],
            "sourcing": dict(self.sourcing),
            "metadata": dict(self.metadata),
            "quoted": dict(self.quoted),
            "boilerplate": [dict(b) for b in self.boilerplate],
            "evidence": dict(self.evidence),
        }
        if include_text or self.extracted:
            out["text"] = self.text
        return out


def _span(d: dict[str, Any] | None, text: str) -> SpanText | None:
    if d is None:
        return None
    return SpanText(d["start"], d["end"], d.get("text", text[d["start"] : d["end"]]))


def report_from_dict(d: dict[str, Any], text: str | None = None, extracted: bool = False) -> Report:
    """The inverse of :meth:`Report.to_dict` (``text`` when the dict has none),
    so a stored JSON report can be rendered again without analysing anew.
    Confidences come back rounded to three places, as the JSON has them."""
    body: str = d["text"] if text is None else text
    stats = d.get("stats", {})
    attributions = []
    for a in d.get("attributions", []):
        cue = _span(a["cue"], body)
        assert cue is not None
        attributions.append(
            Attribution(cue, _span(a.get("source"), body), _span(a.get("content"), body), a["kind"])
        )
    return Report(
        id=d["id"],
        text=body,
        scores=dict(d["scores"]),
        findings=[
            Finding(
                f["start"],
                f["end"],
                f["text"],
                f["category"],
                f["label"],
                f["confidence"],
                f["detector"],
                f["explanation"],
                f.get("voice", "author"),
                f.get("attribution"),
                f.get("speaker"),
            )
            for f in d["findings"]
        ],
        passages=[
            Passage(p["start"], p["end"], p["score"], dict(p["scores"]), p["words"], p["findings"])
            for p in d["passages"]
        ],
        attributions=attributions,
        readability=dict(d.get("readability", {})),
        notes=list(d.get("notes", [])),
        words=stats.get("words", 0),
        sentences=stats.get("sentences", 0),
        sentence_scores=[
            SentenceScore(
                s["start"],
                s["end"],
                s.get("propaganda"),
                s.get("bias"),
                s.get("uncertainty"),
                s.get("opinion"),
            )
            for s in d.get("sentence_scores", [])
        ],
        sourcing=dict(d.get("sourcing", {})),
        metadata=dict(d.get("metadata", {})),
        extracted=extracted,
        quoted=dict(d.get("quoted", {})),
        boilerplate=[dict(b) for b in d.get("boilerplate", [])],
        evidence=dict(d.get("evidence", {})),
    )
