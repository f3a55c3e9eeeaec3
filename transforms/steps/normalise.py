"""Normalising articles: raw input records -> checked, cleaned article dicts (the rules of
transforms/ingest/); a record that is no article becomes one dead letter. The later steps
of the flow are in transforms/steps/."""
from __future__ import annotations

from datetime import datetime

import apache_beam as beam
from apache_beam.metrics import Metrics

from transforms.ingest.articles import DEFAULT_FIELDS, JsonFields
from transforms.ingest.raw_records import parse_record
from transforms.metrics import NAMESPACE
from transforms.steps.dead_letters import Stage


class _ParseRecord(beam.DoFn):
    def __init__(self, max_article_bytes: int, fields: JsonFields = DEFAULT_FIELDS):
        self._max_article_bytes = max_article_bytes
        self._fields = fields  # the JSONL keys of --text-field, --id-field, ...
        self._skipped = Metrics.counter(NAMESPACE, "articles_skipped")

    def process(self, record):
        article = parse_record(record, self._fields, self._max_article_bytes)
        if article["status"] != "ok":
            self._skipped.inc()
        yield article


class NormaliseArticles(Stage):
    """Raw records -> checked, cleaned article dicts (transforms/ingest/raw_records.parse_record);
    records that are no article -> dead letters."""

    def __init__(self, max_article_bytes: int, processed_at: datetime, fields: JsonFields = DEFAULT_FIELDS):
        super().__init__("parse", _ParseRecord(max_article_bytes, fields), processed_at)
