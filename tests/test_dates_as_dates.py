"""Dates as dates: event_start/event_end (Avro date, Arrow date32) beside the text event_date,
added by schema evolution so files written with schema version 1 still read."""
from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path

import duckdb
import fastavro
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import schemas
from pipelines import query
from pipelines.extract import run
from transforms.output.records import event_row

NOW = datetime(2025, 5, 21, tzinfo=timezone.utc)
V1 = Path(__file__).resolve().parent / "fixtures" / "event_v1.avsc"
ADDED = ("event_start", "event_end", "cameo_code", "plover_type", "plover_mode")
ARTICLE = {"article_id": "a1", "text": "Ana Lopez met Jonas Berg in Oslo.", "title": "t",
           "published_at": "2025-05-20T08:00:00", "source": "s", "language": "en"}
# invented articles: a visit announced for June (month precision) and a May meeting (day)
INPUTS = [
    {"id": "june-visit", "published_at": "2025-05-20T08:00:00Z", "title": "Lopez to visit Norway", "source": "Wire",
     "text": "Chilean President Ana Lopez will visit Norway in June, the Norwegian foreign ministry said."},
    {"id": "may-meeting", "published_at": "2025-05-14T08:00:00Z", "title": "Ministers meet", "source": "Wire",
     "text": "French Foreign Minister Jean-Noel Barrot met German Foreign Minister Johann Wadephul "
             "in Geneva on Monday."},
]


def _event(event_date, precision, **extra):
    return {"event_type": "meeting", "status": "occurred",
            "trigger": {"text": "met", "start": 10, "end": 13},
            "sentence": {"text": ARTICLE["text"], "start": 0, "end": 33},
            "mentions": [{"text": ARTICLE["text"], "start": 0, "end": 33}],
            "participants": [{"name": "Ana Lopez", "role": "participant", "entity_type": "PERSON", "country": "CHL"}],
            "location": None, "event_date": event_date, "date_text": None, "date_precision": precision,
            "object": None, "confidence": 0.9, **extra}


def _row(event_date, precision):
    return event_row(_event(event_date, precision), ARTICLE, "en_core_web_sm-3.8.0", NOW)


@pytest.mark.parametrize("event_date, precision, start, end", [
    ("2025-03-12", "day", date(2025, 3, 12), date(2025, 3, 12)),
    ("2025-06", "month", date(2025, 6, 1), date(2025, 6, 30)),
    ("2024-02", "month", date(2024, 2, 1), date(2024, 2, 29)),
    ("2025", "year", date(2025, 1, 1), date(2025, 12, 31)),
    (None, "unknown", None, None),
])
def test_event_start_and_end_cover_the_resolved_date(event_date, precision, start, end):
    row = _row(event_date, precision)
    assert (row["event_date"], row["date_precision"], row["event_start"], row["event_end"]) == \
        (event_date, precision, start, end)
    schemas.validate_row("events", row)


def test_the_date_logical_type_is_arrow_date32():
    arrow = schemas.arrow_schema("events")
    assert arrow.field("event_start").type == pa.date32() and arrow.field("event_start").nullable
    assert arrow.field("event_end").type == pa.date32()


# ---- a real extraction -----------------------------------------------------------------

@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("dates")
    source = folder / "in.jsonl"
    source.write_text("".join(json.dumps(line) + "\n" for line in INPUTS), encoding="utf-8")
    run(["--input", str(source), "--output", str(folder / "out"), "--progress-interval", "0"])
    return folder / "out"


@pytest.fixture(scope="module")
def con(extracted):
    connection = query.connect(extracted)
    yield connection
    connection.close()


def test_a_date_filter_returns_month_precision_june_events(con):
    sql = "select event_type, status, event_date, date_precision from events where event_start >= DATE '2025-06-01'"
    assert query.run_query(con, sql)[1] == [("state_visit", "planned", "2025-06", "month")]
    # the text column drops it: '2025-06' sorts before '2025-06-01'
    assert query.run_query(con, "select count(*) from events where event_date >= '2025-06-01'")[1] == [(0,)]


