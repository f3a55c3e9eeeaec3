"""Behaviour of the extraction engine on short sentences written for these tests."""
from __future__ import annotations

import pytest

from transforms.ingest.articles import make_article, nlp_text
from transforms.extraction import extract_events, propose_events
from transforms.extraction.lexicon import load


@pytest.fixture(scope="module")
def nlp():
    from transforms.nlp import load_model

    return load_model()


def run(nlp, text: str) -> tuple[dict, list[dict]]:
    article = make_article({"id": "t", "text": text})
    return article, extract_events(nlp(nlp_text(article)), article)


def by_type(events, event_type):
    return [event for event in events if event["event_type"] == event_type]


def roles(event) -> dict:
    return {part["name"]: part["role"] for part in event["participants"]}


def test_lexicons_have_a_scope_comment_and_load():
    for name in ("triggers", "guards", "titles"):
        assert load(name)
    assert "signatory" not in load("triggers")  # types only at the top level
    assert set(load("triggers")) == {"state_visit", "meeting", "agreement_signed", "facility_opened"}


def test_meeting_with_title_from_apposition_and_location(nlp):
    _, events = run(nlp, "Jorge Almeida, the president of Portugal, met with Karl Lindqvist in Lisbon on Friday.")
    (meeting,) = by_type(events, "meeting")
    assert roles(meeting) == {"Jorge Almeida": "participant", "Karl Lindqvist": "participant"}
    almeida = next(p for p in meeting["participants"] if p["name"] == "Jorge Almeida")
    assert almeida["title"] == "president of Portugal" and almeida["country"] == "Portugal"
    assert meeting["location"]["name"] == "Lisbon"
    assert meeting["date_text"] == "on Friday"
    assert meeting["status"] == "occurred"


def test_compound_title_and_country_hint(nlp):
    _, events = run(nlp, "U.S. Energy Secretary John Herrington arrived in Cairo on Monday.")
    (visit,) = by_type(events, "state_visit")
    guest = next(p for p in visit["participants"] if p["role"] == "guest")
    assert guest["name"] == "John Herrington"
    assert guest["title"] == "Energy Secretary" and guest["country"] == "U.S."
    assert visit["location"]["name"] == "Cairo"


def test_planned_visit_and_negated_meeting(nlp):
    _, events = run(nlp, "Prime Minister Ana Ruiz will visit Japan next week. She did not meet the emperor.")
    (visit,) = by_type(events, "state_visit")
    assert visit["status"] == "planned"
    assert roles(visit)["Japan"] == "host"
    assert visit["date_text"] == "next week"
    assert by_type(events, "meeting") == []


def test_cancelled_and_hypothetical(nlp):
    """The rules' reading (the decision model only keeps or drops what they propose)."""
    article = make_article({"id": "t", "text": "The summit between France and Chile was cancelled. If they sign the treaty, trade will grow."})
    events = [draft.event for draft in propose_events(nlp(nlp_text(article)), article)]
    (summit,) = by_type(events, "meeting")
    assert summit["status"] == "cancelled"
    assert by_type(events, "agreement_signed") == []


def test_a_negating_verb_does_not_negate_a_clause_coordinated_with_it(nlp):
    """"failed to ..., and resumed negotiations" tells the talks; "refused to meet and sign"
    negates both verbs it governs."""
    article = make_article({"id": "t", "text": (
        "Ministers from Peru and Chile failed to overcome the dispute on Monday, and resumed "
        "negotiations in Lima on Tuesday. The Bolivian minister refused to meet and sign the accord.")})
    events = [draft.event for draft in propose_events(nlp(nlp_text(article)), article)]
    (talks,) = by_type(events, "meeting")
    assert talks["status"] == "occurred" and "resumed negotiations" in talks["sentence"]["text"]
    assert by_type(events, "agreement_signed") == []


