"""End-to-end runs of `newsevents extract` on the FnApiRunner (one run per module)."""
from __future__ import annotations

import gzip
import json
import os

import duckdb
import fastavro
import pyarrow.parquet as pq
import pytest

from pipelines.extract import UsageError, run
from tests.conftest import EXAMPLES

pytestmark = pytest.mark.slow

GOOD = {"id": "ok-{n}", "title": "Leaders meet", "published_at": "2025-02-0{n}T10:00:00Z",
        "text": "President Ana Lopez of Chile met Prime Minister Jonas Berg of Norway in Oslo on Monday."}


def _line(n: int) -> str:
    return json.dumps({k: (v.format(n=n) if isinstance(v, str) else v) for k, v in GOOD.items()})


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("inputs")
    broken = folder / "mixed.jsonl"
    broken.write_text("\n".join([
        _line(1),                              # 1 good
        "{this is not json",                   # 2 bad JSON
        _line(2),                              # 3 good
        json.dumps({"title": "no text"}),      # 4 missing text
        json.dumps(["a", "list"]),             # 5 not an object
        "",                                    # blank: skipped and counted
        _line(3),                              # 7 good
    ]) + "\n")
    with gzip.open(folder / "more.jsonl.gz", "wt") as handle:
        handle.write(_line(4) + "\n" + _line(5) + "\n")
    whole = gzip.compress(("\n".join(_line(n) for n in range(6, 9)) + "\n").encode())
    (folder / "truncated.jsonl.gz").write_bytes(whole[: len(whole) - 12])
    (folder / "table.csv").write_text("a,b\n1,2\n")
    return folder


@pytest.fixture(scope="module")
def output(inputs, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    summary = run(["--input", str(inputs / "*"), str(EXAMPLES / "*.jsonl"), str(EXAMPLES / "*.txt"),
                   "--output", str(out), "--overwrite"])
    return out, summary


def _parquet(out, table):
    return pq.read_table(out / "parquet" / table, partitioning=None).to_pylist()  # as in Avro: no folder column


def _avro(out, table):
    rows = []
    for path in sorted((out / "avro" / table).glob("*.avro")):
        with path.open("rb") as handle:
            rows.extend(fastavro.reader(handle))
    return rows


def test_every_jsonl_line_is_an_article_or_a_dead_letter(output, inputs):
    out, _summary = output
    mixed = str(inputs / "mixed.jsonl")
    articles = [a for a in _parquet(out, "articles") if a["source_file"] == mixed]
    dead = [d for d in _parquet(out, "dead_letters") if d["source_file"] == mixed]
    assert sorted(a["article_id"] for a in articles) == ["ok-1", "ok-2", "ok-3"]
    assert sorted(d["line_number"] for d in dead) == [2, 4, 5]
    assert {d["stage"] for d in dead} == {"parse"}
    by_line = {d["line_number"]: d for d in dead}
    assert "invalid JSON" in by_line[2]["error"] and by_line[2]["raw"].startswith("{this is not json")
    assert "missing required field 'text'" in by_line[4]["error"]


def test_reconciliation_and_file_level_dead_letters(output, inputs):
    out, summary = output
    articles, dead = _parquet(out, "articles"), _parquet(out, "dead_letters")
    assert summary["inputs"] == len(articles) + len(dead)
    assert summary["articles"] == len(articles) and summary["dead_letters"] == len(dead)
    assert summary["blank_lines_skipped"] == 1
    assert {a["article_id"] for a in articles} >= {"ok-4", "ok-5"}  # the .gz file
    reasons = {d["source_file"].rsplit("/", 1)[-1]: d for d in dead if d["stage"] == "read"}
    assert "unsupported file type" in reasons["table.csv"]["error"]
    assert "rest of the file is unread" in reasons["truncated.jsonl.gz"]["error"]


def test_parquet_and_avro_hold_the_same_rows(output):
    out, _summary = output
    for table, key in (("events", "record_id"), ("articles", "article_id"),
                       ("dead_letters", "raw")):
        parquet = sorted(_parquet(out, table), key=lambda r: (r[key], str(r.get("line_number"))))
        avro = sorted(_avro(out, table), key=lambda r: (r[key], str(r.get("line_number"))))
        assert parquet == avro, table
        assert parquet or table == "events"


def test_story_header_reaches_the_articles_table(output):
    out, _summary = output
    story = next(a for a in _parquet(out, "articles") if a["article_id"] == "canada_mexico_2025-09-10")
    assert story["title"] == "Canada and Mexico Agree to Expand Energy Cooperation"
    assert story["published_at"].isoformat() == "2025-09-10T10:30:00+00:00"
    assert story["story_code"] == "100245"
    example = next(a for a in _parquet(out, "articles") if a["article_id"] == "example-001")
    assert example["dateline"] == "TOKYO, March 12"


def test_duckdb_reads_the_documented_glob(output):
    out, _summary = output
    con = duckdb.connect()
    events = con.execute(f"select count(*) from '{out}/parquet/events/**/*.parquet'").fetchall()[0][0]
    articles = con.execute(f"select sum(n_events) from '{out}/parquet/articles/**/*.parquet'").fetchall()[0][0]
    assert events == articles


def test_event_rows_are_well_formed(output):
    out, summary = output
    events = _parquet(out, "events")
    assert summary["events"] == len(events)
    assert summary["distinct_events"] == len({e["event_id"] for e in events}) > 0
    texts = {a["article_id"]: a["text"] for a in _parquet(out, "articles")}
    for event in events:
        text = texts[event["article"]["article_id"]]
        for span in [event["sentence"], event["trigger"], *event["mentions"]]:
            assert text[span["start"]:span["end"]] == span["text"]
        assert 0.0 <= event["confidence"] <= 1.0
    assert len({e["record_id"] for e in events}) == len(events)


def test_existing_output_is_refused_without_overwrite(output, inputs):
    out, _summary = output
    with pytest.raises(UsageError, match="--overwrite"):
        run(["--input", str(inputs / "mixed.jsonl"), "--output", str(out)])


def test_input_matching_nothing_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="matches no file"):
        run(["--input", str(tmp_path / "nothing-*.jsonl"), "--output", str(tmp_path / "o")])


