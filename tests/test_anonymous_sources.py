"""Anonymous-source wording of news reports, written for this test: typed
anonymous (or vague) and flagged at 0.5 or more; the same sentences with the
source named are typed named and not flagged."""

from __future__ import annotations

import pytest

from rhetoric.pipeline.analyze import analyze

ANONYMOUS = [
    "A senior Justice Department official announced the charges on Monday.",
    "The official, who spoke on condition of anonymity because the talks are private, "
    "said a deal was close.",
    "Two people familiar with the negotiations said the company would cut 300 jobs.",
    "A person briefed on the inquiry said investigators had seized the phones.",
    "An aide to the governor said she would not sign the bill.",
    "A police officer who declined to give his name said the road would stay closed overnight.",
    "Officials who were not authorized to speak publicly said the shipment had been delayed.",
    "According to a source close to the team, the coach offered to resign.",
    "Insiders say the merger talks collapsed over the price.",
    "A source in the finance ministry said the budget would be cut.",
    "A senior administration official told reporters the sanctions would start in May.",
    "Western diplomats said the ceasefire was unlikely to hold.",
    "A congressional staffer, speaking on the condition of anonymity, said the vote would slip.",
    "Three employees at the plant said managers had ignored the warnings.",
    "One official, who asked not to be identified, said the plan had been shelved.",
    "People close to the minister say he is considering his options.",
]
NAMED = [
    "Justice Department spokesman Peter Calder announced the charges on Monday.",
    "Governor Ana Ruiz said she would not sign the bill.",
    "Police Sgt. Mark Dale said the road would stay closed overnight.",
    "Finance Minister Lena Berg said the budget would be cut.",
    "Coach Marta Silva said she had offered to resign.",
    "The official, Deputy Secretary Tom Hale, said a deal was close.",
    '"The ceasefire is unlikely to hold," said Ambassador Ines Moreau.',
    "The Democratic leader, Nora Pelham, said the vote would slip.",
]


def _gap(text: str) -> tuple[set[str], float]:
    rep = analyze(text)
    kinds = {a.kind for a in rep.attributions if a.source is not None}
    flagged = max((f.confidence for f in rep.findings if f.category == "attribution"), default=0.0)
    return kinds, flagged


@pytest.mark.parametrize("text", ANONYMOUS)
def test_anonymous_sourcing_is_typed_and_flagged(text: str) -> None:
    kinds, conf = _gap(text)
    assert kinds & {"anonymous", "vague"}, kinds
    assert "named" not in kinds, kinds
    assert conf >= 0.5


@pytest.mark.parametrize("text", NAMED)
def test_the_same_news_with_a_named_source_is_not_flagged(text: str) -> None:
    kinds, conf = _gap(text)
    assert kinds == {"named"}, kinds
    assert conf < 0.5
