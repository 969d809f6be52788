"""Labels shared across layers, one place each: the categories' display
names (renderers and classroom), and the PTC propaganda techniques with the
report category each one is shown under (the PTC detector, the dataset
readers and the evaluation)."""

from __future__ import annotations

__all__ = ["CATEGORY_NAMES", "LOADED_TECHNIQUES", "PTC_TECHNIQUES", "category_of"]

# What a category is called in prose, tables and legends.
CATEGORY_NAMES = {
    "loaded_language": "loaded language",
    "hedging": "hedging",
    "attribution": "attribution gap",
    "propaganda": "propaganda",
}

PTC_TECHNIQUES: tuple[str, ...] = (
    "Appeal_to_Authority",
    "Appeal_to_fear-prejudice",
    "Bandwagon,Reductio_ad_hitlerum",
    "Black-and-White_Fallacy",
    "Causal_Oversimplification",
    "Doubt",
    "Exaggeration,Minimisation",
    "Flag-Waving",
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Repetition",
    "Slogans",
    "Thought-terminating_Cliches",
    "Whataboutism,Straw_Men,Red_Herring",
)
# PTC techniques reported under our loaded_language category; the rest are propaganda.
LOADED_TECHNIQUES = frozenset(
    {"Loaded_Language", "Name_Calling,Labeling", "Exaggeration,Minimisation"}
)


def category_of(technique: str) -> str:
    """Report category of a PTC technique."""
    return "loaded_language" if technique in LOADED_TECHNIQUES else "propaganda"
