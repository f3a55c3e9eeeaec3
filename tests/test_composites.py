"""The composites of the extraction flow one at a time, as Beam's own examples test theirs:
a TestPipeline on the FnApiRunner, assert_that over each output."""
import json
from datetime import datetime, timezone

import apache_beam as beam
from apache_beam.testing import test_pipeline
from apache_beam.testing.util import assert_that, equal_to

from transforms.analysis import analyse_article
from transforms.ingest.articles import DEFAULT_FIELDS, parse_json_line
from transforms.steps.files import DropRepeatedPages, RepeatedPages
from transforms.ingest.normalise import DEFAULT_MAX_ARTICLE_BYTES, normalise_article
from transforms.steps.normalise import NormaliseArticles
from transforms.steps.tables import ARTICLES, EVENTS, BuildRecords

NOW = datetime(2025, 3, 20, tzinfo=timezone.utc)
TEXT = ("TOKYO, March 12 - Finnish Prime Minister Aino Virtanen arrived in Tokyo on Wednesday for a "
        "three-day official visit.")
LINE = {"id": "a1", "title": "Virtanen in Tokyo", "published_at": "2025-03-12T08:30:00Z", "text": TEXT}


def _pipeline():
    return test_pipeline.TestPipeline(runner="FnApiRunner")


def _record(line: str, number: int) -> dict:
    return {"kind": "json", "raw": line.encode("utf-8"), "source_file": "in.jsonl", "line_number": number}


def _article(**fields) -> dict:
    return normalise_article(parse_json_line(json.dumps({**LINE, **fields}), "in.jsonl", DEFAULT_FIELDS), [],
                             DEFAULT_MAX_ARTICLE_BYTES)


def test_normalise_articles_cleans_good_lines_and_dead_letters_the_rest():
    records = [_record(json.dumps(LINE), 1), _record("{not json", 2),
               _record(json.dumps({**LINE, "id": "a2", "text": "  Two   spaces. "}), 3)]
    with _pipeline() as pipeline:
        articles, dead = pipeline | beam.Create(records) | NormaliseArticles(DEFAULT_MAX_ARTICLE_BYTES, NOW)
        assert_that(articles | "Ids" >> beam.Map(lambda a: (a["article_id"], a["line_number"], a["status"])),
                    equal_to([("a1", 1, "ok"), ("a2", 3, "ok")]), label="articles")
        assert_that(dead | "Where" >> beam.Map(lambda row: (row["stage"], row["source_file"], row["line_number"])),
                    equal_to([("parse", "in.jsonl", 2)]), label="dead")


def test_drop_repeated_pages_keeps_one_copy_per_url_and_passes_the_rest():
    page = {"article_id": "p1", "dedupe_key": "example.org/a", "record_kind": "html", "source_file": "b.warc"}
    copy = {**page, "article_id": "p2", "source_file": "a.warc"}
    entry = {**page, "article_id": "p3", "record_kind": "feed_entry", "source_file": "0.rss"}
    plain = {"article_id": "j1", "dedupe_key": None}
    with _pipeline() as pipeline:
        articles = pipeline | beam.Create([page, copy, entry, plain])
        kept = articles | DropRepeatedPages(articles | RepeatedPages())
        assert_that(kept | beam.Map(lambda a: a["article_id"]), equal_to(["p2", "j1"]))


def _table_and_article(pair) -> tuple:
    """(table, article id, the event's model or the article's event count)."""
    table, row = pair
    if table == EVENTS:
        return table, row["article"]["article_id"], row["model"]
    return table, row["article_id"], row["n_events"]


def test_build_records_writes_valid_rows_per_table_and_dead_letters_a_broken_article(nlp):
    article = _article()
    events = analyse_article(nlp, article)
    assert events
    broken = {**article, "article_id": "a2", "text": None}  # the articles schema needs a text
    with _pipeline() as pipeline:
        rows, dead = (pipeline | beam.Create([(article, events), (broken, [])])
                      | BuildRecords("test-model", NOW))
        assert_that(rows | "Tables" >> beam.Map(_table_and_article),
                    equal_to([*[(EVENTS, "a1", "test-model")] * len(events), (ARTICLES, "a1", len(events))]),
                    label="rows")
        assert_that(dead | "Stage" >> beam.Map(lambda row: (row["stage"], row["article_id"])),
                    equal_to([("build_records", "a2")]), label="dead")
