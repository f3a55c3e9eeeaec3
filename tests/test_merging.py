"""One record per event within an article: mentions of one event merge, different events do not.

Invented sentences through the rules' proposals (propose_events: before the learned decision,
so the merging rules are tested alone).
"""
from __future__ import annotations

import pytest

from transforms.extraction import propose_events


def _proposed(nlp, text, published="2025-03-12T09:00:00", kind=None):
    article = {"article_id": "t", "text": text, "body_start": 0, "published_at": published, "dateline": None}
    events = [draft.event for draft in propose_events(nlp(text), article)]
    return [event for event in events if kind is None or event["event_type"] == kind]


def _guests(event):
    return sorted(p["name"] for p in event["participants"] if p["role"] == "guest")


def test_a_country_and_a_city_in_it_are_one_visit(nlp):
    text = "Prime Minister Aino Virtanen arrived in Tokyo on Wednesday for a three-day state visit to Japan."
    [visit] = _proposed(nlp, text, kind="state_visit")
    assert visit["location"]["name"] == "Tokyo"  # the finer place is kept


def test_stages_of_one_trip_in_one_country_are_one_visit(nlp):
    text = ("Indonesian President Bima Santoso arrived in Canberra on Monday for a state visit to Australia. "
            "Santoso will travel to Sydney on Tuesday to meet business leaders.")
    visits = _proposed(nlp, text, published="2025-03-10T18:00:00", kind="state_visit")
    assert len(visits) == 1 and _guests(visits[0]) == ["Bima Santoso"]


def test_trips_to_different_countries_stay_apart(nlp):
    text = "Foreign Minister Ana Ruiz will tour Iraq, Kuwait and Qatar next week."
    visits = _proposed(nlp, text, kind="state_visit")
    assert sorted(v["location"]["name"] for v in visits) == ["Iraq", "Kuwait", "Qatar"]


def test_a_destination_after_as_well_as_is_a_visit_of_its_own(nlp):
    text = "Foreign Minister Ana Ruiz plans to visit Chile, as well as Peru, in early May."
    visits = _proposed(nlp, text, kind="state_visit")
    assert sorted(v["location"]["name"] for v in visits) == ["Chile", "Peru"]
    assert all(_guests(v) == ["Ana Ruiz"] for v in visits)


def _partners(event):
    return sorted(p["name"] for p in event["participants"])


# one event per partner met or signed with apart; the others' names stay out of each
APART = [
    ("President Ana Ruiz is expected to hold bilateral meetings with Samuel Kariuki and Bima Santoso on Friday.",
     "meeting", [["Ana Ruiz", "Bima Santoso"], ["Ana Ruiz", "Samuel Kariuki"]]),
    ("Chile has already held separate talks with Peru and Bolivia, officials said.",
     "meeting", [["Bolivia", "Chile"], ["Chile", "Peru"]]),
    ("Foreign Minister Ana Ruiz met separately with Samuel Kariuki and Bima Santoso on Monday.",
     "meeting", [["Ana Ruiz", "Bima Santoso"], ["Ana Ruiz", "Samuel Kariuki"]]),
    ("Northwind Aviation Corp has signed supply deals with Kestrel Air Inc and Harbour Jet Ltd.",
     "agreement_signed", [["Harbour Jet Ltd", "Northwind Aviation Corp"], ["Kestrel Air Inc", "Northwind Aviation Corp"]]),
]


@pytest.mark.parametrize("text, kind, expected", APART)
def test_partners_met_or_signed_with_apart_are_events_of_their_own(nlp, text, kind, expected):
    events = _proposed(nlp, text, kind=kind)
    assert sorted(_partners(e) for e in events) == expected


def test_the_party_head_is_not_offered_a_sibling_splits_partner(nlp):
    text = "Northwind Aviation Corp has signed supply deals with Kestrel Air Inc and Harbour Jet Ltd."
    article = {"article_id": "t", "text": text, "body_start": 0, "published_at": "2025-03-12T09:00:00", "dateline": None}
    drafts = [d for d in propose_events(nlp(text), article) if d.event["event_type"] == "agreement_signed"]
    assert len(drafts) == 2
    for draft in drafts:
        offered = {part["name"] for part, _features in draft.parties}
        assert not offered & {"Kestrel Air Inc", "Harbour Jet Ltd"}


def test_talks_with_two_partners_are_one_meeting(nlp):
    text = "President Ana Ruiz held talks with Samuel Kariuki and Bima Santoso in Nairobi on Friday."
    [meeting] = _proposed(nlp, text, kind="meeting")
    assert _partners(meeting) == ["Ana Ruiz", "Bima Santoso", "Samuel Kariuki"]


def test_two_officials_visiting_one_country_are_two_visits(nlp):
    text = ("Iranian President Karim Tavakoli made his first foreign visit to Tajikistan last year. "
            "The minister also referred to the recent visit of the Chief of General Staff of the Iranian army to Tajikistan.")
    guests = [_guests(v) for v in _proposed(nlp, text, kind="state_visit")]
    assert ["Karim Tavakoli"] in guests and len(guests) == 2


