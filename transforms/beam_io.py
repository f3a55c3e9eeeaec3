"""Reading input files into raw records and writing the three output tables.

Thin Beam plumbing: parsing lives in transforms/articles.py, row shapes in
transforms/records.py, schemas in schemas/.
"""
from __future__ import annotations

import codecs
import gzip
import io
import json
import os
import posixpath
import re
import uuid
import zlib
from collections import Counter
from datetime import datetime
from typing import Callable, NamedTuple

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
from transforms import webinputs
from transforms.normalise import DEFAULT_MAX_ARTICLE_BYTES
from transforms.records import dead_letter_row

DEAD_LETTERS = "dead_letters"
FORMATS = ("parquet", "avro")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
STORY_SUFFIXES = (".txt",)
WARC_SUFFIXES = (".warc", ".warc.gz")
HTML_SUFFIXES = (".html", ".htm")
FEED_SUFFIXES = (".rss", ".atom", ".xml")
SUFFIXES = {"jsonl": JSONL_SUFFIXES, "story": STORY_SUFFIXES, "warc": WARC_SUFFIXES,
            "html": HTML_SUFFIXES, "feed": FEED_SUFFIXES}
INPUT_FORMATS = ("auto", *SUFFIXES)  # --input-format
WEB_KINDS = ("html", "feed_entry")   # raw-record kinds of web pages and feed entries


def input_kind(path: str, input_format: str | None = None) -> str | None:
    """'jsonl', 'story', 'warc', 'html' or 'feed' from the file name (or ``input_format``
    when it is given and not 'auto'), None for a file type we do not read."""
    if input_format and input_format != "auto":
        if input_format not in SUFFIXES:
            raise ValueError(f"unknown input format {input_format!r} (one of {', '.join(INPUT_FORMATS)})")
        return input_format
    lower = path.lower()
    for kind, suffixes in SUFFIXES.items():
        if lower.endswith(suffixes):
            return kind
    return None


def reads_web_pages(patterns: list[str], input_format: str | None = None) -> bool:
    """Do the inputs hold WARC, HTML or feed files (which can repeat a page)?  Decided when
    the pipeline is built, so a run over JSONL and stories skips the page-dedup grouping."""
    from apache_beam.io.filesystems import FileSystems

    web = ("warc", "html", "feed")
    if input_format and input_format != "auto":
        return input_format in web
    return any(input_kind(meta.path) in web
               for result in FileSystems.match(list(patterns)) for meta in result.metadata_list)


def max_record_bytes(max_article_bytes: int) -> int:
    """Longest JSONL line or story file read: 8 times ``--max-article-bytes``, so an article at
    that bound is read even when JSON escapes every character ("\\u00e9" is 6 bytes for 2).  A
    longer line is skipped while it is read (never held whole) and becomes one dead letter
    with its line number and size."""
    return 8 * max_article_bytes


MAX_RECORD_BYTES = max_record_bytes(DEFAULT_MAX_ARTICLE_BYTES)  # 8 MB at the default
SKIP_CHUNK_BYTES = 1 << 20  # the rest of an over-long line is read and dropped in pieces this big
MAX_GZIP_RATIO = 100
GZIP_MIN_CAP_BYTES = 1 << 20
"""A .gz file may expand to MAX_GZIP_RATIO times its size, or GZIP_MIN_CAP_BYTES (1 MiB) when
that is more.  Text compresses 3-10 times; a gzip bomb ~1000 times.  The size is measured in a
first pass that keeps nothing, so a bomb gives one dead letter and no record."""
# Byte-order marks of the encodings read besides UTF-8 (UTF-32 first: its LE mark starts as UTF-16's)
BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
BLANK = b" \t\r\n\x0b\x0c\x00"  # a line of only these is blank (NUL: padding at the end of a file)


class TooLong(NamedTuple):
    """An over-long line, skipped unread: its size in bytes and its first bytes."""
    size: int
    head: bytes


def read_lines(handle, limit: int = MAX_RECORD_BYTES):
    """(line number, bytes or TooLong) for each line of ``handle``; at most ``limit`` +
    SKIP_CHUNK_BYTES bytes are in memory, however long a line is.  NULs ending the file
    (padding) are dropped."""
    number = 0
    while line := handle.readline(limit + 1):
        number += 1
        if len(line.rstrip(b"\r\n")) <= limit:
            yield number, line if line.endswith(b"\n") else line.rstrip(b"\x00")
            continue
        size, head = len(line), line[:4096]
        while not line.endswith(b"\n") and (line := handle.readline(SKIP_CHUNK_BYTES)):
            size += len(line)
        yield number, TooLong(size, head)


