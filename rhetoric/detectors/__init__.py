"""The detectors, declared in one explicit tuple (no registry, no import-time work).

Adding a detector is one module (or one lexicon file plus a ``LexiconDetector``
line), one entry in ``DEFAULT_DETECTORS``, and rows in ``tests/examples.tsv``.
Trained detectors (``*_model.py``) are declared ``trained=True``.
"""

from __future__ import annotations

from . import (
    attribution,
    bias_model,
    hedging,
    hedging_model,
    loaded_language,
    propaganda,
    ptc_model,
)
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
DEFAULT_DETECTORS: tuple[Detector, ...] = (
    *RULE_DETECTORS,
    *ptc_model.DETECTORS,
    *bias_model.DETECTORS,
    *hedging_model.DETECTORS,
)
# Names of the trained detectors (their findings merge into rule findings):
# the ones declared ``trained=True``.
MODEL_DETECTORS = frozenset(
    d.name for d in DEFAULT_DETECTORS if isinstance(d, FunctionDetector) and d.trained
)
