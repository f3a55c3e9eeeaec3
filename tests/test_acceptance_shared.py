"""Measured acceptance on ../shared/data: the seed and the dev set, run through the real pipeline.

Skipped with a reason when ../shared is absent (a user's fresh clone); CI has it.
"""
from __future__ import annotations

import pytest

from pipelines.extract import run
from transforms.evaluation import evaluate, load_gold
from pipelines.evaluate import read_output

pytestmark = [pytest.mark.shared, pytest.mark.slow]


@pytest.fixture(scope="module")
def dev_run(dev_output):
    return read_output(dev_output)


def test_seed_finds_six_of_seven_including_the_factory(dev_run, shared_data):
    result = evaluate(load_gold(shared_data / "seed" / "gold.jsonl"), dev_run)
    detection = result["detection"]
    assert detection["overall"]["tp"] >= 6
    assert detection["facility_opened"]["tp"] == 1


@pytest.mark.xfail(strict=True, reason="the rules propose 'all the signed documents' (no party named, in a quote); "
                                       "the decision model scores it 0.19, under its threshold")
def test_seed_finds_the_agreements(dev_run, shared_data):
    result = evaluate(load_gold(shared_data / "seed" / "gold.jsonl"), dev_run)
    assert result["detection"]["agreement_signed"]["tp"] == 1


def test_seed_records_are_different_events(dev_run, shared_data, nlp):
    """Records of one article that survive merging are different events: Raisi's visit to
    Tajikistan and the Chief of General Staff's are two records, both kept, and every kept
    record (the Rahmon visit and the two Tehran meetings among them) has its own event_id."""
    from transforms.analysis import spacy_text
    from transforms.ingest.articles import parse_story_text
    from transforms.extraction import propose_events

    path = shared_data / "seed" / "khamenei_rahmon_2022-05-31.txt"
    article = parse_story_text(path.read_text(), str(path))
    visits = [d.event for d in propose_events(nlp(spacy_text(article)), article) if d.event["event_type"] == "state_visit"]
    guests = [sorted(p["name"] for p in visit["participants"] if p["role"] == "guest") for visit in visits]
    assert ["Ebrahim Raisi"] in guests
    assert ["Chief of General Staff of the Armed Forces of the Islamic Republic of Iran"] in guests
    records = next(events for key, events in dev_run.items() if "khamenei" in key)
    assert len({r["event_id"] for r in records}) == len(records) >= 6
    kept = [sorted(p["name"] for p in r["participants"] if p["role"] == "guest") for r in records if r["event_type"] == "state_visit"]
    assert ["Ebrahim Raisi"] in kept and ["Chief of General Staff of the Armed Forces of the Islamic Republic of Iran"] in kept
    # >= 2: "In the meeting, ... meeting with the Leader of the Islamic Revolution" stays a third
    # meeting record: the article never says the Leader is Khamenei, and merging a description of
    # unknown country with a named partner's meeting merged different meetings elsewhere
    assert sum(r["event_type"] == "meeting" for r in records) >= 2


def test_seed_header_fields(shared_data, tmp_path):
    from transforms.ingest.articles import parse_story_text

    path = shared_data / "seed" / "khamenei_rahmon_2022-05-31.txt"
    article = parse_story_text(path.read_text(), str(path))
    assert article["title"] == "Ayatollah Khamenei Urges Reliance on Domestic Capacities to Nullify Sanctions"
    assert article["published_at"] == "2022-05-31T09:13:00"
    assert article["text"].startswith("Emomali Rahmon")


def test_dev_detection_f1_at_least_075(dev_run, shared_data):
    result = evaluate(load_gold(shared_data / "dev" / "gold.jsonl"), dev_run)
    assert result["detection"]["overall"]["f1"] >= 0.75
