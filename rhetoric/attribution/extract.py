"""Who said what in a document: the rules' attributions, joined with the
trained cue and source taggers' when the models are in use."""

from __future__ import annotations

from ..core.document import CacheSlot, Document
from ..core.report import Attribution
from .rules import rule_attributions

__all__ = ["extract_attributions"]


ATTRIBUTIONS: CacheSlot[list[Attribution]] = CacheSlot("attributions")


def extract_attributions(doc: Document) -> list[Attribution]:
    """Every attribution in ``doc``, named ones included, in text order: the
    rules' attributions plus the cues the PolNeAR-trained taggers add (when the
    ``attribution`` model bundle is installed and ``doc.use_models``). Cached on
    ``doc.cache``."""
    cached = doc.cache.get(ATTRIBUTIONS)
    if cached is None:
        rules = rule_attributions(doc)
        bundle = None
        if doc.use_models:
            from ..models.store import load_bundle

            bundle = load_bundle("attribution")
        if bundle:
            from .combine import model_attributions

            cached = model_attributions(doc, rules, bundle)
        else:
            cached = rules
        doc.cache.put(ATTRIBUTIONS, cached)
    return list(cached)
