"""The ingest package on its own: ``records_of`` over one opened file and ``parse_record`` over
one raw record, on small byte fixtures in plain Python (no Beam, no files but a folder)."""
from __future__ import annotations

import codecs
import gzip
import io
import json
from collections import Counter

import pytest

from tests.bad_inputs import GERMAN, PROSE
from tests.test_webinputs import BOMB, RSS, fixture_pages, write_warc
from transforms.ingest.articles import ArticleError, JsonFields
from transforms.ingest.formats import GZIP_MIN_CAP_BYTES
from transforms.ingest.raw_records import (
    BLANK_LINE,
    ReadFailure,
    ReadPosition,
    parse_record,
    raw_record,
    records_of,
    refusal,
    unopened,
)


def _line(**fields) -> bytes:
    return (json.dumps(fields) + "\n").encode()


def _records(path: str, data: bytes, kind: str, **options) -> list:
    return list(records_of(path, io.BytesIO(data), kind, len(data), **options))


# ---- records_of -------------------------------------------------------------------------------

def test_jsonl_lines_become_numbered_records_and_blank_lines_are_counted():
    skipped = Counter()
    data = _line(id="a", text=PROSE) + b"  \r\n" + _line(id="b", text=PROSE)
    records = _records("in.jsonl", data, "jsonl", skipped=skipped)
    assert records == [raw_record("jsonl", "in.jsonl", _line(id="a", text=PROSE), 1),
                       raw_record("jsonl", "in.jsonl", _line(id="b", text=PROSE), 3)]
    assert skipped == Counter({BLANK_LINE: 1})


def test_a_line_over_the_bound_is_a_failure_naming_its_line_and_size():
    long_line = b"x" * 200 + b"\n"
    first, failure, last = _records("in.jsonl", _line(text="a") + long_line + _line(text="b"), "jsonl",
                                    max_record_bytes=100)
    assert isinstance(failure, ReadFailure) and failure.line_number == 2
    assert "line 2 is 201 bytes" in failure.error and failure.raw == b"x" * 101  # the head of the line, as far as it was read
    assert (first["line_number"], last["line_number"]) == (1, 3)


def test_a_story_file_is_one_record_and_a_long_one_a_failure():
    [record] = _records("s.txt", b"TOKYO, April 27 - Talks.\n\x00\x00", "story")
    assert record == raw_record("story", "s.txt", b"TOKYO, April 27 - Talks.\n")
    [failure] = _records("s.txt", b"y" * 50, "story", max_record_bytes=10)
    assert failure == ReadFailure("story file larger than 10 bytes; skipped unread", b"y" * 11)


def test_a_utf16_file_with_a_byte_order_mark_is_read_as_utf8():
    data = codecs.BOM_UTF16_LE + _line(text="café").decode().encode("utf-16-le")
    [record] = _records("in.jsonl", data, "jsonl")
    assert json.loads(record["raw"]) == {"text": "café"}


def test_gzip_is_read_and_a_truncated_one_keeps_the_lines_before_the_cut():
    data = gzip.compress(_line(text="a") + _line(text="b"))
    assert [r["line_number"] for r in _records("in.jsonl.gz", data, "jsonl")] == [1, 2]
    *records, failure = _records("in.jsonl.gz", data[:-4], "jsonl")  # cut inside the trailer
    assert [r["line_number"] for r in records] == [1, 2]
    assert failure.line_number == 3 and "after line 2; the rest of the file is unread" in failure.error


def test_a_gzip_bomb_is_one_failure_and_no_record():
    data = gzip.compress(b"x\n" * GZIP_MIN_CAP_BYTES, compresslevel=9)
    [failure] = _records("bomb.jsonl.gz", data, "jsonl")
    assert "a gzip bomb?" in failure.error and failure.line_number is None


def test_an_html_file_is_one_page_record():
    [record] = _records("page.html", b"<html><body><p>Hi</p></body></html>", "html")
    assert record == raw_record("html", "page.html", b"<html><body><p>Hi</p></body></html>", url=None, offset=0)