@pytest.mark.parametrize("length", ["90-minute", "45-minute", "two-hour", "20-second"])
def test_a_length_of_time_is_no_date(nlp, length):
    """"90-minute talks" last ninety minutes; they are not of 1990 (nor "45-minute" of 1945)."""
    article = make_article({"id": "t", "published_at": "2014-01-09", "text": (
        f"Jorge Almeida and Karl Lindqvist held {length} talks in Lisbon.")})
    events = [draft.event for draft in propose_events(nlp(nlp_text(article)), article)]
    (talks,) = by_type(events, "meeting")
    assert talks["date_text"] is None


@pytest.mark.parametrize("sentence", [
    "Jorge Almeida met Karl Lindqvist for more than two hours in Lisbon.",
    "Jorge Almeida and Karl Lindqvist signed a 50 year contract in Lisbon.",
])
def test_a_length_written_in_words_is_no_date(nlp, sentence):
    """"for more than two hours" and "a 50 year contract" are lengths: not the event's date."""
    article = make_article({"id": "t", "published_at": "2014-01-09", "text": sentence})
    events = [draft.event for draft in propose_events(nlp(nlp_text(article)), article)]
    assert events and all(event["date_text"] is None for event in events)


def test_tour_splits_into_one_visit_per_destination(nlp):
    _, events = run(nlp, "Minister Paul Varga ended a tour that took him to Peru, Chile and Bolivia.")
    visits = by_type(events, "state_visit")
    assert sorted(v["location"]["name"] for v in visits) == ["Bolivia", "Chile", "Peru"]


def test_signing_with_object_and_signatories(nlp):
    _, events = run(nlp, "Acme Corp said it signed a memorandum of understanding on energy with Beta Inc on Tuesday.")
    (signing,) = by_type(events, "agreement_signed")
    assert signing["object"] == "memorandum of understanding on energy"
    assert set(roles(signing)) == {"Acme Corp", "Beta Inc"}
    assert set(roles(signing).values()) == {"signatory"}


def test_agreeing_is_not_signing_and_open_fire_is_not_an_opening(nlp):
    _, events = run(nlp, "The two sides agreed in principle on a deal. Troops opened fire on the crowd.")
    assert events == []


def test_facility_opening_per_city(nlp):
    _, events = run(nlp, "Delta Bank opened offices in Oslo and Lima.")
    openings = by_type(events, "facility_opened")
    assert sorted(e["location"]["name"] for e in openings) == ["Lima", "Oslo"]
    assert all(roles(e) == {"Delta Bank": "opener"} for e in openings)


def test_press_conference_is_not_a_meeting(nlp):
    _, events = run(nlp, "Karl Lindqvist spoke at a news conference in Oslo on Monday.")
    assert by_type(events, "meeting") == []


def test_mentions_merge_and_short_names_expand(nlp):
    text = "President Omar Haddad visited Kenya on Monday. During the visit, Haddad praised the roads."
    _, events = run(nlp, text)
    (visit,) = by_type(events, "state_visit")
    assert len(visit["mentions"]) == 2
    assert roles(visit)["Omar Haddad"] == "guest"


def test_spans_point_into_the_article_text_after_a_dateline(nlp):
    text = "NAIROBI, March 3 - Ugandan President Tom Okello met Kenyan President Ruth Wanjiru on Tuesday."
    article, events = run(nlp, text)
    assert article["body_start"] > 0
    (meeting,) = by_type(events, "meeting")
    for span in [meeting["trigger"], meeting["sentence"], *meeting["mentions"]]:
        assert text[span["start"]:span["end"]] == span["text"]
    for part in meeting["participants"]:
        assert text[part["start"]:part["end"]].endswith(part["name"].split()[-1])
    assert 0 <= meeting["confidence"] <= 1


def test_here_without_a_dateline_is_no_place_and_merges(nlp):
    """ "met ... here" in a story without a dateline: no place to take, and a second mention
    of the same meeting merges instead of failing (a TypeError dead letter before)."""
    _, events = run(nlp, "Foreign Minister Ana Ruiz met Prime Minister Tomas Berg here on Monday. "
                         "Ruiz met Berg here to discuss trade, officials said.")
    (meeting,) = by_type(events, "meeting")
    assert meeting["location"] is None
    assert len(meeting["mentions"]) == 2