def test_the_welcomer_hosts_and_its_guest_travels(nlp):
    text = "Ghana welcomed Kenya's head of state, Samuel Kariuki, on Tuesday at the start of a two-day state visit."
    visits = _proposed(nlp, text, kind="state_visit")
    assert all(_guests(v) == ["Samuel Kariuki"] for v in visits)


def test_countries_and_their_ministers_signing_are_one_signing(nlp):
    text = ("Bolivia and Paraguay signed an agreement on Monday for the supply of natural gas. "
            "Paraguayan Public Works Minister Ramon Gimenez and Bolivian Energy Minister Alvaro Choque signed "
            "the accord at the foreign ministry.")
    assert len(_proposed(nlp, text, kind="agreement_signed")) == 1


def test_a_date_told_more_precisely_is_the_same_time(nlp):
    text = ("The central bank's board raised rates at its December meeting. "
            "The board's 14 December meeting also discussed inflation.")
    assert len(_proposed(nlp, text, published="2025-01-05T09:00:00", kind="meeting")) == 1


@pytest.mark.parametrize("text", [
    # "the two leaders" refer back to the named pair
    "German Chancellor Stefan Lorenz met Italian Prime Minister Giulia Ferraro in Rome on Thursday. "
    "The two leaders held talks on migration and energy.",
    # a pair met at a venue no gazetteer knows: the meeting before
    "Nigerian President Adebayo Olaniyan held talks with visiting leaders in Abuja on Thursday. "
    "The two leaders met at the Presidential Villa, where they also discussed regional trade.",
    # sides named by surname are the countries named before
    "The foreign ministers of India and the United Arab Emirates met on Wednesday to review bilateral ties. "
    "Al Mansoori and Mehta held more than two hours of talks at the Emirati foreign ministry.",
])
def test_later_mentions_of_one_meeting_merge(nlp, text):
    assert len(_proposed(nlp, text, kind="meeting")) == 1


def test_one_leaders_meetings_with_two_counterparts_stay_apart(nlp):
    text = ("Turkish President Selim Karaca met Azerbaijani President Rauf Mammadli in Ankara on Wednesday morning. "
            "In the afternoon Karaca met Georgian Prime Minister Levan Beridze.")
    meetings = _proposed(nlp, text, kind="meeting")
    named = [sorted(p["name"] for p in m["participants"]) for m in meetings]
    assert any("Rauf Mammadli" in names for names in named) and any("Levan Beridze" in names for names in named)
    assert not any("Rauf Mammadli" in names and "Levan Beridze" in names for names in named)


def test_a_meeting_abroad_implies_one_visit_that_a_loose_presence_mention_joins(nlp):
    text = ("Kenyan President Samuel Kariuki met Ghanaian President Kofi Mensah in Accra on Monday. "
            "Kariuki is in Accra until Wednesday, officials said.")
    visits = _proposed(nlp, text, kind="state_visit")
    assert len(visits) == 1 and _guests(visits[0]) == ["Samuel Kariuki"] and len(visits[0]["mentions"]) == 2


def test_a_newly_named_person_is_not_the_countries_named_before(nlp):
    text = ("During yesterday's visit to Kyiv by the leaders of France and Germany, new aid was promised. "
            "Boris Johnson visited Kyiv today.")
    assert len(_proposed(nlp, text, kind="state_visit")) == 2


def test_the_executive_who_opened_the_plant_opened_the_companys_plant(nlp):
    text = ("Hoshida Motors opened a vehicle assembly plant in Pune on Tuesday. The factory will build electric scooters. "
            "President Takeshi Arakawa opened the plant with state officials.")
    [opening] = _proposed(nlp, text, kind="facility_opened")
    assert {"Hoshida Motors", "Takeshi Arakawa"} <= {p["name"] for p in opening["participants"]}


def test_a_trip_home_is_not_a_state_visit(nlp):
    text = ("Finnish Prime Minister Aino Virtanen is in Japan on a state visit that began yesterday in Tokyo. "
            "The Finnish prime minister is due to return to Helsinki on Friday evening.")
    places = [v["location"]["name"] for v in _proposed(nlp, text, kind="state_visit")]
    assert places == ["Tokyo"]


def test_a_side_told_by_description_then_surname_is_one_person(nlp):
    text = ("Vietnam will host South Africa's defence minister from Monday, June 23, the ministry announced. "
            "General Pham Duc Long will receive Minister Nkosi in Hanoi.")
    [visit] = _proposed(nlp, text, kind="state_visit")
    [guest] = [p for p in visit["participants"] if p["role"] == "guest"]
    assert guest["name"] == "Nkosi" and "South Africa" in guest["country"] and "South Africa's defence minister" in guest["aliases"]


