"""The `newsevents` command: extract, stream, evaluate, train, query, report, info."""
from __future__ import annotations

import argparse
import hashlib
import logging
import os
import platform
import sys
from importlib import metadata
from pathlib import Path

USAGE = """usage: newsevents COMMAND [options]   |   newsevents --version

commands:
  extract   --input PATH_OR_GLOB [...] --output DIR [--formats parquet,avro]
            [--spacy-model NAME] [--overwrite | --append] [--strict] [--max-article-bytes N]
            [--text-field KEY] [--id-field KEY] [--title-field KEY] [--date-field KEY]
            [--profile (where the run's time went)] [any Beam pipeline option]
  stream    --source pubsub://projects/P/subscriptions/S | kafka://BROKERS/TOPIC | watch://GLOB
            --output DIR --runner RUNNER [--window-seconds 3600] [--allowed-lateness-seconds 86400]
            [--early-firing-seconds 60] [extract's options] [any Beam pipeline option]
  evaluate  --gold GOLD.jsonl (--output DIR | --articles ARTICLES.jsonl | --cv K) [--errors]
            [--extractor-model DIR]
  train     --out DIR [--gold GOLD.jsonl_or_DIR ...] [--cv K] [--seed N]   (a decision model)
  query     DIR ("SQL" | --example NAME [--param NAME=VALUE]) [--format table|csv|json]
            [--list-examples]    (views: events, articles, dead_letters)
  report    DIR [--out report.html] [--max-events N]   (one self-contained HTML file)
  info      [--spacy-model NAME] [--extractor-model DIR]   (versions of newsevents, its libraries,
            the spaCy and extractor models and the lexicons)

`newsevents COMMAND --help` shows a command's options and their defaults.  An unknown option
is a usage error, except Beam pipeline options (extract and stream pass those to Beam).

exit codes: 0 success (a run where most inputs became dead letters warns, naming the likely
cause, and still exits 0 unless --strict); 1 the run failed (a worker error, a full or unwritable output folder,
another run writing to it, counts that do not reconcile, --strict and a dead letter, an
output that holds no complete run); 2 a usage error (a bad option, an input matching no file,
an output folder that already holds tables without --overwrite, a missing model); 130
interrupted (Ctrl-C or SIGTERM: a batch run removes its staging files and publishes nothing).
"""
EXIT_CODES = "exit codes: 0 success, 1 run failure, 2 usage error, 130 interrupted (see `newsevents --help`)"
BEAM_OPTIONS = """Beam options: any Apache Beam pipeline option passes through to Beam, for example
  --runner RUNNER             extract: FnApiRunner by default (local, in this process); DataflowRunner,
                              FlinkRunner, SparkRunner; stream needs one (see docs/STREAMING.md)
  --direct_num_workers N      local parallelism (with --direct_running_mode multi_processing)
  --project P --region R      Google Cloud project and region (DataflowRunner)
  --temp_location gs://B/tmp  --staging_location gs://B/staging   --job_name NAME
  --num_workers N  --max_num_workers N  --machine_type TYPE  --sdk_container_image IMAGE
  --setup_file FILE  --requirements_file FILE  --flink_master HOST:PORT  --environment_type TYPE
A misspelt option (one neither newsevents nor Beam knows) is a usage error (exit 2)."""
# the libraries whose versions shape a run's output, as `--version` and `info` list them
LIBRARIES = ("apache-beam", "spacy", "pyarrow", "duckdb", "fastavro")


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Every option's help ends with its default, unless it is a flag, the default is empty
    (None, []) or the help already names it; the description and epilog keep their line breaks."""

    def _get_help_string(self, action):
        text = action.help or ""
        default = action.default
        if (text == argparse.SUPPRESS or "default" in text.lower() or action.nargs == 0
                or default is None or default == [] or default is argparse.SUPPRESS):
            return text
        return f"{text} (default: %(default)s)".lstrip()


def _not_about_gcp_clients(record) -> bool:
    """Beam warns at import that Google Cloud client libraries are missing; newsevents needs
    them only on GCP (deploy/ installs them), so the warning is noise for everyone else."""
    return "apitools not found" not in record.getMessage()


EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
TRACEBACK_ENV = "NEWSEVENTS_TRACEBACK"  # set to 1 to see the traceback of an unexpected failure


def _no_traceback(record) -> bool:
    """Beam logs a failing step's traceback before re-raising; the command prints one line."""
    return record.exc_info is None


