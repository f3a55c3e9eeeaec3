"""The article's facts are derived once (transforms/resolution/facts.py) and read by both
extraction and resolution."""
import datetime as dt

from transforms.resolution import article_facts, dateline_place
from transforms.shapes import make_participant


def test_facts_of_a_wire_article():
    text = "RABAT, Oct 19 - King Mohammed met the visiting president."
    facts = article_facts({"text": text, "dateline": "RABAT, Oct 19", "body_start": 16,
                           "published_at": "2019-10-19T08:00:00", "language": "en"})
    assert facts.published == dt.date(2019, 10, 19)
    assert facts.dateline_country == "MAR"
    assert facts.dateline_location == {"name": "Rabat", "start": 0, "end": 5, "inferred": False}
    assert (facts.language, facts.body_start) == ("en", 16)


def test_facts_of_an_article_without_dateline_or_date():
    facts = article_facts({"text": "No dateline here.", "published_at": "not a date at all"})
    assert facts.dateline is None and facts.dateline_country is None and facts.dateline_location is None
    assert facts.published is None and facts.body_start == 0


def _day(published_at, dateline):
    return article_facts({"text": "", "published_at": published_at, "dateline": dateline}).published


def test_today_is_the_datelines_day_when_it_names_one_near_publication():
    # wire copy stamped in GMT: written in Tokyo on the 24th, published on the 23rd
    assert _day("1987-04-23T19:48:47", "TOKYO, April 24") == dt.date(1987, 4, 24)
    assert _day("1987-04-09T08:16:39", "WASHINGTON, April 8") == dt.date(1987, 4, 8)
    assert _day("1987-12-31T22:00:00", "TOKYO, Jan 1") == dt.date(1988, 1, 1)
    # no day in the dateline, or one too far from publication: the publication day
    assert _day("1987-04-09T08:16:39", "WASHINGTON") == dt.date(1987, 4, 9)
    assert _day("1987-04-09T08:16:39", "LONDON, March 2") == dt.date(1987, 4, 9)


def test_the_dateline_place_keeps_its_region_for_the_gazetteer():
    assert dateline_place("HELENA, Mont., June 29") == "HELENA, Mont."
    assert article_facts({"text": "", "dateline": "HELENA, Mont., June 29"}).dateline_location["name"] == "Helena"


def test_one_participant_shape():
    assert make_participant("Morocco", "host", "GPE", country="MAR") == {
        "name": "Morocco", "aliases": [], "role": "host", "entity_type": "GPE", "title": None, "country": "MAR",
        "start": None, "end": None}