def test_local_worker_processes_get_a_malloc_arena_cap_unless_the_user_set_one(tmp_path, monkeypatch):
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    (tmp_path / "one.jsonl").write_text(_line(1) + "\n")
    run(["--input", str(tmp_path / "one.jsonl"), "--output", str(tmp_path / "out"), "--formats=parquet"])
    assert os.environ["MALLOC_ARENA_MAX"] == "2"  # inherited by multi-process workers (docs/PERFORMANCE.md)


def test_overwrite_replaces_only_what_newsevents_wrote(tmp_path):
    """--overwrite used to delete the whole parquet/ and avro/ folders, a user's files too,
    before the new run had even started."""
    from pipelines import outputs

    out = tmp_path / "out"
    run(["--input", str(EXAMPLES), "--output", str(out), "--progress-interval", "0"])
    first = outputs.published_manifest(out)
    mine = [out / "parquet" / "notes.txt", out / "avro" / "events" / "mine.avro"]
    for path in mine:
        path.write_text("the user's\n")
    run(["--input", str(EXAMPLES / "canada_mexico_2025-09-10.txt"), "--output", str(out), "--overwrite",
         "--formats", "parquet", "--progress-interval", "0"])
    second = outputs.published_manifest(out)
    assert second["run_id"] != first["run_id"] and second["counts"]["articles"] == 1
    assert all(path.exists() for path in mine)
    assert not [name for name in first["files"] if name.startswith("avro/") and (out / name).exists()]
    assert len(_parquet(out, "articles")) == 1


def test_overwrite_of_an_output_without_a_manifest_removes_its_part_files_and_leftovers(tmp_path):
    """An output of an older newsevents (or of a run killed before it) has no manifest: its
    part-* files and beam-temp-* leftovers are newsevents', other files the user's."""
    out = tmp_path / "out"
    folder = out / "parquet" / "events"
    (folder / "beam-temp-part-123").mkdir(parents=True)
    (folder / "beam-temp-part-123" / "half").write_bytes(b"PAR1")
    (folder / "part-00000-of-00003.parquet").write_bytes(b"old")
    (out / "parquet" / "README.txt").write_text("mine\n")
    with pytest.raises(UsageError, match="--overwrite"):
        run(["--input", str(EXAMPLES), "--output", str(out), "--progress-interval", "0"])
    run(["--input", str(EXAMPLES), "--output", str(out), "--overwrite", "--progress-interval", "0"])
    assert (out / "parquet" / "README.txt").exists()
    assert not (folder / "part-00000-of-00003.parquet").exists() and not list(folder.glob("beam-temp-*/*"))
    assert len(_parquet(out, "articles")) == 8
