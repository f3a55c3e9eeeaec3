"""Within-article actor resolution (actors.py) and the role patterns it serves (roles.py),
on short sentences written for these tests."""
from __future__ import annotations

import pytest

from transforms.articles import make_article, nlp_text
from transforms.extraction import extract_events
from transforms.extraction.actors import acronym, clean_name, has_corporate_suffix


@pytest.fixture(scope="module")
def nlp():
    from transforms.nlp import load_model

    return load_model()


def run(nlp, text: str, **fields) -> list[dict]:
    article = make_article({"id": "t", "text": text, **fields})
    return extract_events(nlp(nlp_text(article)), article)


def of_type(events, event_type):
    return [event for event in events if event["event_type"] == event_type]


def people(event) -> dict:
    return {part["name"]: part for part in event["participants"]}


def test_name_helpers():
    assert clean_name("<Acme Widgets Corp>") == "Acme Widgets Corp"
    assert clean_name("the Orvex Group's") == "Orvex Group"
    assert acronym("London International Financial Futures Exchange") == "LIFFE"
    assert acronym("Banque de l'Union Europeenne") == "BUE"
    assert has_corporate_suffix("Delmar Holdings Inc") and not has_corporate_suffix("Delmar")


def test_country_hint_of_one_mention_holds_for_later_mentions(nlp):
    events = run(nlp, "Polish Prime Minister Jan Kowalski said the economy was growing. "
                      "Kowalski will visit Japan next week.")
    (visit,) = of_type(events, "state_visit")
    guest = people(visit)["Jan Kowalski"]
    assert guest["role"] == "guest" and guest["country"] == "Polish"


def test_host_named_by_a_city_is_its_country(nlp):
    events = run(nlp, "Canadian Trade Minister Paul Dubois arrived in Rabat on Monday.")
    (visit,) = of_type(events, "state_visit")
    host = [part for part in visit["participants"] if part["role"] == "host"]
    assert [(h["name"], h["entity_type"], h["country"]) for h in host] == [("Morocco", "GPE", "MAR")]
    assert "Rabat" in host[0]["aliases"]


def test_dateline_gives_an_unqualified_minister_a_country(nlp):
    text = "BONN, April 3 - Finance Minister Hans Weber said he will visit Japan next week."
    article = make_article({"id": "t", "text": text, "dateline": "BONN, April 3"})
    events = extract_events(nlp(nlp_text(article)), article)
    (visit,) = of_type(events, "state_visit")
    assert people(visit)["Hans Weber"]["country"] == "DEU"


def test_the_two_companies_are_the_two_organisations_of_the_story(nlp):
    events = run(nlp, "Acme Widgets Inc and Borlan Tools Corp said they would cooperate in Europe. "
                      "Acme Widgets Inc expects higher sales. The two companies signed an agreement on Monday.")
    signed = of_type(events, "agreement_signed")
    assert signed
    assert {"Acme Widgets Inc", "Borlan Tools Corp"} <= set(people(signed[0]))


def test_subsidiary_stands_for_its_parent_and_clause_names_the_partner(nlp):
    events = run(nlp, "Orvex Corp said its software subsidiary signed an agreement under which "
                      "Delmar Inc will distribute the new program.")
    (signed,) = of_type(events, "agreement_signed")
    assert {"Orvex Corp", "Delmar Inc"} <= set(people(signed))


def test_short_company_name_links_to_the_full_name(nlp):
    events = run(nlp, "Halvard Systems Corp said it expects a loss. "
                      "Halvard said it has opened an office in Singapore.")
    (opened,) = of_type(events, "facility_opened")
    assert [p["name"] for p in opened["participants"]] == ["Halvard Systems Corp"]
    assert opened["participants"][0]["entity_type"] == "ORG"


def test_talks_as_a_circumstance_give_the_subject_as_participant(nlp):
    events = run(nlp, "Gerald Brandt made his remarks after two days of talks with members of Congress.")
    (meeting,) = of_type(events, "meeting")
    names = set(people(meeting))
    assert "Gerald Brandt" in names and "Congress" in names
