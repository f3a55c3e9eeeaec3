"""resolve_events: the whole event dict, as the pipeline sees it."""
import pytest

from transforms.resolution import dateline_place, resolve_events

ARTICLE = {"article_id": "a1", "published_at": "2022-05-31T09:13:00", "dateline": None}


def _event(**overrides):
    event = {
        "event_type": "state_visit",
        "status": "occurred",
        "participants": [
            {"name": "Emomali Rahmon", "role": "guest", "entity_type": "PERSON",
             "title": "president of Tajikistan", "country": None},
            {"name": "Iran", "role": "host", "entity_type": "GPE", "title": None, "country": None},
            {"name": "Ebrahim Raisi", "role": "host", "entity_type": "PERSON", "title": None, "country": "Iranian"},
        ],
        "location": {"name": "Tehran", "start": 10, "end": 16, "inferred": False},
        "date_text": "on Monday",
        "event_date": None,
        "date_precision": "unknown",
    }
    event.update(overrides)
    return event


def test_resolves_countries_location_and_date():
    [event] = resolve_events([_event()], ARTICLE)
    assert [p["country"] for p in event["participants"]] == ["TJK", "IRN", "IRN"]
    location = event["location"]
    assert (location["name"], location["start"], location["inferred"]) == ("Tehran", 10, False)
    assert (location["country"], location["geonames_id"], location["feature_class"]) == ("IRN", 112931, "P")
    assert location["latitude"] is not None and location["admin1"] == "26"
    assert (event["event_date"], event["date_precision"]) == ("2022-05-30", "day")
    assert event["event_type"] == "state_visit"


def test_today_in_wire_copy_is_the_datelines_day():
    # stamped 1987-04-23 19:48 GMT, written in Tokyo on April 24
    article = {"article_id": "a2", "published_at": "1987-04-23T19:48:47", "dateline": "TOKYO, April 24"}
    [event] = resolve_events([_event(date_text="today", location={"name": "Tokyo"})], article)
    assert (event["event_date"], event["date_precision"]) == ("1987-04-24", "day")


def test_input_events_are_not_mutated():
    original = _event()
    resolve_events([original], ARTICLE)
    assert original["participants"][0]["country"] is None and "country" not in original["location"]


def test_historic_era_and_context():
    article = {"published_at": "1987-03-11T03:10:16", "dateline": "VIENNA, March 11"}
    [event] = resolve_events([_event(participants=[], location={"name": "Moscow"}, date_text="this year",
                                     status="planned")], article)
    assert event["location"]["country"] == "SUN"
    assert (event["event_date"], event["date_precision"]) == ("1987", "year")
    us = {"name": "Birmingham", "start": None, "end": None, "inferred": False}
    [event] = resolve_events([_event(participants=[{"name": "U.S.", "entity_type": "GPE", "country": None}],
                                     location=us)], article)
    assert (event["participants"][0]["country"], event["location"]["admin1"]) == ("USA", "AL")


def test_dateline_country_breaks_ties():
    article = {"published_at": None, "dateline": "ATLANTA, Ga., June 2"}
    [event] = resolve_events([_event(participants=[], location={"name": "Georgia"})], article)
    assert event["location"]["country"] == "USA"
    assert (event["event_date"], event["date_precision"]) == (None, "unknown")


def test_never_drops_or_raises_on_odd_input():
    odd = [
        _event(participants=None, location=None, date_text=None),
        _event(participants=[None, {"name": None, "entity_type": "GPE"}], location={"name": ""}, date_text=""),
        _event(participants="garbage", location={"name": 42}, date_text="??", status=None),
        {},
    ]
    out = resolve_events(odd, {"published_at": "garbage", "dateline": 3})
    assert len(out) == len(odd)
    assert out[0]["location"] is None and out[0]["participants"] == []
    assert out[1]["participants"][0]["country"] is None
    assert out[1]["location"]["country"] is None and out[1]["location"]["geonames_id"] is None
    assert out[2]["date_precision"] == "unknown"
    assert resolve_events(None, None) == []


def test_dateline_place():
    assert dateline_place("HELENA, Mont., June 29") == "HELENA, Mont."
    assert dateline_place("RABAT, Oct 19") == "RABAT"
    assert dateline_place(None) is None


def test_visit_without_a_place_is_put_in_the_host_capital_and_flagged():
    article = {"published_at": "2025-03-12T08:30:00"}
    visit = _event(participants=[{"name": "Ana Lopez", "role": "guest", "entity_type": "PERSON", "country": "CHL"},
                                 {"name": "Norway", "role": "host", "entity_type": "GPE", "country": None}],
                   location=None)
    [event] = resolve_events([visit], article)
    assert (event["location"]["name"], event["location"]["country"], event["location"]["inferred"]) == ("Oslo", "NOR", True)
    assert event["location"]["geonames_id"] is not None