def test_duckdb_sees_date_columns(con):
    types = query.run_query(con, "select distinct typeof(event_start), typeof(event_end) from events")[1]
    assert types == [("DATE", "DATE")]
    may = query.run_query(con, "select event_start, event_end, date_precision from events "
                               "where event_end < DATE '2025-06-01' and event_type = 'meeting'")[1]
    assert may == [(date(2025, 5, 12), date(2025, 5, 12), "day")]


def test_avro_output_carries_dates(extracted):
    rows = [row for path in sorted((extracted / "avro" / "events").rglob("*.avro"))
            for row in fastavro.reader(path.open("rb"))]
    june = [row for row in rows if row["event_date"] == "2025-06"]
    assert [(row["event_start"], row["event_end"]) for row in june] == [(date(2025, 6, 1), date(2025, 6, 30))]


def test_events_in_period_example_includes_a_month_overlapping_the_period(con):
    columns, rows = query.run_example(con, "events_in_period", {"since": "2025-06-15", "until": "2025-06-20"})
    found = [dict(zip(columns, row)) for row in rows]
    assert [(r["event_type"], r["date_precision"], r["event_start"]) for r in found] == \
        [("state_visit", "month", date(2025, 6, 1))]
    with pytest.raises(query.QueryError):
        query.run_example(con, "events_in_period", {"since": "June", "until": "2025-06-20"})


# ---- schema evolution ------------------------------------------------------------------

def _v1_schema() -> dict:
    return json.loads(V1.read_text())


def test_the_fixture_is_the_version_1_schema():
    v1_names = {field["name"] for field in _v1_schema()["fields"]}
    current = {field["name"] for field in schemas.avro_schema("events")["fields"]}
    assert current - v1_names == set(ADDED)
    assert v1_names <= current


def test_version_1_avro_files_read_with_the_new_schema(tmp_path):
    new = _row("2025-06", "month")
    old = {key: value for key, value in new.items() if key not in ADDED}
    path = tmp_path / "v1.avro"
    with path.open("wb") as handle:
        fastavro.writer(handle, fastavro.parse_schema(_v1_schema()), [old])
    with path.open("rb") as handle:
        [read] = list(fastavro.reader(handle, reader_schema=fastavro.parse_schema(schemas.avro_schema("events"))))
    assert read == {**old, **{key: None for key in ADDED}}


def test_version_1_and_2_parquet_files_read_together(tmp_path):
    """An output holding files of both versions (DuckDB union_by_name): old rows have null dates."""
    new = _row("2025-06", "month")
    old = {key: value for key, value in new.items() if key not in ADDED}
    v1_arrow = pa.schema([field for field in schemas.arrow_schema("events") if field.name not in ADDED])
    pq.write_table(pa.Table.from_pylist([old], schema=v1_arrow), tmp_path / "v1.parquet")
    pq.write_table(pa.Table.from_pylist([new], schema=schemas.arrow_schema("events")), tmp_path / "v2.parquet")
    rows = duckdb.sql(f"select event_start, cameo_code from read_parquet('{tmp_path}/*.parquet', union_by_name = true) "
                      f"order by event_start nulls first").fetchall()
    assert rows == [(None, None), (date(2025, 6, 1), "040")]


def test_an_output_written_before_the_date_and_code_columns_answers_queries_on_them(extracted, tmp_path):
    """`query` over files that lack event_start/event_end and the codes (an older run): the
    views still have every column, null there, so the new examples run instead of failing."""
    import shutil

    old = tmp_path / "old"
    shutil.copytree(extracted, old)
    newer = ["event_start", "event_end", "cameo_code", "plover_type", "plover_mode"]
    for path in (old / "parquet" / "events").rglob("*.parquet"):
        table = pq.read_table(path, partitioning=None)
        pq.write_table(table.drop_columns(newer), path)
    con = query.connect(old)
    columns, rows = query.run_query(con, "select count(*), count(event_start), count(cameo_code) from events")
    assert rows[0][0] > 0 and rows[0][1:] == (0, 0)
    columns, rows = query.run_example(con, "events_by_code")
    assert rows and all(row[columns.index("cameo_code")] is None for row in rows)


def test_real_events_has_first_and_last_days_as_dates(con):
    columns, rows = query.run_query(con, "select first_date, first_day, last_day from real_events where first_date = '2025-06'")
    assert rows == [("2025-06", date(2025, 6, 1), date(2025, 6, 30))]
