"""Reading input files into raw records and writing the three output tables.

Thin Beam plumbing: formats and parsing live in transforms/ingest/, row shapes in
transforms/output/records.py, schemas in schemas/.
"""
from __future__ import annotations

import os
import posixpath
import re
import threading
import uuid
import weakref
from collections import Counter
from datetime import datetime
from typing import Callable

import apache_beam as beam
import fastavro
import pyarrow as pa
import pyarrow.parquet as pq
from apache_beam.io import fileio
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems
from apache_beam.metrics import Metrics
from apache_beam.transforms import window
from apache_beam.utils.timestamp import Timestamp

import schemas
from transforms.ingest.formats import (MAX_DEAD_LETTERS_PER_FILE, MAX_RECORD_BYTES, PART_BYTES, WEB_FORMATS, LinesFrom,
                                      byte_ranges, decoded, gzipped, input_kind, is_local)
from transforms.ingest.raw_records import BLANK_LINE, FoldedLines, ReadFailure, ReadPosition, records_of, refusal, unopened
from transforms.metrics import NAMESPACE
from transforms.output.records import dead_letter_row, packed, unpacked
from transforms.steps.dead_letters import FOLDED_RECORDS, FOLDED_ROWS, dead_letter_count

DEAD_LETTERS = "dead_letters"
FORMATS = ("parquet", "avro")


def reads_web_pages(patterns: list[str], input_format: str | None = None) -> bool:
    """Do the inputs hold WARC, HTML or feed files (which can repeat a page)?  Decided when
    the pipeline is built, so a run over JSONL and stories skips the page-dedup grouping."""
    if input_format and input_format != "auto":
        return input_format in WEB_FORMATS
    return any(input_kind(meta.path) in WEB_FORMATS
               for result in FileSystems.match(list(patterns)) for meta in result.metadata_list)


class ReadFileRecords(beam.DoFn):
    """One matched file -> raw records (transforms/ingest/raw_records.records_of); what cannot
    be read (an unknown file type, a local path that is no regular file, a truncated .gz or
    WARC, a bound passed, a refused feed) -> `read` dead letters.  ``on_bytes_read`` is called
    with the bytes of the file (compressed, as its size counts them) read since its last
    call, after each JSONL line, WARC record and whole file.  A JSONL file's junk lines past
    the first ``max_dead_letters`` are one `parse` dead letter that counts them all (as
    inputs and as parse dead letters); counted here, where the whole file passes, so exactly.
    """

    def __init__(self, processed_at: datetime, input_format: str | None = None,
                 on_bytes_read: Callable[[int], None] | None = None, max_record_bytes: int = MAX_RECORD_BYTES,
                 max_dead_letters: int = MAX_DEAD_LETTERS_PER_FILE):
        self._processed_at = processed_at
        self._input_format = input_format
        self._on_bytes_read = on_bytes_read
        self._max_record_bytes = max_record_bytes
        self._max_dead_letters = max_dead_letters
        self._inputs = Metrics.counter(NAMESPACE, "inputs_read")
        self._blank = Metrics.counter(NAMESPACE, "blank_lines_skipped")
        self._dead = dead_letter_count("read")
        self._warc_skipped = Metrics.counter(NAMESPACE, "warc_records_skipped")
        self._parse_dead = dead_letter_count("parse")
        self._folded = Metrics.counter(NAMESPACE, FOLDED_RECORDS)
        self._folded_rows = Metrics.counter(NAMESPACE, FOLDED_ROWS)

    def _dead_letter(self, failure: ReadFailure, path: str):
        self._dead.inc()
        return beam.pvalue.TaggedOutput(DEAD_LETTERS, dead_letter_row(
            "read", failure.error, failure.raw, self._processed_at, source_file=path,
            line_number=failure.line_number))

    def _folded_dead_letter(self, folded: FoldedLines, path: str):
        """One row for ``folded.count`` bad lines, each counted as an input and a parse dead letter."""
        self._inputs.inc(folded.count)
        self._parse_dead.inc(folded.count)
        self._folded.inc(folded.count)
        self._folded_rows.inc()
        return beam.pvalue.TaggedOutput(DEAD_LETTERS, dead_letter_row(
            "parse", folded.error, folded.head, self._processed_at, source_file=path, line_number=folded.first_line))

    def process(self, readable):
        position = ReadPosition(readable.metadata.size_in_bytes, self._on_bytes_read)
        path = readable.metadata.path
        kind = input_kind(path, self._input_format)
        skipped = Counter()
        try:
            for output in file_outputs(readable, kind, self._max_record_bytes, self._max_dead_letters,
                                       position, skipped):
                if isinstance(output, FoldedLines):
                    yield self._folded_dead_letter(output, path)
                    continue
                self._inputs.inc()
                yield self._dead_letter(output, path) if isinstance(output, ReadFailure) else output
        finally:
            if blank := skipped.pop(BLANK_LINE, 0):
                self._blank.inc(blank)
            if kind == "warc":
                self._warc_skipped.inc(sum(skipped.values()))
            position.at_end()


