"""`newsevents query`: SQL over an extraction output with DuckDB.

    newsevents query out/run1 "select event_type, count(*) from events group by all"
    newsevents query out/run1 --example top_participant_pairs --format csv
    newsevents query out/run1 --example articles_for_event --param event_id=e-0123...
    newsevents query out/run1 --list-examples

The views ``events``, ``articles`` and ``dead_letters`` read the Parquet files of every run
published in DIR (the files its manifest lists, all runs appended with ``--append``; every
finished file of a stream output; pipelines/outputs.py); a folder holding only an unfinished
run is refused.  A Hive-partitioned table has its partition column (``events.event_month``,
``articles.published_month``; text, docs/OUTPUTS.md): a filter on it reads only the matching
folders' files.  Nested columns stay nested (``e.location.country``, ``unnest(e.participants)``).  A table
without files is an empty view with the table's schema, so every query runs on every output.
The view ``real_events`` (``REAL_EVENTS_SQL``) has one row per real-world event (``event_id``);
the report counts events from it.
No Beam import: this module only needs duckdb and pyarrow.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Sequence, TextIO

import pyarrow as pa

from pipelines.outputs import IncompleteOutput, published_files, published_manifest, unfinished_runs
from schemas import TABLES, arrow_schema

FORMATS = ("table", "csv", "json")


@dataclass(frozen=True)
class Example:
    name: str
    description: str
    sql: str
    params: tuple[str, ...] = ()


# The day of an event: its own date when known to the day, else the day its article was
# published (most news events carry no exact date).  Shared by the report's chart.
EVENT_DAY_SQL = (
    "coalesce(case when e.date_precision = 'day' then try_cast(e.event_date as date) end, "
    "cast(e.article.published_at as date))"
)

# One row per real-world event (event_id) over its reports (rows of `events`).  The most
# advanced status wins: occurred if any report says so, else cancelled (a call-off supersedes
# the announcements before it), else planned.  first/last_date range over the reports with
# the finest date precision, so a "May 2022" report does not widen a range known to the day.
# A syndicated copy (articles.duplicate_of) counts as its original's source, and an article
# of unknown outlet as a source of its own: `sources` counts independent outlets (GDELT's
# NumSources), `articles` distinct articles (NumArticles), `records` rows of `events`.
REAL_EVENTS_SQL = """
with reports as (
  select e.*, coalesce(a.duplicate_of, e.article.article_id) as original_id,
         case e.date_precision when 'day' then 1 when 'month' then 2 when 'year' then 3 end as precision_rank
  from events e left join articles a on a.article_id = e.article.article_id
),
sourced as (
  select r.*, coalesce(o.source, 'article:' || r.original_id) as independent_source,
         min(r.precision_rank) over (partition by r.event_id) as finest
  from reports r left join articles o on o.article_id = r.original_id
),
named as (
  select event_id, p.name, p.role, p.country, count(*) as n
  from reports, unnest(participants) as t(p)
  group by all
),
people as (  -- one entry per (name, role), with the country most of its reports give
  select event_id, list({'name': name, 'role': role, 'country': country} order by name, role) as participants
  from (select event_id, name, role, first(country order by country is null, n desc, country) as country
        from named group by all)
  group by event_id
),
places as (  -- the location most of its reports name
  select event_id, first({'name': name, 'country': country} order by n desc, name, country) as place
  from (select event_id, location.name, location.country, count(*) as n
        from reports where location is not null group by all)
  group by event_id
)
select s.event_id,
       any_value(s.event_type) as event_type,
       first(s.status order by case s.status when 'occurred' then 1 when 'cancelled' then 2
                                             when 'planned' then 3 end nulls last, s.status) as status,
       coalesce(any_value(pe.participants), []) as participants,
       any_value(pl.place.name) as place,
       any_value(pl.place.country) as place_country,
       min(s.event_date) filter (where s.precision_rank = s.finest) as first_date,
       max(s.event_date) filter (where s.precision_rank = s.finest) as last_date,
       min(s.event_start) filter (where s.precision_rank = s.finest) as first_day,
       max(s.event_end) filter (where s.precision_rank = s.finest) as last_day,
       coalesce(any_value(s.date_precision) filter (where s.precision_rank = s.finest), 'unknown')
         as date_precision,
       count(distinct s.article.article_id) as articles,
       count(distinct s.independent_source) as sources,
       count(*) as records,
       first(s.sentence.text order by s.confidence desc, s.record_id) as best_evidence,
       first(s.record_id order by s.confidence desc, s.record_id) as best_record_id,
       max(s.confidence) as confidence
