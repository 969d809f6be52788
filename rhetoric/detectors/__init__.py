"""The detectors, declared in one explicit tuple (no registry, no import-time work).

Adding a detector is one module (or one lexicon file plus a ``LexiconDetector``
line), one entry in ``DEFAULT_DETECTORS``, and rows in ``tests/examples.tsv``.
"""

from __future__ import annotations

from . import attribution, hedging, hedging_model, loaded_language, models, propaganda
from .base import Detector, FunctionDetector, LexiconDetector

__all__ = [
    "DEFAULT_DETECTORS",
    "MODEL_DETECTORS",
    "RULE_DETECTORS",
    "Detector",
    "FunctionDetector",
    "LexiconDetector",
]

RULE_DETECTORS: tuple[Detector, ...] = (
    *loaded_language.DETECTORS,
    *hedging.DETECTORS,
    *attribution.DETECTORS,
    *propaganda.DETECTORS,
)
# Names of the trained-model detectors (their findings merge into rule findings).
MODEL_DETECTORS = models.MODEL_DETECTORS | hedging_model.MODEL_DETECTORS
DEFAULT_DETECTORS: tuple[Detector, ...] = (
    *RULE_DETECTORS,
    *models.DETECTORS,
    *hedging_model.DETECTORS,
)
