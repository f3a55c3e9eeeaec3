"""resolve_events: the whole event dict, as the pipeline sees it."""
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


def test_a_named_place_is_never_replaced_and_other_types_get_no_venue():
    article = {"published_at": "2025-03-12T08:30:00"}
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
