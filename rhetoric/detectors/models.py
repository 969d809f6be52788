"""Trained-model detectors: PTC propaganda spans (split by technique into the
loaded_language and propaganda categories) and BABE biased wording.

They stay silent when the installation carries no model files. Their findings
meet the lexicon findings in ``analyze.resolve_overlaps`` (see its policy).
"""

from __future__ import annotations

from collections.abc import Callable

from ..core.document import Document, Span
from ..core.glossary import load_glossary
from ..core.report import Finding
from .base import FunctionDetector, finding

__all__ = ["DETECTORS", "MODEL_DETECTORS"]

PTC_LOADED = "ptc_model.loaded_language"
PTC_PROPAGANDA = "ptc_model.propaganda"
BIAS_DETECTOR = "bias_model"
MODEL_DETECTORS = frozenset({PTC_LOADED, PTC_PROPAGANDA, BIAS_DETECTOR})
# Model spans below this calibrated confidence are left out of reports (they
# are still printed by ``rhetoric ptc predict``, where recall matters).
REPORT_FLOOR = 0.15
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
            and p.confidence >= REPORT_FLOOR
            and any(is_content_word(w.norm) for w in doc.words_in(Span(p.start, p.end)))
        ]

    return detect


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


DETECTORS = (
    FunctionDetector(PTC_LOADED, "loaded_language", _ptc("loaded_language", PTC_LOADED)),
    FunctionDetector(PTC_PROPAGANDA, "propaganda", _ptc("propaganda", PTC_PROPAGANDA)),
    FunctionDetector(BIAS_DETECTOR, "loaded_language", _bias),
)