from sourced s
left join people pe using (event_id)
left join places pl using (event_id)
group by s.event_id
"""

EXAMPLES: dict[str, Example] = {
    ex.name: ex
    for ex in (
        Example(
            "events_per_type_per_day",
            "Distinct events per type per day (the event's own date when known to the day, "
            "else the article's publication day).",
            f"""select {EVENT_DAY_SQL} as day, e.event_type,
       count(distinct e.event_id) as events, count(*) as reports
from events e
group by all
order by day nulls last, e.event_type""",
        ),
        Example(
            "top_real_events",
            "The real-world events reported by the most independent sources (view real_events).",
            """select r.event_id, r.event_type, r.status,
       [p.name for p in r.participants] as participants,
       r.place, r.place_country, r.first_date, r.last_date, r.sources, r.articles, r.best_evidence
from real_events r
order by r.sources desc, r.articles desc, r.confidence desc, r.event_id
limit 20""",
        ),
        Example(
            "top_participants",
            "Participants in the most distinct events, with their roles and country.",
            """select p.name, any_value(p.country) as country,
       string_agg(distinct p.role, ', ' order by p.role) as roles,
       count(distinct e.event_id) as events
from events e, unnest(e.participants) as t(p)
group by p.name
order by events desc, p.name
limit 20""",
        ),
        Example(
            "top_participant_pairs",
            "Pairs of participants named in the same event report, by number of distinct events.",
            """with p as (
  select e.record_id, e.event_id, t.p.name as name
  from events e, unnest(e.participants) as t(p)
)
select a.name as participant_a, b.name as participant_b,
       count(distinct a.event_id) as events, count(distinct a.record_id) as reports
from p a join p b on a.record_id = b.record_id and a.name < b.name
group by all
order by events desc, participant_a, participant_b
limit 20""",
        ),
        Example(
            "events_by_country",
            "Distinct events per country of the event's location (ISO 3166-1 alpha-3).",
            """select coalesce(e.location.country, '(unknown)') as country,
       count(distinct e.event_id) as events, count(*) as reports,
       string_agg(distinct e.location.name, ', ' order by e.location.name) as places
from events e
group by all
order by events desc, country""",
        ),
        Example(
            "status_breakdown",
            "Event reports per type and status (occurred, planned, cancelled).",
            """select e.event_type, e.status, count(*) as reports, count(distinct e.event_id) as events
from events e
group by all
order by e.event_type, e.status""",
        ),
        Example(
            "dead_letter_reasons",
            "Dead letters per stage and error kind, with one example input location.",
            """select d.stage, split_part(d.error, ':', 1) as reason, count(*) as dead_letters,
       min(coalesce(d.source_file, '') || coalesce(':' || d.line_number, '')) as example
from dead_letters d
group by all
order by dead_letters desc, d.stage, reason""",
        ),
        Example(
            "events_in_period",
            "Event reports whose date overlaps a period, month- and year-precision dates included "
            "(event_start/event_end are DATE; dates as YYYY-MM-DD).",
            """select e.event_start, e.event_end, e.date_precision, e.event_type, e.status, e.cameo_code,
       [p.name for p in e.participants] as participants, e.location.name as place, e.event_id