def test_a_country_written_two_ways_is_one_party_of_a_merged_event(nlp):
    """"the United States" in one mention and "the U.S." (tokenised "U.S" before the final
    period) in the next are one signatory, not two."""
    text = ("Kenya and the United States signed a trade agreement in Nairobi on Tuesday. "
            "The agreement was signed by Kenya and the U.S.")
    for event in _proposed(nlp, text, kind="agreement_signed"):
        codes = [p["country"] for p in event["participants"] if p["role"] == "signatory"]
        assert len(codes) == len(set(codes)), event["participants"]


def test_a_visit_told_again_within_the_trip_that_framed_it_is_one_visit(nlp):
    """ "during his first trip to the city" is the visit the sentence tells, not a point in time."""
    text = ("Prime Minister Lars Ekberg made a surprise trip to Iraq this week. "
            "Before flying home, Mr Ekberg made a surprise visit to Iraq, where he met officials in Baghdad "
            "during his first trip to the city.")
    visits = [v for v in _proposed(nlp, text, published="2025-03-14T09:00:00", kind="state_visit")
              if _guests(v) == ["Lars Ekberg"]]
    assert len(visits) == 1


def test_talks_broken_off_and_talks_that_ended_are_one_meeting(nlp):
    """ "broke off talks" (cancelled once under way) and "negotiations ended Saturday" tell one event."""
    text = ("Norden Motors said it broke off talks aimed at keeping its assembly plant open after the union "
            "rejected its final offer. Negotiations, which continued past a midnight deadline, ended Saturday "
            "after union negotiators voted to reject the proposal, a company spokesman said.")
    assert len(_proposed(nlp, text, published="2025-03-10T09:00:00", kind="meeting")) == 1


def test_talks_called_off_and_talks_held_stay_apart(nlp):
    text = ("The two ministers held talks in Geneva on Monday. "
            "Their meeting planned for Friday was cancelled after the vote.")
    assert len(_proposed(nlp, text, published="2025-03-12T09:00:00", kind="meeting")) == 2


def test_a_drafts_place_says_where_it_comes_from(nlp):
    """Clause, "here" (the clause tells the dateline's place), dateline, inherited from an earlier
    meeting of the same people, inferred from an organisation's home: only a place the clause
    names takes part in merging and lends itself to other events."""
    text = ("WARSAW, May 3 - President Jan Kowal met Chancellor Otto Brandt in Berlin on Monday. "
            "On Wednesday Kowal will meet Economy Minister Eva Lind. "
            "Separately, Prime Minister Ana Ruiz met Foreign Minister Lee Park on Tuesday. "
            "Ruiz said the state visit here by King Olaf would strengthen ties.")
    article = {"article_id": "t", "text": text, "body_start": 15, "published_at": "2025-05-03T09:00:00",
               "dateline": "WARSAW, May 3"}
    places = {(d.event["event_type"], d.event["sentence"]["text"][:12], d.place, d.event["location"]["name"],
               d.event["location"]["inferred"]) for d in propose_events(nlp(text[15:]), article)}
    assert places >= {("meeting", "President Ja", "clause", "Berlin", False),
                      ("meeting", "On Wednesday", "inherited", "Berlin", True),
                      ("meeting", "Separately, ", "dateline", "Warsaw", False),
                      ("state_visit", "Ruiz said th", "clause", "Warsaw", False)}
    text = ("Lisbon's marine research centre, Atlantic Ocean Institute, is to shut down, its owners said. "
            "Since its opening in 2015, the centre has trained 300 scientists.")
    article = {"article_id": "t", "text": text, "body_start": 0, "published_at": "2025-05-03T09:00:00", "dateline": None}
    [opening] = [d for d in propose_events(nlp(text), article) if d.event["event_type"] == "facility_opened"]
    assert (opening.place, opening.event["location"]["name"], opening.event["location"]["inferred"]) == (
        "inferred", "Lisbon", True)


def test_a_meeting_told_as_held_keeps_its_status_and_no_later_date(nlp):
    """A verb told in the past says the meeting happened; a later mention told as ahead ("will
    resume next week") neither makes it planned nor dates it."""
    text = "Finance Minister Jan Holm met Prime Minister Aino Laine in Oslo. The meeting will resume next week, officials said."
    [meeting] = _proposed(nlp, text, kind="meeting")
    assert (meeting["status"], meeting["date_text"]) == ("occurred", None)


def test_an_undated_summit_named_as_ahead_later_is_planned(nlp):
    """A noun mention says nothing of time by itself: the one date the article gives it, ahead,
    makes it planned ("next week's summit")."""
    text = "The summit of Nordic leaders drew protesters. Officials said the summit would open next week in Bergen."
    [meeting] = _proposed(nlp, text, kind="meeting")
    assert (meeting["status"], meeting["date_text"]) == ("planned", "next week")
