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


def test_the_dateline_place_keeps_its_region_for_the_gazetteer():
    assert dateline_place("HELENA, Mont., June 29") == "HELENA, Mont."
    assert article_facts({"text": "", "dateline": "HELENA, Mont., June 29"}).dateline_location["name"] == "Helena"


def test_one_participant_shape():
    assert make_participant("Morocco", "host", "GPE", country="MAR") == {
        "name": "Morocco", "aliases": [], "role": "host", "entity_type": "GPE", "title": None, "country": "MAR",
        "start": None, "end": None}
