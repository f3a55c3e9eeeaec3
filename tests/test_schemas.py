"""The Avro files are the one schema source: Parquet written by the pipeline must match them."""
from __future__ import annotations

from datetime import datetime, timezone

import apache_beam as beam
import fastavro
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import schemas
from transforms.steps import files
from transforms.steps.files import WriteTable
from transforms.output.records import article_row, dead_letter_row, event_row

NOW = datetime(2025, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
ARTICLE = {"article_id": "a1", "text": "Ana Lopez met Jonas Berg in Oslo.", "title": "t",
           "published_at": "2025-01-01T00:00:00", "url": None, "source": "s", "language": "en",
           "dateline": None, "source_file": "f.jsonl", "story_code": None}
EVENT = {
    "event_type": "meeting", "status": "occurred",
    "trigger": {"text": "met", "start": 10, "end": 13},
    "sentence": {"text": ARTICLE["text"], "start": 0, "end": 33},
    "mentions": [{"text": ARTICLE["text"], "start": 0, "end": 33}],
    "participants": [
        {"name": "Ana Lopez", "aliases": ["Lopez"], "role": "participant", "entity_type": "PERSON",
         "title": "president of Chile", "country": "CHL", "start": 0, "end": 9},
        {"name": "Jonas Berg", "aliases": [], "role": "participant", "entity_type": "PERSON",
         "title": None, "country": None, "start": 14, "end": 24},
    ],
    "location": {"name": "Oslo", "country": "NOR", "geonames_id": 3143244, "latitude": 59.9,
                 "longitude": 10.7, "admin1": "12", "feature_class": "P", "inferred": False,
                 "start": 28, "end": 32},
    "event_date": "2024-12-30", "date_text": "on Monday", "date_precision": "day",
    "object": None, "confidence": 0.9,
}
ROWS = {
    "events": [event_row(EVENT, ARTICLE, "en_core_web_sm-3.8.0", NOW)],
    "articles": [article_row(ARTICLE, 1, NOW)],
    "dead_letters": [{**dead_letter_row("parse", "bad", "{x", NOW, source_file="f.jsonl", line_number=3),
                      "traceback": '  File "transforms/articles.py", line 9, in parse_json_line\n    raise ArticleError\n'}],
}

PRIMITIVE = {"string": pa.types.is_string, "int": pa.types.is_int32, "long": pa.types.is_int64,
             "double": pa.types.is_float64, "boolean": pa.types.is_boolean}


def _check(avro_type, arrow_type, named, where):
    """Assert that ``arrow_type`` is the Parquet image of ``avro_type``; recurse into records/arrays."""
    if isinstance(avro_type, list):  # [null, T]
        (inner,) = [t for t in avro_type if t != "null"]
        return _check(inner, arrow_type, named, where)
    if isinstance(avro_type, str) and avro_type in named:
        avro_type = named[avro_type]
    if isinstance(avro_type, str):
        assert PRIMITIVE[avro_type](arrow_type), f"{where}: {avro_type} vs {arrow_type}"
        return
    if avro_type.get("logicalType") == "timestamp-micros":
        assert pa.types.is_timestamp(arrow_type) and arrow_type.unit == "us", where
        return
    if avro_type.get("logicalType") == "date":
        assert pa.types.is_date32(arrow_type), where
        return
    if avro_type["type"] == "record":
        named[avro_type["name"]] = avro_type
        assert pa.types.is_struct(arrow_type), where
        names = [arrow_type.field(i).name for i in range(arrow_type.num_fields)]
        assert names == [f["name"] for f in avro_type["fields"]], where
        for field in avro_type["fields"]:
            _check(field["type"], arrow_type.field(field["name"]).type, named, f"{where}.{field['name']}")
        return
    if avro_type["type"] == "array":
        assert pa.types.is_list(arrow_type), where
        _check(avro_type["items"], arrow_type.value_type, named, f"{where}[]")
        return
    raise AssertionError(f"{where}: unexpected Avro type {avro_type}")


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("tables")
    with beam.Pipeline(runner="FnApiRunner") as pipeline:
        for table, rows in ROWS.items():
            pipeline | f"Create_{table}" >> beam.Create(rows) | f"Write_{table}" >> WriteTable(
                str(out), table, ("parquet", "avro"), "test-run")
    return out


@pytest.mark.parametrize("table", schemas.TABLES)
def test_every_avro_field_is_in_parquet_with_the_matching_type(table, written):
    avro = schemas.avro_schema(table)
    parquet_schema = pq.read_table(written / "parquet" / table, partitioning=None).schema  # no folder column
    assert parquet_schema.names == [f["name"] for f in avro["fields"]]
    named: dict = {}
    for field in avro["fields"]:
        _check(field["type"], parquet_schema.field(field["name"]).type, named, f"{table}.{field['name']}")
        nullable = isinstance(field["type"], list) and "null" in field["type"]
        assert parquet_schema.field(field["name"]).nullable == nullable, field["name"]


@pytest.mark.parametrize("table", schemas.TABLES)
def test_rows_round_trip_through_both_formats(table, written):
    parquet = pq.read_table(written / "parquet" / table, partitioning=None).to_pylist()
    avro = []
    for path in (written / "avro" / table).glob("*.avro"):
        with path.open("rb") as handle:
            avro.extend(fastavro.reader(handle))
    assert parquet == avro == ROWS[table]


def test_avro_schemas_parse_and_carry_a_version():
    for table in schemas.TABLES:
        parsed = fastavro.parse_schema(schemas.avro_schema(table))
        assert parsed["name"].startswith("newsevents.v1.")


def test_a_dead_letter_without_a_traceback_is_written_with_null(tmp_path):
    """Readers refuse inputs without an exception: their rows carry no traceback key."""
    row = dead_letter_row("read", "unsupported", "", NOW, source_file="a.csv")
    with beam.Pipeline(runner="FnApiRunner") as pipeline:
        _ = pipeline | beam.Create([row]) | WriteTable(str(tmp_path), "dead_letters", ("parquet", "avro"), "test-run")
    [parquet] = pq.read_table(tmp_path / "parquet" / "dead_letters").to_pylist()
    [avro] = [r for path in (tmp_path / "avro" / "dead_letters").glob("*.avro") for r in fastavro.reader(path.open("rb"))]
    assert parquet == avro == {**row, "traceback": None}


def test_open_parquet_files_hold_a_bounded_share_of_rows(monkeypatch):
    """A table partitioned by month keeps a file per month open: between them they hold about
    HELD_BYTES of rows (each writes a row group past its share), and the files of a dropped
    bundle are forgotten rather than kept or written from another."""
    import gc
    import io
    import weakref

    monkeypatch.setattr(files, "HELD_BYTES", 200_000)
    months = []
    for _ in range(30):
        sink = files._ParquetSink("articles")
        sink.open(io.BytesIO())
        months.append(sink)
    row = {**ROWS["articles"][0], "text": "x" * 3000}
    for i in range(3000):
        months[i % 30].write({**row, "article_id": f"a{i}"})
        assert sum(files._HELD.held.get(sink, 0) for sink in months) <= 200_000 + 30 * 3_400  # a row over, at most
    assert sum(len(sink._rows) for sink in months) < 100  # of 3,000 rows of 3 KB
    dropped = [weakref.ref(sink) for sink in months[:5]]
    for sink in months[5:]:
        sink.flush()
        assert sink not in files._HELD.held
    del months, sink
    gc.collect()
    assert all(ref() is None for ref in dropped)