def _run_beam_command(command: str, rest: list[str]) -> int:
    """`extract` or `stream`: every failure is one line on stderr and an exit code
    (2 usage, 1 run failure, 130 interrupted by SIGINT/SIGTERM)."""
    from pipelines.extract import RunFailed, UsageError, exit_code, failure_line, run, run_stream
    from pipelines.outputs import OutputError

    if not os.environ.get(TRACEBACK_ENV):
        logging.getLogger("apache_beam.runners.common").addFilter(_no_traceback)
    try:
        if command == "extract":
            return exit_code(run(rest))
        run_stream(rest)
        return EXIT_OK
    except UsageError as exc:
        print(f"newsevents {command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt as exc:
        what = exc.args[0] if exc.args else "SIGINT"
        left = ("its staging files were removed and the output folder is as it was" if command == "extract"
                else "the files it wrote so far stay")
        print(f"newsevents {command}: interrupted by {what}; {left}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except (RunFailed, OutputError) as exc:
        print(f"newsevents {command}: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except Exception as exc:
        if os.environ.get(TRACEBACK_ENV):
            raise
        print(f"newsevents {command}: failed: {failure_line(exc)} ({TRACEBACK_ENV}=1 shows the traceback)",
              file=sys.stderr)
        return EXIT_FAILED


def version(package: str) -> str:
    """An installed distribution's version, or 'not installed'."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def version_line() -> str:
    """'newsevents 0.1.0 (apache-beam 2.77.0, spacy 3.8.18, Python 3.11.9)'."""
    libraries = ", ".join(f"{name} {version(name)}" for name in LIBRARIES[:2])
    return f"newsevents {version('newsevents')} ({libraries}, Python {platform.python_version()})"


def info(argv: list[str]) -> int:
    """`newsevents info`: what a run would use, read without building a pipeline or loading
    the spaCy model (its meta.json only)."""
    from transforms.extraction.decision import DEFAULT_MODEL, ModelError, load_model
    from transforms.lexicon import LEXICON_DIR
    from transforms.nlp import DEFAULT_MODELS, ModelNotInstalled, installed_model_meta

    parser = argparse.ArgumentParser(prog="newsevents info", formatter_class=HelpFormatter,
                                     description="Versions of newsevents, its libraries, models and lexicons.")
    parser.add_argument("--spacy-model", default="auto", help="The spaCy pipeline to describe, as extract's option.")
    parser.add_argument("--extractor-model", help="The decision model to describe, as extract's option "
                                                  "(default: the shipped one).")
    options = parser.parse_args(argv)
    rows = [("newsevents", version("newsevents")),
            ("python", f"{platform.python_version()} ({sys.executable})"),
            *((name, version(name)) for name in LIBRARIES)]
    try:
        meta = installed_model_meta(options.spacy_model)
        spacy_model = f"{meta['lang']}_{meta['name']} {meta['version']} (spaCy {meta.get('spacy_version', '?')})"
    except ModelNotInstalled as exc:
        spacy_model = "not installed: " + str(exc).splitlines()[0]
    if options.spacy_model in ("", "auto"):
        spacy_model += f"; --spacy-model auto tries {', then '.join(DEFAULT_MODELS)}"
    rows.append(("spaCy model", spacy_model))
    path = Path(options.extractor_model or DEFAULT_MODEL)
    try:
        decision = f"{load_model(options.extractor_model).version} ({path})"
    except ModelError as exc:
        decision = str(exc)
    rows.append(("extractor model", decision))
    card = (path if path.is_dir() else path.parent) / "MODEL_CARD.md"
    if card.is_file():
        lines = [line for line in card.read_text(encoding="utf-8").splitlines() if line.strip()]
        rows.append(("model card", f"{card}: {lines[1] if len(lines) > 1 else ''}"))
    for lexicon in sorted(LEXICON_DIR.glob("*.yaml")):
        rows.append((f"lexicon {lexicon.stem}", "sha256 " + hashlib.sha256(lexicon.read_bytes()).hexdigest()[:12]))
    width = max(len(label) for label, _ in rows)
    print("\n".join(f"{label.ljust(width)}  {value}" for label, value in rows))
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    logging.getLogger().addFilter(_not_about_gcp_clients)
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or argv[0] in ("-h", "--help"):
        print(USAGE)
        return EXIT_OK if argv else EXIT_USAGE
    if argv[0] in ("--version", "-V"):
        print(version_line())
        return EXIT_OK
    command, rest = argv[0], argv[1:]
    if command in ("extract", "stream") and ("--help" in rest or "-h" in rest):
        return _beam_command_help(command)
    try:
        if command == "info":
            return info(rest)
        if command in ("extract", "stream"):
            return _run_beam_command(command, rest)
        if command == "evaluate":
            from pipelines.evaluate import main as evaluate_main

            return evaluate_main(rest)
        if command == "train":
            from pipelines.train import main as train_main

            return train_main(rest)
        if command == "query":
            from pipelines.query import main as query_main

            return query_main(rest)
        if command == "report":
            from pipelines.report import main as report_main

            return report_main(rest)
    except KeyboardInterrupt:
        print(f"newsevents {command}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    print(f"newsevents: unknown command {command!r}\n\n{USAGE}", file=sys.stderr)
    return EXIT_USAGE


def _beam_command_help(command: str) -> int:
    from pipelines.options import ExtractOptions, StreamOptions  # not the pipeline: no spaCy for a help text

    parser = argparse.ArgumentParser(prog=f"newsevents {command}", formatter_class=HelpFormatter,
                                     epilog=f"{BEAM_OPTIONS}\n\n{EXIT_CODES}")
    ExtractOptions._add_argparse_args(parser.add_argument_group(f"{command} options"))
    if command == "stream":
        StreamOptions._add_argparse_args(parser.add_argument_group("stream options (besides extract's)"))
    parser.print_help()
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
