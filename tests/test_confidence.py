"""The confidence model: features, weights from data, direction of every effect."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from transforms.articles import make_article, nlp_text
from transforms.extraction import extract_events
from transforms.extraction.confidence import (
    draft_confidence,
    features,
    is_hedged,
    merged_confidence,
    model,
    score,
)


def feats(**changes) -> dict:
    base = {"kind": "verb", "named": 0, "explicit_location": False, "date": False, "status": "occurred",
            "confirmed": True, "hedged": False}
    return {**base, **changes}


def test_weights_load_with_bounds():
    weights = model()["weights"]
    low, high = model()["bounds"]
    assert 0 < low < high < 1
    expected = {"bias", "kind", "named_participant", "explicit_location", "date", "hedged", "further_mention"}
    assert expected <= set(weights)
    for value in (feats(), feats(kind="noun", hedged=True), feats(named=5, explicit_location=True, date=True)):
        assert low <= score(value) <= high
        assert low <= score(value, mentions=9) <= high


def test_evidence_raises_confidence_and_weak_cues_lower_it():
    base = score(feats())
    assert score(feats(named=1)) > base and score(feats(named=2)) > score(feats(named=1))
    assert score(feats(named=9)) == score(feats(named=model()["weights"]["named_cap"]))
    assert score(feats(explicit_location=True)) > base
    assert score(feats(date=True)) > base
    assert score(feats(kind="noun")) < base
    assert score(feats(hedged=True)) < base
    assert score(feats(), mentions=2) > base and score(feats(), mentions=3) >= score(feats(), mentions=2)


def test_merged_confidence_grows_with_mentions():
    assert merged_confidence([0.8]) == pytest.approx(0.8, abs=0.001)
    assert merged_confidence([0.7, 0.8]) > 0.8
    assert merged_confidence([0.8, 0.8, 0.8]) >= merged_confidence([0.8, 0.8])
    with pytest.raises(ValueError):
        merged_confidence([])


def test_features_of_a_candidate():
    sentence = [SimpleNamespace(text=word, tag_="NN") for word in "Pell reportedly met Varn".split()]
    token = SimpleNamespace(sent=sentence)
    noun = SimpleNamespace(kind="noun", token=token, anchors=[token], obj=None)
    people = [{"name": "Pell", "start": 0}, {"name": "Kelmar", "start": None}]
    got = features(noun, people, True, "on Monday", "planned")
    assert got == {"kind": "noun", "named": 1, "explicit_location": True, "date": True, "status": "planned",
                   "confirmed": False, "hedged": True}
    held = SimpleNamespace(kind="noun", token=token, anchors=[token, token], obj=None)
    assert features(held, [], False, None)["confirmed"] is True
    assert draft_confidence(noun, people, True, "on Monday", "planned") == score(got)


@pytest.mark.parametrize(
    "text, hedged",
    [
        ("The president reportedly visited Kelmar.", True),
        ("The ministers may meet in Kelmar next week.", True),
        ("The president is said to have visited Kelmar.", True),
        ("The ministers met in Kelmar in May.", False),
        ("The president visited Kelmar on Monday.", False),
    ],
)
def test_hedges(nlp, text, hedged):
    assert is_hedged(list(nlp(text))) is hedged


def test_extracted_events_carry_model_confidence(nlp):
    strong_text = "Zorvan Pell, the president of Ostrava, met Queen Ilsa Varn in Kelmar on Monday."
    weak_text = "The talks were useful, an aide said."
    article = make_article({"id": "t", "text": strong_text + " " + weak_text})
    events = extract_events(nlp(nlp_text(article)), article)
    assert events
    for event in events:
        assert model()["bounds"][0] <= event["confidence"] <= model()["bounds"][1]
    strong = [e for e in events if e["sentence"]["text"].startswith("Zorvan")]
    assert strong and strong[0]["confidence"] >= 0.9
