"""Which findings are good enough to hand to students: the one table.

Worksheets, answer keys, ``rhetoric grade --key ARTICLE`` and the exercises of
``rhetoric serve`` all ask :data:`EXERCISE` which findings may become a task
or a key item, so a finding a careful reader would reject is never put in
front of a class in one place and kept out in another.

The numbers are data, not logic. The accuracy work (calibrated confidences on
news, and which detector families are precise there) sets them; until it
lands the floor is the report's "flag" line (0.5) and every family is
admitted. A finding below the floor, or from a family left out, is not a key
item, but a student who finds it is credited as "also seen by the tool".

Student-facing names of labels ("Whataboutism, straw man, red herring", not
``Whataboutism,Straw_Men,Red_Herring``) come from the glossary's titles
(:func:`rhetoric.core.glossary.label_title`), the one mapping for labels.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..core.report import Finding

__all__ = [
    "EXERCISE",
    "SOURCE_KINDS",
    "ExercisePolicy",
    "exercise_findings",
    "plausible_name",
    "voice_rank",
]


@dataclass(frozen=True)
class ExercisePolicy:
    """``floor``: lowest confidence of a key item. ``families``: detector
    families admitted (a finding's ``detector`` is a family or starts with
    ``family.``); None admits all. ``labels``: labels admitted; None admits all.
    """

    floor: float = 0.5
    families: frozenset[str] | None = None
    labels: frozenset[str] | None = None

    def admits(self, f: Finding) -> bool:
        """Whether ``f`` may become a task or a key item."""
        if f.confidence < self.floor:
            return False
        if self.labels is not None and f.label not in self.labels:
            return False
        if self.families is None:
            return True
        return any(f.detector == fam or f.detector.startswith(fam + ".") for fam in self.families)

    def why_not(self, f: Finding) -> str:
        """Why a finding the tool made is not in the key (for "also seen")."""
        if f.confidence < self.floor:
            return f"confidence {f.confidence:.2f}, below the key's {self.floor:g}"
        return "from a detector not precise enough on news to be in the key"


# Set by the accuracy work (issues 13/14): floor 0.5 and all families for now.
EXERCISE = ExercisePolicy(floor=0.5, families=None, labels=None)


def voice_rank(f: Finding) -> int:
    """Hook for a future ``voice`` field on findings (author or quoted):
    exercises prefer the author's own words. Findings have no voice yet, so
    every finding ranks 0 and order is unchanged."""
    return 1 if getattr(f, "voice", "author") == "quoted" else 0


def exercise_findings(
    findings: Iterable[Finding],
    policy: ExercisePolicy = EXERCISE,
    categories: Iterable[str] | None = None,
) -> list[Finding]:
    """The findings ``policy`` admits (in ``categories`` when given), in order."""
    cats = None if categories is None else set(categories)
    return [f for f in findings if policy.admits(f) and (cats is None or f.category in cats)]


#: The kinds of source a student may pick for an attribution answer, with the
#: attribution labels each kind agrees with (feedback only: grading is by
#: category, as ``rhetoric grade`` does).
SOURCE_KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "anonymous": ("an unnamed source (\u201csources say\u201d)", ("anonymous_source",)),
    "vague": (
        "a vague crowd (\u201ccritics\u201d, \u201cmany\u201d, \u201cexperts\u201d)",
        ("vague_attribution", "weasel", "rumor"),
    ),
    "self": ("the outlet itself (\u201cas we reported\u201d)", ("self_citation",)),
    "none": ("no source at all", ("unsupported_claim", "rumor")),
}

_NAME_WORD = re.compile(r"\b[A-Z][a-z\u00df-\u00ff]{2,}")


def plausible_name(text: str) -> bool:
    """Whether a named source looks like a name a student can check: at least
    one capitalised word of three or more letters ("Ana Ruiz", "the Ministry"),
    not a fragment ("D-N.C") or a common noun ("board")."""
    return bool(_NAME_WORD.search(text))
