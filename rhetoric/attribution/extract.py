"""Who said what in a document: the rules' attributions, joined with the
trained cue and source taggers' when the models are in use."""

from __future__ import annotations

from ..core.document import Document
from ..core.report import Attribution
from .rules import rule_attributions

__all__ = ["USE_MODELS_KEY", "extract_attributions"]


# ``analyze`` sets this key to False on a document when no trained-model
# detector runs (``--no-models``), so the extractor uses its rules alone.
USE_MODELS_KEY = "use_models"


def extract_attributions(doc: Document) -> list[Attribution]:
    """Every attribution in ``doc``, named ones included, in text order: the
    rules' attributions plus the cues the PolNeAR-trained taggers add (when the
    ``attribution`` model bundle is installed). Cached on ``doc.cache``."""
    cached = doc.cache.get("attributions")
    if cached is None:
        rules = rule_attributions(doc)
        bundle = None
        if doc.cache.get(USE_MODELS_KEY, True):
            from ..models.store import load_bundle

            bundle = load_bundle("attribution")
        if bundle:
            from .combine import model_attributions

            cached = model_attributions(doc, rules, bundle)
        else:
            cached = rules
        doc.cache["attributions"] = cached
    return list(cached)  # type: ignore[call-overload]
