"""Hive-partitioned Parquet (transforms/steps/files.PARTITIONS): a filter on the partition column
reads only the matching folders' files, in DuckDB's glob and in `newsevents query`'s views;
pandas and pyarrow read a table folder whole, partition column included."""
from __future__ import annotations

import json
import re
from datetime import datetime, timezone

import duckdb
import pytest

from pipelines import outputs, query
from pipelines.extract import run
from tests.conftest import EXAMPLES
from transforms.steps.files import partition_folder

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    folder = tmp_path_factory.mktemp("partitioned")
    run(["--input", str(EXAMPLES), "--output", str(folder), "--progress-interval", "0"])
    return folder


def _files_read(con, sql: str) -> int:
    """Parquet files the scan of ``sql`` opened, from EXPLAIN ANALYZE ("Total Files Read")."""
    plan = "\n".join(row[1] for row in con.execute(f"explain analyze {sql}").fetchall())
    read = re.search(r"Total Files Read: (\d+)", plan)
    assert read, plan
    return int(read.group(1))


def test_a_one_month_filter_reads_only_that_months_files(out):
    folders = sorted(p.name for p in (out / "parquet" / "events").iterdir())
    assert "event_month=2025-06" in folders and len(folders) > 3, folders
    con = duckdb.connect()
    table = f"read_parquet('{out}/parquet/events/**/*.parquet', hive_partitioning = true)"
    june = f"select count(*) from {table} where event_month = '2025-06'"
    assert _files_read(con, june) == 1
    # the same rows by their date, which is no partition: every file is opened
    by_date = f"select count(*) from {table} where event_date like '2025-06%'"
    assert con.execute(june).fetchone() == con.execute(by_date).fetchone() != (0,)
    assert _files_read(con, by_date) == len(folders)


def test_query_views_prune_on_the_partition_columns(out):
    con = query.connect(out)
    assert _files_read(con, "select count(*) from events") == len(list((out / "parquet" / "events").iterdir()))
    assert _files_read(con, "select count(*) from events where event_month = '2025-06'") == 1
    assert _files_read(con, "select count(*) from articles where published_month = '2025-09'") == 1
    types = dict(query.run_query(con, "select column_name, column_type from (describe events)")[1])
    assert types["event_month"] == "VARCHAR"


def test_partition_values_come_from_the_date_fields():
    published = datetime(2025, 6, 30, 23, 0, tzinfo=timezone.utc)
    assert [partition_folder("events", "parquet", {"event_date": d}) for d in
            ("2025-06-12", "2025-06", "2025", None, "", "next week")] == [
        "event_month=2025-06", "event_month=2025-06", "event_month=2025", "event_month=unknown",
        "event_month=unknown", "event_month=unknown"]
    assert partition_folder("articles", "parquet", {"published_at": published}) == "published_month=2025-06"
    assert partition_folder("articles", "parquet", {"published_at": None}) == "published_month=unknown"
    assert partition_folder("dead_letters", "parquet", {}) == ""
    assert partition_folder("events", "avro", {"event_date": "2025-06-12"}) == ""  # one folder per table


def test_pandas_and_polars_read_a_table_folder_whole(out):
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    manifest = json.loads((out / outputs.MANIFEST).read_text())
    events = pd.read_parquet(out / "parquet" / "events")
    assert len(events) == manifest["counts"]["events"]
    assert set(events["event_month"].astype(str)) >= {"2025-06", "unknown"}
    articles = pl.read_parquet(f"{out}/parquet/articles/**/*.parquet", hive_partitioning=True)
    assert articles.height == manifest["counts"]["articles"] and "published_month" in articles.columns


def test_a_table_without_rows_is_one_empty_file_with_its_schema(out):
    import pyarrow.parquet as pq

    (empty,) = (out / "parquet" / "dead_letters").iterdir()  # examples/ give no dead letter
    table = pq.read_table(empty)
    assert table.num_rows == 0 and "stage" in table.column_names
    (avro,) = (out / "avro" / "dead_letters").iterdir()
    assert avro.stat().st_size > 0


def test_a_view_without_files_still_has_its_partition_column(tmp_path):
    (tmp_path / outputs.MANIFEST).write_text(json.dumps(
        {"run_id": "r", "kind": "batch", "formats": ["parquet"], "files": [], "manifest_version": 2,
         "partitions": {"events": "event_month", "articles": "published_month"}}))
    con = query.connect(tmp_path)
    assert query.run_query(con, "select count(*) from events where event_month = '2025-06'")[1] == [(0,)]
