"""`newsevents query`: SQL over an extraction output with DuckDB.

    newsevents query out/run1 "select event_type, count(*) from events group by all"
    newsevents query out/run1 --example top_participant_pairs --format csv
    newsevents query out/run1 --example articles_for_event --param event_id=e-0123...
    newsevents query out/run1 --list-examples

The views (``events``, ``articles``, ``dead_letters``, ``real_events``) are set up in
pipelines/duckdb_views.py, the named examples live in pipelines/query_examples.py and the
printing in pipelines/query_format.py; this module is the command line.
No Beam import: this module only needs duckdb and pyarrow.
"""
from __future__ import annotations

import argparse
import sys
from typing import Callable, TextIO

from pipelines.duckdb_views import QueryError, connect, run_query
from pipelines.outputs import IncompleteOutput
from pipelines.query_examples import EXAMPLES, list_examples, run_example
from pipelines.query_format import FORMATS, emit


def parser() -> argparse.ArgumentParser:
    from pipelines.cli import HelpFormatter  # cli imports this module lazily

    p = argparse.ArgumentParser(
        prog="newsevents query", formatter_class=HelpFormatter,
        description="Run SQL over an extraction output. Views: events, articles, dead_letters "
                    "(nested columns: e.location.country, unnest(e.participants) as t(p)) and "
                    "real_events (one row per event_id).",
    )
    p.add_argument("directory", help="The --output folder of `newsevents extract`.")
    p.add_argument("sql", nargs="?", help="A SQL query (or use --example).")
    p.add_argument("--example", help="Run a named example query (see --list-examples).")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="A named parameter ($NAME in the SQL); repeatable.")
    p.add_argument("--format", choices=FORMATS, default="table", help="Output format.")
    p.add_argument("--max-width", type=int, default=60, help="table: clip cells to N characters (0: no clipping).")
    p.add_argument("--max-rows", type=int, default=100, help="table: print at most N rows (0: all).")
    p.add_argument("--list-examples", action="store_true", help="List the named example queries and exit.")
    p.add_argument("--show-sql", action="store_true", help="Print the example's SQL instead of running it.")
    return p


def main(argv: list[str] | None = None, stdout: TextIO | None = None) -> int:
    stdout = stdout or sys.stdout
    argv = sys.argv[1:] if argv is None else list(argv)
    if "--list-examples" in argv:
        stdout.write(list_examples() + "\n")
        return 0
    args = parser().parse_args(argv)
    return answer_or_exit("query", lambda: _query(args, stdout))


def answer_or_exit(command: str, action: Callable[[], int]) -> int:
    """``action()``'s exit code; what the user can fix (QueryError: a bad folder, example or SQL)
    exits 2 and an output without a complete run exits 1, each told in one line, no traceback.
    The reading commands (query, report) share it."""
    try:
        return action()
    except (QueryError, IncompleteOutput) as exc:
        print(f"newsevents {command}: {exc}", file=sys.stderr)
        return 2 if isinstance(exc, QueryError) else 1


def _query(args: argparse.Namespace, stdout: TextIO) -> int:
    params = {}
    for item in args.param:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise QueryError(f"--param takes NAME=VALUE; got {item!r}")
        params[name] = value
    if args.example and args.sql:
        raise QueryError("give either SQL or --example, not both")
    if args.example and args.show_sql:
        if args.example not in EXAMPLES:
            raise QueryError(f"unknown example {args.example!r}; known: {', '.join(EXAMPLES)}")
        stdout.write(EXAMPLES[args.example].sql + "\n")
        return 0
    if not args.example and not args.sql:
        raise QueryError("give a SQL query or --example NAME (--list-examples lists them)")
    con = connect(args.directory)
    try:
        if args.example:
            columns, rows = run_example(con, args.example, params)
        else:
            columns, rows = run_query(con, args.sql, params or None)
    finally:
        con.close()
    emit(columns, rows, args.format, stdout, args.max_width, args.max_rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
