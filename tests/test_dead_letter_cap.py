"""A JSONL file's junk lines past the per-file bound are one summary dead letter (issue 18).

Up to ``MAX_DEAD_LETTERS_PER_FILE`` lines that can be no article go on and each becomes one
`parse` dead letter, as before; the rest are counted by the reader, which sees the whole
file, into one row that says how many, why, and from which line to which.  The counts still
reconcile: every folded line is an input and a parse dead letter.  The speed is measured by
the benchmark command in docs/RELIABILITY.md, not here.
"""
from __future__ import annotations

import gzip
import json

import apache_beam as beam
import pyarrow.parquet as pq
import pytest
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.pipeline import PipelineVisitor

from pipelines.extract import exit_code, run
from pipelines.progress import format_summary_table
from tests.bad_inputs import PROSE
from tests.test_input_bounds import NOW, _Readable, _read
from transforms.steps.files import ReadFileRecords
from transforms.ingest.formats import GZIP_MIN_CAP_BYTES, MAX_DEAD_LETTERS_PER_FILE
from transforms.ingest.raw_records import no_article_cause, parse_record, raw_record
from transforms.steps.streaming import ReadStream, Source

JUNK = [b"junk line\n", b"[1, 2]\n", b"\x00\x01\x02 binary\n", b'"a string"\n', b"{unclosed\n", b"null\n"]


def _split(outputs: list) -> tuple[list[dict], list[dict]]:
    """(raw records, dead-letter rows) of the reader's outputs."""
    return ([o for o in outputs if isinstance(o, dict)], [o.value for o in outputs if not isinstance(o, dict)])


def test_junk_lines_past_the_bound_are_one_row_that_counts_them(tmp_path):
    path = tmp_path / "junk.jsonl"
    good = (json.dumps({"id": "a", "text": PROSE}) + "\n").encode()
    lines = [good] + [JUNK[i % len(JUNK)] for i in range(MAX_DEAD_LETTERS_PER_FILE + 4_000)] + [good.replace(b'"a"', b'"b"')]
    path.write_bytes(b"".join(lines))
    records, [folded] = _split(_read(path))
    assert len(records) == 2 + MAX_DEAD_LETTERS_PER_FILE  # the two articles and the first junk lines
    assert [r["line_number"] for r in records][-1] == len(lines)  # an article after the junk still goes on
    assert folded["stage"] == "parse" and folded["source_file"] == str(path)
    first = 2 + MAX_DEAD_LETTERS_PER_FILE
    assert folded["line_number"] == first and folded["raw"] == JUNK[MAX_DEAD_LETTERS_PER_FILE % len(JUNK)].decode()
    assert f"4,000 more lines of this file are no article, lines {first:,} to {first + 3_999:,}" in folded["error"]
    assert "invalid JSON: Expecting value: " in folded["error"] and "3 other causes" in folded["error"]


def test_a_gzip_of_short_junk_lines_within_its_expansion_bound_is_folded(tmp_path):
    """The 2 KB gzip of a million lines is refused by the gzip bound; the most lines a gzip
    within that bound holds (half a million 'x' lines) are one row past the cap."""
    path = tmp_path / "short.jsonl.gz"
    lines = GZIP_MIN_CAP_BYTES // 2 - 1
    path.write_bytes(gzip.compress(b"x\n" * lines))
    records, [folded] = _split(_read(path))
    assert len(records) == MAX_DEAD_LETTERS_PER_FILE
    assert f"{lines - MAX_DEAD_LETTERS_PER_FILE:,} more lines" in folded["error"]


def test_the_bound_is_per_file_and_settable(tmp_path):
    for name in ("a.jsonl", "b.jsonl"):
        (tmp_path / name).write_bytes(b"junk\n" * 30)
    for name in ("a.jsonl", "b.jsonl"):
        records, [folded] = _split(list(ReadFileRecords(NOW, max_dead_letters=10).process(_Readable(tmp_path / name))))
        assert len(records) == 10 and folded["error"].startswith("20 more lines") and folded["line_number"] == 11