def test_a_named_place_is_never_replaced_and_other_types_get_no_host_capital():
    article = {"published_at": "2025-03-12T08:30:00", "dateline": "BERGEN, March 12"}
    host = [{"name": "Norway", "role": "host", "entity_type": "GPE", "country": None}]
    named = _event(participants=host, location={"name": "Bergen", "start": 5, "end": 11, "inferred": False})
    meeting = _event(participants=host, location=None)
    meeting["event_type"] = "meeting"
    [visit_out, meeting_out] = resolve_events([named, meeting], article)
    assert (visit_out["location"]["name"], visit_out["location"]["inferred"]) == ("Bergen", False)
    assert meeting_out["location"] is None


def test_a_visit_gives_the_host_side_and_the_parties_of_an_unnamed_agreement():
    article = {"published_at": "2025-03-12T08:30:00"}
    guest = {"name": "Ana Lopez", "role": "guest", "entity_type": "PERSON", "title": None, "country": "CHL"}
    visit = _event(participants=[guest, {"name": "Norway", "role": "host", "entity_type": "GPE", "country": None}],
                   location={"name": "Oslo", "start": 0, "end": 4, "inferred": False})
    meeting = _event(participants=[{**guest, "role": "participant"},
                                   {"name": "Jonas Berg", "role": "participant", "entity_type": "PERSON",
                                    "title": None, "country": None}],
                     location={"name": "Oslo", "start": 0, "end": 4, "inferred": False})
    meeting["event_type"] = "meeting"
    signing = _event(participants=[], location=None)
    signing["event_type"] = "agreement_signed"
    _visit, met, signed = resolve_events([visit, meeting, signing], article)
    assert {p["name"]: p["country"] for p in met["participants"]} == {"Ana Lopez": "CHL", "Jonas Berg": "NOR"}
    assert sorted((p["name"], p["country"], p["role"]) for p in signed["participants"]) == [
        ("Chile", "CHL", "signatory"), ("Norway", "NOR", "signatory")]


def test_a_visit_naming_no_host_is_hosted_by_the_country_of_its_place():
    article = {"published_at": "2025-03-12T08:30:00"}
    guest = {"name": "Ana Lopez", "role": "guest", "entity_type": "PERSON", "title": None, "country": "CHL"}
    oslo = {"name": "Oslo", "start": 0, "end": 4, "inferred": False}
    [event] = resolve_events([_event(participants=[guest], location=oslo)], article)
    assert [(p["name"], p["role"], p["entity_type"], p["country"]) for p in event["participants"]] == [
        ("Ana Lopez", "guest", "PERSON", "CHL"), ("Norway", "host", "GPE", "NOR")]


def test_a_host_named_by_a_city_of_the_visited_country_is_that_country():
    article = {"published_at": "2025-03-12T08:30:00"}
    guest = {"name": "Ana Lopez", "role": "guest", "entity_type": "PERSON", "title": None, "country": "CHL"}
    city_host = {"name": "Bergen", "role": "host", "entity_type": "PERSON", "title": None, "country": None}
    bergen = {"name": "Bergen", "start": 0, "end": 6, "inferred": False}
    [event] = resolve_events([_event(participants=[guest, city_host], location=bergen)], article)
    assert [(p["name"], p["role"], p["entity_type"]) for p in event["participants"]] == [
        ("Ana Lopez", "guest", "PERSON"), ("Norway", "host", "GPE")]


def test_two_cities_named_as_hosts_give_one_country_host():
    article = {"published_at": "2025-03-12T08:30:00"}
    guest = {"name": "Ana Lopez", "role": "guest", "entity_type": "PERSON", "title": None, "country": "CHL"}
    cities = [{"name": name, "role": "host", "entity_type": "GPE", "title": None, "country": None}
              for name in ("Bergen", "Oslo")]
    oslo = {"name": "Oslo", "start": 0, "end": 4, "inferred": False}
    [event] = resolve_events([_event(participants=[guest, *cities], location=oslo)], article)
    assert [(p["name"], p["role"]) for p in event["participants"]] == [("Ana Lopez", "guest"), ("Norway", "host")]


