"""Trained detector: BABE biased wording, the words the word tagger points to
in sentences the sentence model finds biased.

It stays silent when the installation carries no model files."""

from __future__ import annotations

from ..core.document import Document
from ..core.report import Finding
from .base import FunctionDetector, finding

__all__ = ["BIAS_DETECTOR", "DETECTORS"]

BIAS_DETECTOR = "bias_model"

_BIAS_EXPLANATION = (
    "Wording that expert annotators of news (the BABE corpus) mark as biased: it "
    "takes a side instead of describing. Confidence is the model's probability "
    "that the sentence is biased; this word is what the word tagger points to."
)


def _bias(doc: Document) -> list[Finding]:
    from ..models.bias import bias_findings
    from ..models.store import load_bundle

    bundle = load_bundle("babe")
    if not bundle:
        return []
    return [
        finding(
            doc,
            b.start,
            b.end,
            "loaded_language",
            "biased_wording",
            b.confidence,
            BIAS_DETECTOR,
            _BIAS_EXPLANATION,
        )
        for b in bias_findings(doc, bundle)
    ]


DETECTORS = (FunctionDetector(BIAS_DETECTOR, "loaded_language", _bias, trained=True),)
