"""Input file formats and the bounds of reading them (plain Python, no Beam).

The suffix table that names a file's kind, the bounds a line, a story and a .gz file may
reach, byte-order marks, and ``read_lines``, which never holds an over-long line whole.
"""
from __future__ import annotations

import codecs
import gzip
import io
import re
import zlib
from typing import NamedTuple

from transforms.ingest.normalise import DEFAULT_MAX_ARTICLE_BYTES

JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
STORY_SUFFIXES = (".txt",)
WARC_SUFFIXES = (".warc", ".warc.gz")
HTML_SUFFIXES = (".html", ".htm")
FEED_SUFFIXES = (".rss", ".atom", ".xml")
SUFFIXES = {"jsonl": JSONL_SUFFIXES, "story": STORY_SUFFIXES, "warc": WARC_SUFFIXES,
            "html": HTML_SUFFIXES, "feed": FEED_SUFFIXES}
INPUT_FORMATS = ("auto", *SUFFIXES)  # --input-format
WEB_FORMATS = ("warc", "html", "feed")  # file kinds whose pages can repeat (transforms/ingest/webinputs.py)
WEB_KINDS = ("html", "feed_entry")      # raw-record kinds of web pages and feed entries


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


def known_suffixes() -> str:
    """The suffixes read, for the message about a file that has none of them."""
    return ", ".join(suffix for suffixes in SUFFIXES.values() for suffix in suffixes)


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
MAX_DEAD_LETTERS_PER_FILE = 1_000
"""A JSONL file's lines that can be no article (binary, not JSON, JSON but no object) become one
`parse` dead letter each up to this many; the rest of the file's are counted into one summary
dead letter (raw_records.FoldedLines), so a million junk lines are not a million rows."""
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


PART_BYTES = 1 << 20
"""The first look at a batch input (near-copy signatures) reads a plain JSONL file in parts of
this many bytes, spread over the workers (``LinesFrom``); a compressed file or one in UTF-16/32
is read whole."""


def byte_ranges(size: int, part_bytes: int = PART_BYTES) -> list[tuple[int, int]]:
    """[start, end) parts covering ``size`` bytes."""
    return [(start, min(start + part_bytes, size)) for start in range(0, size, part_bytes)] or [(0, 0)]


class LinesFrom:
    """The part [start, end) of a plain file, as a file of the lines that start in it: a line
    belongs to the part its first byte is in, so parts read apart give every line once,
    whole.  Enough of a file for ``records_of`` (``read``, ``readline``, ``seek(0)``, ``tell``)."""

    def __init__(self, handle, start: int, end: int):
        self._handle = handle
        if start:
            handle.seek(start - 1)
            if handle.read(1) != b"\n":  # a line under way: the previous part's
                while (chunk := handle.readline(SKIP_CHUNK_BYTES)) and not chunk.endswith(b"\n"):
                    pass
        self._first = handle.tell()
        self._end = end
        self._at_line_start = True

    def readline(self, size: int = -1) -> bytes:
        if self._at_line_start and self._handle.tell() >= self._end:
            return b""
        line = self._handle.readline(size)
        self._at_line_start = line.endswith(b"\n")
        return line

    def read(self, size: int = -1) -> bytes:
        """Bytes up to the part's end (``decoded`` reads the first for a byte-order mark)."""
        left = max(0, self._end - self._handle.tell())
        return self._handle.read(left if size < 0 else min(size, left))

    def seek(self, offset: int, whence: int = 0) -> int:
        if (offset, whence) != (0, 0):
            raise ValueError("a LinesFrom part can only go back to its start")
        self._at_line_start = True
        return self._handle.seek(self._first)

    def tell(self) -> int:
        return self._handle.tell()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self._handle.close()


class _Recoded:
    """A UTF-16 or UTF-32 text file read as UTF-8 bytes (``readline`` and ``read`` sizes count
    characters, so a line stays within a few times the byte limit)."""

    def __init__(self, handle, encoding: str):
        self._text = io.TextIOWrapper(handle, encoding=encoding, errors="replace", newline="")

    def readline(self, size: int = -1) -> bytes:
        return self._text.readline(size).encode("utf-8", errors="surrogatepass")

    def read(self, size: int = -1) -> bytes:
        return self._text.read(size).encode("utf-8", errors="surrogatepass")


def decoded(handle):
    """``handle`` itself, or a UTF-8 view of it when a byte-order mark says UTF-16/32."""
    head = handle.read(4)
    handle.seek(0)
    for bom, encoding in BOMS:
        if head.startswith(bom):
            return _Recoded(handle, encoding)
    return handle


def gzipped(path: str) -> bool:
    return path.lower().endswith(".gz")


def gzip_cap(compressed_bytes: int) -> int:
    """How many bytes a .gz file of ``compressed_bytes`` may expand to."""
    return max(GZIP_MIN_CAP_BYTES, MAX_GZIP_RATIO * compressed_bytes)


def gzip_cap_error(compressed_bytes: int) -> str:
    """The dead letter's reason for a .gz file that expands past ``gzip_cap``."""
    return (f"gzip file expands past {gzip_cap(compressed_bytes):,} bytes (the larger of {MAX_GZIP_RATIO} times "
            f"its {compressed_bytes:,} bytes and {GZIP_MIN_CAP_BYTES:,}): a gzip bomb? Not read; "
            "decompress it to read it")


def expands_past_cap(raw, compressed_bytes: int) -> bool:
    """Does the .gz stream ``raw`` expand past ``gzip_cap``?  Counted in a pass that keeps
    nothing; a corrupt stream is left to the reading pass, which reports it."""
    cap = gzip_cap(compressed_bytes)
    total = 0
    try:
        with gzip.GzipFile(fileobj=raw) as handle:
            while chunk := handle.read(min(SKIP_CHUNK_BYTES, cap + 1 - total)):
                total += len(chunk)
    except (OSError, EOFError, zlib.error):
        return False
    return total > cap


_SCHEME = re.compile(r"^[a-zA-Z][-a-zA-Z0-9+.]*://")  # Beam's FileSystems.URI_SCHEMA_PATTERN


def is_local(path: str) -> bool:
    """A plain local path: no scheme such as gs:// (the rule Beam picks a filesystem by)."""
    return _SCHEME.match(path.strip()) is None