def test_json_objects_are_never_folded_the_parse_step_decides_on_fields(tmp_path):
    """An object without the default text field may be an article under --text-field."""
    path = tmp_path / "objects.jsonl"
    path.write_bytes(b'{"body": "x"}\n' * (MAX_DEAD_LETTERS_PER_FILE + 50))
    records, dead = _split(_read(path))
    assert len(records) == MAX_DEAD_LETTERS_PER_FILE + 50 and not dead


@pytest.mark.parametrize("line", [*JUNK, b'{"id": "a", "text": "t"}', b"{}", b'{"text": 5}', b"[" * 5000])
def test_a_line_the_reader_calls_no_article_fails_to_parse(line):
    """Folding loses nothing: what the reader folds, parsing would make a dead letter."""
    if no_article_cause(line) is None:
        return
    with pytest.raises(Exception):
        parse_record(raw_record("jsonl", "f.jsonl", line, 1))


@pytest.mark.slow
def test_a_run_writes_the_rows_counts_every_bad_line_and_reconciles(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    junk = MAX_DEAD_LETTERS_PER_FILE + 2_500
    (inputs / "junk.jsonl").write_bytes((json.dumps({"id": "a", "text": PROSE}) + "\n").encode() + b"not json\n" * junk)
    out = tmp_path / "out"
    summary = run(["--input", str(inputs / "*"), "--output", str(out), "--runner=FnApiRunner"])
    dead = pq.read_table(out / "parquet" / "dead_letters").to_pylist()
    assert len(dead) == MAX_DEAD_LETTERS_PER_FILE + 1
    assert summary["dead_letters"] == summary["dead_letters_by_stage"]["parse"] == junk
    assert summary["inputs"] == junk + 1 == summary["articles"] + summary["dead_letters"]
    assert summary["bad_records_folded"] == 2_500 and summary["folded_dead_letter_rows"] == 1
    assert [row["error"] for row in dead if row["error"].startswith("2,500 more lines")]
    table = format_summary_table(summary)
    assert f"{junk:,}" in table and "OK" in table.split("reconciliation")[1].split("\n")[0]
    assert exit_code({**summary, "strict": False}) == 0


def test_a_watched_folder_reads_its_files_with_the_same_bound(tmp_path):
    """`stream --source watch://` reads each new file with the batch reader: junk folded too."""
    pipeline = beam.Pipeline(options=PipelineOptions(["--streaming"]))
    _ = pipeline | ReadStream(Source.parse(f"watch://{tmp_path}/*.jsonl"), NOW)
    readers = []

    class _Readers(PipelineVisitor):
        def visit_transform(self, applied):
            if isinstance(getattr(applied.transform, "fn", None), ReadFileRecords):
                readers.append(applied.transform.fn)

    pipeline.visit(_Readers())
    path = tmp_path / "junk.jsonl"
    path.write_bytes(b"junk\n" * (MAX_DEAD_LETTERS_PER_FILE + 7))
    [reader] = readers
    records, [folded] = _split(list(reader.process(_Readable(path))))
    assert len(records) == MAX_DEAD_LETTERS_PER_FILE and folded["error"].startswith("7 more lines")


def test_the_option_sets_the_bound_of_a_run(tmp_path):
    (tmp_path / "junk.jsonl").write_bytes((json.dumps({"id": "a", "text": PROSE}) + "\n").encode() + b"not json\n" * 40)
    out = tmp_path / "out"
    summary = run(["--input", str(tmp_path / "junk.jsonl"), "--output", str(out), "--runner=FnApiRunner",
                   "--max-dead-letters-per-file=5"])
    assert len(pq.read_table(out / "parquet" / "dead_letters")) == 6
    assert summary["dead_letters"] == 40 and summary["bad_records_folded"] == 35


def test_a_negative_bound_is_a_usage_error(tmp_path):
    from pipelines.options import UsageError

    with pytest.raises(UsageError, match="--max-dead-letters-per-file"):
        run(["--input", str(tmp_path / "x.jsonl"), "--output", str(tmp_path / "out"), "--max-dead-letters-per-file=-1"])
