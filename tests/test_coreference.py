"""Participants named outside the trigger's words: titles, pronouns and "the two ..." that
stand for people the article named before (actors.py, participants.py), and countries
written two ways. Sentences written for these tests; proposals are read before the
decision model, so that only the reference resolution is under test."""
from __future__ import annotations

import pytest

from transforms.ingest.articles import make_article, nlp_text
from transforms.extraction import propose_events
from transforms.extraction.actors import with_country_forms
from transforms.resolution.countries import country_forms


@pytest.fixture(scope="module")
def nlp():
    from transforms.nlp import load_model

    return load_model()


def parties(nlp, text: str, event_type: str, trigger: str) -> dict[str, str]:
    """name -> role of the proposed ``event_type`` event whose trigger is ``trigger``."""
    article = make_article({"id": "t", "text": text})
    events = [draft.event for draft in propose_events(nlp(nlp_text(article)), article)]
    (event,) = [e for e in events if e["event_type"] == event_type and e["trigger"]["text"] == trigger]
    return {part["name"]: part["role"] for part in event["participants"]}


def test_a_bare_title_is_the_official_the_article_named_with_it(nlp):
    text = ("Trade Minister Lena Varga of Hungary met Prime Minister Karl Holt of Austria in Vienna. "
            "The prime minister signed an agreement on energy.")
    assert parties(nlp, text, "agreement_signed", "signed") == {"Karl Holt": "signatory"}


def test_a_bare_title_skips_officials_of_another_office(nlp):
    text = ("Prime Minister Lena Varga of Hungary arrived in Oslo on Monday. Foreign Minister Karl Holt "
            "of Austria arrived on Tuesday. The prime minister met King Harald on Wednesday.")
    assert parties(nlp, text, "meeting", "met") == {"Lena Varga": "participant", "King Harald": "participant"}


def test_the_two_ministers_are_the_last_two_people_named(nlp):
    text = ("Anna Berg, who leads the Swedish trade office, hosted Piet Smit of the Netherlands in Stockholm "
            "on Monday. The two ministers signed a trade agreement.")
    assert parties(nlp, text, "agreement_signed", "signed") == {"Anna Berg": "signatory", "Piet Smit": "signatory"}


def test_they_are_the_pair_named_just_before(nlp):
    text = ("Chancellor Ulrike Brandt and President Pierre Morel spoke in Paris on Monday. "
            "Later they met with business leaders.")
    found = parties(nlp, text, "meeting", "met")
    assert {"Ulrike Brandt", "Pierre Morel"} <= set(found)


def test_she_is_the_titled_subject_that_stands_for_a_named_person(nlp):
    text = ("Queen Sofia of Spain opened the conference in Madrid on Monday. President Tomas Brandt of Austria "
            "spoke to reporters. The queen thanked the delegates, and later she hosted Chancellor Karl Holt of "
            "Germany at the palace.")
    assert parties(nlp, text, "state_visit", "hosted") == {"Queen Sofia": "host", "Karl Holt": "guest"}


@pytest.mark.parametrize("text", [
    "Prime Minister Jan Novak arrived in Paris on Monday. President Claire Dubois met with him at the Elysee Palace.",
    "Prime Minister Jan Novak arrived in Paris on Monday. President Claire Dubois met him at the Elysee Palace.",
])
def test_an_object_pronoun_is_not_its_own_clause_subject(nlp, text):
    """ "Dubois met (with) him": "him" is the person named before, not Dubois, so the meeting
    has two sides (it had only Dubois, "him" taken for her and dropped as a repeat)."""
    assert parties(nlp, text, "meeting", "met") == {"Claire Dubois": "participant", "Jan Novak": "participant"}


def test_a_title_of_the_republic_of_a_country_is_that_countrys_named_holder(nlp):
    """ "the President of the Republic of Belarus" stands for the "President of Belarus" the
    article named: countries match by their code, not by the first letters of the words."""
    text = ("President of Belarus Alexander Lukashenko arrived in Sochi on Monday. "
            "On Tuesday the President of the Republic of Belarus met Governor Ivan Petrov.")
    assert parties(nlp, text, "meeting", "met") == {"Alexander Lukashenko": "participant", "Ivan Petrov": "participant"}


def test_a_country_party_goes_by_all_its_names():
    assert {"Britain", "United Kingdom", "UK"} <= set(country_forms("GBR"))
    assert country_forms(None) == ()
    part = with_country_forms({"name": "Britain", "aliases": [], "entity_type": "GPE"})
    assert "United Kingdom" in part["aliases"] and "Britain" not in part["aliases"]
    person = with_country_forms({"name": "Jordan", "aliases": [], "entity_type": "PERSON"})
    assert person["aliases"] == []
