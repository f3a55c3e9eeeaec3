"""The output schemas: Avro files here are the single definition; Arrow is derived.

Every table's Parquet schema comes from ``arrow_schema(name)``, so Avro and Parquet can
never drift apart.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import fastavro
import pyarrow as pa
from fastavro.validation import validate

SCHEMA_DIR = Path(__file__).resolve().parent
TABLES = ("events", "articles", "dead_letters")
EVENT_TYPES = ("state_visit", "meeting", "agreement_signed", "facility_opened")  # events.event_type (EVENTS.md)
_FILES = {"events": "event.avsc", "articles": "article.avsc", "dead_letters": "dead_letter.avsc"}

_PRIMITIVES = {
    "string": pa.string(),
    "int": pa.int32(),
    "long": pa.int64(),
    "float": pa.float32(),
    "double": pa.float64(),
    "boolean": pa.bool_(),
    "bytes": pa.binary(),
}
_LOGICAL = {
    "timestamp-micros": pa.timestamp("us", tz="UTC"),
    "timestamp-millis": pa.timestamp("ms", tz="UTC"),
    "date": pa.date32(),
}


@lru_cache(maxsize=None)
def avro_schema(table: str) -> dict:
    """The Avro schema of a table as a JSON dict."""
    return json.loads((SCHEMA_DIR / _FILES[table]).read_text())


def _arrow_type(avro_type, named: dict) -> tuple[pa.DataType, bool]:
    """(arrow type, nullable) for an Avro type; ``named`` collects named records for reuse."""
    if isinstance(avro_type, list):
        branches = [t for t in avro_type if t != "null"]
        if len(branches) != 1:
            raise ValueError(f"only [null, T] unions are supported, got {avro_type}")
        return _arrow_type(branches[0], named)[0], "null" in avro_type
    if isinstance(avro_type, str):
        if avro_type in _PRIMITIVES:
            return _PRIMITIVES[avro_type], False
        return named[avro_type], False
    logical = avro_type.get("logicalType")
    if logical in _LOGICAL:
        return _LOGICAL[logical], False
    kind = avro_type["type"]
    if kind == "record":
        struct = pa.struct(_arrow_fields(avro_type["fields"], named))
        named[avro_type["name"]] = struct
        return struct, False
    if kind == "array":
        item, item_nullable = _arrow_type(avro_type["items"], named)
        return pa.list_(pa.field("element", item, nullable=item_nullable)), False
    if kind in _PRIMITIVES:
        return _PRIMITIVES[kind], False
    raise ValueError(f"unsupported Avro type {avro_type}")


def _arrow_fields(fields: list[dict], named: dict) -> list[pa.Field]:
    result = []
    for field in fields:
        arrow, nullable = _arrow_type(field["type"], named)
        result.append(pa.field(field["name"], arrow, nullable=nullable))
    return result


@lru_cache(maxsize=None)
def arrow_schema(table: str) -> pa.Schema:
    """The Parquet/Arrow schema derived from the table's Avro schema."""
    schema = avro_schema(table)
    return pa.schema(_arrow_fields(schema["fields"], {}), metadata={"avro_schema": json.dumps(schema)})


@lru_cache(maxsize=None)
def _parsed(table: str) -> dict:
    return fastavro.parse_schema(avro_schema(table))


def validate_row(table: str, row: dict) -> None:
    """Raise ValidationError when ``row`` does not fit the table's schema, before a writer sees it.

    A row is checked quietly first: with ``raise_errors`` fastavro builds an error message
    (the value printed as JSON) for every union branch a value does not take, such as the
    "null" of each optional field that holds a value, even when the row fits."""
    schema = _parsed(table)
    if not validate(row, schema, raise_errors=False):
        validate(row, schema, raise_errors=True)
