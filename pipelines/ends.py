"""The two ends of the extraction flow that differ between batch and stream: what reads the
raw records, what drops repeated articles, and what happens to the tables around identity
(batch counts progress and causes; a stream cuts the tables into windows). The middle is one
composite, transforms/steps/extract_events.ExtractEvents."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

import apache_beam as beam
from apache_beam.options.pipeline_options import DirectOptions, PipelineOptions, StandardOptions

from pipelines import progress
from pipelines.options import ExtractOptions, StreamOptions, UsageError, json_fields
from pipelines.summary import count_dead_letter_cause
from transforms.ingest.formats import max_record_bytes
from transforms.steps.files import DEAD_LETTERS, DropRepeatedPages, ReadRecords, reads_web_pages
from transforms.steps.event_ids import CountDistinctEvents
from transforms.steps.near_copies import SignArticles
from transforms.steps.tables import ARTICLES, EVENTS
from transforms.steps.streaming import AssignEventTime, DropRepeatedArticles, ReadStream, Source, SourceError, Windowing


LOCAL_RUNNERS = frozenset({"FnApiRunner", "DirectRunner", "BundleBasedDirectRunner", "SwitchingDirectRunner"})


def one_local_process(options: PipelineOptions) -> bool:
    """A local run in one process: there the local runner would hold every record spread over
    workers in its memory (docs/PERFORMANCE.md, "Scale") for no worker to share them with."""
    runner = str(options.view_as(StandardOptions).runner or "FnApiRunner").rsplit(".", 1)[-1]
    return runner in LOCAL_RUNNERS and (options.view_as(DirectOptions).direct_num_workers or 1) <= 1


@dataclass(frozen=True)
class BatchEnds:
    """Files in; progress lines and the run summary's counts on the way out."""

    options: ExtractOptions
    processed_at: datetime
    READ_LABEL: ClassVar[str] = "ReadRecords"

    @property
    def read(self) -> beam.PTransform:
        return ReadRecords(self.options.input, self.processed_at, self.options.input_format,
                           on_bytes_read=progress.add_bytes,
                           max_record_bytes=max_record_bytes(self.options.max_article_bytes),
                           max_dead_letters=self.options.max_dead_letters_per_file,
                           spread=not one_local_process(self.options))

    def first_look(self, pipeline: beam.Pipeline) -> dict:
        """Each article's near-copy signature, and the copy kept of each repeated web page, from
        a first look at the input (SignArticles): the copies are marked and the repeats dropped
        as the articles pass, never grouped."""
        options = self.options
        web = reads_web_pages(options.input, options.input_format)
        return pipeline | "FirstLook" >> SignArticles(
            options.input, options.input_format, json_fields(options), options.max_article_bytes,
            max_record_bytes(options.max_article_bytes), web)

    @staticmethod
    def deduplicate(first_look: dict) -> beam.PTransform | None:
        """The same web page in two WARCs (or a feed and a page) goes on once."""
        return DropRepeatedPages(first_look["kept"]) if first_look["kept"] is not None else None

    def observe(self, tables: dict) -> dict:
        """Rows counted for the progress line as they pass; dead letters also by cause."""
        interval = self.options.progress_interval
        observed = {table: tables[table] | f"Progress_{table}" >> beam.Map(progress.ProgressTap(interval, kind=table))
                    for table in (EVENTS, ARTICLES, DEAD_LETTERS)}
        observed[DEAD_LETTERS] = observed[DEAD_LETTERS] | "CountCauses" >> beam.Map(count_dead_letter_cause)
        return observed

    def finish(self, tables: dict) -> dict:
        """The distinct events (final event ids) counted for the summary."""
        tables[EVENTS] | "CountDistinctEvents" >> CountDistinctEvents()
        return tables


@dataclass(frozen=True)
class StreamSettings:
    """What turns the batch flow into a streaming one: a reader of raw records
    ({"records", "dead_letters"}, e.g. ReadStream; tests use a TestStream) and the windowing."""

    read: beam.PTransform
    windowing: Windowing
    READ_LABEL: ClassVar[str] = "ReadStream"

    def first_look(self, pipeline: beam.Pipeline) -> None:
        """A stream has no input to look at first: it marks the copies of each firing among themselves."""
        return None

    def deduplicate(self, _first_look: None) -> beam.PTransform:
        """An article delivered again within the allowed lateness goes on once, in event time."""
        lateness = self.windowing.allowed_lateness
        return AssignEventTime(lateness) | DropRepeatedArticles(lateness)

    def observe(self, tables: dict) -> dict:
        """A stream has no end-of-run summary to count for."""
        return tables

    def finish(self, tables: dict) -> dict:
        """Each table cut into the event-time windows whose files are written (after identity,
        which spans windows)."""
        return {table: pcoll | f"Window_{table}" >> self.windowing.transform() for table, pcoll in tables.items()}


def stream_settings(options: PipelineOptions, processed_at: datetime) -> StreamSettings:
    """The source reader and windowing of `newsevents stream`."""
    stream = options.view_as(StreamOptions)
    try:
        source = Source.parse(stream.source)
    except SourceError as exc:
        raise UsageError(str(exc)) from None
    if source.kind == "kafka" and not stream.expansion_service:
        raise UsageError("a kafka:// source needs --expansion-service HOST:PORT of a running Beam Java "
                         "expansion service (newsevents downloads nothing; see docs/STREAMING.md)")
    windowing = Windowing(stream.window_seconds, stream.allowed_lateness_seconds, stream.early_firing_seconds)
    extract = options.view_as(ExtractOptions)
    read = ReadStream(source, processed_at, stream.expansion_service, max_record_bytes=max_record_bytes(extract.max_article_bytes),
                      max_dead_letters=extract.max_dead_letters_per_file)
    return StreamSettings(read, windowing)