class _Recoded:
    """A UTF-16 or UTF-32 text file read as UTF-8 bytes (``readline`` and ``read`` sizes count
    characters, so a line stays within a few times the byte limit)."""

    def __init__(self, handle, encoding: str):
        self._text = io.TextIOWrapper(handle, encoding=encoding, errors="replace", newline="")

    def readline(self, size: int = -1) -> bytes:
        return self._text.readline(size).encode("utf-8", errors="surrogatepass")

    def read(self, size: int = -1) -> bytes:
        return self._text.read(size).encode("utf-8", errors="surrogatepass")


def _local_path(path: str) -> bool:
    """A plain local path (no scheme such as gs://)."""
    from apache_beam.io.filesystems import FileSystems

    return FileSystems.get_scheme(path) is None


def gzip_cap(compressed_bytes: int) -> int:
    """How many bytes a .gz file of ``compressed_bytes`` may expand to."""
    return max(GZIP_MIN_CAP_BYTES, MAX_GZIP_RATIO * compressed_bytes)


def expands_past_cap(readable) -> bool:
    """Does a .gz file expand past ``gzip_cap``?  Counted in a pass that keeps nothing; a
    corrupt stream is left to the reading pass, which reports it."""
    cap = gzip_cap(readable.metadata.size_in_bytes)
    total = 0
    try:
        with (readable.open(compression_type=CompressionTypes.UNCOMPRESSED) as raw,
              gzip.GzipFile(fileobj=raw) as handle):
            while chunk := handle.read(min(SKIP_CHUNK_BYTES, cap + 1 - total)):
                total += len(chunk)
    except (OSError, EOFError, zlib.error):
        return False
    return total > cap


class _ReadPosition:
    """How far reading one file has got, passed on as the bytes newly read (a progress line's
    percentage and ETA); never past the file's size, and all of it once the file is done."""

    REPORT_BYTES = 1 << 16  # a file's position (a system call) is asked for after this many bytes

    def __init__(self, size: int, report: Callable[[int], None] | None):
        self._size = size
        self._report = report
        self._done = 0
        self._pending = 0

    def advanced(self, n: int, handle) -> None:
        """``n`` more bytes were read from ``handle`` (uncompressed: a cue to ask its position)."""
        self._pending += n
        if self._report is not None and self._pending >= self.REPORT_BYTES:
            self._pending = 0
            self.at(handle.tell())

    def at(self, position: int) -> None:
        position = min(position, self._size)
        if self._report is not None and position > self._done:
            self._report(position - self._done)
            self._done = position

    def at_end(self) -> None:
        self.at(self._size)