def test_a_feed_gives_one_record_per_entry_and_a_refused_feed_one_failure():
    records = _records("f.rss", RSS, "feed")
    assert [(r["kind"], r["offset"]) for r in records] == [("feed_entry", 0), ("feed_entry", 1)]
    assert records[0]["url"] == "https://www.harbourgazette.example/rss/egypt-sudan"
    [failure] = _records("bomb.xml", BOMB, "feed")
    assert "unsafe XML refused" in failure.error and failure.raw == BOMB


def test_the_position_hears_of_the_bytes_read_every_report_bytes():
    heard = []
    line = _line(text="x" * 40_000)
    data = line * 3
    list(records_of("in.jsonl", io.BytesIO(data), "jsonl", len(data), position=ReadPosition(len(data), heard.append)))
    assert heard == [2 * len(line)]  # after the second line, past ReadPosition.REPORT_BYTES


def test_a_warc_gives_its_html_responses_and_counts_the_other_records(tmp_path):
    write_warc(tmp_path / "a.warc.gz", fixture_pages()[:2])
    data = (tmp_path / "a.warc.gz").read_bytes()
    skipped = Counter()
    records = _records("a.warc.gz", data, "warc", skipped=skipped)
    assert [(r["kind"], r["url"]) for r in records] == [("html", url) for url, _html in fixture_pages()[:2]]
    assert all(r["where"] == f"WARC offset {r['offset']}" for r in records)
    assert skipped and BLANK_LINE not in skipped


def test_files_refused_unopened(tmp_path):
    assert "unsupported file type" in refusal("notes.doc", None, local=True).error
    assert "not a regular file" in refusal(str(tmp_path), "jsonl", local=True).error
    assert refusal(str(tmp_path), "jsonl", local=False) is None
    gone = unopened(FileNotFoundError("gone"), "jsonl")
    assert gone == ReadFailure("FileNotFoundError: gone (after line 0; the rest of the file is unread)", "", 1)
    assert "before the first record" in unopened(OSError("no"), "warc").error


# ---- parse_record -----------------------------------------------------------------------------

def test_a_jsonl_record_becomes_an_article_with_its_line_number():
    article = parse_record(raw_record("jsonl", "in.jsonl", _line(id="a", text=PROSE), 7))
    assert (article["article_id"], article["line_number"], article["status"]) == ("a", 7, "ok")
    assert article["source_file"] == "in.jsonl" and article["flags"] == []


def test_the_json_keys_are_named_by_fields():
    record = raw_record("jsonl", "in.jsonl", _line(newid=5, body=PROSE), 1)
    assert parse_record(record, JsonFields(text="body", id="newid"))["article_id"] == "5"


def test_a_story_record_and_the_size_bound():
    article = parse_record(raw_record("story", "dir/talks.txt", PROSE.encode()), max_article_bytes=40)
    assert article["article_id"] == "talks" and article["line_number"] is None
    assert len(article["text"].encode()) <= 40 and "truncated_to_40_bytes" in article["flags"]


def test_a_foreign_article_is_kept_as_skipped_and_bad_utf8_is_flagged():
    assert parse_record(raw_record("jsonl", "in.jsonl", _line(text=GERMAN), 1))["status"].startswith("skipped:")
    article = parse_record(raw_record("jsonl", "in.jsonl", _line(text=PROSE)[:-3] + b'\xff"}\n', 1))
    assert article["flags"] == ["invalid_utf8"]


def test_a_record_that_is_no_article_raises():
    with pytest.raises(ArticleError, match="invalid JSON"):
        parse_record(raw_record("jsonl", "in.jsonl", b"{not json", 1))


def test_a_feed_entry_record_carries_its_page_key():
    record = _records("f.rss", RSS, "feed")[0]
    article = parse_record(record)
    assert (article["record_kind"], article["record_offset"]) == ("feed_entry", 0)
    assert article["dedupe_key"] == "harbourgazette.example/rss/egypt-sudan"
    assert "water sharing" in article["text"] and "html_stripped" in article["flags"]
