"""Attribute rules of resolution added for unseen articles: offices and outlets, relative
date forms, place qualifiers, and what a visit does not say about a meeting. Sentences and
names are invented for these tests."""
from __future__ import annotations

import pytest

from transforms.extraction import extract_events
from transforms.extraction.dates import date_text
from transforms.resolution import resolve_events
from transforms.resolution.countries import country_code, outlet_country
from transforms.resolution.offices import holds_office
from transforms.resolution.dates import resolve_date
from transforms.resolution.geo import geocode


# --- offices, outlets, whole-phrase country names -----------------------------------------

def test_offices_a_country_has():
    assert holds_office("USA", "President") and not holds_office("JPN", "President")
    assert holds_office("BEL", "King") and not holds_office("FRA", "Queen")
    assert holds_office("GBR", "Prime Minister") and not holds_office("USA", "prime minister")
    assert holds_office("USA", "Attorney General") and not holds_office(None, "Senator")


def test_outlet_home_country():
    assert outlet_country("https://www.washingtontimes.com/news/2019/a") == "USA"
    assert outlet_country("http://blogs.politico.com/x") == "USA"  # any subdomain
    assert outlet_country(None, "bbc") == "GBR"
    assert outlet_country("https://www.lemonde.fr/article") == "FRA"  # a country's own domain
    assert outlet_country("https://bit.ly/abc") is None  # a generic two-letter domain
    assert outlet_country("https://www.example.org/x") is None and outlet_country(None) is None


def test_whole_phrase_country_without_scanning():
    assert country_code("New Jersey") == "JEY"  # scanning finds "Jersey" inside
    assert country_code("New Jersey", scan=False) is None
    assert country_code("North Korean", scan=False) == "PRK"


# --- dates ----------------------------------------------------------------------------------

def test_weekend_is_its_saturday():
    assert resolve_date("last weekend", "2021-03-11", "occurred") == ("2021-03-06", "day")  # a Thursday
    assert resolve_date("this weekend", "2021-03-09", "occurred") == ("2021-03-06", "day")
    assert resolve_date("next weekend", "2021-03-09", "planned") == ("2021-03-13", "day")


def test_weekday_of_this_week():
    assert resolve_date("Tuesday this week", "2021-03-12", "occurred") == ("2021-03-09", "day")


def test_month_of_last_or_next_year():
    assert resolve_date("October last year", "2021-03-12", "occurred") == ("2020-10", "month")
    assert resolve_date("February next year", "2021-03-12", "planned") == ("2022-02", "month")


def test_seasons_give_a_year():
    assert resolve_date("last summer", "2021-03-12", "occurred") == ("2020", "year")
    assert resolve_date("last summer", "2021-10-12", "occurred") == ("2021", "year")
    assert resolve_date("in the autumn", "2021-03-12", "planned") == ("2021", "year")
    assert resolve_date("next spring", "2021-04-12", "planned") == ("2022", "year")


def test_bare_periods_left_by_fillers():
    assert resolve_date("at the end of the month", "2021-03-12", "planned") == ("2021-03", "month")
    assert resolve_date("later in the day", "2021-03-12", "planned") == ("2021-03-12", "day")


def test_a_day_near_publication_wins_over_the_tense():
    # "occurred" would mean a year back; ten days ahead is far likelier a misread tense
    assert resolve_date("on April 2", "2021-03-23", "occurred") == ("2021-04-02", "day")
    assert resolve_date("on April 2", "2021-08-23", "occurred") == ("2021-04-02", "day")


def test_a_range_is_dated_by_its_first_day():
    assert resolve_date("from May 3 to May 6", "2021-04-20", "planned") == ("2021-05-03", "day")
    assert resolve_date("June 28 through July 2, 2019", "2021-04-20", "occurred") == ("2019-06-28", "day")


def test_an_offset_in_time():
    assert resolve_date("in three weeks' time", "2021-03-01", "planned") == ("2021-03", "month")


# --- date expressions from the clause the trigger hangs from --------------------------------

