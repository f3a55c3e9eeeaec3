"""Final row shapes for the three output tables (identities come from transforms/output/identity.py).

Pure functions: the Beam layer only maps them.  Timestamps are timezone-aware UTC
datetimes, as the Avro ``timestamp-micros`` logical type and the derived Arrow schema
expect; publication times without an offset are taken as UTC.
"""
from __future__ import annotations

import pickle
import zlib
from datetime import datetime, timezone

from transforms.output.codes import event_codes
from transforms.output.identity import digest, event_id
from transforms.ingest.normalise import without_surrogates
from transforms.resolution.dates import date_span

EXTRACTOR_VERSION = "0.1.0"
RAW_LIMIT = 64 * 1024


def packed(row: dict) -> bytes:
    """A row (or raw record) as it waits in a shuffle: one compressed bytes object, not a dict of
    objects. The local runner holds a shuffle's input whole, decoded (a 6,000-character article
    packs to ~3 KB)."""
    return zlib.compress(pickle.dumps(row, pickle.HIGHEST_PROTOCOL), 1)


def unpacked(data: bytes) -> dict:
    """The row ``packed`` made."""
    return pickle.loads(zlib.decompress(data))


def utc(timestamp: str | None) -> datetime | None:
    """ISO 8601 text -> aware UTC datetime (naive input is taken as UTC)."""
    if not timestamp:
        return None
    parsed = datetime.fromisoformat(timestamp)
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def record_id(article: dict, event: dict) -> str:
    """One row = one article's report of one event; the first trigger offset separates rows.
    The article is its id and its text: two different articles given one id never share a
    row id, and a rerun of the same input gives the same ids."""
    return "r-" + digest(article["article_id"], digest(article["text"]), event["event_type"],
                         str(event["trigger"]["start"]), (event.get("location") or {}).get("name") or "")


def event_row(event: dict, article: dict, model: str, processed_at: datetime) -> dict:
    """A resolved event dict -> an `events` row (schemas/event.avsc)."""
    location = event.get("location")
    return {
        "record_id": record_id(article, event),
        "event_id": event_id(event, article.get("published_at")),
        "event_type": event["event_type"],
        "status": event["status"],
        **event_codes(event),
        "trigger": _span(event["trigger"]),
        "sentence": _span(event["sentence"]),
        "mentions": [_span(m) for m in event["mentions"]],
        "participants": [
            {
                "name": p["name"],
                "aliases": list(p.get("aliases") or []),
                "role": p["role"],
                "entity_type": p["entity_type"],
                "title": p.get("title"),
                "country": p.get("country"),
                "start": p.get("start"),
                "end": p.get("end"),
            }
            for p in event["participants"]
        ],
        "location": None if location is None else {
            "name": location["name"],
            "country": location.get("country"),
            "geonames_id": location.get("geonames_id"),
            "latitude": location.get("latitude"),
            "longitude": location.get("longitude"),
            "admin1": location.get("admin1"),
            "feature_class": location.get("feature_class"),
            "inferred": bool(location.get("inferred", False)),
            "start": location.get("start"),
            "end": location.get("end"),
        },
        "event_date": event.get("event_date"),
        "date_text": event.get("date_text"),
        "date_precision": event.get("date_precision") or "unknown",
        **_date_range(event),
        "object": event.get("object"),
        "confidence": float(event["confidence"]),
        "article": {
            "article_id": article["article_id"],
            "url": article.get("url"),
            "source": article.get("source"),
            "title": article.get("title"),
            "published_at": utc(article.get("published_at")),
            "language": article.get("language"),
        },
        "extractor_version": EXTRACTOR_VERSION,
        "model": model,
        "processed_at": processed_at,
    }


def _date_range(event: dict) -> dict:
    """event_start/event_end: the days the resolved event_date covers, so a month-precision
    "2025-06" is found by ``event_start >= DATE '2025-06-01'`` (the text sorts before it)."""
    value = event.get("event_date")
    start, end = date_span(value) if value else (None, None)
    return {"event_start": start, "event_end": end}


def _span(span: dict) -> dict:
    return {"text": span["text"], "start": int(span["start"]), "end": int(span["end"])}


def article_row(article: dict, n_events: int, processed_at: datetime) -> dict:
    """An `articles` row (schemas/article.avsc)."""
    return {
        "article_id": article["article_id"],
        "title": article.get("title"),
        "published_at": utc(article.get("published_at")),
        "url": article.get("url"),
        "source": article.get("source"),
        "language": article.get("language"),
        "dateline": article.get("dateline"),
        "story_code": article.get("story_code"),
        "source_file": article.get("source_file"),
        "text": article["text"],
        "duplicate_of": None,
        "n_events": n_events,
        "status": article.get("status", "ok"),
        "flags": list(article.get("flags") or []),
        "extractor_version": EXTRACTOR_VERSION,
        "processed_at": processed_at,
    }


def dead_letter_row(stage: str, error: BaseException | str, raw, processed_at: datetime,
                    source_file: str | None = None, line_number: int | None = None,
                    article_id: str | None = None, traceback: str | None = None) -> dict:
    """A `dead_letters` row: the raw input (truncated to 64 KB of UTF-8), where and why it
    failed, and for an exception the short traceback of where it arose."""
    if not isinstance(raw, (bytes, str)):
        raw = repr(raw)
    encoded = raw if isinstance(raw, bytes) else without_surrogates(raw).encode("utf-8")
    message = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
    return {
        "source_file": None if source_file is None else without_surrogates(source_file),
        "line_number": line_number,
        "article_id": article_id,
        "stage": stage,
        "error": without_surrogates(message),
        "raw": encoded[:RAW_LIMIT].decode("utf-8", errors="replace"),
        "raw_truncated": len(encoded) > RAW_LIMIT,
        "processed_at": processed_at,
        "traceback": traceback,
    }