class ReadFileRecords(beam.DoFn):
    """One matched file -> raw records (a JSONL line, a whole story file, one HTML page of a
    WARC archive or an HTML file, one feed entry).

    Read failures (an unknown file type, a truncated .gz or WARC, a refused feed) become dead
    letters; what was read before the failure is kept.  WARC archives are streamed record by
    record from the handle Beam opens (transforms/webinputs.py), never read whole.  Bounds,
    each one dead letter: a JSONL line or story file over ``max_record_bytes``, a .gz file
    expanding past ``gzip_cap``, a local path that is no regular file (a FIFO would block).
    UTF-16 and UTF-32 files with a byte-order mark are read as UTF-8.  ``on_bytes_read`` is
    called with the bytes of the file (compressed, as its size counts them) read since its
    last call, after each JSONL line, WARC record and whole file.
    """

    def __init__(self, processed_at: datetime, input_format: str | None = None,
                 on_bytes_read: Callable[[int], None] | None = None, max_record_bytes: int = MAX_RECORD_BYTES):
        self._processed_at = processed_at
        self._input_format = input_format
        self._on_bytes_read = on_bytes_read
        self._max_record_bytes = max_record_bytes
        self._inputs = Metrics.counter("newsevents", "inputs_read")
        self._blank = Metrics.counter("newsevents", "blank_lines_skipped")
        self._dead = Metrics.counter("newsevents", "dead_letters_read")
        self._warc_skipped = Metrics.counter("newsevents", "warc_records_skipped")

    def _dead_letter(self, error: str, raw, path: str, line_number: int | None = None):
        self._inputs.inc()
        self._dead.inc()
        return beam.pvalue.TaggedOutput(DEAD_LETTERS, dead_letter_row(
            "read", error, raw, self._processed_at, source_file=path, line_number=line_number))

    def process(self, readable):
        position = _ReadPosition(readable.metadata.size_in_bytes, self._on_bytes_read)
        try:
            yield from self._records(readable, position)
        finally:
            position.at_end()

    def _records(self, readable, position: _ReadPosition):
        path = readable.metadata.path
        kind = input_kind(path, self._input_format)
        if kind is None:
            known = ", ".join(suffix for suffixes in SUFFIXES.values() for suffix in suffixes)
            yield self._dead_letter(f"unsupported file type (read: {known}; or pass --input-format)", "", path)
            return
        if _local_path(path) and not os.path.isfile(path):
            yield self._dead_letter("not a regular file (a folder, FIFO, socket or device); skipped unread", "", path)
            return
        if path.lower().endswith(".gz") and expands_past_cap(readable):
            size = readable.metadata.size_in_bytes
            yield self._dead_letter(
                f"gzip file expands past {gzip_cap(size):,} bytes (the larger of {MAX_GZIP_RATIO} times its "
                f"{size:,} bytes and {GZIP_MIN_CAP_BYTES:,}): a gzip bomb? Not read; decompress it to read it",
                "", path)
            return
        if kind in ("warc", "html", "feed"):
            yield from self._read_web(readable, path, kind, position)
            return
        line_number = 0
        try:
            with self._open(readable) as handle:
                source = handle.fileobj if isinstance(handle, gzip.GzipFile) else handle  # what the size counts
                text = self._decoded(handle)
                if kind == "story":
                    raw = text.read(self._max_record_bytes + 1)
                    if len(raw) > self._max_record_bytes:
                        yield self._dead_letter(f"story file larger than {self._max_record_bytes:,} bytes; "
                                                "skipped unread", raw[:4096], path)
                        return
                    self._inputs.inc()
                    yield {"kind": kind, "source_file": path, "line_number": None, "raw": raw.rstrip(b"\x00")}
                    return
                for line_number, line in read_lines(text, self._max_record_bytes):
                    if isinstance(line, TooLong):
                        yield self._dead_letter(
                            f"line {line_number} is {line.size:,} bytes, longer than the {self._max_record_bytes:,} "
                            "bytes a line may have; skipped unread", line.head, path, line_number)
                    elif not line.strip(BLANK):
                        self._blank.inc()
                    else:
                        self._inputs.inc()
                        yield {"kind": kind, "source_file": path, "line_number": line_number, "raw": line}
                    position.advanced(line.size if isinstance(line, TooLong) else len(line), source)
        except Exception as exc:  # a corrupt or truncated file: keep what was read, report the rest
            yield self._dead_letter(
                f"{type(exc).__name__}: {exc} (after line {line_number}; the rest of the file is unread)",
                "", path, line_number + 1 if kind == "jsonl" else None)

    @staticmethod
    def _decoded(handle):
        """``handle`` itself, or a UTF-8 view of it when a byte-order mark says UTF-16/32."""
        head = handle.read(4)
        handle.seek(0)
        for bom, encoding in BOMS:
            if head.startswith(bom):
                return _Recoded(handle, encoding)
        return handle

    def _read_web(self, readable, path: str, kind: str, position: _ReadPosition):
        """WARC: one 'html' record per HTML response; HTML file: one; feed: one 'feed_entry'
        per entry (its fields as JSON)."""
        where = "before the first record"
        try:
            if kind == "warc":
                skipped = Counter()
                try:
                    with readable.open(compression_type=CompressionTypes.UNCOMPRESSED) as handle:
                        for page in webinputs.warc_records(handle, skipped):
                            where = f"after the record at offset {page.offset}"
                            position.at(page.offset)
                            if page.html is None:
                                yield self._dead_letter(
                                    f"HTML response larger than {webinputs.MAX_HTML_BYTES} bytes "
                                    f"(WARC offset {page.offset}, url {page.url})", "", path)
                                continue
                            self._inputs.inc()
                            yield {"kind": "html", "source_file": path, "line_number": None,
                                   "raw": page.html, "url": page.url, "offset": page.offset,
                                   "where": f"WARC offset {page.offset}"}
                finally:
                    self._warc_skipped.inc(sum(skipped.values()))
                return
            limit = webinputs.MAX_HTML_BYTES if kind == "html" else webinputs.MAX_FEED_BYTES
            with self._open(readable) as handle:
                content = handle.read(limit + 1)
            if len(content) > limit:
                yield self._dead_letter(f"{kind} file larger than {limit} bytes", content[:4096], path)
                return
            if kind == "html":
                self._inputs.inc()
                yield {"kind": "html", "source_file": path, "line_number": None, "raw": content,
                       "url": None, "offset": 0}
                return
            try:
                entries = list(webinputs.feed_entries(content))
            except webinputs.FeedError as exc:
                yield self._dead_letter(str(exc), content, path)
                return
            for fields in entries:
                self._inputs.inc()
                yield {"kind": "feed_entry", "source_file": path, "line_number": None,
                       "raw": json.dumps(fields, ensure_ascii=False), "url": fields.get("url"),
                       "offset": fields["entry"]}
        except Exception as exc:  # a corrupt or truncated archive: keep what was read, report the rest
            yield self._dead_letter(
                f"{type(exc).__name__}: {exc} ({where}; the rest of the file is unread)", "", path)

    @staticmethod
    def _open(readable):
        """Python's gzip, unlike Beam's decompressor, raises on a truncated stream."""
        raw = readable.open(compression_type=CompressionTypes.UNCOMPRESSED)
        return gzip.GzipFile(fileobj=raw) if readable.metadata.path.lower().endswith(".gz") else raw