def file_outputs(readable, kind: str, max_record_bytes: int, max_dead_letters: int,
                 position: ReadPosition, skipped: Counter, part: tuple[int, int] | None = None):
    """What one matched file of ``kind`` gives (transforms/ingest/raw_records.records_of): raw
    records, a ReadFailure for what cannot be read (a refused or unopenable file included), and
    a JSONL file's FoldedLines; only those of the lines that start in ``part`` (a byte range
    of a ``file_parts`` file) when it is given."""
    path = readable.metadata.path
    refused = refusal(path, kind, is_local(path))
    if refused:
        yield refused
        return
    try:
        handle = readable.open(compression_type=CompressionTypes.UNCOMPRESSED)
    except Exception as exc:  # noqa: BLE001 - unreadable since it was matched: a dead letter
        yield unopened(exc, kind)
        return
    with handle:
        opened = handle if part is None else LinesFrom(handle, *part)
        yield from records_of(path, opened, kind, readable.metadata.size_in_bytes, max_record_bytes, position,
                              skipped, max_dead_letters)


def file_parts(readable, input_format: str | None, part_bytes: int = PART_BYTES) -> list[tuple]:
    """(file, byte range) for each part of a plain JSONL file that can be read apart
    (``formats.LinesFrom``), else [(file, None)]: the whole file."""
    path, size = readable.metadata.path, readable.metadata.size_in_bytes
    if size <= part_bytes or input_kind(path, input_format) != "jsonl" or gzipped(path):
        return [(readable, None)]
    try:
        with readable.open(compression_type=CompressionTypes.UNCOMPRESSED) as handle:
            as_bytes = decoded(handle) is handle  # a UTF-16/32 file is read as characters, not bytes
    except Exception:  # noqa: BLE001 - read whole, where the failure is met (and reported) again
        return [(readable, None)]
    return [(readable, part) for part in byte_ranges(size, part_bytes)] if as_bytes else [(readable, None)]


def first_copy(copies: list[dict]) -> dict:
    """Of the copies of one page, the full page before a feed entry, then the smallest
    (source_file, record offset)."""
    return min(copies, key=lambda a: (a.get("record_kind") != "html", a.get("source_file") or "",
                                      a.get("record_offset") or 0, a["article_id"]))


def copy_of(article: dict) -> tuple:
    """Which record of the input an article (or its stub) came from."""
    return article.get("record_kind"), article.get("source_file"), article.get("record_offset"), article["article_id"]


def is_repeat(article: dict, kept: dict) -> bool:
    """Is ``article`` a copy of a page other than the one kept for its URL (``RepeatedPages``)?"""
    key = article.get("dedupe_key")
    return key in kept and kept[key] != copy_of(article)


class RepeatedPages(beam.PTransform):
    """Articles (or their stubs: no text needed) -> (URL key, ``copy_of`` its ``first_copy``) for
    each web page or feed entry reached more than once (the same canonical URL in two WARCs, a
    feed and a page, ...). Articles from JSONL and story files, and pages without a URL, have
    no key."""

    def expand(self, articles):
        return (articles
                | "WithUrl" >> beam.Filter(lambda article: article.get("dedupe_key"))
                | "ByUrl" >> beam.Map(lambda article: (article["dedupe_key"], article)).with_output_types(tuple[str, dict])
                | "GroupCopies" >> beam.GroupByKey()
                | "FirstCopy" >> beam.FlatMap(
                    lambda key_copies: [(key_copies[0], copy_of(first_copy(key_copies[1])))]
                    if len(key_copies[1]) > 1 else []))


class _DropRepeats(beam.DoFn):
    def __init__(self):
        self._dropped = Metrics.counter(NAMESPACE, "duplicates_dropped")

    def process(self, article, kept):
        if is_repeat(article, kept):
            self._dropped.inc()
        else:
            yield article


