"""Reading input files into raw records and writing the three output tables.

Thin Beam plumbing: parsing lives in transforms/articles.py, row shapes in
transforms/records.py, schemas in schemas/.
"""
from __future__ import annotations

import gzip
import posixpath
from datetime import datetime

import apache_beam as beam
from apache_beam.io import fileio
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.metrics import Metrics

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


def table_prefix(output: str, fmt: str, table: str) -> str:
    """DIR/<format>/<table>/part: the file prefix of one table in one format."""
    return posixpath.join(output, fmt, table, "part")


class WriteTable(beam.PTransform):
    """Rows of one table -> Parquet and/or Avro files under the output folder."""

    def __init__(self, output: str, table: str, formats: tuple[str, ...]):
        super().__init__()
        self._output = output
        self._table = table
        self._formats = formats

    def expand(self, rows):
        results = {}
        if "parquet" in self._formats:
            results["parquet"] = rows | "Parquet" >> beam.io.WriteToParquet(
                table_prefix(self._output, "parquet", self._table),
                schemas.arrow_schema(self._table),
                file_name_suffix=".parquet",
                codec="snappy",
            )
        if "avro" in self._formats:
            results["avro"] = rows | "Avro" >> beam.io.WriteToAvro(
                table_prefix(self._output, "avro", self._table),
                schema=schemas.avro_schema(self._table),
                file_name_suffix=".avro",
            )
        return results
