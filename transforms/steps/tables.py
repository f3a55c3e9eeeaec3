"""Resolve and build records: (article, events) -> resolved events -> validated `events` and
`articles` rows, split into one PCollection per table."""
from __future__ import annotations

from datetime import datetime

import apache_beam as beam
from apache_beam.metrics import Metrics

import schemas
from transforms.metrics import NAMESPACE
from transforms.output.records import article_row, event_row
from transforms.resolution import resolve_events
from transforms.steps.dead_letters import Stage

EVENTS = "events"
ARTICLES = "articles"


class _ResolveFn(beam.DoFn):
    def process(self, extracted):
        article, events, facts = extracted  # the facts extraction derived (steps/annotate.py)
        yield article, resolve_events(events, article, facts)


class ResolveEvents(Stage):
    """(article, events, article facts) -> (article, events) with countries, places and dates resolved."""

    def __init__(self, processed_at: datetime):
        super().__init__("resolve", _ResolveFn(), processed_at)


class _BuildRecordsFn(beam.DoFn):
    def __init__(self, model: str, processed_at: datetime):
        self._model = model
        self._processed_at = processed_at
        self._events = Metrics.counter(NAMESPACE, "events")
        self._articles = Metrics.counter(NAMESPACE, "articles")

    def process(self, article_events):
        article, events = article_events
        rows = [event_row(event, article, self._model, self._processed_at) for event in events]
        article_out = article_row(article, len(rows), self._processed_at)
        for row in rows:
            schemas.validate_row(EVENTS, row)
        schemas.validate_row(ARTICLES, article_out)
        self._articles.inc()
        self._events.inc(len(rows))
        for row in rows:
            Metrics.counter(NAMESPACE, f"events_{row['event_type']}").inc()
            yield EVENTS, row
        yield ARTICLES, article_out


class BuildRecords(Stage):
    """(article, events) -> (table name, row) pairs for `events` and `articles`.

    An article's rows are built together, so a failure dead-letters the whole article
    rather than leaving it half written.
    """

    def __init__(self, model: str, processed_at: datetime):
        super().__init__("build_records", _BuildRecordsFn(model, processed_at), processed_at)


class SplitTables(beam.PTransform):
    """(table name, row) pairs -> {table name: rows}."""

    def expand(self, pairs):
        events, articles = pairs | "ByTable" >> beam.Partition(
            lambda pair, _n: 0 if pair[0] == EVENTS else 1, 2)
        return {
            EVENTS: events | "EventRows" >> beam.Values(),
            ARTICLES: articles | "ArticleRows" >> beam.Values(),
        }
