"""Guards, status and record completeness of transforms.extraction on short invented texts."""
from __future__ import annotations

import pytest

from transforms.extraction import extract_events, propose_events
from transforms.resolution import resolve_events


def _events(nlp, text, published="2022-05-31T09:00:00", dateline=None):
    article = {"article_id": "t", "text": text, "body_start": 0, "published_at": published, "dateline": dateline}
    return extract_events(nlp(text), article)


def _resolved(nlp, text, published="2022-05-31T09:00:00", dateline=None):
    article = {"article_id": "t", "text": text, "body_start": 0, "published_at": published, "dateline": dateline}
    return resolve_events(extract_events(nlp(text), article), article)


def _proposed(nlp, text, dateline=None):
    """Every proposed event (before the learned decision): what the place rules read."""
    article = {"article_id": "t", "text": text, "body_start": 0, "published_at": "2022-05-31T09:00:00", "dateline": dateline}
    return [draft.event for draft in propose_events(nlp(text), article)]


def _of(events, kind):
    return [e for e in events if e["event_type"] == kind]


# --- guards: no state visit ---------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "The home side visited Manchester for an away game on Saturday and lost two-nil.",
    "The team visits Liverpool next week for the cup match against their old rivals.",
    "Readers can visit the website of the ministry for the full list of measures.",
    "Tragedy visited the small town again when the river burst its banks.",
    "Disaster visited the coastal villages twice in one year.",
])
def test_no_visit_for_sports_websites_and_metaphors(nlp, text):
    assert not _of(_events(nlp, text), "state_visit")


# --- negation and hypotheticals ------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "The two foreign ministers did not meet in Vienna on Monday.",
    "If they sign the treaty, sanctions will be lifted.",
    "Will the presidents meet in Geneva next month?",
])
def test_negated_or_hypothetical_gives_no_event(nlp, text):
    assert not [e for e in _events(nlp, text) if e["event_type"] in ("meeting", "agreement_signed")]


# --- status ------------------------------------------------------------------------------

def test_present_tense_with_future_weekday_is_planned(nlp):
    text = "The Bundesbank is unlikely to change policy when its central bank council meets on Thursday."
    events = _resolved(nlp, text, published="1987-06-02T11:00:00")
    meeting = _of(events, "meeting")[0]
    assert meeting["status"] == "planned"
    assert meeting["event_date"] == "1987-06-04"


def test_next_weeks_summit_is_planned_despite_past_tense(nlp):
    text = "The central bank could act if it wanted a gesture before next week's Venice summit."
    meeting = _of(_events(nlp, text), "meeting")[0]
    assert meeting["status"] == "planned"


def test_later_month_on_event_noun_is_planned(nlp):
    text = "Analysts predicted the prime minister might step down just after the June summit of leaders from major industrial democracies."
    meeting = _of(_resolved(nlp, text, published="1987-04-23T19:00:00"), "meeting")[0]
    assert meeting["status"] == "planned"
    assert meeting["event_date"] == "1987-06"


def _proposed_on(nlp, text, published):
    article = {"article_id": "t", "text": text, "body_start": 0, "published_at": published}
    return [draft.event for draft in propose_events(nlp(text), article)]


@pytest.mark.parametrize("text, kind, status", [
    # a day later in the publication year on an event noun, whatever the tense around it
    ("The May 11-13 ministerial meeting of the council has taken on added significance.", "meeting", "planned"),
    # a present-simple verb with a span that starts later
    ("The executive board meets here March 30 to April 1, delegates said.", "meeting", "planned"),
    # a day already past: the verb's tense decides
    ("The two ministers met on March 3 in Vienna.", "meeting", "occurred"),
    # a past participle naming a done event, under a modal that governs something else
    ("Officials warned that the move would violate a ceasefire agreement signed March 5 in Minsk.",
     "agreement_signed", "occurred"),
    # an event noun after "ahead of" is still to come, past tense around it or not
    ("The dollar rose on Friday ahead of the meeting of G7 finance ministers in Paris.", "meeting", "planned"),
    # a present progressive with a weekday other than the publication day (a Friday)
    ("European Union finance ministers are meeting on Tuesday in Brussels to discuss the tax.", "meeting", "planned"),
    ("European Union finance ministers are meeting on Friday in Brussels to discuss the tax.", "meeting", "occurred"),
])
def test_status_from_the_day_and_the_participle(nlp, text, kind, status):
    events = _of(_proposed_on(nlp, text, "1987-03-20T10:00:00"), kind)
    assert events and {e["status"] for e in events} == {status}


