"""Well-known actors' own countries (lexicons/known_actors.yaml): the last fallback of a
record's country, after everything the article tells."""
import datetime as dt

import pytest

from transforms.lexicon import load
from transforms.resolution import known_actors, resolve_events
from transforms.resolution.countries import country_name, normalize
from transforms.resolution.known_actors import body_country, person_country
from transforms.resolution.offices import participant_country


@pytest.mark.parametrize("name, when, code", [
    ("Tony Blair", None, "GBR"),               # a full name needs no date
    ("Gerhard Schroeder", None, "DEU"),        # a spelling the press uses ("Schröder")
    ("Kim Jong-un", None, "PRK"),              # hyphens and case do not matter
    ("George W Bush", None, "USA"),
    ("Blair", dt.date(2005, 3, 1), "GBR"),     # a family name alone, in the years it meant him
    ("Trump", dt.date(2018, 6, 12), "USA"),
    ("Trudeau", dt.date(1980, 1, 1), "CAN"),   # two Trudeaus, one at a time
    ("Trudeau", dt.date(2016, 1, 1), "CAN"),
])
def test_person_country(name, when, code):
    assert person_country(name, when) == code


@pytest.mark.parametrize("name, when", [
    ("Blair", dt.date(2015, 3, 1)),   # out of the years the lexicon gives the name alone
    ("Blair", None),                   # no date: a name alone says nothing
    ("Kim", dt.date(2018, 6, 12)),     # shared by the leaders of two states
    ("Michael Jordan", None),
    ("", None),
])
def test_person_country_unknown(name, when):
    assert person_country(name, when) is None


def test_a_name_alone_that_fits_two_countries_gives_none(monkeypatch):
    table = {"people": [{"name": "Ann Lee", "country": "AAA", "short": "Lee", "years": [2000, 2010]},
                        {"name": "Bo Lee", "country": "BBB", "short": "Lee", "years": [2005, 2015]}],
             "organisations": []}
    monkeypatch.setattr(known_actors, "load", lambda name: table)
    known_actors._people.cache_clear()
    try:
        assert person_country("Lee", dt.date(2003, 1, 1)) == "AAA"
        assert person_country("Lee", dt.date(2007, 1, 1)) is None
        assert person_country("Lee", dt.date(2012, 1, 1)) == "BBB"
    finally:
        known_actors._people.cache_clear()


@pytest.mark.parametrize("name, code", [
    ("the FBI", "USA"), ("Republicans", "USA"), ("Taliban", "AFG"), ("Kremlin", "RUS"), ("Acme Widgets", None),
])
def test_body_country(name, code):
    assert body_country(name) == code


def test_a_body_record_takes_its_known_country():
    assert participant_country({"name": "the Taliban", "entity_type": "NORP", "country": None}) == "AFG"
    assert participant_country({"name": "FBI", "entity_type": "ORG", "country": None}) == "USA"


def _meeting(*participants):
    return {"event_type": "meeting", "status": "occurred", "participants": list(participants),
            "location": None, "date_text": None, "event_date": None, "date_precision": "unknown"}


def _person(name, country=None):
    return {"name": name, "role": "participant", "entity_type": "PERSON", "title": None, "country": country}


def test_a_record_gives_a_known_person_the_country_of_the_articles_day():
    article = {"article_id": "a1", "published_at": "2005-03-01T10:00:00", "dateline": None}
    [event] = resolve_events([_meeting(_person("Blair"), _person("Schroeder"), _person("Jane Doe"))], article)
    assert [p["country"] for p in event["participants"]] == ["GBR", "DEU", None]
    later = {**article, "published_at": "2015-03-01T10:00:00"}
    [event] = resolve_events([_meeting(_person("Blair"))], later)
    assert event["participants"][0]["country"] is None


def test_what_the_article_tells_comes_before_the_lexicon():
    article = {"article_id": "a1", "published_at": "2005-03-01T10:00:00", "dateline": None}
    [event] = resolve_events([_meeting(_person("Blair", country="Canadian"))], article)
    assert event["participants"][0]["country"] == "CAN"


def test_lexicon_entries_are_well_formed():
    table = load("known_actors")
    full = {}
    for entry in table["people"]:
        assert country_name(entry["country"]), entry
        assert ("short" in entry) <= ("years" in entry), entry
        if "years" in entry:
            first, last = entry["years"]
            assert 1900 < first <= last <= 2100, entry
        for form in [entry["name"], *(entry.get("also") or [])]:
            key = normalize(form)
            if " " in key:
                assert full.setdefault(key, entry["country"]) == entry["country"], f"{form} names two countries"
    for entry in table["organisations"]:
        assert country_name(entry["country"]), entry


def _told_countries(nlp, text: str) -> dict:
    """{participant: the country extraction reads for it} of ``text``'s first meeting."""
    from transforms.extraction import extract_events
    from transforms.ingest.articles import make_article, nlp_text
    from transforms.resolution.offices import told_country

    article = make_article({"id": "t", "text": text, "published_at": "2019-05-05"})
    [meeting] = [e for e in extract_events(nlp(nlp_text(article)), article) if e["event_type"] == "meeting"]
    return {part["name"]: country_name(told_country(part)) for part in meeting["participants"]}


def test_a_known_office_holder_keeps_his_country_in_a_story_datelined_abroad(nlp):
    # "President X" with no nationality takes the dateline's country, unless X is well known
    text = ("ASHGABAT, May 5 (Reuters) - President Vladimir Putin met President Serdar Berdimuhamedov "
            "on Monday to discuss gas exports.")
    assert _told_countries(nlp, text)["Vladimir Putin"] == "Russia"
    text = "ASHGABAT, May 5 (Reuters) - President Jane Doe met President Serdar Berdimuhamedov on Monday."
    assert _told_countries(nlp, text)["Jane Doe"] == "Turkmenistan"
