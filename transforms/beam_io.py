"""Reading input files into raw records and writing the three output tables.

Thin Beam plumbing: parsing lives in transforms/articles.py, row shapes in
transforms/records.py, schemas in schemas/.
"""
from __future__ import annotations

import gzip
import posixpath
import uuid
from datetime import datetime

import apache_beam as beam
import fastavro
import pyarrow as pa
import pyarrow.parquet as pq
from apache_beam.io import fileio
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.metrics import Metrics
from apache_beam.transforms import window
from apache_beam.utils.timestamp import Timestamp

import schemas
from transforms.records import dead_letter_row

DEAD_LETTERS = "dead_letters"
FORMATS = ("parquet", "avro")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
STORY_SUFFIXES = (".txt",)


def input_kind(path: str) -> str | None:
    """'jsonl' or 'story' from the file name, None for a file type we do not read."""
    lower = path.lower()
    if lower.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if lower.endswith(STORY_SUFFIXES):
        return "story"
    return None


class ReadFileRecords(beam.DoFn):
    """One matched file -> raw records (a JSONL line, or a whole story file).

    Read failures (an unknown file type, a truncated .gz) become dead letters; what was
    read before the failure is kept.
    """

    def __init__(self, processed_at: datetime):
        self._processed_at = processed_at
        self._inputs = Metrics.counter("newsevents", "inputs_read")
        self._blank = Metrics.counter("newsevents", "blank_lines_skipped")
        self._dead = Metrics.counter("newsevents", "dead_letters_read")

    def process(self, readable):
        path = readable.metadata.path
        kind = input_kind(path)
        if kind is None:
            self._inputs.inc()
            self._dead.inc()
            yield beam.pvalue.TaggedOutput(DEAD_LETTERS, dead_letter_row(
                "read", f"unsupported file type (read: {', '.join(JSONL_SUFFIXES + STORY_SUFFIXES)})",
                "", self._processed_at, source_file=path))
            return
        line_number = 0
        try:
            with self._open(readable) as handle:
                if kind == "story":
                    raw = handle.read()
                    self._inputs.inc()
                    yield {"kind": kind, "source_file": path, "line_number": None, "raw": raw}
                    return
                for line_number, line in enumerate(handle, start=1):
                    if not line.strip():
                        self._blank.inc()
                        continue
                    self._inputs.inc()
                    yield {"kind": kind, "source_file": path, "line_number": line_number, "raw": line}
        except Exception as exc:  # a corrupt or truncated file: keep what was read, report the rest
            self._inputs.inc()
            self._dead.inc()
            yield beam.pvalue.TaggedOutput(DEAD_LETTERS, dead_letter_row(
                "read", f"{type(exc).__name__}: {exc} (after line {line_number}; the rest of the file is unread)",
                "", self._processed_at, source_file=path, line_number=line_number + 1 if kind == "jsonl" else None))


    @staticmethod
    def _open(readable):
        """Python's gzip, unlike Beam's decompressor, raises on a truncated stream."""
        raw = readable.open(compression_type=CompressionTypes.UNCOMPRESSED)
        return gzip.GzipFile(fileobj=raw) if readable.metadata.path.lower().endswith(".gz") else raw


class ReadRecords(beam.PTransform):
    """File patterns -> raw records; tagged output ``dead_letters`` for unreadable files."""

    def __init__(self, patterns: list[str], processed_at: datetime):
        super().__init__()
        self._patterns = list(patterns)
        self._processed_at = processed_at

    def expand(self, pbegin):
        return (
            pbegin
            | "Patterns" >> beam.Create(self._patterns)
            | "Match" >> fileio.MatchAll()
            | "Open" >> fileio.ReadMatches()
            | "SpreadFiles" >> beam.Reshuffle()
            | "ReadLines" >> beam.ParDo(ReadFileRecords(self._processed_at)).with_outputs(
                DEAD_LETTERS, main="records")
        )


def _stamp(when: Timestamp) -> str:
    return when.to_utc_datetime().strftime("%Y%m%dT%H%M%SZ")


def window_file_naming(suffix: str):
    """part-<window start>-<window end>-<pane>-<shard>-of-<shards><suffix>.

    Only letters, digits and '-': valid on GCS, S3 and every local disk, and free of glob
    characters (Beam's default window names carry brackets, commas and spaces). Where the
    runner passes no pane, a random token keeps an early and a final firing apart.
    """
    def name(win, pane, shard_index, total_shards, compression, destination):
        if isinstance(win, window.IntervalWindow):
            span = f"{_stamp(win.start)}-{_stamp(win.end)}"
        else:
            span = "global"
        firing = f"p{pane.index:04d}" if pane is not None else uuid.uuid4().hex[:12]
        return f"part-{span}-{firing}-{(shard_index or 0):05d}-of-{(total_shards or 1):05d}{suffix}"
    return name


class _BufferedSink(fileio.FileSink):
    """Rows of one table, buffered per file and written when the file is flushed."""

    def __init__(self, table: str):
        self._table = table
        self._rows: list[dict] = []
        self._handle = None

    def open(self, fh):
        self._handle, self._rows = fh, []

    def write(self, record):
        self._rows.append(record)


class _ParquetFileSink(_BufferedSink):
    def flush(self):
        pq.write_table(pa.Table.from_pylist(self._rows, schema=schemas.arrow_schema(self._table)), self._handle)


class _AvroFileSink(_BufferedSink):
    def flush(self):
        fastavro.writer(self._handle, fastavro.parse_schema(schemas.avro_schema(self._table)), self._rows)


SINKS = {"parquet": (_ParquetFileSink, ".parquet"), "avro": (_AvroFileSink, ".avro")}


def table_prefix(output: str, fmt: str, table: str) -> str:
    """DIR/<format>/<table>/part: the file prefix of one table in one format."""
    return posixpath.join(output, fmt, table, "part")


class WriteTable(beam.PTransform):
    """Rows of one table -> Parquet and/or Avro files under the output folder.

    Bounded rows go through Beam's Parquet/Avro sinks (DIR/<format>/<table>/part-S-of-N);
    windowed, unbounded rows through fileio.WriteToFiles, one file set per window and pane.
    """

    def __init__(self, output: str, table: str, formats: tuple[str, ...]):
        super().__init__()
        self._output = output
        self._table = table
        self._formats = formats

    def expand(self, rows):
        results = {}
        for fmt in self._formats:
            if not rows.is_bounded:
                sink, suffix = SINKS[fmt]
                results[fmt] = rows | f"Windowed_{fmt}" >> fileio.WriteToFiles(
                    path=posixpath.join(self._output, fmt, self._table),
                    file_naming=window_file_naming(suffix),
                    sink=lambda _destination, sink=sink: sink(self._table))
            elif fmt == "parquet":
                results[fmt] = rows | "Parquet" >> beam.io.WriteToParquet(
                    table_prefix(self._output, "parquet", self._table),
                    schemas.arrow_schema(self._table),
                    file_name_suffix=".parquet",
                    codec="snappy",
                )
            else:
                results[fmt] = rows | "Avro" >> beam.io.WriteToAvro(
                    table_prefix(self._output, "avro", self._table),
                    schema=schemas.avro_schema(self._table),
                    file_name_suffix=".avro",
                )
        return results
