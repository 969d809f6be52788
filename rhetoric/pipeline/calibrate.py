"""Confidence that means precision on news.

A finding's confidence in a report is the probability that a careful reader
of news would agree with it. Detectors give a first guess (a lexicon weight,
a pattern's prior, a model's probability); calibration maps that guess and
the finding's context to an agreement probability learned from blind
judgments of findings on real news articles (``corpora/audits/``; trained by
``rhetoric train calibration``, see docs/models.md).

Everything calibration reads is on the page: the detector and label, its own
confidence, whether a trained model agrees (``support``), how often news
annotators mark the words (``models.calibration``), the sentence models'
probabilities, whose voice it is, and where the phrase stands (a question, a
headline, a short line, a capitalised name). Its features are readable
strings, its weights a JSON file; so a confidence can be explained.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import replace

from ..core.document import Document
from ..core.report import Finding, SentenceScore
from ..detectors import MODEL_DETECTORS
from ..detectors.base import in_title_case_line
from ..models.calibration import TermRates

__all__ = ["calibrate", "finding_features"]

_WORD = re.compile(r"[a-z]+(?:['\u2019-][a-z]+)*")


def _bin(x: float, edges: Sequence[float]) -> str:
    """The name of the bin of ``x`` among ``edges`` ("0.2-0.35")."""
    lo = 0.0
    for e in edges:
        if x < e:
            return f"{lo:g}-{e:g}"
        lo = e
    return f"{lo:g}+"


_CONF_EDGES = (0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85)
_RATE_EDGES = (0.03, 0.06, 0.1, 0.2, 0.35, 0.5)
_PROB_EDGES = (0.2, 0.4, 0.6, 0.8)


def finding_features(
    doc: Document,
    f: Finding,
    support: float,
    sentence: SentenceScore | None,
    rates: TermRates | None,
    with_models: bool,
) -> list[str]:
    """The calibration features of one finding (strings; see the module note).
    ``with_models``: the trained models ran, so ``support`` and ``sentence``
    are evidence (without them these features are left out)."""
    cat = f.category
    out = [f"fam={f.detector}|{f.label}", f"cat={cat}"]
    conf = _bin(f.confidence, _CONF_EDGES)
    out += [f"conf={conf}", f"{cat}&conf={conf}"]
    words = _WORD.findall(f.text.lower())
    n = len(words)
    if 0 < n <= 4 and f.detector not in MODEL_DETECTORS:
        out.append(f"term={' '.join(words)}")
    out.append(f"{cat}&words={'1' if n <= 1 else '2' if n == 2 else '3-5' if n <= 5 else '6+'}")
    if rates is not None:
        table = rates.hedge if cat == "hedging" else rates.loaded
        hit = rates.rate(table, words[:4] if cat == "hedging" else words)
        if hit is None:
            out.append(f"{cat}&rate=unseen")
        else:
            out.append(f"{cat}&rate={_bin(hit[0], _RATE_EDGES)}")
            if hit[1] >= 20:
                out.append(f"{cat}&rate_common")
    if f.voice == "quoted":
        out.append(f"{cat}&quoted")
    elif f.attribution is not None:
        out.append(f"{cat}&reported")
    text = doc.text
    if doc.sentences:
        sent = doc.sentences[doc.sentence_index(f.start)]
        tail = text[sent.start : sent.end].rstrip(" \"'\u201d\u2019)")
        if tail.endswith("?"):
            out.append(f"{cat}&question")
        elif tail.endswith("!"):
            out.append(f"{cat}&exclaim")
        if in_title_case_line(doc, f.start):
            out.append(f"{cat}&titlecase")
        first_in_sentence = not any(c.isalnum() for c in text[sent.start : f.start])
        if not first_in_sentence and any(w[:1].isupper() for w in text[f.start : f.end].split()):
            out.append(f"{cat}&capitalised")
    if len(doc.paragraphs) > 3:  # a short line among an article's paragraphs
        para = doc.paragraphs[doc.paragraph_index(f.start)]
        if doc.word_count(para) <= 12:
            out.append(f"{cat}&short_line")
    if with_models:
        out.append(
            f"{cat}&support=none" if support <= 0 else f"{cat}&support={_bin(support, _PROB_EDGES)}"
        )
        if sentence is not None:
            for name, p in (
                ("bias", sentence.bias),
                ("prop", sentence.propaganda),
                ("unc", sentence.uncertainty),
            ):
                if p is not None:
                    out.append(f"{cat}&s_{name}={_bin(p, _PROB_EDGES)}")
    return out


# Where the detector's confidence is also a ceiling (see ``calibrate``):
# attribution gaps, whose rules already weigh when a role is named later, and
# forecasts ("is expected to"): judges accept 71% of them as forecasts, but
# they are how news reports what is scheduled, and none of the neutral
# controls our annotators wrote (blind held-out ones included) marks them.
PRIOR_CAPS = frozenset(["attribution"])
PRIOR_CAP_LABELS = frozenset(["prediction"])


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def calibrate(
    doc: Document,
    findings: Sequence[Finding],
    support: Sequence[float],
    sentence_scores: Sequence[SentenceScore],
    with_models: bool,
) -> list[Finding]:
    """``findings`` with calibrated confidences (unchanged when this
    installation carries no calibration).

    A finding's confidence is the calibrated agreement: how often a careful
    reader of news agrees that the phrase is what the finding says. For the
    kinds in ``PRIOR_CAPS``/``PRIOR_CAP_LABELS`` it is the smaller of that and
    the detector's own, which says how much such wording matters as
    persuasion (a lexicon's 0.2 keeps routine forecasts, common in neutral
    wire copy, below 0.5 however often a reader agrees they are forecasts)."""
    from ..models.calibration import load_term_rates
    from ..models.store import load_bundle

    bundle = load_bundle("calibration")
    if not bundle:
        return list(findings)
    model = bundle["full"] if with_models else bundle["rules"]
    rates = load_term_rates()
    by_sentence = {(s.start, s.end): s for s in sentence_scores}
    out = []
    for f, sup in zip(findings, support, strict=True):
        sent = None
        if by_sentence and doc.sentences:
            s = doc.sentences[doc.sentence_index(f.start)]
            sent = by_sentence.get((s.start, s.end))
        feats = finding_features(doc, f, sup, sent, rates, with_models)
        p = _sigmoid(model.decision(feats))
        capped = f.category in PRIOR_CAPS or f.label in PRIOR_CAP_LABELS
        out.append(replace(f, confidence=min(f.confidence, p) if capped else p))
    return out
