from transforms.identity import actors, event_id, organisation_key, week


def _event(event_type="state_visit", participants=(), location=None, date=None, precision="unknown"):
    return {"event_type": event_type, "participants": list(participants), "location": location,
            "event_date": date, "date_precision": precision}


def _p(name, role, country=None, entity_type="PERSON"):
    return {"name": name, "role": role, "country": country, "entity_type": entity_type}


def test_differently_worded_reports_of_one_visit_share_an_id():
    full = _event(participants=[_p("Aino Virtanen", "guest", "FIN"), _p("Japan", "host", "JPN", "GPE")],
                  location={"name": "Tokyo", "country": "JPN"}, date="2025-03-12", precision="day")
    short = _event(participants=[_p("Virtanen", "guest", "FIN")], location={"name": "Tokyo", "country": "JPN"})
    premier = _event(participants=[_p("the Finnish premier", "guest", "FIN"), _p("Kenji Morita", "host", "JPN")],
                     date="2025-03-12", precision="day")
    ids = {event_id(full, "2025-03-12T10:00:00"), event_id(short, "2025-03-13T08:00:00"),
           event_id(premier, "2025-03-12T18:00:00")}
    assert len(ids) == 1


def test_same_leader_same_country_three_weeks_apart_are_two_events():
    visit = _event(participants=[_p("Aino Virtanen", "guest", "FIN")], location={"name": "Tokyo", "country": "JPN"})
    assert event_id(visit, "2025-03-12T10:00:00") != event_id(visit, "2025-04-02T10:00:00")


def test_type_separates_a_meeting_from_a_signing_of_the_same_day():
    sides = [_p("Kenya", "signatory", "KEN", "GPE"), _p("Tanzania", "signatory", "TZA", "GPE")]
    assert event_id(_event("agreement_signed", sides), "2025-05-20") != event_id(_event("meeting", sides), "2025-05-20")


def test_company_events_use_names_without_legal_forms_and_the_place():
    one = _event("facility_opened", [_p("Nordvik Motors AB", "opener", entity_type="ORG")], {"name": "Wroclaw"})
    two = _event("facility_opened", [_p("the Nordvik Motors group", "opener", entity_type="ORG")], {"name": "Wroclaw"})
    other = _event("facility_opened", [_p("Nordvik Motors", "opener", entity_type="ORG")], {"name": "Austin"})
    assert actors(one) == ["nordvik motors", "wroclaw"]
    assert event_id(one, "2025-04-03") == event_id(two, "2025-04-04")
    assert event_id(one, "2025-04-03") != event_id(other, "2025-04-03")
    assert organisation_key("Harbourline Group plc") == "harbourline"


def test_week_prefers_a_known_day_and_falls_back_to_publication():
    assert week(_event(date="2025-03-12", precision="day"), "2025-04-30") == "2025-W11"
    assert week(_event(date="2025-03", precision="month"), "2025-03-20T10:00:00") == "2025-W12"
    assert week(_event(), None) == "undated"
