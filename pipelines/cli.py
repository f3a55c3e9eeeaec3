"""The `newsevents` command: extract, evaluate."""
from __future__ import annotations

import sys

USAGE = """usage: newsevents COMMAND [options]

commands:
  extract   --input PATH_OR_GLOB [...] --output DIR [--formats parquet,avro]
            [--spacy-model NAME] [--overwrite] [--strict] [--max-article-bytes N]
            [any Beam pipeline option]
  evaluate  --gold GOLD.jsonl (--output DIR | --articles ARTICLES.jsonl) [--errors]

`newsevents COMMAND --help` shows a command's options.
"""


def main(argv: list[str] | None = None) -> int:
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
    if command == "evaluate":
        from pipelines.evaluate import main as evaluate_main

        return evaluate_main(rest)
    print(f"newsevents: unknown command {command!r}\n\n{USAGE}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
