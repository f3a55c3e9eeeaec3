"""Visits told as a noun in passing ("the recent visit of the navy chief to Peru"): the decision
features that say where the visit goes (decision.destination_features). Sentences are invented."""
from __future__ import annotations

import pytest

from transforms.ingest.articles import make_article, nlp_text
from transforms.extraction import propose_events
from transforms.extraction.decision import DecisionModel, destination_features


def _visit_features(nlp, text: str) -> set[str]:
    article = make_article({"id": "t", "text": text, "published_at": "2024-05-07"})
    drafts = [d for d in propose_events(nlp(nlp_text(article)), article) if d.event["event_type"] == "state_visit"]
    assert len(drafts) == 1
    return {name for name in drafts[0].features[0] if name.split(":")[0] in ("host", "abroad")}


@pytest.mark.parametrize("text, expected", [
    # a guest named only by office, going abroad
    ("The minister welcomed the recent visit of the Commander of the Navy of Chile to Peru.",
     {"host:state_visit:country", "abroad:state_visit:True"}),
    # (a trip inside the guest's own country is no proposal at all: test_merging, a trip home)
    # a town, not a country
    ("Governor Tom Reyes made a trip to Little Creek, Ohio.", {"host:state_visit:place"}),
    ("Senator Ann Ortiz paid a visit to Dunmore.", {"host:state_visit:none"}),
])
def test_visit_destination_features(nlp, text, expected):
    assert _visit_features(nlp, text) == expected


def test_destination_features_need_the_guests_country_to_judge_abroad():
    host = {"name": "Peru", "role": "host", "country": "Peru"}
    assert destination_features([host, {"name": "the envoy", "role": "guest", "country": None}]) == {
        "host:state_visit:country": 1.0}
    assert destination_features([host, {"name": "X", "role": "guest", "country": "Peruvian"}]) == {
        "host:state_visit:country": 1.0, "abroad:state_visit:False": 1.0}


def test_a_model_trained_before_these_features_ignores_them():
    model = DecisionModel({"event": {"weights": {"type:state_visit": 1.0}, "bias": 0.0, "calibration": [1.0, 0.0],
                                     "threshold": 0.5},
                           "date": {"classes": ["none"], "weights": {}, "bias": {"none": 0.0}}})
    old = {"type:state_visit": 1.0}
    assert model.probability({**old, "abroad:state_visit:True": 1.0, "host:state_visit:country": 1.0}) == \
        model.probability(old)
