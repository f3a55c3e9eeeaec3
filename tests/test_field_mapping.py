"""--text-field, --id-field, --title-field, --date-field: JSONL inputs whose keys are named
otherwise (the raw Reuters-21578 file has body, newid, date) become articles, and a run
without the mapping says which option fixes it."""
from __future__ import annotations

import gzip
import itertools
import json

import pyarrow.parquet as pq
import pytest

from pipelines.extract import exit_code, run
from transforms.ingest.articles import ArticleError, JsonFields, parse_json_line

REUTERS = "corpora/reuters21578.jsonl.gz"
BODY = ("Chancellor Anna Berg met Prime Minister Tomas Lind in Oslo on Tuesday to discuss "
        "energy prices, officials said. The two leaders agreed to meet again next month. ") * 2
RECORDS = [{"newid": 10 + n, "headline": f"Story {n}", "date": "26-FEB-1987 15:01:01.79",
            "text": "a stray short field", "body": BODY + f"Item {n}."} for n in range(3)]
FIELDS = ["--text-field", "body", "--id-field", "newid", "--title-field", "headline", "--date-field", "date"]


def test_the_mapped_keys_are_read_and_a_record_s_own_text_is_not():
    article = parse_json_line(json.dumps(RECORDS[0]), "in.jsonl", JsonFields("body", "newid", "headline", "date"))
    assert (article["article_id"], article["title"], article["published_at"]) == ("10", "Story 0", "1987-02-26T15:01:01")
    assert article["text"] == RECORDS[0]["body"]


def test_the_defaults_read_what_they_always_read():
    record = {"article_id": "a1", "text": "Hello.", "title": "T", "published_at": "2024-01-02"}
    assert parse_json_line(json.dumps(record)) == parse_json_line(json.dumps(record), None, JsonFields())


def test_a_missing_text_names_the_record_s_fields_and_the_option_that_reads_its_long_one():
    with pytest.raises(ArticleError) as caught:
        parse_json_line(json.dumps({"newid": 1, "title": "T", "body": BODY}))
    assert str(caught.value) == ("missing required field 'text' (a string); the record's fields are "
                                 "body, newid, title: try --text-field body")
    with pytest.raises(ArticleError, match=r"^missing required field 'body' \(a string\); the record's fields "
                                           r"are newid, title$"):
        parse_json_line(json.dumps({"newid": 1, "title": "short"}), None, JsonFields(text="body"))


@pytest.fixture(scope="module")
def body_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("body") / "wire.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    return path


def test_a_file_with_a_body_field_runs_with_the_field_options(body_file, tmp_path, capsys):
    out = tmp_path / "out"
    summary = run(["--input", str(body_file), "--output", str(out), "--progress-interval", "0", *FIELDS])
    assert (summary["articles"], summary["dead_letters"]) == (3, 0) and exit_code(summary) == 0
    articles = pq.read_table(out / "parquet" / "articles").to_pylist()
    assert sorted((a["article_id"], a["title"]) for a in articles) == [("10", "Story 0"), ("11", "Story 1"),
                                                                        ("12", "Story 2")]
    assert "warning" not in capsys.readouterr().err


def test_without_them_the_run_warns_with_the_fix_and_exits_0_unless_strict(tmp_path, capsys):
    # the records' own short "text" is read: drop it so that no text field is found
    plain = tmp_path / "plain.jsonl"
    plain.write_text("".join(json.dumps({k: v for k, v in r.items() if k != "text"}) + "\n" for r in RECORDS))
    summary = run(["--input", str(plain), "--output", str(tmp_path / "out"), "--progress-interval", "0"])
    assert (summary["articles"], summary["dead_letters"]) == (0, 3)
    err = capsys.readouterr().err.splitlines()
    assert err[-2] == "newsevents extract: warning: 3 of 3 inputs (100.0%) became dead letters (exit 0 unless --strict)"
    assert err[-1].startswith("  most frequent cause (3): ArticleError: missing required field 'text'")
    assert err[-1].endswith(": try --text-field body")
    assert exit_code(summary) == 0 and exit_code({**summary, "strict": True}) == 1


def test_the_raw_reuters_file_runs_with_text_field_body(shared_data, tmp_path, capsys):
    """The first 50 lines of the raw Reuters-21578 file (a few have no body: dead letters)."""
    sample = tmp_path / "reuters.jsonl"
    with gzip.open(shared_data / REUTERS, "rt", encoding="utf-8") as handle:
        sample.write_text("".join(itertools.islice(handle, 50)), encoding="utf-8")
    summary = run(["--input", str(sample), "--output", str(tmp_path / "out"), "--progress-interval", "0",
                   "--text-field", "body", "--id-field", "newid", "--date-field", "date"])
    assert summary["inputs"] == 50 and summary["articles"] >= 45 and summary["events"] > 0
    assert "warning" not in capsys.readouterr().err
