"""The actor concerns on their own (issue 20 split ActorTable by concern): country cues of
the headline and dateline, title phrases, organisations, and the queue of several parties
one description stands for."""
from transforms.extraction.actors import ActorTable
from transforms.extraction.country_cues import city_country, headline_country_before, whole_country
from transforms.extraction.descriptions import expand, queue
from transforms.extraction.organisations import Organisations
from transforms.extraction.participants import PeopleIndex
from transforms.extraction.titles import titled_names


def test_a_country_before_a_name_in_the_headline():
    assert headline_country_before("Saudi Arabia's King Fahd visits Cairo", "Fahd") == "SAU"
    assert headline_country_before("South Korean president: Trump should act", "Trump") is None
    assert headline_country_before("", "Fahd") is None


def test_a_whole_country_name_and_a_city():
    assert whole_country("Saudi Arabia") == "SAU"
    assert whole_country("Peru protests as") is None
    assert city_country("Rabat") == "MAR"
    assert city_country("Morocco") is None


def test_a_title_phrase_ending_in_a_name(nlp):
    doc = nlp("President of Ukraine Volodymyr Zelenskyy met the press.")
    found, titled = titled_names(doc)
    (title_start, start, end) = found[0]
    assert doc[start:end].text == "Volodymyr Zelenskyy"
    assert titled[title_start] == (start, end)


def test_an_acronym_and_a_short_name_are_the_full_organisation(nlp):
    doc = nlp("London International Financial Futures Exchange said on Monday it would move. "
              "LIFFE also said the plan was ready.")
    orgs = Organisations(doc, PeopleIndex(doc, 0), "", None)
    full = orgs.find("London International Financial Futures Exchange")
    assert full is not None and orgs.find("LIFFE") is full


def test_several_parties_travel_queued_behind_the_first():
    first, second = {"name": "A"}, {"name": "B"}
    assert expand(queue([first, second])) == [first, second]
    assert expand(None) == []


def test_the_table_composes_people_and_organisations(nlp):
    doc = nlp("Nordvik Corp opened a plant. Prime Minister Anna Berg visited it.")
    table = ActorTable(doc, 0, {"dateline": None, "title": ""})
    assert table.orgs.find("Nordvik Corp") is not None
    assert "Anna Berg" in table.people.people