@pytest.mark.parametrize("text, published, date_text, status", [
    # the tagger makes the year an entity apart from "July 4-5": one date
    ("The delegates discussed plans for the 3rd Conference on Recovery in Moldova, which will be held on "
     "July 4-5, 2022 in Basel.", "2021-10-28", "on July 4-5, 2022", "planned"),
    # an event noun dated later than the publication day, with its year: still to come
    ("The summit of July 4-5, 1987 in Lugano has taken on added significance.", "1987-03-20", "of July 4-5, 1987",
     "planned"),
    ("The summit of July 4-5, 1988 in Lugano has taken on added significance.", "1987-03-20", "of July 4-5, 1988",
     "planned"),
    # a day of an earlier year: the verb's tense decides
    ("The summit of July 4-5, 1986 in Lugano has taken on added significance.", "1987-03-20", "of July 4-5, 1986",
     "occurred"),
])
def test_a_day_named_with_its_year(nlp, text, published, date_text, status):
    events = _of(_proposed_on(nlp, text, published + "T10:00:00"), "meeting")
    assert [(e["date_text"], e["status"]) for e in events] == [(date_text, status)]


@pytest.mark.parametrize("text, status, date_text", [
    # an event noun that is the passive subject of a planning verb, with the time it is set for
    ("The annual meeting of the agency is scheduled for July in Geneva.", "planned", "for July"),
    # "going to": the lemma is "go", the plan is in the form
    ("Diplomats from several countries are going to meet for a second round of talks in Vienna.", "planned", None),
    # a length after "for" dates nothing
    ("Foreign ministers met for three hours in Vienna on Monday.", "occurred", "on Monday"),
])
def test_a_meeting_set_for_a_time_is_planned(nlp, text, status, date_text):
    events = [e for e in _of(_proposed_on(nlp, text, "1987-03-20T10:00:00"), "meeting") if e["trigger"]["text"] != "talks"]
    assert [(e["status"], e["date_text"]) for e in events] == [(status, date_text)]


def test_an_event_prepared_for_is_to_come(nlp):
    text = "The bankers gathered in Geneva in preparation for the summit of the two presidents."
    statuses = {e["trigger"]["text"]: e["status"] for e in _of(_proposed_on(nlp, text, "1987-03-20T10:00:00"), "meeting")}
    assert statuses == {"summit": "planned"}


def test_the_one_date_of_a_sentence_dates_an_event_its_clauses_leave_undated(nlp):
    text = "The two leaders discussed trade during a meeting Monday on the sidelines of the summit."
    dates = {e["trigger"]["text"]: e["date_text"] for e in _of(_proposed_on(nlp, text, "2013-06-19T10:00:00"), "meeting")}
    assert dates == {"meeting": "Monday", "summit": "Monday"}  # "Monday" hangs on "meeting" only


def test_a_sentence_with_two_dates_leaves_an_untied_event_undated(nlp):
    text = "On Tuesday officials said that their meeting had been useful and that a report would follow in May."
    meetings = _of(_proposed_on(nlp, text, "2013-06-19T10:00:00"), "meeting")
    assert meetings and all(e["date_text"] != "May" for e in meetings)


@pytest.mark.parametrize("text", [
    "The government called off a planned meeting with the union leaders.",
    "The summit between the two presidents was postponed.",
])
def test_called_off_or_postponed_is_cancelled(nlp, text):
    meetings = _of(_events(nlp, text), "meeting")
    assert meetings and all(e["status"] == "cancelled" for e in meetings)


# --- places, dates and attendees -----------------------------------------------------------

def test_city_naming_a_summit_is_its_place_not_a_participant(nlp):
    text = "The ministers will prepare the agenda of the Venice summit next week."
    meeting = _of(_events(nlp, text), "meeting")[0]
    assert meeting["location"]["name"] == "Venice"
    assert all(p["name"] != "Venice" for p in meeting["participants"])


def test_meeting_inside_a_summit_is_a_second_event(nlp):
    text = ("The American president hosts a meeting with leaders of Southeast Asian nations "
            "during a summit held in California on Monday.")
    assert len(_of(_events(nlp, text), "meeting")) == 2


def test_misattached_object_after_gerund(nlp):
    text = "The prime minister spoke in remarks ahead of meeting Secretary of State John Kerry November 8."
    meetings = _of(_events(nlp, text), "meeting")
    assert meetings
    assert "John Kerry" in {p["name"] for p in meetings[0]["participants"]}