from events e
where e.event_start <= cast($until as date) and e.event_end >= cast($since as date)
order by e.event_start, e.event_end, e.event_type, e.record_id""",
            ("since", "until"),
        ),
        Example(
            "events_by_code",
            "Distinct events per CAMEO code and PLOVER type and mode (docs/CODES.md; facility "
            "openings have no code).",
            """select e.cameo_code, e.plover_type, e.plover_mode, e.event_type,
       count(distinct e.event_id) as events, count(*) as reports
from events e
group by all
order by e.cameo_code nulls last, e.event_type, e.plover_mode nulls last""",
        ),
        Example(
            "articles_for_event",
            "The articles behind one event_id, with the evidence sentence each one gave.",
            """select a.article_id, a.published_at, a.source, a.title, a.url,
       e.record_id, e.status, e.sentence.text as evidence
from events e
join articles a on a.article_id = e.article.article_id
where e.event_id = $event_id
order by a.published_at nulls last, a.article_id, e.record_id""",
            ("event_id",),
        ),
    )
}


class QueryError(ValueError):
    """A problem the user can fix (bad folder, unknown example, SQL error); no traceback."""


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _manifest(root: Path) -> dict:
    """The published run's manifest: QueryError when ``root`` is no output folder,
    IncompleteOutput when it holds only an unfinished run or no Parquet tables."""
    manifest = published_manifest(root)
    if manifest is None:
        raise QueryError(f"{root} holds no newsevents output: pass the --output folder of `newsevents extract`")
    if "parquet" not in manifest.get("formats", ["parquet"]):
        raise QueryError(f"the run in {root} wrote no Parquet tables (--formats {','.join(manifest['formats'])}); "
                         f"query reads Parquet")
    return manifest


def _view_sql(files: list[Path], partition: str | None) -> str:
    """The query of one table's view over its files; a partition column is read from the
    folder names, always as text (DuckDB would make '2025' a number)."""
    listing = ", ".join(_sql_string(str(f)) for f in files)
    hive = (f"hive_partitioning = true, hive_types = {{'{partition}': 'VARCHAR'}}" if partition
            else "hive_partitioning = false")
    return f"select * from read_parquet([{listing}], union_by_name = true, {hive})"


def connect(directory: str | Path, database: str = ":memory:"):
    """A DuckDB connection with views ``events``, ``articles``, ``dead_letters`` over the runs
    published in ``directory`` and ``real_events`` over the first two."""
    import duckdb

    root = Path(directory)
    manifest = _manifest(root)
    unfinished = unfinished_runs(root)
    if unfinished:
        print(f"newsevents: note: {root} also holds an unfinished run ({unfinished[0]}); reading the "
              f"published runs ({len(manifest.get('runs', [manifest]))})", file=sys.stderr)
    con = duckdb.connect(database)
    try:
        con.execute("set TimeZone = 'UTC'")  # timestamps print as stored (UTC), not in local time
    except duckdb.Error:  # pragma: no cover - builds without ICU only know UTC anyway
        pass
    partitions = manifest.get("partitions", {})  # none in outputs of newsevents before them
    for table in TABLES:
        files = published_files(root, manifest, "parquet", table)
        partition = partitions.get(table)
        empty = arrow_schema(table).empty_table()  # every column of today's schema, in its order
        if partition:
            empty = empty.append_column(partition, pa.array([], pa.string()))
        con.register(f"_{table}_empty", empty)
        # files of an older schema lack the newer columns (event_start, codes): null there
        rows = f" union all by name {_view_sql(files, partition)}" if files else ""
        con.execute(f"create or replace view {table} as select * from _{table}_empty{rows}")
    con.execute(f"create or replace view real_events as {REAL_EVENTS_SQL}")
    return con


def run_query(con, sql: str, params: dict[str, Any] | None = None) -> tuple[list[str], list[tuple]]:
    """(column names, rows) of ``sql``; DuckDB errors become QueryError."""
    import duckdb

    try:
        cursor = con.execute(sql, params) if params else con.execute(sql)
        if cursor.description is None:
            return [], []
        columns = [d[0] for d in cursor.description]
        return columns, cursor.fetchall()
    except duckdb.Error as exc:
        raise QueryError(str(exc)) from None


def run_example(con, name: str, params: dict[str, Any] | None = None) -> tuple[list[str], list[tuple]]:
    example = EXAMPLES.get(name)
    if example is None:
        raise QueryError(f"unknown example {name!r}; known: {', '.join(EXAMPLES)}")
    params = dict(params or {})
    missing = [p for p in example.params if p not in params]
    if missing:
        raise QueryError(f"example {name!r} needs " + " ".join(f"--param {p}=VALUE" for p in missing))
    return run_query(con, example.sql, {p: params[p] for p in example.params} or None)


# ---- output ---------------------------------------------------------------------------

def _plain(value: Any) -> Any:
    """A JSON-ready value: nested structs/lists kept, timestamps as ISO 8601 text."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(_plain(value), ensure_ascii=False)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())  # one line per row
    if width and len(text) > width:
        return text[: width - 1] + "…"
    return text