def _keep_first_copy(key_articles):
    """Of the copies of one page, the full page before a feed entry, then the smallest
    (source_file, record offset); the others are counted as dropped repeats."""
    _key, copies = key_articles
    copies = sorted(copies, key=lambda a: (a.get("record_kind") != "html", a.get("source_file") or "",
                                           a.get("record_offset") or 0, a["article_id"]))
    if len(copies) > 1:
        Metrics.counter("newsevents", "duplicates_dropped").inc(len(copies) - 1)
    yield copies[0]


class DropRepeatedPages(beam.PTransform):
    """Batch: a web page or feed entry reached more than once (the same canonical URL in two
    WARCs, a feed and a page, ...) goes on once.  Articles from JSONL and story files, and
    pages without a URL, pass untouched.  The repeats are counted in ``duplicates_dropped``."""

    def expand(self, articles):
        web, other = articles | "WebOrNot" >> beam.Partition(
            lambda article, _n: 0 if article.get("dedupe_key") else 1, 2)
        kept = (
            web
            | "ByUrl" >> beam.Map(lambda article: (article["dedupe_key"], article)).with_output_types(tuple[str, dict])
            | "GroupCopies" >> beam.GroupByKey()
            | "KeepFirst" >> beam.FlatMap(_keep_first_copy)
        )
        return (kept, other) | "Rejoin" >> beam.Flatten()


def file_key(path: str) -> str:
    """The file a matched path names: a local path resolved (``./a.jsonl``, ``a.jsonl`` and a
    symbolic link to it are one file), any other as given."""
    return os.path.realpath(path) if _local_path(path) else path


def _first_match(key_matches):
    """One match of a file that several patterns matched; the others counted in ``repeated_inputs``."""
    _key, matches = key_matches
    matches = sorted(matches, key=lambda meta: meta.path)
    if len(matches) > 1:
        Metrics.counter("newsevents", "repeated_inputs").inc(len(matches) - 1)
    return matches[0]


