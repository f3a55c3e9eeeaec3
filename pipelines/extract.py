"""The extraction pipeline: news articles in, typed events out as Parquet and Avro.

The flow of one article, the same in batch and stream (transforms/steps/):

    read -> ExtractEvents (NormaliseArticles -> drop repeats -> AnnotateAndExtract (spaCy)
        -> ResolveEvents -> BuildRecords -> SplitTables) -> AssignEventIds -> MarkSyndicated
        -> WriteTable (events, articles, dead_letters)

A batch run also takes a first look at its input (ends.first_look: each article's near-copy
signature, the copy kept of each repeated web page), so that repeats are dropped and copies
marked as the articles pass: no article waits in a shuffle on its way to the writers.

Every step has a dead-letter output; they are flattened into the `dead_letters` table so
that every input record ends as exactly one `articles` row or one `dead_letters` row. Only
the ends differ (pipelines/ends.py): files or a source in, progress counts or windows out.
This module runs it: the options are checked (pipelines/options.py), the tables staged and
published when the counts check out (pipelines/summary.py, pipelines/outputs.py).
"""
from __future__ import annotations

import logging
import os
import sys
import time
from datetime import datetime, timezone

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems
from apache_beam.options.pipeline_options import StandardOptions

from pipelines import outputs, progress
from pipelines.ends import BatchEnds, StreamSettings, stream_settings
from pipelines.options import (
    STREAM_RUNNER_HINT,
    ExtractOptions,
    RunOptions,
    StreamOptions,
    UsageError,
    check_argv,
    check_options,
    check_output_mode,
    check_stream_runner,
    expand_inputs,
    json_fields,
    names_a_runner,
    parse_formats,
)
from pipelines.profile import Timeline, format_profile, step_seconds
from pipelines.stopping import Interrupted, RunFailed, cancel, failure_line, output_errors, stop_on_signals
from pipelines.summary import (
    DEAD_LETTER_WARNING_SHARE,
    check_read_something,
    check_written,
    exit_code,
    summarise,
    written_rows,
)
from transforms.steps.files import DEAD_LETTERS, WriteTable, file_key, write_empty_table
from transforms.extraction.decision import ModelError, load_model as load_decision_model
from transforms.nlp import ModelNotInstalled, model_provenance
from transforms.steps.event_ids import AssignEventIds
from transforms.steps.extract_events import ExtractEvents, ExtractSettings
from transforms.steps.near_copies import MarkSyndicated
from transforms.steps.tables import ARTICLES, EVENTS

__all__ = [  # what the CLI, the deploy launcher and tests import from here
    "ExtractOptions", "StreamOptions", "StreamSettings", "UsageError", "RunFailed", "check_argv",
    "exit_code", "failure_line", "input_bytes", "prepare_output", "build_pipeline", "run", "run_stream"]

LOCAL_RUNNER = "FnApiRunner"  # the plain DirectRunner tries to download Prism first
# glibc gives each thread of an SDK worker its own malloc arena (up to 8 per core); their
# fragmentation made a worker's peak RSS grow with its input (docs/PERFORMANCE.md). Local
# worker processes inherit this cap unless the user set one; the deploy images set it too.
WORKER_MALLOC_ARENAS = "2"


def input_files(patterns: list[str]) -> list[dict]:
    """The files the inputs match, each once as the reader reads it (``file_key``), with their
    sizes: the run manifest's list, and the total a progress line counts to."""
    files: dict[str, dict] = {}
    for result in FileSystems.match(list(patterns)):
        for meta in result.metadata_list:
            files.setdefault(file_key(meta.path), {"path": meta.path, "bytes": meta.size_in_bytes})
    return list(files.values())


def input_bytes(patterns: list[str]) -> int:
    """The size of the files the inputs match, each file once."""
    return sum(f["bytes"] for f in input_files(patterns))


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


def extract_settings(options: ExtractOptions, model: str, processed_at: datetime) -> ExtractSettings:
    """What ExtractEvents takes from the options."""
    # a model of the user's travels with the pipeline; workers load the shipped one themselves
    decision = load_decision_model(options.extractor_model).data if options.extractor_model else None
    return ExtractSettings(model, processed_at, options.max_article_bytes, json_fields(options),
                           options.spacy_model, options.candidate_filter, decision)