def format_table(columns: Sequence[str], rows: Sequence[tuple], max_width: int = 60,
                 max_rows: int = 100) -> str:
    """An aligned text table; cells are clipped to ``max_width`` (0: no clipping)."""
    if not columns:
        return "(no result)"
    shown = rows if not max_rows else rows[:max_rows]
    cells = [[_clip(_cell(v), max_width) for v in row] for row in shown]
    widths = [len(c) for c in columns]
    for row in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, row)]
    numeric = [all(isinstance(r[i], (int, float, Decimal)) or r[i] is None for r in shown) and bool(shown)
               for i in range(len(columns))]

    def line(values):
        return "  ".join(v.rjust(w) if num else v.ljust(w)
                         for v, w, num in zip(values, widths, numeric)).rstrip()

    out = [line(columns), "  ".join("-" * w for w in widths)]
    out += [line(row) for row in cells]
    footer = f"({len(rows)} row{'s' if len(rows) != 1 else ''})"
    if len(shown) < len(rows):
        footer = f"({len(rows)} rows, first {len(shown)} shown; --max-rows 0 or --format csv for all)"
    out.append(footer)
    return "\n".join(out)


def write_csv(columns: Sequence[str], rows: Iterable[tuple], stream: TextIO) -> None:
    """CSV with a header; nested values as JSON text."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(v) if not isinstance(v, float) else repr(v) for v in row])


def to_json(columns: Sequence[str], rows: Iterable[tuple]) -> str:
    """A JSON array of objects, one per row (nested values stay nested)."""
    return json.dumps([{c: _plain(v) for c, v in zip(columns, row)} for row in rows],
                      ensure_ascii=False, indent=1)


def emit(columns, rows, fmt: str, stream: TextIO, max_width: int = 60, max_rows: int = 100) -> None:
    if fmt == "table":
        stream.write(format_table(columns, rows, max_width, max_rows) + "\n")
    elif fmt == "csv":
        write_csv(columns, rows, stream)
    elif fmt == "json":
        stream.write(to_json(columns, rows) + "\n")
    else:
        raise QueryError(f"--format takes {', '.join(FORMATS)}; got {fmt!r}")


def list_examples() -> str:
    lines = []
    for ex in EXAMPLES.values():
        needs = "".join(f" --param {p}=..." for p in ex.params)
        lines.append(f"{ex.name}{needs}\n    {ex.description}")
    return "\n".join(lines)


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
    try:
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
    except QueryError as exc:
        print(f"newsevents query: {exc}", file=sys.stderr)
        return 2
    except IncompleteOutput as exc:
        print(f"newsevents query: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
