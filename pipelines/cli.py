"""The `newsevents` command: extract, evaluate, query, report."""
from __future__ import annotations

import logging
import os
import sys

USAGE = """usage: newsevents COMMAND [options]

commands:
  extract   --input PATH_OR_GLOB [...] --output DIR [--formats parquet,avro]
            [--spacy-model NAME] [--overwrite] [--strict] [--max-article-bytes N]
            [any Beam pipeline option]
  stream    --source pubsub://projects/P/subscriptions/S | kafka://BROKERS/TOPIC | watch://GLOB
            --output DIR --runner RUNNER [--window-seconds 3600] [--allowed-lateness-seconds 86400]
            [--early-firing-seconds 60] [extract's options] [any Beam pipeline option]
  evaluate  --gold GOLD.jsonl (--output DIR | --articles ARTICLES.jsonl | --cv K) [--errors]
            [--extractor-model DIR]
  train     --out DIR [--gold GOLD.jsonl_or_DIR ...] [--cv K] [--seed N]   (a decision model)
  query     DIR ("SQL" | --example NAME [--param NAME=VALUE]) [--format table|csv|json]
            [--list-examples]    (views: events, articles, dead_letters)
  report    DIR [--out report.html] [--max-events N]   (one self-contained HTML file)

`newsevents COMMAND --help` shows a command's options.

exit codes: 0 success; 1 the run failed (a worker error, a full or unwritable output folder,
another run writing to it, counts that do not reconcile, --strict and a dead letter, an
output that holds no complete run); 2 a usage error (a bad option, an input matching no file,
an output folder that already holds tables without --overwrite, a missing model); 130
interrupted (Ctrl-C or SIGTERM: a batch run removes its staging files and publishes nothing).
"""
EXIT_CODES = "exit codes: 0 success, 1 run failure, 2 usage error, 130 interrupted (see `newsevents --help`)"


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


def main(argv: list[str] | None = None) -> int:
    logging.getLogger().addFilter(_not_about_gcp_clients)
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or argv[0] in ("-h", "--help"):
        print(USAGE)
        return EXIT_OK if argv else EXIT_USAGE
    command, rest = argv[0], argv[1:]
    if command in ("extract", "stream") and ("--help" in rest or "-h" in rest):
        return _beam_command_help(command)
    try:
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
    import argparse

    from pipelines.extract import ExtractOptions, StreamOptions

    parser = argparse.ArgumentParser(prog=f"newsevents {command}", epilog=EXIT_CODES)
    ExtractOptions._add_argparse_args(parser)
    if command == "stream":
        StreamOptions._add_argparse_args(parser)
    parser.print_help()
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
