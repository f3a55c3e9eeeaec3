"""The event tables of dev, train and the seed, pinned (issue 20: a refactor keeps them).

Each event record is reduced to the fields a user reads (type, status, participants, place,
date, trigger, confidence, ids) and hashed; the fixture holds one digest list per article,
so a change names the articles it moved. A deliberate extraction change rewrites the
fixture with NEWSEVENTS_UPDATE_SNAPSHOT=1 (and says so in its commit).
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pyarrow.parquet as pq
import pytest

FIXTURE = Path(__file__).parent / "fixtures" / "events_dev_train_seed.json"
UPDATE_ENV = "NEWSEVENTS_UPDATE_SNAPSHOT"


def _reduced(row: dict) -> dict:
    """What a user reads of one event record (no processing time, no file paths)."""
    location = row["location"] or {}
    return {
        "record_id": row["record_id"], "event_id": row["event_id"], "event_type": row["event_type"],
        "status": row["status"], "trigger": row["trigger"]["text"], "sentence_start": row["sentence"]["start"],
        "participants": sorted((p["name"], p["role"], p["country"] or "") for p in row["participants"]),
        "location": [location.get("name"), location.get("country"), location.get("geonames_id")],
        "event_date": row["event_date"], "date_precision": row["date_precision"], "object": row["object"],
        "confidence": round(row["confidence"], 4), "mentions": len(row["mentions"]),
    }


def _digests(output: Path) -> dict[str, list[str]]:
    rows = pq.read_table(output / "parquet" / "events", partitioning=None).to_pylist()
    by_article: dict[str, list[str]] = {}
    for row in rows:
        text = json.dumps(_reduced(row), sort_keys=True, ensure_ascii=False)
        by_article.setdefault(row["article"]["article_id"], []).append(hashlib.sha256(text.encode()).hexdigest()[:16])
    return {article: sorted(digests) for article, digests in sorted(by_article.items())}


@pytest.mark.shared
@pytest.mark.slow
def test_the_event_tables_of_dev_train_and_the_seed_are_unchanged(shared_data, tmp_path):
    from pipelines.extract import run

    inputs = [shared_data / "dev" / "articles.jsonl", shared_data / "seed" / "khamenei_rahmon_2022-05-31.txt"]
    inputs += sorted((shared_data / "train").glob("*/articles.jsonl"))
    run(["--input", *map(str, inputs), "--output", str(tmp_path / "out"), "--formats", "parquet",
         "--progress-interval", "0"])
    got = _digests(tmp_path / "out")
    if os.environ.get(UPDATE_ENV):
        FIXTURE.write_text(json.dumps(got, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    expected = json.loads(FIXTURE.read_text(encoding="utf-8"))
    moved = sorted(a for a in set(got) | set(expected) if got.get(a) != expected.get(a))
    assert not moved, (f"{len(moved)} articles' events changed (first: {moved[:10]}); if the change is "
                       f"deliberate, rerun with {UPDATE_ENV}=1 and say so in the commit")