class DropRepeatedPages(beam.PTransform):
    """Batch: a web page or feed entry reached more than once goes on once, as the copy ``kept``
    names for its URL (RepeatedPages, from a first look at the input: the articles themselves
    are never grouped); the repeats are counted in ``duplicates_dropped``."""

    def __init__(self, kept):
        super().__init__()
        self._kept = kept

    def expand(self, articles):
        return articles | "DropRepeats" >> beam.ParDo(_DropRepeats(), beam.pvalue.AsDict(self._kept))


def file_key(path: str) -> str:
    """The file a matched path names: a local path resolved (``./a.jsonl``, ``a.jsonl`` and a
    symbolic link to it are one file), any other as given."""
    return os.path.realpath(path) if is_local(path) else path


def _first_match(key_matches, counted: bool = True):
    """One match of a file that several patterns matched; the others counted in ``repeated_inputs``
    unless not ``counted``."""
    _key, matches = key_matches
    matches = sorted(matches, key=lambda meta: meta.path)
    if counted and len(matches) > 1:
        Metrics.counter(NAMESPACE, "repeated_inputs").inc(len(matches) - 1)
    return matches[0]


class OpenFiles(beam.PTransform):
    """File patterns -> each file they match once, opened (fileio.ReadableFile); a file matched
    more than once (given twice, or by two patterns) is counted in ``repeated_inputs`` unless
    ``counted`` is False (a second look at the same input)."""

    def __init__(self, patterns: list[str], counted: bool = True):
        super().__init__()
        self._patterns = list(patterns)
        self._counted = counted

    def expand(self, pbegin):
        return (
            pbegin
            | "Patterns" >> beam.Create(self._patterns)
            | "Match" >> fileio.MatchAll()
            | "ByFile" >> beam.Map(lambda meta: (file_key(meta.path), meta))
            | "GroupRepeats" >> beam.GroupByKey()  # also spreads the files over the workers
            | "OncePerFile" >> beam.Map(_first_match, counted=self._counted)
            | "Open" >> fileio.ReadMatches()
        )


class ReadRecords(beam.PTransform):
    """File patterns -> {"records": raw records, ``DEAD_LETTERS``: rows of what could not be read}.
    A file matched more than once (given twice, or by two patterns) is read once.  A file is
    read in one worker and its records are then dealt out over all workers (a Reshuffle), so
    one big file keeps every worker busy; each record keeps its file and line
    (docs/PERFORMANCE.md, "One file over two workers")."""

    def __init__(self, patterns: list[str], processed_at: datetime, input_format: str | None = None,
                 on_bytes_read: Callable[[int], None] | None = None, max_record_bytes: int = MAX_RECORD_BYTES,
                 max_dead_letters: int = MAX_DEAD_LETTERS_PER_FILE, spread: bool = True):
        super().__init__()
        self._patterns = list(patterns)
        self._spread = spread  # False in one local process, where spreading only buffers every record
        self._processed_at = processed_at
        self._input_format = input_format
        self._on_bytes_read = on_bytes_read  # ReadFileRecords: progress of the reading
        self._max_record_bytes = max_record_bytes
        self._max_dead_letters = max_dead_letters

    def expand(self, pbegin):
        read = (
            pbegin
            | "OpenFiles" >> OpenFiles(self._patterns)
            | "ReadLines" >> beam.ParDo(ReadFileRecords(
                self._processed_at, self._input_format, self._on_bytes_read, self._max_record_bytes,
                self._max_dead_letters)
            ).with_outputs(DEAD_LETTERS, main="records")
        )
        records = read.records
        if self._spread:  # packed: the local runner's launcher holds the shuffled records, decoded
            records = (records | "Pack" >> beam.Map(packed) | "SpreadRecords" >> beam.Reshuffle()
                       | "Unpack" >> beam.Map(unpacked))
        return {"records": records, DEAD_LETTERS: read[DEAD_LETTERS]}


def _stamp(when: Timestamp) -> str:
    return when.to_utc_datetime().strftime("%Y%m%dT%H%M%SZ")


# Hive partitions of the Parquet tables (docs/OUTPUTS.md): DIR/parquet/<table>/<column>=<value>/.
# The value is computed here, from fields every row has; it is not a column of the files
# (readers take it from the folder name, as Spark, DuckDB, pyarrow and polars do).
UNKNOWN_PARTITION = "unknown"
_ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def _event_month(row: dict) -> str:
    """YYYY-MM of ``event_date`` (YYYY for a year-precision event), else 'unknown'."""
    date = row.get("event_date") or ""
    return date[:7] if _ISO_DATE.fullmatch(date) else UNKNOWN_PARTITION