def build_pipeline(pipeline: beam.Pipeline, options: ExtractOptions, model: str,
                   processed_at: datetime, stream: StreamSettings | None = None,
                   write_to: str | None = None, run_id: str | None = None) -> None:
    """Attach the whole extraction flow to ``pipeline``: files in batch, a source when ``stream``;
    the tables go to ``write_to`` (a batch run's staging folder), else to ``--output``, in
    files named after ``run_id`` (a new one when not given)."""
    formats = parse_formats(options.formats)
    run_id = run_id or outputs.new_run_id(processed_at)
    ends = stream or BatchEnds(options, processed_at)
    read = pipeline | ends.READ_LABEL >> ends.read
    read = {name: read[name] for name in ("records", DEAD_LETTERS)}  # a plain dict, also of tagged outputs
    first_look = ends.first_look(pipeline)  # batch: signatures and repeated pages, no text held
    tables = read | "ExtractEvents" >> ExtractEvents(extract_settings(options, model, processed_at),
                                                     ends.deduplicate(first_look))
    tables = ends.observe(tables)
    tables[EVENTS] = tables[EVENTS] | "AssignEventIds" >> AssignEventIds()  # identity spans windows
    tables = ends.finish(tables)
    # batch marks copies from its first look; a stream groups each firing: after windowing
    tables[ARTICLES] = tables[ARTICLES] | "MarkSyndicated" >> MarkSyndicated(first_look and first_look["signed"])
    for table, pcoll in tables.items():
        pcoll | f"Write_{table}" >> WriteTable(write_to or options.output, table, formats, run_id)


def write_empty_tables(staging: str, written: dict[str, int], formats: tuple[str, ...], run_id: str) -> None:
    """A table the run wrote no row of gets one empty file, so every table folder can be read."""
    for table in (EVENTS, ARTICLES, DEAD_LETTERS):
        for fmt in formats:
            if not written.get(f"{table}_{fmt}"):
                write_empty_table(staging, table, fmt, run_id)


def run(argv: list[str] | None = None) -> dict:
    """Run `newsevents extract`; returns the summary dict.  The tables are written to a
    staging folder and published when the counts check out (pipelines/outputs.py)."""
    launched = time.monotonic()
    timeline = Timeline()
    argv = list(argv or [])
    check_argv(argv)
    arguments = list(argv)  # as given, for the run's manifest
    if not names_a_runner(argv):
        argv.append(f"--runner={LOCAL_RUNNER}")
    options = RunOptions(argv)
    extract = options.view_as(ExtractOptions)
    formats = check_options(extract)
    check_output_mode(extract)
    extract.input = expand_inputs(extract.input)
    os.environ.setdefault("MALLOC_ARENA_MAX", WORKER_MALLOC_ARENAS)  # read by worker processes at start
    model = provenance(extract)  # fails fast, naming the install command
    processed_at = datetime.now(timezone.utc).replace(microsecond=0)
    run_id = outputs.new_run_id(processed_at)
    with output_errors(extract.output), outputs.OutputLock(extract.output), stop_on_signals() as stop:
        replaced, previous = prepare_output(extract.output, extract.overwrite, extract.append, formats)
        staging = outputs.start_staging(extract.output, run_id)
        try:
            inputs = input_files(extract.input)  # matched once, for the progress total and the manifest
            timeline.mark("options, model check, output folder")
            summary, written, elapsed = _run_pipeline(options, extract, model, processed_at, staging, run_id,
                                                      sum(f["bytes"] for f in inputs), timeline)
            if stop.received:
                raise Interrupted(stop.received.name)
            check_read_something(summary, extract.input_format)
            check_written(summary, written, formats)
            write_empty_tables(staging, written, formats, run_id)
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
            inputs=inputs,
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
    if extract.profile:
        timeline.mark("checks, publishing, summary")
        print(format_profile(timeline, elapsed))
    summary["strict"] = extract.strict
    return summary


def _run_pipeline(options, extract, model, processed_at, staging, run_id,
                  total_bytes: int, timeline: Timeline) -> tuple[dict, dict[str, int], float]:
    """Build and run the batch pipeline into ``staging``; (summary, rows written, seconds), and
    the steps' seconds in ``timeline`` when --profile asks.  A failure of
    the pipeline is RunFailed with one line; a signal cancels the job on runners that run it
    elsewhere (the FnApiRunner runs it in this process and stops with it)."""
    pipeline = beam.Pipeline(options=options)
    build_pipeline(pipeline, extract, model, processed_at, write_to=staging, run_id=run_id)
    timeline.mark("pipeline build")
    started = time.monotonic()
    progress.reset(extract.progress_interval, total_bytes=total_bytes)
    result = None
    try:
        result = pipeline.run()
        result.wait_until_finish()
    except KeyboardInterrupt:
        if result is not None:
            cancel(result)
        raise
    except Exception as exc:
        raise RunFailed(f"the run failed: {failure_line(exc)}; nothing was published") from exc
    finally:
        progress.finish()  # ends an in-place terminal line
    timeline.mark("runner (steps below)")
    if extract.profile:
        timeline.steps = step_seconds(result)
    return summarise(result), written_rows(result), time.monotonic() - started


def run_stream(argv: list[str] | None = None) -> None:
    """Run `newsevents stream` until it is cancelled.  Windowed files are written in place;
    the manifest written first marks the folder as a stream output (pipelines/outputs.py)."""
    argv = list(argv or [])
    check_argv(argv, "stream")
    if not names_a_runner(argv):
        raise UsageError(STREAM_RUNNER_HINT)
    options = RunOptions([*argv, "--streaming"])
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
    with output_errors(extract.output), outputs.OutputLock(extract.output), stop_on_signals():
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
            cancel(result)
            raise
