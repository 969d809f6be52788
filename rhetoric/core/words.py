"""Word lists that several layers read, kept in one place each.

The speech-verb lists are base forms and subsets of the reporting-verb
lexicon (``lexicons/report_verbs.tsv``, read by ``lexicon.report_verbs``), save
"point" ("pointed out"); tests/test_layout.py holds them to that."""

from __future__ import annotations

__all__ = ["MONTH_ABBREVIATIONS", "MONTH_NAMES", "PLAIN_SPEECH_VERBS", "SPEECH_VERBS"]

# Abbreviated month names ("Jan.", "Sept."): a full stop after them does not end
# a sentence, and they are never who said something.
MONTH_ABBREVIATIONS = frozenset(
    ["jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"]
)
MONTH_NAMES = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
)
# Verbs of saying or writing: with one of them as the cue, a thing pronoun as
# the source ("it said") refers back to an organisation named before and takes
# its kind (``attribution.rules.refer_back``).
SPEECH_VERBS = frozenset(
    [
        "say",
        "said",
        "add",
        "tell",
        "told",
        "write",
        "wrote",
        "written",
        "tweet",
        "state",
        "announce",
        "report",
        "note",
        "post",
        "declare",
        "warn",
        "reply",
        "respond",
        "explain",
    ]
)
# Plain reporting verbs (``detectors.hedging_model``), which credit words to a
# source without judging them ("said",
# "told", "added"; with "according to", a colon or a quotation mark). A hedge
# in such a sentence is the source's own, reported as such. "claims",
# "alleges", "argues", "believes", "thinks", "is thought" are not here: they
# mark the statement as a contested or held view, which CoNLL-2010 annotators
# count as uncertain. ("It is said to" names no source, so it never caps.)
PLAIN_SPEECH_VERBS = frozenset(
    [
        "say",
        "said",
        "tell",
        "told",
        "add",
        "state",
        "note",
        "explain",
        "announce",
        "confirm",
        "deny",
        "stress",
        "write",
        "wrote",
        "written",
        "tweet",
        "post",
        "reply",
        "respond",
        "report",
        "testify",
        "emphasize",
        "emphasise",
        "point",
        "comment",
        "remark",
        "mention",
        "ask",
        "answer",
        "brief",
        "warn",
        "disclose",
    ]
)