class ReadRecords(beam.PTransform):
    """File patterns -> raw records; tagged output ``dead_letters`` for unreadable files.
    A file matched more than once (given twice, or by two patterns) is read once."""

    def __init__(self, patterns: list[str], processed_at: datetime, input_format: str | None = None,
                 on_bytes_read: Callable[[int], None] | None = None, max_record_bytes: int = MAX_RECORD_BYTES):
        super().__init__()
        self._patterns = list(patterns)
        self._processed_at = processed_at
        self._input_format = input_format
        self._on_bytes_read = on_bytes_read  # ReadFileRecords: progress of the reading
        self._max_record_bytes = max_record_bytes

    def expand(self, pbegin):
        return (
            pbegin
            | "Patterns" >> beam.Create(self._patterns)
            | "Match" >> fileio.MatchAll()
            | "ByFile" >> beam.Map(lambda meta: (file_key(meta.path), meta))
            | "GroupRepeats" >> beam.GroupByKey()  # also spreads the files over the workers
            | "OncePerFile" >> beam.Map(_first_match)
            | "Open" >> fileio.ReadMatches()
            | "ReadLines" >> beam.ParDo(ReadFileRecords(
                self._processed_at, self._input_format, self._on_bytes_read, self._max_record_bytes)
            ).with_outputs(DEAD_LETTERS, main="records")
        )


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
        if _local_path(folder):
            os.makedirs(os.path.join(folder, destination), exist_ok=True)
        return posixpath.join(destination, base)
    return name


NO_ROWS = "__newsevents_no_rows__"
"""The key of the one marker a batch table without rows sends to its sinks, so that each
writes one empty file with the table's schema: every table folder of a run can be read
(`pd.read_parquet`, a DuckDB glob), as when Beam's bounded sinks wrote the tables."""
ROW_GROUP_ROWS = 10_000  # Parquet rows buffered per file before they are written as a row group


def rows_written(table: str, fmt: str):
    """The counter of rows the ``fmt`` sink of ``table`` wrote (metric rows_written_<table>_<fmt>):
    the run checks it against the rows counted upstream, so a lost row fails the run."""
    return Metrics.counter("newsevents", f"rows_written_{table}_{fmt}")


class _ParquetSink(fileio.FileSink):
    """Rows of one table into one Parquet file (snappy), a row group per ROW_GROUP_ROWS rows,
    so a file of any size holds at most that many rows in memory."""

    def __init__(self, table: str):
        self._schema = schemas.arrow_schema(table)
        self._written = rows_written(table, "parquet")
        self._writer = None
        self._rows: list[dict] = []

    def open(self, fh):
        self._writer, self._rows = pq.ParquetWriter(fh, self._schema, compression="snappy"), []

    def write(self, record):
        if NO_ROWS in record:
            return
        self._rows.append(record)
        if len(self._rows) >= ROW_GROUP_ROWS:
            self._write_rows()

    def _write_rows(self):
        if self._rows:
            self._writer.write_table(pa.Table.from_pylist(self._rows, schema=self._schema))
            self._written.inc(len(self._rows))
            self._rows = []

    def flush(self):
        self._write_rows()
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
        if NO_ROWS in record:
            return
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


class WriteTable(beam.PTransform):
    """Rows of one table -> Parquet and/or Avro files under the output folder.

    DIR/parquet/<table>/[<column>=<value>/]part-<run id>-S-of-N.parquet (``PARTITIONS``),
    DIR/avro/<table>/part-<run id>-S-of-N.avro.  Files are written to a temporary folder and
    moved into place when written (fileio.WriteToFiles); windowed, unbounded rows give one
    file set per window and firing; a batch table without rows gets one empty file (``NO_ROWS``;
    in the 'unknown' partition of a partitioned table).  Every sink counts the rows it wrote
    (``rows_written``).
    """

    def __init__(self, output: str, table: str, formats: tuple[str, ...], run_id: str):
        super().__init__()
        self._output = output
        self._table = table
        self._formats = formats
        self._run_id = run_id

    def expand(self, rows):
        if isinstance(rows.windowing.windowfn, window.GlobalWindows):  # batch: one count of the table
            marker = (rows
                      | "CountRows" >> beam.combiners.Count.Globally()
                      | "MarkNoRows" >> beam.FlatMap(lambda n: [] if n else [{NO_ROWS: True}]))
            rows = (rows, marker) | "RowsOrMarker" >> beam.Flatten()
        results = {}
        for fmt in self._formats:
            sink, suffix = SINKS[fmt]
            folder = posixpath.join(self._output, fmt, self._table)
            results[fmt] = (rows
                            | f"Write_{fmt}" >> fileio.WriteToFiles(
                                path=folder,
                                destination=lambda row, fmt=fmt: partition_folder(self._table, fmt, row),
                                file_naming=file_naming(self._run_id, suffix, folder),
                                sink=lambda _destination, sink=sink: sink(self._table))
                            | f"CheckMoved_{fmt}" >> beam.Map(_check_moved, folder))
        return results