def _published_month(row: dict) -> str:
    published = row.get("published_at")
    return f"{published:%Y-%m}" if published else UNKNOWN_PARTITION


PARTITIONS = {"events": ("event_month", _event_month), "articles": ("published_month", _published_month)}


def partition_folder(table: str, fmt: str, row: dict) -> str:
    """The folder of ``row`` under DIR/<fmt>/<table>/: '<column>=<value>' for a partitioned
    Parquet table, '' otherwise (Avro and dead letters keep one folder per table)."""
    if fmt != "parquet" or table not in PARTITIONS:
        return ""
    column, value = PARTITIONS[table]
    return f"{column}={value(row)}"


def file_naming(run_id: str, suffix: str, folder: str):
    """[<partition>/]part-<run id>[-<window start>-<window end>-<firing>]-<shard>-of-<shards><suffix>.

    The run id keeps the files of runs appended to one folder apart.  Only letters, digits,
    '-' and '=': valid on GCS, S3 and every local disk, and free of glob characters (Beam's
    default window names carry brackets, commas and spaces). Where the runner passes no pane,
    a random token keeps an early and a final firing of a window apart.  A local partition
    folder is created here, just before Beam moves the file into it: Beam's move step does
    not create folders, and it logs a failed move instead of raising it.
    """
    def name(win, pane, shard_index, total_shards, compression, destination):
        span = ""
        if isinstance(win, window.IntervalWindow):
            firing = f"p{pane.index:04d}" if pane is not None else uuid.uuid4().hex[:12]
            span = f"-{_stamp(win.start)}-{_stamp(win.end)}-{firing}"
        base = f"part-{run_id}{span}-{(shard_index or 0):05d}-of-{(total_shards or 1):05d}{suffix}"
        if not destination:
            return base
        if is_local(folder):
            os.makedirs(os.path.join(folder, destination), exist_ok=True)
        return posixpath.join(destination, base)
    return name


ROW_GROUP_ROWS = 10_000  # Parquet rows buffered per file before they are written as a row group
HELD_BYTES = 32 * 1024 * 1024  # rows (estimated size) one thread's open Parquet files hold in all
OPEN_FILES = 256
"""Files one bundle of a table's writer keeps open (one per partition; Beam's default is 20).
Past them, WriteToFiles groups the other partitions' rows by key, which a local runner holds
in its memory, decoded; an open Parquet writer costs ~60 KB."""


def rows_written(table: str, fmt: str):
    """The counter of rows the ``fmt`` sink of ``table`` wrote (metric rows_written_<table>_<fmt>):
    the run checks it against the rows counted upstream, so a lost row fails the run."""
    return Metrics.counter(NAMESPACE, f"rows_written_{table}_{fmt}")


def _size(row: dict) -> int:
    """A rough size of a row in memory: its strings, and a flat cost per other value."""
    return 256 + sum(len(value) if isinstance(value, str) else 64 for value in row.values())


class _HeldRows(threading.local):
    """The rows one thread's open Parquet files hold (a bundle's files are written by one thread):
    a file writes its rows as a row group once they pass its share of ``HELD_BYTES`` (split
    evenly over the open files), so between them they hold about that much. A table
    partitioned by month keeps a file open per month, so a fixed bound per file would hold
    the whole table when each month is small. A file only ever writes itself, and is held
    weakly: the files of a failed bundle drop out with the bundle."""

    def __init__(self):
        self.held = weakref.WeakKeyDictionary()  # sink -> estimated bytes of its rows

    def past_share(self, sink, size: int) -> bool:
        """Add ``size`` bytes to ``sink``'s rows: do they now pass its share?"""
        self.held[sink] = self.held.get(sink, 0) + size
        return self.held[sink] > HELD_BYTES / len(self.held)

    def written(self, sink) -> None:
        self.held.pop(sink, None)


_HELD = _HeldRows()