def test_a_trip_home_or_a_named_host_gets_no_country_host():
    article = {"published_at": "2025-03-12T08:30:00"}
    home = {"name": "Jonas Berg", "role": "guest", "entity_type": "PERSON", "title": None, "country": "NOR"}
    oslo = {"name": "Oslo", "start": 0, "end": 4, "inferred": False}
    host = {"name": "Erna Dahl", "role": "host", "entity_type": "PERSON", "title": None, "country": None}
    guest = {**home, "name": "Ana Lopez", "country": "CHL"}
    trip, hosted = resolve_events([_event(participants=[home], location=oslo),
                                   _event(participants=[guest, host], location=oslo)], article)
    assert [p["role"] for p in trip["participants"]] == ["guest"]
    assert [p["name"] for p in hosted["participants"]] == ["Ana Lopez", "Erna Dahl"]


def test_without_a_visit_unknown_countries_stay_unknown():
    article = {"published_at": "2025-03-12T08:30:00"}
    meeting = _event(participants=[{"name": "Jonas Berg", "role": "participant", "entity_type": "PERSON",
                                    "title": None, "country": None}],
                     location={"name": "Geneva", "start": 0, "end": 6, "inferred": False})
    meeting["event_type"] = "meeting"
    signing = _event(participants=[], location=None)
    signing["event_type"] = "agreement_signed"
    met, signed = resolve_events([meeting, signing], article)
    assert met["participants"][0]["country"] is None and signed["participants"] == []


# --- the decision model's date for undated events -------------------------------------------------

def _undated(**overrides):
    return _event(event_type="meeting", location=None, participants=[], **overrides)


UNDATED_ARTICLE = {"article_id": "a", "text": "", "published_at": "2024-02-14T08:00:00", "dateline": None}


@pytest.mark.parametrize("default, expected", [
    ("today", ("2024-02-14", "day")),
    ("this month", ("2024-02", "month")),
    (None, (None, "unknown")),
])
def test_an_undated_event_takes_the_date_the_model_chose(default, expected):
    [event] = resolve_events([_undated(date_text=None, date_default=default)], UNDATED_ARTICLE)
    assert (event["event_date"], event["date_precision"]) == expected


def test_the_events_own_date_wins_over_the_models_default():
    [event] = resolve_events([_undated(date_text="on Monday", date_default="today")], UNDATED_ARTICLE)
    assert (event["event_date"], event["date_precision"]) == ("2024-02-12", "day")
    # a date expression that resolves to nothing ("since the war") leaves the default to apply
    [event] = resolve_events([_undated(date_text="since the war", date_default="this month")], UNDATED_ARTICLE)
    assert event["event_date"] == "2024-02"


# --- places from the rest of the article ------------------------------------------------------------

def _placed(kind, name, start, end, inferred=False, sentence=(0, 80)):
    return {"event_type": kind, "status": "occurred", "participants": [], "date_text": None,
            "location": {"name": name, "start": start, "end": end, "inferred": inferred} if name else None,
            "sentence": {"text": "", "start": sentence[0], "end": sentence[1]}}


def test_an_unknown_venue_lies_in_the_country_of_the_other_events_of_its_sentence():
    venue = _placed("meeting", "Zorgon Palace", 10, 23)
    visit = _placed("state_visit", "Portugal", 60, 68)
    elsewhere = _placed("meeting", "Zorgon Hall", 100, 111, sentence=(90, 140))
    article = {"article_id": "v", "published_at": "2024-02-14", "dateline": "LISBON, Feb 14"}
    venue_out, _visit_out, elsewhere_out = resolve_events([venue, visit, elsewhere], article)
    assert venue_out["location"]["country"] == "PRT"
    assert elsewhere_out["location"]["country"] is None


def test_a_region_gets_no_country_from_the_other_events():
    region = _placed("state_visit", "Europe", 10, 16)
    visit = _placed("state_visit", "Portugal", 60, 68)
    [region_out, _] = resolve_events([region, visit], {"article_id": "r", "published_at": "2024-02-14",
                                                       "dateline": "LISBON, Feb 14"})
    assert region_out["location"]["country"] is None


def test_a_venue_said_to_be_in_a_city_takes_its_country():
    text = "The ministers met at Zorgon Tower in Lisbon on Friday."
    start = text.index("Zorgon Tower")
    event = _placed("meeting", "Zorgon Tower", start, start + 12, sentence=(0, len(text)))
    event["sentence"]["text"] = text
    named = _placed("meeting", "summit in Lisbon", 100, 116, sentence=(90, 140))
    out = resolve_events([event, named], {"article_id": "c", "published_at": "2024-02-14", "dateline": "X, Feb 14"})
    assert [e["location"]["country"] for e in out] == ["PRT", "PRT"]


