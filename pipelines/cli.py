"""The `newsevents` command: extract, evaluate, query, report."""
from __future__ import annotations

import logging
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
"""


def _not_about_gcp_clients(record) -> bool:
    """Beam warns at import that Google Cloud client libraries are missing; newsevents needs
    them only on GCP (deploy/ installs them), so the warning is noise for everyone else."""
    return "apitools not found" not in record.getMessage()


def main(argv: list[str] | None = None) -> int:
    logging.getLogger().addFilter(_not_about_gcp_clients)
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or argv[0] in ("-h", "--help"):
        print(USAGE)
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    if command == "extract":
        from pipelines.extract import ExtractOptions, UsageError, exit_code, run
        from transforms.nlp import ModelNotInstalled

        if "--help" in rest or "-h" in rest:
            import argparse

            parser = argparse.ArgumentParser(prog="newsevents extract")
            ExtractOptions._add_argparse_args(parser)
            parser.print_help()
            return 0
        try:
            summary = run(rest)
        except (UsageError, ModelNotInstalled) as exc:
            print(f"newsevents extract: {exc}", file=sys.stderr)
            return 2
        return exit_code(summary)
    if command == "stream":
        from pipelines.extract import UsageError, run_stream
        from transforms.nlp import ModelNotInstalled

        try:
            run_stream(rest)
        except (UsageError, ModelNotInstalled) as exc:
            print(f"newsevents stream: {exc}", file=sys.stderr)
            return 2
        return 0
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
    print(f"newsevents: unknown command {command!r}\n\n{USAGE}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