class _ParquetSink(fileio.FileSink):
    """Rows of one table into one Parquet file (snappy), a row group per ROW_GROUP_ROWS rows or
    sooner, when its rows pass their share of what this thread's files may hold (``_HeldRows``)."""

    def __init__(self, table: str):
        self._schema = schemas.arrow_schema(table)
        self._written = rows_written(table, "parquet")
        self._writer = None
        self._rows: list[dict] = []

    def open(self, fh):
        self._writer, self._rows = pq.ParquetWriter(fh, self._schema, compression="snappy"), []

    def write(self, record):
        self._rows.append(record)
        if len(self._rows) >= ROW_GROUP_ROWS or _HELD.past_share(self, _size(record)):
            self.write_rows()

    def write_rows(self):
        _HELD.written(self)
        if self._rows:
            self._writer.write_table(pa.Table.from_pylist(self._rows, schema=self._schema))
            self._written.inc(len(self._rows))
            self._rows = []

    def flush(self):
        self.write_rows()
        self._writer.close()

    def __del__(self):
        # a file abandoned by a failed bundle (a full disk here or in another sink): its
        # writer, closed when garbage-collected, would fail again and Python would print
        # that after the run's one-line error
        if self._writer is not None:
            self._writer.is_open = False


class _AvroSink(fileio.FileSink):
    """Rows of one table into one Avro file (deflate), written block by block."""

    def __init__(self, table: str):
        self._schema = fastavro.parse_schema(schemas.avro_schema(table))
        self._written = rows_written(table, "avro")
        self._writer = None

    def open(self, fh):
        self._writer = fastavro.write.Writer(fh, self._schema, codec="deflate")

    def write(self, record):
        self._writer.write(record)
        self._written.inc()

    def flush(self):
        self._writer.flush()


SINKS = {"parquet": (_ParquetSink, ".parquet"), "avro": (_AvroSink, ".avro")}


def _check_moved(result, folder: str):
    """Beam logs a file it failed to move into place and goes on; here that fails the run."""
    from apache_beam.io.filesystems import FileSystems

    path = posixpath.join(folder, result.file_name)
    if not FileSystems.exists(path):
        raise IOError(f"{path} was not written: Beam could not move it into place")
    return path


def write_empty_table(output: str, table: str, fmt: str, run_id: str) -> str:
    """One file of ``table`` with its schema and no rows, named as WriteTable names a batch
    run's file (in the 'unknown' partition of a partitioned table); returns its path.

    A batch run calls it for each table it wrote no row of, so that every table folder of a
    run can be read (`pd.read_parquet`, a DuckDB glob). The launcher does it once the counts
    check out: a count and a writer more per table in the pipeline cost ~0.4 s of every run."""
    sink_class, suffix = SINKS[fmt]
    folder = posixpath.join(output, fmt, table)
    destination = partition_folder(table, fmt, {})  # a row without fields: 'unknown'
    path = posixpath.join(folder, file_naming(run_id, suffix, folder)(None, None, 0, 1, None, destination))
    sink = sink_class(table)
    with FileSystems.create(path) as handle:
        sink.open(handle)
        sink.flush()
    return path


class WriteTable(beam.PTransform):
    """Rows of one table -> Parquet and/or Avro files under the output folder.

    DIR/parquet/<table>/[<column>=<value>/]part-<run id>-S-of-N.parquet (``PARTITIONS``),
    DIR/avro/<table>/part-<run id>-S-of-N.avro.  Files are written to a temporary folder and
    moved into place when written (fileio.WriteToFiles); windowed, unbounded rows give one
    file set per window and firing.  A batch table without rows gets its one empty file from
    the launcher (``write_empty_table``).  Every sink counts the rows it wrote (``rows_written``).
    """

    def __init__(self, output: str, table: str, formats: tuple[str, ...], run_id: str):
        super().__init__()
        self._output = output
        self._table = table
        self._formats = formats
        self._run_id = run_id

    def expand(self, rows):
        results = {}
        for fmt in self._formats:
            folder = posixpath.join(self._output, fmt, self._table)
            results[fmt] = (rows | f"Write_{fmt}" >> self._files(fmt, folder)
                            | f"CheckMoved_{fmt}" >> beam.Map(_check_moved, folder))
        return results

    def _files(self, fmt: str, folder: str) -> fileio.WriteToFiles:
        sink, suffix = SINKS[fmt]
        return fileio.WriteToFiles(
            path=folder,
            destination=lambda row: partition_folder(self._table, fmt, row),
            file_naming=file_naming(self._run_id, suffix, folder),
            sink=lambda _destination: sink(self._table),
            max_writers_per_bundle=OPEN_FILES)
