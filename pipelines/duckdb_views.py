"""The DuckDB views over an extraction output, which `newsevents query` and `newsevents report` read.

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

import sys
from pathlib import Path
from typing import Any

import pyarrow as pa

from pipelines.outputs import published_files, published_manifest, unfinished_runs
from schemas import TABLES, arrow_schema

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
