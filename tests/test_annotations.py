"""The repository's own gold lines (annotations/): valid, never a reserved article, enough of them."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.shared
ROOT = Path(__file__).resolve().parents[1]
GOLD = sorted((ROOT / "annotations").rglob("*_gold.jsonl"))
SECOND = sorted((ROOT / "annotations" / "agreement").glob("*.jsonl"))


def _lines(paths) -> list[dict]:
    return [json.loads(line) for path in paths for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_no_reserved_article_and_no_article_twice(shared_data):
    reserved = {line.strip() for line in (shared_data / "reserved_ids.txt").read_text().splitlines()
                if line.strip() and not line.startswith("#")}
    ids = [line["article_id"] for line in _lines(GOLD)]
    shared = {json.loads(line)["article_id"] for path in shared_data.glob("**/gold.jsonl")
              for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}
    assert not reserved & set(ids + [line["article_id"] for line in _lines(SECOND)])
    assert len(ids) == len(set(ids)) and not shared & set(ids)
    assert {line["article_id"] for line in _lines(SECOND)} <= set(ids)  # second annotations double first ones


def test_every_line_validates_against_its_article(shared_data):
    from transforms.evaluation.corpora import corpus_articles
    from transforms.evaluation.goldcheck import problems

    lines = _lines(GOLD + SECOND)
    articles = corpus_articles({line["article_id"] for line in lines}, shared_data / "corpora")
    assert len(articles) == len({line["article_id"] for line in lines})
    found = [f"{line['article_id']}: {p}" for line in lines for p in problems(line, articles[line["article_id"]]["text"])]
    assert found == []


def test_the_annotated_corpus_has_600_articles_200_modern(shared_data):
    ids = [line["article_id"] for line in _lines(GOLD)]
    ids += [json.loads(line)["article_id"] for path in [shared_data / "dev" / "gold.jsonl", *shared_data.glob("train/*/gold.jsonl")]
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    modern = [i for i in ids if not i.startswith(("reuters-", "bbc-"))]
    assert len(ids) >= 600 and len(modern) >= 200


def test_event_mentions_name_gold_events_and_hold_their_evidence(shared_data):
    """annotations/mentions/: per gold event, the spans of every sentence that reports it; each
    names an event of its type in its article's gold line and holds that event's evidence."""
    from pipelines.evaluate import gold_files, load_sets

    names = [str(shared_data / "dev" / "gold.jsonl"), str(shared_data / "train"), str(ROOT / "annotations")]
    sets, articles = load_sets(gold_files(names), None, False, shared_data / "corpora")
    docs = {doc.article_id: doc for group in sets.values() for doc in group}
    lines = _lines(sorted((ROOT / "annotations" / "mentions").glob("*.jsonl")))
    assert len(lines) >= 900 and len({line["article_id"] for line in lines}) == len(lines)
    problems = []
    for line in lines:
        doc = docs[line["article_id"]]
        length = len(doc.find(articles)["text"])
        for event in line["events"]:
            gold = doc.events[event["i"]]
            spans = event["mentions"]
            inside = all(0 <= start < end <= length for start, end in spans) and spans == sorted(spans)
            holds = gold["span"] is None or any(start < gold["span"][1] and gold["span"][0] < end for start, end in spans)
            if gold["event_type"] != event["event_type"] or not inside or not holds:
                problems.append(f"{line['article_id']} event {event['i']}")
    assert problems == []
