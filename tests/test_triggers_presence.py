"""Proposals for visits told by presence or arrival, meetings told by verbs that need a
partner, and summits that frame a meeting (invented sentences; before the learned decision)."""
from __future__ import annotations

import pytest

from transforms.candidates import is_candidate
from transforms.extraction import propose_events
from transforms.extraction.triggers import find_candidates


def _proposed(nlp, text):
    article = {"article_id": "t", "text": text, "body_start": 0, "published_at": "2022-05-31T09:00:00"}
    return [draft.event for draft in propose_events(nlp(text), article)]


def _finders(nlp, text, event_type):
    return {c.finder for c in find_candidates(nlp(text)) if c.event_type == event_type}


@pytest.mark.parametrize("text, place", [
    ("The Dutch foreign minister is in Ottawa on Thursday.", "Ottawa"),
    ("The Chilean finance minister was back in Madrid this week.", "Madrid"),
])
def test_an_official_present_abroad_is_a_loose_visit(nlp, text, place):
    visits = [e for e in _proposed(nlp, text) if e["event_type"] == "state_visit"]
    assert [e["location"]["name"] for e in visits] == [place]
    assert any(p["role"] == "guest" for p in visits[0]["participants"])


@pytest.mark.parametrize("text", [
    "The weather is in Ottawa the main topic of conversation.",
    "The answer is in the report.",
])
def test_presence_needs_an_official_in_a_place(nlp, text):
    assert "presence_visit" not in _finders(nlp, text, "state_visit")


@pytest.mark.parametrize("text, place", [
    ("The Peruvian prime minister touched down in Lisbon late on Sunday.", "Lisbon"),
    ("The Kenyan president landed in Oslo for a two-day stay.", "Oslo"),
    ("The Irish trade minister came to Seoul in March.", "Seoul"),
])
def test_arrival_verbs_are_motion_verbs(nlp, text, place):
    candidates = [c for c in find_candidates(nlp(text)) if c.finder == "motion_verb"]
    assert [tok.text for c in candidates for tok in c.destinations] == [place]
    assert is_candidate(text.rstrip(".").split())


@pytest.mark.parametrize("text", [
    "The Greek prime minister huddled with opposition leaders on Tuesday.",
    "The Polish president sat down with the Lithuanian president in Vilnius.",
    "The envoy plans to discuss the border with the Moldovan prime minister.",
])
def test_verbs_that_meet_with_a_partner(nlp, text):
    assert "meet_verb" in _finders(nlp, text, "meeting")
    assert is_candidate(text.rstrip(".").split())


@pytest.mark.parametrize("text", [
    "The committee will discuss the budget on Friday.",
    "The ministers sat in silence.",
])
def test_partner_verbs_without_a_partner_are_no_meeting(nlp, text):
    assert not _finders(nlp, text, "meeting")


def test_the_filter_wants_a_partner_for_partner_verbs():
    assert not is_candidate("The committee will discuss the budget on Friday".split())


def test_a_summit_framing_a_meeting_is_an_event_of_its_own(nlp):
    text = "The Danish prime minister met the Chilean president at the climate summit in Rome."
    meetings = [e for e in _proposed(nlp, text) if e["event_type"] == "meeting"]
    assert sorted(e["trigger"]["text"] for e in meetings) == ["met", "summit"]


def test_a_guest_visiting_two_countries_on_one_trip_gets_both_implied_visits(nlp):
    text = ("The Japanese prime minister Taro Sato will visit Brazil on Monday. "
            "Prime Minister Sato will attend the summit in Lisbon with Portuguese President Ana Costa.")
    visits = [e for e in _proposed(nlp, text) if e["event_type"] == "state_visit"]
    hosts = {p["name"] for e in visits for p in e["participants"] if p["role"] == "host"}
    assert {"Brazil", "Portugal"} <= hosts


@pytest.mark.parametrize("text, place", [
    ("Welcome to Oslo.", "Oslo"),
    ("Mr President, thank you for coming to Norway at such a busy time.", "Norway"),
    ("Madam Chancellor, I would like to thank you again for being here in Norway today.", "Norway"),
    ("I am very glad to see you here in Oslo.", "Oslo"),
    ("It is my pleasure to welcome you in Oslo.", "Oslo"),
])
def test_a_greeting_in_a_transcript_tells_a_visit(nlp, text, place):
    """A host greeting the visitor ("Welcome to Oslo", "thank you for coming to Norway"): the
    visit official transcripts tell only this way; the learned decision judges it."""
    assert "greeting_visit" in _finders(nlp, text, "state_visit")
    assert place in [(e["location"] or {}).get("name") for e in _proposed(nlp, text) if e["event_type"] == "state_visit"]
    assert is_candidate(text.replace(",", "").replace(".", "").split(), text)


@pytest.mark.parametrize("text", [
    "I came to the conclusion that the plan fails.",
    "The team will come to Manchester next week.",
    "We will see you in court.",
    "Thank you for being so patient.",
])
def test_a_greeting_needs_an_addressee_and_a_place(nlp, text):
    assert "greeting_visit" not in _finders(nlp, text, "state_visit")


def test_a_greeting_here_is_read_by_the_filter():
    """ "thank you for finding time to come here": no destination after "come", but "here"."""
    assert is_candidate("Thank you very much for finding time to come here".split())
    assert is_candidate("I am happy to see you here in Russia".split())
    assert not is_candidate("I see the point".split())
