"""Every field of every output schema says what it holds: the Avro `doc` is the data dictionary."""
from __future__ import annotations

import pytest

import schemas


def _fields(avro_type, where: str):
    """(path, field) for every field of the records inside ``avro_type``, nested ones included."""
    if isinstance(avro_type, list):
        for branch in avro_type:
            yield from _fields(branch, where)
    elif isinstance(avro_type, dict) and avro_type.get("type") == "record":
        for field in avro_type["fields"]:
            path = f"{where}.{field['name']}"
            yield path, field
            yield from _fields(field["type"], path)
    elif isinstance(avro_type, dict) and avro_type.get("type") == "array":
        yield from _fields(avro_type["items"], f"{where}[]")


def _records(avro_type):
    if isinstance(avro_type, list):
        for branch in avro_type:
            yield from _records(branch)
    elif isinstance(avro_type, dict) and avro_type.get("type") == "record":
        yield avro_type
        for field in avro_type["fields"]:
            yield from _records(field["type"])
    elif isinstance(avro_type, dict) and avro_type.get("type") == "array":
        yield from _records(avro_type["items"])


@pytest.mark.parametrize("table", schemas.TABLES)
def test_every_field_has_a_doc(table):
    fields = list(_fields(schemas.avro_schema(table), table))
    undocumented = [path for path, field in fields if not str(field.get("doc") or "").strip()]
    assert not undocumented, f"fields without a doc: {undocumented}"


def test_nested_fields_are_checked_too():
    paths = {path for path, _ in _fields(schemas.avro_schema("events"), "events")}
    assert {"events.trigger.start", "events.participants[].country", "events.location.inferred",
            "events.article.published_at"} <= paths


@pytest.mark.parametrize("table", schemas.TABLES)
def test_every_record_has_a_doc(table):
    records = list(_records(schemas.avro_schema(table)))
    assert records and all(str(record.get("doc") or "").strip() for record in records), \
        [r["name"] for r in records if not r.get("doc")]

