from transforms.output.identity import actors, assign_event_ids, block, event_id, month, organisation_key, week


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


def test_blocks_are_months_of_the_event_day_or_month_else_of_publication():
    assert month(_event(date="2025-03-12", precision="day"), "2025-04-30") == "2025-03"
    assert month(_event(date="2025-03", precision="month"), "2025-02-20T10:00:00") == "2025-03"
    assert month(_event(date="2025", precision="year"), "2025-02-20T10:00:00") == "2025-02"
    assert month(_event(), None) == "undated"


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


# --- who, status, article: the rules of transforms/output/identity.py --------------------------------------

def _report(record_id, article_id, event_type, people_, place, day, status="occurred", roles=None,
            published="2025-06-10T10:00:00"):
    """An `events` row: ``people_`` are (name, country, entity_type) of principal participants."""
    from datetime import datetime, timezone

    participants = [_p(name, (roles or {}).get(name, "participant"), country, kind) for name, country, kind in people_]
    event = {**_event(event_type, participants, {"name": place[0], "country": place[1]} if place else None,
                      day, "day" if day else "unknown"), "status": status}
    return {**event, "record_id": record_id, "event_id": event_id(event, published),
            "article": {"article_id": article_id,
                        "published_at": datetime.fromisoformat(published).replace(tzinfo=timezone.utc)}}


def _ids(rows):
    return {row["record_id"]: row["event_id"] for row in assign_event_ids(rows)}


def test_two_records_of_one_article_never_share_an_id():
    rows = [_report("r1", "a1", "meeting", [("Ana Ruiz", "CHL", "PERSON")], ("Lima", "PER"), "2025-06-10"),
            _report("r2", "a1", "meeting", [("Ana Ruiz", "CHL", "PERSON")], ("Lima", "PER"), "2025-06-10")]
    ids = _ids(rows)
    assert ids["r1"] != ids["r2"]


def test_one_leader_meeting_two_counterparts_in_a_day_gives_two_events():
    karaca, mammadli, beridze = ("Selim Karaca", None, "PERSON"), ("Rauf Mammadli", None, "PERSON"), ("Levan Beridze", None, "PERSON")
    rows = [_report("r1", "a1", "meeting", [karaca, mammadli], ("Ankara", "TUR"), "2025-06-25"),
            _report("r2", "a2", "meeting", [karaca, beridze], ("Ankara", "TUR"), "2025-06-25"),
            _report("r3", "a3", "meeting", [("Karaca", None, "PERSON"), ("Mammadli", None, "PERSON")], None, "2025-06-25")]
    ids = _ids(rows)
    assert ids["r1"] != ids["r2"] and ids["r3"] == ids["r1"]


def test_a_guests_two_trips_and_two_guests_to_one_country_stay_apart():
    guest = {"Tomas Vial": "guest", "Ana Soto": "guest"}
    rows = [_report("r1", "a1", "state_visit", [("Tomas Vial", "CHL", "PERSON")], ("Buenos Aires", "ARG"), "2025-06-02", roles=guest),
            _report("r2", "a2", "state_visit", [("Vial", "CHL", "PERSON")], ("Montevideo", "URY"), "2025-06-03", roles=guest),
            _report("r3", "a3", "state_visit", [("Ana Soto", "CHL", "PERSON")], ("Buenos Aires", "ARG"), "2025-06-02", roles=guest)]
    assert len(set(_ids(rows).values())) == 3


def test_an_announced_visit_joins_the_visit_but_occurred_and_cancelled_never_do():
    guest = {"Tsogt Enkhbold": "guest", "Enkhbold": "guest"}
    people_ = [("Tsogt Enkhbold", "MNG", "PERSON")]
    rows = [_report("r1", "a1", "state_visit", people_, ("Seoul", "KOR"), "2025-09-05", "planned", guest, "2025-09-02T08:00:00"),
            _report("r2", "a2", "state_visit", [("Enkhbold", "MNG", "PERSON")], ("Seoul", "KOR"), "2025-09-05", roles=guest,
                    published="2025-09-05T18:00:00"),
            _report("r3", "a3", "state_visit", people_, ("Seoul", "KOR"), "2025-09-05", "cancelled", guest,
                    "2025-09-06T08:00:00")]
    ids = _ids(rows)
    assert ids["r1"] == ids["r2"] != ids["r3"]


def test_a_report_naming_only_countries_joins_only_the_one_event_it_fits():
    one = [_report("r1", "a1", "state_visit", [("Sipho Mahlangu", "ZAF", "PERSON")], ("Hanoi", "VNM"), "2025-06-17"),
           _report("r2", "a2", "state_visit", [("South Africa", "ZAF", "GPE")], ("Hanoi", "VNM"), "2025-06-17")]
    ids = _ids(one)
    assert ids["r1"] == ids["r2"]
    two = one[:1] + [_report("r0", "a0", "state_visit", [("Thandi Nkosi", "ZAF", "PERSON")], ("Hanoi", "VNM"), "2025-06-17",
                             published="2025-06-09T10:00:00")] + one[1:]
    ids = _ids(two)
    assert ids["r2"] not in (ids["r0"], ids["r1"])  # two South African visits fit: it starts its own


def test_person_keys_are_proper_names_only():
    from transforms.output.identity import person_key

    assert person_key(_p("President Aino Virtanen", "guest")) == ["aino", "virtanen"]
    assert person_key(_p("Chilean Foreign Minister Tomas Vial", "guest", entity_type="ORG")) == ["tomas", "vial"]
    assert person_key(_p("Karaca", "participant", entity_type="GPE")) == ["karaca"]  # no place of that name
    for description in ("Sri Lanka's president", "the Finnish premier", "Chief of General Staff of the Army"):
        assert person_key(_p(description, "guest")) is None, description
    assert person_key(_p("Tokyo", "host", entity_type="GPE")) is None


def test_an_announcement_dated_by_month_joins_the_visit_reported_to_the_day():
    guest = {"Samuel Kariuki": "guest", "Kariuki": "guest"}
    announced = _report("r1", "a1", "state_visit", [("Samuel Kariuki", "KEN", "PERSON")], ("Accra", "GHA"), None, "planned",
                        guest, "2025-03-04T08:00:00")
    announced.update(event_date="2025-03", date_precision="month")  # "later this month", published two weeks ahead
    arrived = _report("r2", "a2", "state_visit", [("Kariuki", "KEN", "PERSON")], ("Accra", "GHA"), "2025-03-18", roles=guest,
                      published="2025-03-18T18:00:00")
    assert block(announced) == block(arrived)
    ids = _ids([announced, arrived])
    assert ids["r1"] == ids["r2"]


def test_a_surname_that_fits_two_meetings_joins_the_one_whose_countries_agree():
    karaca = ("Selim Karaca", "TUR", "PERSON")
    rows = [_report("r1", "a1", "meeting", [karaca, ("Rauf Mammadli", "AZE", "PERSON")], ("Ankara", "TUR"), "2025-06-25"),
            _report("r2", "a2", "meeting", [karaca, ("Levan Beridze", "GEO", "PERSON")], ("Ankara", "TUR"), "2025-06-25"),
            _report("r3", "a3", "meeting", [("Karaca", None, "PERSON"), ("Georgia", "GEO", "GPE")], ("Ankara", "TUR"), "2025-06-25")]
    ids = _ids(rows)
    assert ids["r3"] == ids["r2"] != ids["r1"]