def test_relative_clause_attendee_despite_misparse(nlp):
    text = ("Emomali Rahmon met with Ayatollah Khamenei in Tehran on Monday. "
            "In the meeting, which was also attended by the Iranian president Ebrahim Raisi, Rahmon expressed his pleasure.")
    meeting = _of(_events(nlp, text), "meeting")[0]
    assert ("Ebrahim Raisi", "attendee") in {(p["name"], p["role"]) for p in meeting["participants"]}


def test_talks_take_place_and_date_of_the_same_trip(nlp):
    text = ("Emomali Rahmon, the president of Tajikistan, met with Ali Khamenei in Tehran on Monday. "
            "Raisi made his first foreign visit to Tajikistan last year. "
            "Rahmon also referred to his talks with Ebrahim Raisi.")
    talks = [e for e in _of(_events(nlp, text), "meeting") if e["trigger"]["text"] == "talks"]
    assert talks and talks[0]["location"]["name"] == "Tehran"
    assert talks[0]["date_text"] == "on Monday"


@pytest.mark.parametrize("text, place", [
    # the place inside an apposition, or hung on a time phrase by the parser
    ("The chancellor will meet the prime minister in the Danish capital Copenhagen.", "Copenhagen"),
    ("The two foreign ministers met privately for three hours in the Austrian capital Vienna on Tuesday.", "Vienna"),
    # a venue naming the meeting
    ("The senators agreed at a Monday White House meeting to resume the budget talks.", "White House"),
    # talks that are the purpose of a trip take place where the trip goes
    ("The trade minister will go on to Madrid for talks with Spanish officials tomorrow.", "Madrid"),
    ("The vote comes after the prime minister's visit to Lisbon for a bilateral summit.", "Lisbon"),
    # a relative clause telling where the meeting is held
    ("Leaders will gather for the summit, which will be held in Lyon on June 3.", "Lyon"),
    ("The delegates discussed the next session of the assembly, which will take place in Lyon in June.", "Lyon"),
    # "where" on the place the traveller goes to; "while in" on the clause the meeting is coordinated with
    ("The governor flew to Denver, where he plans to meet the families of the victims.", "Denver"),
    # "where" hung on the date after the place ("on Monday, where"); the place the small model left untagged
    ("President Anna Lind of Sweden visited Kyiv on Monday, where she met President Ivan Petrenko.", "Kyiv"),
    ("The minister flew to Paris last week, where he held talks with his French counterpart.", "Paris"),
    ("While in Sevastopol, the president will lay a wreath and will also meet the governor.", "Sevastopol"),
])
def test_meeting_place_read_from_its_clause(nlp, text, place):
    meetings = _of(_proposed(nlp, text), "meeting")
    assert [m["location"]["name"] for m in meetings if m["location"]] == [place]


@pytest.mark.parametrize("text", [
    "Analysts expect little from the G20 summit next month.",  # a group, not a place
    "The union congress discussed the summit, which was founded in Lyon in 1950.",  # not where it is held
])
def test_names_that_do_not_place_a_meeting(nlp, text):
    meetings = _of(_proposed(nlp, text), "meeting")
    assert meetings and all(m["location"] is None for m in meetings)


def test_visit_of_a_guest_to_a_city_places_talks_held_during_it(nlp):
    text = "During the visit of the Polish president to Vilnius, the two leaders also held talks on energy."
    events = _proposed(nlp, text)
    assert {e["event_type"]: e["location"]["name"] for e in events} == {"state_visit": "Vilnius", "meeting": "Vilnius"}


def test_signing_after_talks_in_a_city(nlp):
    text = "The agreements were sealed after talks in New Delhi between the producers and the consumers."
    signed = _of(_events(nlp, text), "agreement_signed")[0]
    assert signed["location"]["name"] == "New Delhi"


def test_a_facility_without_a_stated_place_is_put_in_its_organisations_home_city(nlp):
    text = ("Lisbon's marine research centre, Atlantic Ocean Institute, is to shut down, its owners said. "
            "Since its opening in 2015, the centre has trained 300 scientists.")
    [opening] = _of(_resolved(nlp, text), "facility_opened")
    assert (opening["location"]["name"], opening["location"]["country"]) == ("Lisbon", "PRT")
    assert opening["location"]["inferred"] is True
    assert [p["name"] for p in opening["participants"]] == ["Atlantic Ocean Institute"]
