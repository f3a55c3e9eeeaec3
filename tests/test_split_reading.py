"""One input file spreads over the workers (issue 21): the records of a single JSONL file,
plain or gzip, are worked on by both processes of a 2-worker run, and keep their position
(file and line) for dead letters and the articles table."""
from __future__ import annotations

import gzip
import json
import os
from datetime import datetime, timezone

import apache_beam as beam
import pytest
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.testing.util import assert_that, equal_to

from transforms.steps.files import DEAD_LETTERS, ReadRecords

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)
TWO_WORKERS = ["--runner=FnApiRunner", "--direct_num_workers=2", "--direct_running_mode=multi_processing"]


def _write(path, lines: list[bytes]):
    data = b"".join(line + b"\n" for line in lines)
    path.write_bytes(gzip.compress(data) if path.suffix == ".gz" else data)
    return str(path)


def _two_processes(pids):
    if len(set(pids)) != 2:
        raise AssertionError(f"the records of one file were worked on by {len(set(pids))} process(es), not 2")


@pytest.mark.parametrize("name", ["stories.jsonl", "stories.jsonl.gz"])
def test_the_records_of_one_file_are_worked_on_by_both_workers(tmp_path, name):
    path = _write(tmp_path / name, [json.dumps({"id": f"s{n}", "text": f"Story {n}."}).encode() for n in range(60)])
    with beam.Pipeline(options=PipelineOptions(TWO_WORKERS)) as pipeline:
        read = pipeline | ReadRecords([path], NOW)
        pids = read["records"] | "Pid" >> beam.Map(lambda _record: os.getpid())
        assert_that(pids, _two_processes)


def test_spread_records_keep_their_file_and_line(tmp_path):
    lines = [json.dumps({"id": f"s{n}", "text": f"Story {n}."}).encode() for n in range(40)]
    lines[9] = b""  # a blank line: skipped, still counted in the numbering
    lines[19] = b'{"text": "' + b"x" * 2000 + b'"}'  # past the line bound: a read dead letter at its line
    path = _write(tmp_path / "stories.jsonl", lines)
    kept = [n + 1 for n in range(40) if n not in (9, 19)]
    with beam.Pipeline(options=PipelineOptions(TWO_WORKERS)) as pipeline:
        read = pipeline | ReadRecords([path], NOW, max_record_bytes=1000)
        positions = read["records"] | "Where" >> beam.Map(lambda r: (r["source_file"], r["line_number"]))
        assert_that(positions, equal_to([(path, n) for n in kept]), label="Records")
        dead = read[DEAD_LETTERS] | "DeadWhere" >> beam.Map(lambda row: (row["source_file"], row["line_number"]))
        assert_that(dead, equal_to([(path, 20)]), label="DeadLetters")


def test_one_local_process_reads_without_spreading():
    """Spreading over workers would only make the local runner hold every record in memory."""
    from pipelines.ends import one_local_process

    assert one_local_process(PipelineOptions(["--runner=FnApiRunner"]))
    assert one_local_process(PipelineOptions([]))
    assert not one_local_process(PipelineOptions(["--runner=FnApiRunner", "--direct_num_workers=2",
                                                  "--direct_running_mode=multi_processing"]))
    assert not one_local_process(PipelineOptions(["--runner=DataflowRunner"]))


@pytest.mark.parametrize("part_bytes", [1, 2, 3, 7, 50, 10_000])
def test_parts_of_a_file_give_each_line_once_whole(part_bytes):
    """A line belongs to the part its first byte is in: split anywhere (in a line, on a line
    break, in an over-long line), the parts give the file's lines, in order, as one read does."""
    import io

    from transforms.ingest.formats import LinesFrom, byte_ranges, read_lines

    lines = [b"", b"a", b"bb", b"x" * 80, b"", b"ccc", b"y" * 7, b"{}"]
    for data in (b"".join(line + b"\n" for line in lines), b"\n".join(lines) + b"\x00\x00", b"", b"only"):
        whole = [line for _n, line in read_lines(io.BytesIO(data), 40)]
        parts = [line for start, end in byte_ranges(len(data), part_bytes)
                 for _n, line in read_lines(LinesFrom(io.BytesIO(data), start, end), 40)]
        assert parts == whole, (data, part_bytes)


def test_the_first_look_signs_the_parts_of_one_file_on_both_workers_as_the_whole(tmp_path):
    """One plain JSONL file of 40 lines in parts of 300 bytes: every article is signed once, as
    a reading of the whole file signs it, and both workers sign."""
    from transforms.ingest.articles import DEFAULT_FIELDS
    from transforms.ingest.raw_records import raw_record, parse_record
    from transforms.output.syndication import signature
    from transforms.steps.near_copies import SignArticles

    lines = [json.dumps({"id": f"s{n}", "text": f"Story {n} about the ministers' meeting in Geneva."}).encode()
             for n in range(40)]
    lines[5] = b""  # blank and junk lines are skipped in any part
    lines[6] = b"not json"
    path = _write(tmp_path / "stories.jsonl", lines)
    articles = [parse_record(raw_record("jsonl", path, line, n + 1)) for n, line in enumerate(lines) if n not in (5, 6)]
    expected = [(article["article_id"], signature(article["text"])) for article in articles]
    assert os.path.getsize(path) > 6 * 300
    with beam.Pipeline(options=PipelineOptions(TWO_WORKERS)) as pipeline:
        signed = (pipeline
                  | SignArticles([path], None, DEFAULT_FIELDS, 10_000, 80_000, web=False, part_bytes=300))["signed"]
        assert_that(signed, equal_to(expected), label="Signed")
        assert_that(signed | "Pid" >> beam.Map(lambda _signed: os.getpid()), _two_processes, label="Workers")


def test_only_a_plain_utf8_jsonl_file_is_cut_into_parts(tmp_path):
    """A .gz file cannot be read from the middle, and a UTF-16 file's lines are characters,
    not bytes: both are read whole, as is a file no bigger than one part."""
    import codecs

    from apache_beam.io import fileio
    from apache_beam.io.filesystems import FileSystems

    from transforms.steps.files import file_parts

    text = "".join(json.dumps({"id": f"s{n}", "text": f"Story {n}."}) + "\n" for n in range(100))
    paths = {"plain": tmp_path / "a.jsonl", "gzip": tmp_path / "b.jsonl.gz", "utf16": tmp_path / "c.jsonl"}
    paths["plain"].write_text(text)
    paths["gzip"].write_bytes(gzip.compress(text.encode()))
    paths["utf16"].write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))

    def parts(path, part_bytes=500):
        meta = FileSystems.match([str(path)])[0].metadata_list[0]
        return [part for _file, part in file_parts(fileio.ReadableFile(meta), None, part_bytes)]

    assert parts(paths["plain"])[:2] == [(0, 500), (500, 1000)] and len(parts(paths["plain"])) > 4
    assert parts(paths["plain"], part_bytes=1 << 20) == [None]
    assert parts(paths["gzip"]) == [None] and parts(paths["utf16"]) == [None]
