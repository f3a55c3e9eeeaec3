from transforms.identity import actors, assign_event_ids, event_id, organisation_key, week


def _event(event_type="state_visit", participants=(), location=None, date=None, precision="unknown"):
    return {"event_type": event_type, "participants": list(participants), "location": location,
            "event_date": date, "date_precision": precision}


def _p(name, role, country=None, entity_type="PERSON"):
    return {"name": name, "role": role, "country": country, "entity_type": entity_type}


def test_differently_worded_reports_of_one_visit_share_an_id():
    rows = [
        _row("r1", "state_visit", [("Aino Virtanen", "FIN"), ("Japan", "JPN")], ("Tokyo", "JPN"), "2025-03-12"),
        _row("r2", "state_visit", [("Virtanen", "FIN")], ("Tokyo", "JPN"), None, published="2025-03-13T08:00:00"),
        _row("r3", "state_visit", [("the Finnish premier", "FIN"), ("Kenji Morita", "JPN")], None, "2025-03-12"),
    ]
    assert len({row["event_id"] for row in assign_event_ids(rows)}) == 1


def test_same_leader_same_country_three_weeks_apart_are_two_events():
    visit = _event(participants=[_p("Aino Virtanen", "guest", "FIN")], location={"name": "Tokyo", "country": "JPN"})
    assert event_id(visit, "2025-03-12T10:00:00") != event_id(visit, "2025-04-02T10:00:00")


def test_type_separates_a_meeting_from_a_signing_of_the_same_day():
    sides = [_p("Kenya", "signatory", "KEN", "GPE"), _p("Tanzania", "signatory", "TZA", "GPE")]
    assert event_id(_event("agreement_signed", sides), "2025-05-20") != event_id(_event("meeting", sides), "2025-05-20")


def test_company_events_use_names_without_legal_forms_and_the_place():
    one = _event("facility_opened", [_p("Nordvik Motors AB", "opener", entity_type="ORG")], {"name": "Wroclaw"})
    two = _event("facility_opened", [_p("the Nordvik Motors group", "opener", entity_type="ORG")], {"name": "Wroclaw"})
    assert actors(one) == ["nordvik"]  # no country known: the organisation alone
    assert event_id(one, "2025-04-03") == event_id(two, "2025-04-04")
    placed = _event("facility_opened", [_p("Nordvik Motors", "opener", entity_type="ORG")],
                    {"name": "Austin", "country": "USA"})
    assert actors(placed) == ["USA", "nordvik"]
    assert organisation_key("Harbourline Group plc") == "harbourline"
    assert organisation_key("General Motors Corp") == "general motors"


def test_week_prefers_a_known_day_and_falls_back_to_publication():
    assert week(_event(date="2025-03-12", precision="day"), "2025-04-30") == "2025-W11"
    assert week(_event(date="2025-03", precision="month"), "2025-03-20T10:00:00") == "2025-W12"
    assert week(_event(), None) == "undated"


def _row(record_id, event_type, actors_, place, day, published="2025-03-12T10:00:00"):
    from datetime import datetime, timezone

    participants = [_p(name, "participant", country) for name, country in actors_]
    event = _event(event_type, participants, {"name": place[0], "country": place[1]} if place else None,
                   day, "day" if day else "unknown")
    return {**event, "record_id": record_id, "event_id": event_id(event, published),
            "article": {"article_id": record_id, "published_at": datetime.fromisoformat(published).replace(tzinfo=timezone.utc)}}


def test_nested_actor_sets_join_one_cluster_and_disjoint_ones_do_not():
    rows = [
        _row("r1", "meeting", [("Aino Virtanen", "FIN"), ("Kenji Morita", "JPN")], ("Tokyo", "JPN"), "2025-03-12"),
        _row("r2", "meeting", [("the Japanese premier", "JPN")], None, "2025-03-12"),
        _row("r3", "meeting", [("Kenji Morita", "JPN"), ("Lee Min", "KOR")], ("Tokyo", "JPN"), "2025-03-14"),
        _row("r4", "meeting", [("Virtanen", "FIN")], ("Osaka", "JPN"), "2025-03-13"),
    ]
    ids = {row["record_id"]: row["event_id"] for row in assign_event_ids(rows)}
    assert ids["r1"] == ids["r2"] == ids["r4"]  # {JPN} and {FIN, JPN} nest with {FIN, JPN}
    assert ids["r3"] != ids["r1"]  # {JPN, KOR} does not nest with {FIN, JPN}
    assert ids == {row["record_id"]: row["event_id"] for row in assign_event_ids(list(reversed(rows)))}


def test_days_further_apart_than_the_tolerance_are_two_events():
    rows = [_row("r1", "state_visit", [("Ana", "CHL")], ("Oslo", "NOR"), "2025-03-10"),
            _row("r2", "state_visit", [("Ana", "CHL")], ("Oslo", "NOR"), "2025-03-14")]
    first, second = assign_event_ids(rows)
    assert first["event_id"] != second["event_id"]
