"""The pieces only an unbounded pipeline needs: sources, event time, repeats, windowed files.

Thin Beam plumbing around the same stages as batch (pipelines/extract.py switches them on).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

import apache_beam as beam
from apache_beam.coders import BooleanCoder
from apache_beam.io import fileio
from apache_beam.metrics import Metrics
from apache_beam.transforms import trigger, window
from apache_beam.transforms.timeutil import TimeDomain
from apache_beam.transforms.userstate import ReadModifyWriteStateSpec, TimerSpec, on_timer
from apache_beam.utils.timestamp import Duration, Timestamp

from transforms.steps.files import DEAD_LETTERS, ReadFileRecords
from transforms.output.identity import normalise_name
from transforms.ingest.formats import MAX_DEAD_LETTERS_PER_FILE, MAX_RECORD_BYTES
from transforms.ingest.raw_records import raw_record
from transforms.metrics import NAMESPACE
from transforms.output.records import utc

SOURCE_KINDS = ("pubsub", "kafka", "watch")


class SourceError(ValueError):
    """A --source that names no supported stream."""


@dataclass(frozen=True)
class Source:
    """A parsed --source: pubsub://projects/P/subscriptions/S, kafka://BROKERS/TOPIC, watch://GLOB."""

    kind: str
    location: str

    @classmethod
    def parse(cls, uri: str) -> "Source":
        kind, sep, location = (uri or "").partition("://")
        if not sep or kind not in SOURCE_KINDS or not location:
            raise SourceError(f"--source must be one of {', '.join(k + '://...' for k in SOURCE_KINDS)}; got {uri!r}")
        if kind == "pubsub" and "/subscriptions/" not in location:
            raise SourceError("pubsub sources name a subscription: pubsub://projects/P/subscriptions/S")
        if kind == "kafka" and "/" not in location:
            raise SourceError("kafka sources name brokers and a topic: kafka://host:9092,host2:9092/TOPIC")
        return cls(kind, location)

    def __str__(self) -> str:
        return f"{self.kind}://{self.location}"


def _message_record(source: str):
    """A Pub/Sub or Kafka payload -> a raw record, parsed like one JSONL line."""
    def to_record(payload):
        return raw_record("jsonl", source, payload)
    return to_record


class ReadStream(beam.PTransform):
    """An unbounded source -> raw records (the same shape ReadRecords gives in batch)."""

    def __init__(self, source: Source, processed_at: datetime, expansion_service: str | None = None,
                 poll_seconds: int = 30, max_record_bytes: int = MAX_RECORD_BYTES,
                 max_dead_letters: int = MAX_DEAD_LETTERS_PER_FILE):
        super().__init__()
        self._source = source
        self._processed_at = processed_at
        self._expansion_service = expansion_service
        self._poll_seconds = poll_seconds
        self._max_record_bytes = max_record_bytes  # watch://: the longest line read, as in batch
        self._max_dead_letters = max_dead_letters  # watch://: junk lines of a file written one by one

    def expand(self, pbegin):
        source = self._source
        if source.kind == "watch":
            return (
                pbegin
                | "MatchContinuously" >> fileio.MatchContinuously(source.location, interval=self._poll_seconds)
                | "Open" >> fileio.ReadMatches()
                | "ReadLines" >> beam.ParDo(ReadFileRecords(
                    self._processed_at, max_record_bytes=self._max_record_bytes,
                    max_dead_letters=self._max_dead_letters)).with_outputs(
                    DEAD_LETTERS, main="records")
            )
        if source.kind == "pubsub":
            payloads = pbegin | "ReadPubSub" >> beam.io.ReadFromPubSub(subscription=source.location)
        else:
            from apache_beam.io.kafka import ReadFromKafka

            brokers, _, topic = source.location.rpartition("/")
            payloads = (
                pbegin
                | "ReadKafka" >> ReadFromKafka(
                    consumer_config={"bootstrap.servers": brokers, "auto.offset.reset": "earliest"},
                    topics=[topic], expansion_service=self._expansion_service)
                | "Values" >> beam.Values()
            )
        records = payloads | "ToRecords" >> beam.Map(_message_record(str(source)))
        none = pbegin | "NoReadFailures" >> beam.Create([])  # message sources fail per record, in parsing
        return {"records": records, DEAD_LETTERS: none}