def test_an_article_without_dateline_placing_all_its_events_in_one_spot_places_the_others_there():
    placed = _placed("meeting", "Lisbon", 10, 16)
    unplaced = _placed("agreement_signed", None, None, None, sentence=(90, 140))
    article = {"article_id": "p", "published_at": "2024-02-14", "dateline": None}
    _, out = resolve_events([placed, unplaced], article)
    assert (out["location"]["name"], out["location"]["country"], out["location"]["inferred"]) == ("Lisbon", "PRT", True)
    # two places, or a dateline that says where the reporter is: nothing is inferred
    other = _placed("meeting", "Porto", 40, 45)
    assert resolve_events([placed, other, _placed("agreement_signed", None, None, None)], article)[2]["location"] is None
    assert resolve_events([placed, unplaced], {**article, "dateline": "ROME, Feb 14"})[1]["location"] is None


def test_a_city_named_beside_its_country_is_one_spot_told_by_the_city():
    city, country = _placed("meeting", "Lisbon", 10, 16), _placed("state_visit", "Portugal", 40, 48)
    unplaced = _placed("agreement_signed", None, None, None, sentence=(90, 140))
    out = resolve_events([city, country, unplaced], {"article_id": "p", "published_at": "2024-02-14", "dateline": None})
    assert (out[2]["location"]["name"], out[2]["location"]["inferred"]) == ("Lisbon", True)


# --- a participant's country stated elsewhere in the article -----------------------------------------

def _person(name, text, role="participant", nth=0, **fields):
    """A participant without a country, at the ``nth`` mention of ``name`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(name, start + 1)
    return {"name": name, "aliases": [], "role": role, "entity_type": "PERSON", "title": None, "country": None,
            "start": start, "end": start + len(name), **fields}


def _met(text, *participants, url=None, dateline=None):
    article = {"published_at": "2021-04-06T08:00:00", "text": text, "url": url, "dateline": dateline}
    meeting = _event(event_type="meeting", participants=list(participants), location=None)
    return {p["name"]: p["country"] for p in resolve_events([meeting], article)[0]["participants"]}


def test_a_persons_country_comes_from_another_mention_of_the_name():
    text = "Chilean Foreign Minister Elena Sorvin flew in. Later Sorvin met Ivo Marak."
    assert _met(text, _person("Sorvin", text, nth=1), _person("Ivo Marak", text)) == {"Sorvin": "CHL",
                                                                                     "Ivo Marak": None}


def test_mentions_that_disagree_leave_the_country_unknown():
    text = "Peru's envoy Rosa Kell came; then Chile's envoy Rosa Kell went. Rosa Kell met Ivo Marak."
    assert _met(text, _person("Rosa Kell", text, nth=2))["Rosa Kell"] is None


def test_a_persons_country_from_another_event_of_the_article():
    text = "Ivo Marak met Rosa Kell. Ivo Marak later met Tom Ode."
    first = _event(event_type="meeting", location=None,
                   participants=[{**_person("Ivo Marak", text), "country": "Peruvian"}])
    second = _event(event_type="meeting", location=None, participants=[_person("Ivo Marak", text, nth=1)])
    article = {"published_at": "2021-04-06T08:00:00", "text": text}
    _first, later = resolve_events([first, second], article)
    assert later["participants"][0]["country"] == "PER"


def test_an_office_holder_without_nationality_is_of_the_storys_home_country():
    text = "The inspector general met Ivo Marak."
    people = _met(text, _person("inspector general", text, title="inspector general"), _person("Ivo Marak", text),
                  url="https://www.usatoday.com/story/x")
    assert people == {"inspector general": "USA", "Ivo Marak": None}


def test_a_government_site_names_its_own_people_and_bodies_without_nationality():
    text = "Ivo Marak met the Cabinet of Ministers."
    cabinet = {**_person("Cabinet of Ministers", text), "entity_type": "ORG"}
    assert _met(text, _person("Ivo Marak", text), cabinet, url="https://www.president.gov.ua/en/news/1") == {
        "Ivo Marak": "UKR", "Cabinet of Ministers": "UKR"}
    assert _met(text, _person("Ivo Marak", text), cabinet, url="https://www.usatoday.com/story/x") == {
        "Ivo Marak": None, "Cabinet of Ministers": "USA"}


def test_a_person_name_that_describes_a_body_is_read_for_its_country():
    text = "Latvian Railways signed."
    assert _met(text, _person("Latvian Railways", text)) == {"Latvian Railways": "LVA"}