class _Candidate:
    def __init__(self, token, event_type="meeting"):
        self.token, self.anchors, self.event_type = token, [token], event_type


def _trigger(nlp, text, word, event_type="meeting"):
    doc = nlp(text)
    return _Candidate(next(tok for tok in doc if tok.text == word), event_type)


def test_date_of_the_governing_clause(nlp):
    assert date_text(_trigger(nlp, "In 2019 the bank planned to open an office in Lima.", "open")) == "In 2019"


def test_no_date_from_a_reporting_verb(nlp):
    assert date_text(_trigger(nlp, "Officials said on Monday that the ministers had met.", "met")) is None


def test_date_of_a_where_clause_is_the_travel_date(nlp):
    text = "On Tuesday the senators travelled to Denver, where they met local officials."
    assert date_text(_trigger(nlp, text, "met")) == "On Tuesday"


def test_date_of_a_caption(nlp):
    text = ("Prime Minister Jan Holm speaks during a news conference at the Nordic summit in Bergen, Norway, "
            "Sept. 14, 2021.")
    assert date_text(_trigger(nlp, text, "summit")) == "Sept. 14, 2021"


def test_a_visit_in_a_relative_clause_on_a_participant_shares_the_talks_date(nlp):
    text = ("On March 3, the President of Ruritania will hold talks with the Chancellor of Freedonia, "
            "Jonas Vell, who will be in Lisbon on a working visit.")
    assert date_text(_trigger(nlp, text, "be", "state_visit")) == "On March 3"
    # another event type in such a clause keeps its own (absent) date
    assert date_text(_trigger(nlp, text, "be", "meeting")) is None


def test_a_caption_ending_on_a_full_date_dates_what_it_shows(nlp):
    text = "The foreign ministers of Ruritania and Freedonia at the Baltic summit in Riga, June 8, 2018."
    assert date_text(_trigger(nlp, text, "summit")) == "June 8, 2018"
    # a date inside the sentence, not closing it after a comma, is no caption
    assert date_text(_trigger(nlp, "The June 8, 2018 report on the Baltic summit was late.", "summit")) is None


def test_an_event_noun_is_dated_by_its_own_clause_its_frame_or_a_year_before_it(nlp):
    assert date_text(_trigger(nlp, "He praised the talks, which took place on Monday in Lisbon.", "talks")) == "on Monday"
    text = "The two leaders met during today's visit of the Freedonian premier to Lisbon."
    assert date_text(_trigger(nlp, text, "met")) == "today"
    assert date_text(_trigger(nlp, "Officials criticised the 2016 summit in Lisbon.", "summit")) == "2016"
    # a number before the noun that is no calendar year is not a date
    assert date_text(_trigger(nlp, "Officials criticised the two summits in Lisbon.", "summits")) is None


# --- places of extracted events ------------------------------------------------------------------

def _extracted(nlp, text, kind):
    article = {"article_id": "t", "text": text, "body_start": 0, "published_at": "2024-02-14T08:00:00",
               "dateline": None}
    return [e for e in resolve_events(extract_events(nlp(text), article), article) if e["event_type"] == kind]


@pytest.mark.parametrize("text", [
    "The Foreign Minister of Ruritania met the Prime Minister of Freedonia, Jonas Vell, who is on a working visit to Lisbon.",
    "The President of Ruritania held talks with the Prime Minister of Freedonia, Jonas Vell, who arrived in Lisbon.",
])
def test_a_meeting_is_where_the_participants_relative_clause_brings_them(nlp, text):
    [meeting] = _extracted(nlp, text, "meeting")
    assert (meeting["location"]["name"], meeting["location"]["country"]) == ("Lisbon", "PRT")


def test_a_relative_clause_that_is_no_trip_places_nobody(nlp):
    text = "The President of Ruritania met with the Chancellor of Freedonia, who lives in Lisbon."
    [meeting] = _extracted(nlp, text, "meeting")
    assert meeting["location"] is None


