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