class _AssignEventTime(beam.DoFn):
    """Event time = published_at, unless missing or older than the allowed lateness.

    An article whose publication time lies further back than the lateness (or in the
    future) keeps its arrival time, so the runner never drops it as late data.
    """

    def __init__(self, allowed_lateness: int):
        self._lateness = allowed_lateness
        self._arrival = Metrics.counter(NAMESPACE, "event_time_from_arrival")

    def process(self, article, arrival=beam.DoFn.TimestampParam):
        published = utc(article.get("published_at"))
        if published is not None:
            stamp = Timestamp.from_utc_datetime(published)
            if arrival - Duration(seconds=self._lateness) <= stamp <= arrival + Duration(seconds=60):
                yield window.TimestampedValue(article, stamp)
                return
        self._arrival.inc()
        yield article


class AssignEventTime(beam.PTransform):
    def __init__(self, allowed_lateness: int):
        super().__init__()
        self._lateness = allowed_lateness

    def expand(self, articles):
        return articles | "PublishedAt" >> beam.ParDo(_AssignEventTime(self._lateness))


def text_fingerprint(article: dict) -> str:
    """The same words in the same order, whatever the spacing, case or punctuation."""
    return hashlib.sha1(normalise_name(article["text"]).encode()).hexdigest()


class _FirstOnly(beam.DoFn):
    """Per key, pass the first element and drop repeats until the key expires."""

    SEEN = ReadModifyWriteStateSpec("seen", BooleanCoder())
    EXPIRY = TimerSpec("expiry", TimeDomain.WATERMARK)

    def __init__(self, what: str, ttl_seconds: int):
        self._ttl = ttl_seconds
        self._repeats = Metrics.counter(NAMESPACE, f"repeats_{what}")

    def process(self, element, seen=beam.DoFn.StateParam(SEEN), expiry=beam.DoFn.TimerParam(EXPIRY),
                stamp=beam.DoFn.TimestampParam):
        _key, article = element
        if seen.read():
            self._repeats.inc()
            return
        seen.write(True)
        expiry.set(stamp + Duration(seconds=self._ttl))
        yield article

    @on_timer(EXPIRY)
    def expire(self, seen=beam.DoFn.StateParam(SEEN)):
        seen.clear()


class DropRepeatedArticles(beam.PTransform):
    """An article seen again (same id, or same normalised text) within the TTL is processed once.

    Repeats are counted in the metrics ``repeats_id`` and ``repeats_text``.
    """

    def __init__(self, ttl_seconds: int):
        super().__init__()
        self._ttl = ttl_seconds

    def expand(self, articles):
        return (
            articles
            | "ById" >> beam.Map(lambda a: (a["article_id"], a)).with_output_types(tuple[str, dict])
            | "FirstById" >> beam.ParDo(_FirstOnly("id", self._ttl))
            | "ByText" >> beam.Map(lambda a: (text_fingerprint(a), a)).with_output_types(tuple[str, dict])
            | "FirstByText" >> beam.ParDo(_FirstOnly("text", self._ttl))
        )


@dataclass(frozen=True)
class Windowing:
    """Fixed event-time windows with early firings and allowed lateness."""

    window_seconds: int = 3600
    allowed_lateness: int = 86400
    early_seconds: int = 60

    def transform(self) -> beam.WindowInto:
        return beam.WindowInto(
            window.FixedWindows(self.window_seconds),
            trigger=trigger.AfterWatermark(early=trigger.AfterProcessingTime(self.early_seconds),
                                           late=trigger.AfterCount(1)),
            allowed_lateness=Duration(seconds=self.allowed_lateness),
            accumulation_mode=trigger.AccumulationMode.DISCARDING,
        )
