"""Adding an optional field keeps old files readable: Avro by schema resolution, Parquet by column."""
from __future__ import annotations

import copy
from datetime import datetime, timezone

import fastavro
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

import schemas
from transforms.output.records import dead_letter_row

NOW = datetime(2025, 1, 2, tzinfo=timezone.utc)


def _evolved(table: str) -> dict:
    schema = copy.deepcopy(schemas.avro_schema(table))
    schema["fields"].append({"name": "reviewer_note", "type": ["null", "string"], "default": None})
    return schema


def test_old_avro_files_read_with_a_newer_reader_schema(tmp_path):
    row = dead_letter_row("parse", "bad JSON", "{x", NOW, source_file="a.jsonl", line_number=1)
    path = tmp_path / "old.avro"
    with path.open("wb") as handle:
        fastavro.writer(handle, fastavro.parse_schema(schemas.avro_schema("dead_letters")), [row])
    with path.open("rb") as handle:
        [read] = list(fastavro.reader(handle, reader_schema=fastavro.parse_schema(_evolved("dead_letters"))))
    assert read == {"traceback": None, **row, "reviewer_note": None}


def test_old_parquet_files_read_with_the_added_column(tmp_path):
    row = dead_letter_row("read", "unsupported", "", NOW, source_file="a.csv")
    pq.write_table(pa.Table.from_pylist([row], schema=schemas.arrow_schema("dead_letters")), tmp_path / "old.parquet")
    newer = schemas.arrow_schema("dead_letters").append(pa.field("reviewer_note", pa.string()))
    [read] = ds.dataset(tmp_path, schema=newer, format="parquet").to_table().to_pylist()
    assert read == {"traceback": None, **row, "reviewer_note": None}


def _before_traceback() -> dict:
    """The dead-letter schema before its optional ``traceback`` field."""
    schema = copy.deepcopy(schemas.avro_schema("dead_letters"))
    schema["fields"] = [field for field in schema["fields"] if field["name"] != "traceback"]
    return schema


def test_dead_letters_written_before_the_traceback_field_read_with_null(tmp_path):
    row = dead_letter_row("parse", "bad JSON", "{x", NOW, source_file="a.jsonl", line_number=1)
    path = tmp_path / "old.avro"
    with path.open("wb") as handle:
        fastavro.writer(handle, fastavro.parse_schema(_before_traceback()), [row])
    with path.open("rb") as handle:
        [read] = list(fastavro.reader(handle, reader_schema=fastavro.parse_schema(schemas.avro_schema("dead_letters"))))
    assert read == {**row, "traceback": None}
    old = pa.schema([field for field in schemas.arrow_schema("dead_letters") if field.name != "traceback"])
    pq.write_table(pa.Table.from_pylist([row], schema=old), tmp_path / "old.parquet")
    [read] = ds.dataset(tmp_path / "old.parquet", schema=schemas.arrow_schema("dead_letters"), format="parquet").to_table().to_pylist()
    assert read == {**row, "traceback": None}
