"""Progress with a total: bytes read of the matched inputs, percentage and ETA, and a line the
moment the last byte is read, so the grouping and writing after it is not silent."""
from __future__ import annotations

import gzip
import io
from datetime import datetime, timezone

from apache_beam.testing.test_pipeline import TestPipeline as BeamPipeline

from pipelines import progress
from pipelines.extract import input_bytes, run
from pipelines.progress import Progress, format_bytes
from transforms.steps.files import ReadRecords

from .conftest import EXAMPLES

REPORTED: list[int] = []  # what the reader reported, in this process (the FnApiRunner runs in it)


def _record(n: int) -> None:
    REPORTED.append(n)


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_a_line_shows_the_share_read_and_an_eta_from_the_read_rate():
    clock, stream = Clock(), io.StringIO()
    p = Progress(interval=10, stream=stream, clock=clock, total_bytes=4000)
    clock.now += 5  # the model loads: nothing read yet
    assert "| 0.0% of 4.0 KB read, ETA – |" in p.line()
    p.add_bytes(100)
    clock.now += 10
    p.add_bytes(900)  # 1,000 bytes in 10 s since the first: 3,000 more take 30 s
    assert stream.getvalue().splitlines() == [
        "newsevents extract: 0 articles, 0 event records, 0 dead letters | 25.0% of 4.0 KB read, ETA 0:00:30 "
        "| – | 0:00:15"]


def test_the_last_byte_is_reported_at_once_and_says_what_comes_next():
    clock, stream = Clock(), io.StringIO()
    p = Progress(interval=3600, stream=stream, clock=clock, total_bytes=2_500_000)
    p.add_bytes(2_000_000)
    assert stream.getvalue() == ""  # within the interval
    clock.now += 1
    p.add_bytes(500_000)
    p.add_bytes(10)  # never twice, never past 100 %
    assert stream.getvalue().splitlines() == [
        "newsevents extract: 0 articles, 0 event records, 0 dead letters | 100.0% of 2.5 MB read | – | 0:00:01 "
        "| all read; finishing and writing the tables..."]


def test_without_a_total_the_line_is_as_before():
    p = Progress(interval=0, stream=io.StringIO(), clock=Clock())
    p.add_bytes(123)
    assert "read" not in p.line()


def test_bytes_count_only_where_the_launcher_started_a_progress():
    progress.finish()
    progress.add_bytes(5)  # a remote worker: nothing to count into, no error
    assert progress.finish() is None
    progress.reset(interval=0, total_bytes=10)
    progress.add_bytes(5)
    assert progress.finish().bytes_read == 5


def test_format_bytes():
    assert [format_bytes(n) for n in (999, 4_400, 574_160, 12_300_000, 4_000_000_000_000)] == [
        "999 B", "4.4 KB", "574.2 KB", "12.3 MB", "4,000.0 GB"]


def test_the_reader_reports_every_byte_of_every_file_once(tmp_path):
    lines = b"".join(b'{"text": "line %d"}\n' % n for n in range(20_000))
    (tmp_path / "a.jsonl").write_bytes(lines)
    (tmp_path / "b.jsonl.gz").write_bytes(gzip.compress(lines))
    (tmp_path / "c.txt").write_text("A story.\n")
    (tmp_path / "d.csv").write_text("not read: a dead letter, still counted\n")
    patterns = [str(tmp_path / "*"), str(tmp_path / "a.jsonl")]  # a.jsonl twice: read and counted once
    total = input_bytes(patterns)
    assert total == sum(path.stat().st_size for path in tmp_path.iterdir())
    REPORTED.clear()
    with BeamPipeline(runner="FnApiRunner") as pipeline:
        pipeline | ReadRecords(patterns, datetime.now(timezone.utc), on_bytes_read=_record)
    assert sum(REPORTED) == total
    assert len(REPORTED) > 4  # the big files in steps, not once at their end


def test_a_run_prints_the_share_read_and_the_end_of_reading(tmp_path, capsys):
    run(["--input", str(EXAMPLES / "*.jsonl"), str(EXAMPLES / "*.txt"), "--output", str(tmp_path / "out"),
         "--progress-interval", "0.001"])
    err = capsys.readouterr().err
    total = format_bytes(input_bytes([str(EXAMPLES / "*.jsonl"), str(EXAMPLES / "*.txt")]))
    assert f"% of {total} read" in err
    assert f"| 100.0% of {total} read |" in err and err.count("all read; finishing and writing the tables...") == 1