@pytest.mark.parametrize("text", ["Trade Minister Jonas Vell visited Kyiv on Monday.",
                                  "The Chancellor of Freedonia will pay a visit to Kyiv next week."])
def test_a_city_the_small_model_reads_as_a_person_is_still_the_destination(nlp, text):
    [visit] = _extracted(nlp, text, "state_visit")
    assert (visit["location"]["name"], visit["location"]["country"]) == ("Kyiv", "UKR")


def test_a_building_read_as_an_organisation_is_the_venue(nlp):
    text = "The President of Ruritania met the Chancellor of Freedonia at the Blue House on Tuesday."
    [meeting] = _extracted(nlp, text, "meeting")
    assert meeting["location"]["name"] == "Blue House"


def test_a_meeting_on_the_sidelines_of_a_conference_is_where_the_conference_is(nlp):
    text = "The Emir of Qatar met the King of Ruritania on the sidelines of the climate conference in Glasgow."
    meetings = _extracted(nlp, text, "meeting")
    assert meetings and all(m["location"]["name"] == "Glasgow" for m in meetings)


# --- places -----------------------------------------------------------------------------------

def _meeting(location, participants=(), sentence=None):
    return {"event_type": "meeting", "status": "occurred", "participants": list(participants),
            "location": location, "date_text": None, "sentence": sentence}


def test_a_country_written_after_a_small_place_gives_its_country():
    text = "The ministers met in Saint-Lys, France, on Friday."
    start = text.index("Saint-Lys")
    location = {"name": "Saint-Lys", "start": start, "end": start + 9, "inferred": False}
    [event] = resolve_events([_meeting(location, sentence={"text": text, "start": 0, "end": len(text)})],
                             {"article_id": "x", "published_at": "2021-03-12"})
    assert event["location"]["country"] == "FRA"


def test_a_word_after_the_comma_that_is_no_country_is_ignored():
    text = "They met in Lyon, Dupont said."
    location = {"name": "Lyon", "start": 12, "end": 16, "inferred": False}
    [event] = resolve_events([_meeting(location, sentence={"text": text, "start": 0, "end": len(text)})],
                             {"article_id": "x", "published_at": "2021-03-12"})
    assert event["location"]["country"] == "FRA"


def test_a_world_city_beats_a_small_namesake_in_context():
    assert geocode("Washington", {"GBR"})["country"] == "USA"


# --- visits and meetings ------------------------------------------------------------------------

def _person(name, role, country=None):
    return {"name": name, "role": role, "entity_type": "PERSON", "title": None, "country": country}


def _visit(guest, guest_country, place):
    return {"event_type": "state_visit", "status": "occurred", "date_text": None,
            "participants": [_person(guest, "guest", guest_country)],
            "location": {"name": place, "start": None, "end": None, "inferred": False}}


def test_two_visitors_meeting_abroad_are_not_the_hosts():
    events = [_visit("Ana Ruiz", "Chilean", "Lisbon"), _visit("Tom Berg", None, "Lisbon"),
              _meeting({"name": "Lisbon", "start": None, "end": None, "inferred": False},
                       [_person("Ana Ruiz", "participant", "Chilean"), _person("Tom Berg", "participant")])]
    resolved = resolve_events(events, {"article_id": "x", "published_at": "2021-03-12"})
    assert [p["country"] for p in resolved[2]["participants"]] == ["CHL", None]


def test_the_visited_official_is_the_hosts():
    events = [_visit("Ana Ruiz", "Chilean", "Lisbon"),
              _meeting({"name": "Lisbon", "start": None, "end": None, "inferred": False},
                       [_person("Ana Ruiz", "participant", "Chilean"), _person("Rui Costa", "participant")])]
    resolved = resolve_events(events, {"article_id": "x", "published_at": "2021-03-12"})
    assert [p["country"] for p in resolved[1]["participants"]] == ["CHL", "PRT"]


def test_outlet_by_source_name():
    assert outlet_country("https://www.aggregator.example/item/1", "Washington Times") == "USA"
    assert outlet_country(None, "Some Unknown Gazette") is None
