"""Trained detector: PTC propaganda spans, split by technique into the
loaded_language and propaganda categories.

It stays silent when the installation carries no model files. Its findings
meet the lexicon findings in ``pipeline.overlap.resolve_overlaps`` (see its
policy).
"""

from __future__ import annotations

from collections.abc import Callable

from ..core.document import Document, Span
from ..core.glossary import load_glossary
from ..core.report import Finding
from .base import MODEL_REPORT_FLOOR, FunctionDetector, finding

__all__ = ["DETECTORS", "PTC_LOADED", "PTC_PROPAGANDA"]

PTC_LOADED = "ptc_model.loaded_language"
PTC_PROPAGANDA = "ptc_model.propaganda"
# Cross-check: a PTC span in a sentence the BABE model finds clearly unbiased
# (P(bias) below VETO_BIAS) is capped at VETO_CAP, i.e. shown as "worth a look"
# rather than flagged. The PTC model, trained on propaganda-dense articles,
# flags 30% of BABE's neutral sentences at >= 0.5; the veto halves that (see
# docs/models.md for the measurement).
VETO_BIAS = 0.35
VETO_CAP = 0.45


def _explain(label: str) -> str:
    e = load_glossary().get(label, {})
    text = " ".join(x for x in (e.get("definition", ""), e.get("why", "")) if x)
    return (
        f"{text} Found by the propaganda-span model trained on the SemEval-2020 "
        "Propaganda Techniques Corpus; confidence is its calibrated probability."
    ).strip()


def _ptc(category: str, name: str) -> Callable[[Document], list[Finding]]:
    def detect(doc: Document) -> list[Finding]:
        from ..core.labels import category_of
        from ..models.bias import sentence_bias
        from ..models.features import is_content_word
        from ..models.ptc import PredictedSpan, predict_spans
        from ..models.store import load_bundle

        bundle = load_bundle("ptc")
        if not bundle:
            return []
        babe = load_bundle("babe")
        bias = sentence_bias(doc, babe["sentence"]) if babe else None

        def conf(p: PredictedSpan) -> float:
            if bias is not None and bias[doc.sentence_index(p.start)] < VETO_BIAS:
                return min(p.confidence, VETO_CAP)
            return p.confidence

        return [
            finding(
                doc,
                p.start,
                p.end,
                category,
                p.technique,
                conf(p),
                name,
                _explain(p.technique),
            )
            for p in predict_spans(doc, bundle)
            if category_of(p.technique) == category
            and p.confidence >= MODEL_REPORT_FLOOR
            and any(is_content_word(w.norm) for w in doc.words_in(Span(p.start, p.end)))
        ]

    return detect


DETECTORS = (
    FunctionDetector(
        PTC_LOADED, "loaded_language", _ptc("loaded_language", PTC_LOADED), trained=True
    ),
    FunctionDetector(
        PTC_PROPAGANDA, "propaganda", _ptc("propaganda", PTC_PROPAGANDA), trained=True
    ),
)
