"""What `newsevents report` shows, gathered from the DuckDB views as plain Python values.

Event counts come from the view ``real_events`` (pipelines/duckdb_views.py): one row per
real-world event, however many articles reported it.  A country named as a participant
("U.S", "the United States") is counted under its ISO code's one name (``participant_label``).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pyarrow as pa

from pipelines.duckdb_views import EVENT_DAY_SQL, connect, run_query
from pipelines.query_examples import run_example
from transforms.resolution.countries import country_forms, normalize
from transforms.resolution.countries import country_name as common_name

DEFAULT_MAX_EVENTS = 500


def country_name(code: str) -> str:
    """A country's name on the page: the one extraction and resolution give it
    (``countries.country_name``: "RUS" -> "Russia", "SUN" -> "Soviet Union"); a code without
    one as given."""
    return common_name(code) or code


@lru_cache(maxsize=None)
def _country_keys(code: str) -> frozenset[str]:
    return frozenset(normalize(form) for form in country_forms(code))


def participant_label(name: str, code: str | None) -> str:
    """A participant that is a country itself ("U.S", "US", "the United States") goes by the
    country's one name, so the charts count it once; people and bodies keep their names."""
    if code and normalize(name) in _country_keys(code):
        return country_name(code)
    return name


def _rows(con, sql: str, params=None) -> list[tuple]:
    return run_query(con, sql, params)[1]


# Participants of event records under their chart names (participant_label), one row each.
LABELLED_PARTICIPANTS_SQL = """
    with p as (select e.record_id, e.event_id, coalesce(l.label, t.p.name) as name, t.p.country as country
               from (events e cross join unnest(e.participants) as t(p))
               left join participant_labels l on l.name = t.p.name and l.country = t.p.country)"""


def _register_participant_labels(con) -> None:
    """The view ``participant_labels(name, country, label)``: every participant name that
    ``participant_label`` renames."""
    pairs = _rows(con, """select distinct p.name, p.country from events e, unnest(e.participants) as t(p)
                          where p.country is not null""")
    renamed = [{"name": name, "country": code, "label": label} for name, code in pairs
               if (label := participant_label(name, code)) != name]
    schema = pa.schema([("name", pa.string()), ("country", pa.string()), ("label", pa.string())])
    con.register("participant_labels", pa.Table.from_pylist(renamed, schema=schema))


def gather(directory: str | Path, max_events: int = DEFAULT_MAX_EVENTS) -> dict:
    """Everything the page shows, as plain Python values (one DuckDB pass per section)."""
    con = connect(directory)
    try:
        data: dict = {}
        (data["articles"], data["articles_with_events"], data["articles_skipped"]) = _rows(con, """
            select count(*), count(*) filter (where n_events > 0),
                   count(*) filter (where status <> 'ok') from articles""")[0]
        (data["records"], data["events"], data["events_without_date"]) = _rows(con, """
            select coalesce(sum(records), 0), count(*), count(*) filter (where first_date is null)
            from real_events""")[0]
        data["dead_letters"] = _rows(con, "select count(*) from dead_letters")[0][0]
        data["versions"] = [f"{v} / {m}" for v, m in _rows(con, """
            select distinct extractor_version, model from events order by all""")]
        data["article_status"] = _rows(con, """
            select status, count(*) from articles group by all order by 2 desc, 1""")
        data["per_day"] = _rows(con, f"""
            select {EVENT_DAY_SQL} as day, e.event_type, count(distinct e.event_id)
            from events e group by all order by all""")
        data["day_precise"] = _rows(con, "select count(*) from events where date_precision = 'day'")[0][0]
        data["by_country"] = _rows(con, """
            select place_country, count(*) as n from real_events group by all order by n desc, 1 nulls last""")
        _register_participant_labels(con)
        data["participants"] = _rows(con, LABELLED_PARTICIPANTS_SQL + """
            select name, any_value(country), count(distinct event_id) as n
            from p group by name order by n desc, name limit 20""")
        data["pairs"] = _rows(con, LABELLED_PARTICIPANTS_SQL + """
            select a.name, b.name, count(distinct a.event_id) as n
            from p a join p b on a.record_id = b.record_id and a.name < b.name
            group by all order by n desc, 1, 2 limit 15""")
        data["status"] = _rows(con, """
            select event_type, status, count(*) from real_events group by all order by all""")
        data["top_events"] = run_example(con, "top_real_events")
        data["dead_reasons"] = _rows(con, """
            select stage, split_part(error, ':', 1) as reason, count(*) as n,
                   min(coalesce(source_file, '') || coalesce(':' || line_number, '')) as example,
                   min(error) as sample_error
            from dead_letters group by all order by n desc, stage, reason limit 30""")
        data["table"] = _rows(con, f"""
            select {EVENT_DAY_SQL} as day, e.event_date, e.date_precision, e.date_text, e.event_type,
                   e.status, e.confidence, e.participants, e.location, e.sentence, e.trigger,
                   e.object, e.article, e.event_id
            from events e
            order by day nulls last, e.event_type, e.event_id, e.record_id
            limit $limit""", {"limit": max_events})
        data["max_events"] = max_events
        return data
    finally:
        con.close()
