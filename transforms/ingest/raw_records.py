"""One input file -> raw records, one raw record -> an article (plain Python, no Beam).

A raw record is what reading keeps of one article-to-be before parsing: a JSONL line, a
whole story file, one HTML page of a WARC archive or an HTML file, one feed entry.
``records_of`` reads one opened file into raw records and ``ReadFailure``\\ s (each one
`read` dead letter), and folds a JSONL file's junk lines past a bound into one
``FoldedLines``; ``parse_record`` turns one raw record into a checked, cleaned article.
The Beam layer (transforms/steps/files.ReadFileRecords, transforms/steps/normalise.NormaliseArticles)
maps them and counts.
"""
from __future__ import annotations

import gzip
import json
import os
from collections import Counter
from collections.abc import Iterator
from typing import Callable, NamedTuple, TypedDict

from transforms.ingest import webinputs
from transforms.ingest.articles import DEFAULT_FIELDS, ArticleError, JsonFields, parse_json_line, parse_story_text
from transforms.ingest.formats import (
    BLANK,
    MAX_DEAD_LETTERS_PER_FILE,
    MAX_RECORD_BYTES,
    WEB_FORMATS,
    WEB_KINDS,
    TooLong,
    decoded,
    expands_past_cap,
    gzip_cap_error,
    gzipped,
    known_suffixes,
    read_lines,
)
from transforms.ingest.normalise import DEFAULT_MAX_ARTICLE_BYTES, decode, normalise_article

BLANK_LINE = "blank line"  # the ``skipped`` reason of a blank JSONL line (WARC records have their own)


class RawRecord(TypedDict, total=False):
    """An input record before parsing: ``kind`` is 'jsonl', 'story', 'html' or 'feed_entry';
    a web page also carries its ``url`` and ``offset`` (in a WARC, or a feed's entry number)."""
    kind: str
    source_file: str | None
    line_number: int | None
    raw: bytes | str
    url: str | None
    offset: int | None
    where: str


def raw_record(kind: str, source_file: str | None, raw: bytes | str, line_number: int | None = None,
               **web) -> RawRecord:
    """The one constructor of a raw record; ``web`` holds a page's url, offset and where."""
    return RawRecord(kind=kind, source_file=source_file, line_number=line_number, raw=raw, **web)


class ReadFailure(NamedTuple):
    """A file, or the rest of one, that could not be read: one `read` dead letter."""
    error: str
    raw: bytes | str = ""
    line_number: int | None = None


def refusal(path: str, kind: str | None, local: bool) -> ReadFailure | None:
    """Why a file is not even opened (an unknown type; a local path that is no regular file,
    where a FIFO would block), or None."""
    if kind is None:
        return ReadFailure(f"unsupported file type (read: {known_suffixes()}; or pass --input-format)")
    if local and not os.path.isfile(path):
        return ReadFailure("not a regular file (a folder, FIFO, socket or device); skipped unread")
    return None


class ReadPosition:
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


def records_of(path: str, handle, kind: str, size: int, max_record_bytes: int = MAX_RECORD_BYTES,
               position: ReadPosition | None = None, skipped: Counter | None = None,
               max_dead_letters: int = MAX_DEAD_LETTERS_PER_FILE) -> Iterator[RawRecord | ReadFailure | FoldedLines]:
    """Raw records of one file of ``kind`` (``input_kind``) opened as stored (``handle``: its
    bytes, a .gz file compressed, seekable), and a ReadFailure for each part that cannot be
    read; what was read before a failure is kept.  A JSONL file's lines that can be no article
    (``no_article_cause``) go on as records up to ``max_dead_letters`` of them (each one `parse`
    dead letter); the rest are counted into one ``FoldedLines``, yielded last.

    Bounds, each one ReadFailure: a JSONL line or story file over ``max_record_bytes``, a .gz
    file expanding past ``formats.gzip_cap`` (``size`` is its size as stored), an HTML page or
    feed over its ``webinputs`` bound.  WARC archives are streamed record by record, never
    read whole.  UTF-16 and UTF-32 files with a byte-order mark are read as UTF-8.  Blank
    lines and skipped WARC records are counted in ``skipped`` (by reason, ``BLANK_LINE`` for a
    blank line); ``position`` hears of the bytes read after each line and WARC record.
    """
    position = position or ReadPosition(size, None)
    skipped = skipped if skipped is not None else Counter()
    if gzipped(path):
        too_big = expands_past_cap(handle, size)
        handle.seek(0)
        if too_big:
            yield ReadFailure(gzip_cap_error(size))
            return
    if kind in WEB_FORMATS:
        yield from _web_records(path, handle, kind, position, skipped)
        return
    records = _text_records(path, handle, kind, max_record_bytes, position, skipped)
    yield from _folded_past(records, max_dead_letters) if kind == "jsonl" else records


def no_article_cause(raw: bytes | str) -> str | None:
    """Why a JSONL line is no article whatever its field names (--text-field, --id-field):
    binary content, invalid JSON, JSON that is no object; None when parsing must decide.
    These are parse_record's first checks on the same text, so a line named here fails
    there too.  No positions in the cause, so a file has few of them."""
    try:
        value = json.loads(decode(raw)[0])
    except ArticleError as exc:  # binary content
        return str(exc).split(":")[0]
    except json.JSONDecodeError as exc:
        return f"invalid JSON: {exc.msg}"
    except RecursionError:  # deep nesting: whether it fails depends on the stack; parsing decides
        return None
    return None if isinstance(value, dict) else f"a JSON {type(value).__name__}, not an object"


class FoldedLines:
    """The lines of one JSONL file that can be no article, past the first ``cap`` of them:
    counted, not passed on, and told in one `parse` dead letter (how many, their causes,
    their first and last line, the first one's start)."""

    HEAD_BYTES = 4096  # of the first folded line, kept as the dead letter's raw
    CAUSES_TOLD = 3

    def __init__(self, cap: int):
        self.cap = cap
        self.count = 0
        self.first_line: int | None = None
        self.last_line: int | None = None
        self.head: bytes | str = ""
        self.causes: Counter = Counter()

    def add(self, record: RawRecord, cause: str) -> None:
        if not self.count:
            self.first_line, self.head = record["line_number"], record["raw"][:self.HEAD_BYTES]
        self.count += 1
        self.last_line = record["line_number"]
        self.causes[cause] += 1

    @property
    def error(self) -> str:
        causes = "; ".join(f"{cause}: {n:,}" for cause, n in self.causes.most_common(self.CAUSES_TOLD))
        if len(self.causes) > self.CAUSES_TOLD:
            causes += f"; {len(self.causes) - self.CAUSES_TOLD} other causes"
        return (f"{self.count:,} more lines of this file are no article, lines {self.first_line:,} to "
                f"{self.last_line:,} ({causes}); counted in this one row, past the first {self.cap:,} "
                "such lines of a file")


def _folded_past(records: Iterator, cap: int) -> Iterator:
    """``records`` with the lines that can be no article past the first ``cap`` folded into
    one FoldedLines, yielded at the end of the file."""
    folded, bad = FoldedLines(cap), 0
    for record in records:
        cause = isinstance(record, dict) and no_article_cause(record["raw"])
        if cause:
            bad += 1
            if bad > cap:
                folded.add(record, cause)
                continue
        yield record
    if folded.count:
        yield folded


def unopened(exc: Exception, kind: str) -> ReadFailure:
    """The failure of a file that could not even be opened, told as a read cut short at once."""
    if kind in WEB_FORMATS:
        return _cut_short(exc, "before the first record")
    return _cut_short(exc, "after line 0", 1 if kind == "jsonl" else None)


def _opened(path: str, handle):
    """Python's gzip, unlike Beam's decompressor, raises on a truncated stream."""
    return gzip.GzipFile(fileobj=handle) if gzipped(path) else handle


def _cut_short(exc: Exception, where: str, line_number: int | None = None) -> ReadFailure:
    return ReadFailure(f"{type(exc).__name__}: {exc} ({where}; the rest of the file is unread)", "", line_number)


def _text_records(path: str, handle, kind: str, limit: int, position: ReadPosition, skipped: Counter):
    """A JSONL file: one record per line that is not blank; a story file: one record."""
    line_number = 0
    try:
        with _opened(path, handle) as opened:
            text = decoded(opened)
            if kind == "story":
                raw = text.read(limit + 1)
                if len(raw) > limit:
                    yield ReadFailure(f"story file larger than {limit:,} bytes; skipped unread", raw[:4096])
                    return
                yield raw_record(kind, path, raw.rstrip(b"\x00"))
                return
            for line_number, line in read_lines(text, limit):
                if isinstance(line, TooLong):
                    yield ReadFailure(f"line {line_number} is {line.size:,} bytes, longer than the {limit:,} "
                                      "bytes a line may have; skipped unread", line.head, line_number)
                elif not line.strip(BLANK):
                    skipped[BLANK_LINE] += 1
                else:
                    yield raw_record(kind, path, line, line_number)
                position.advanced(line.size if isinstance(line, TooLong) else len(line), handle)
    except Exception as exc:  # a corrupt or truncated file: keep what was read, report the rest
        yield _cut_short(exc, f"after line {line_number}", line_number + 1 if kind == "jsonl" else None)


def _web_records(path: str, handle, kind: str, position: ReadPosition, skipped: Counter):
    """WARC: one 'html' record per HTML response; HTML file: one; feed: one 'feed_entry'
    per entry (its fields as JSON)."""
    where = "before the first record"
    try:
        if kind == "warc":
            for page in webinputs.warc_records(handle, skipped):
                where = f"after the record at offset {page.offset}"
                position.at(page.offset)
                if page.html is None:
                    yield ReadFailure(f"HTML response larger than {webinputs.MAX_HTML_BYTES} bytes "
                                      f"(WARC offset {page.offset}, url {page.url})")
                    continue
                yield raw_record("html", path, page.html, url=page.url, offset=page.offset,
                                 where=f"WARC offset {page.offset}")
            return
        limit = webinputs.MAX_HTML_BYTES if kind == "html" else webinputs.MAX_FEED_BYTES
        with _opened(path, handle) as opened:
            content = opened.read(limit + 1)
        if len(content) > limit:
            yield ReadFailure(f"{kind} file larger than {limit} bytes", content[:4096])
            return
        if kind == "html":
            yield raw_record("html", path, content, url=None, offset=0)
            return
        try:
            entries = list(webinputs.feed_entries(content))
        except webinputs.FeedError as exc:
            yield ReadFailure(str(exc), content)
            return
        for fields in entries:
            yield raw_record("feed_entry", path, json.dumps(fields, ensure_ascii=False),
                             url=fields.get("url"), offset=fields["entry"])
    except Exception as exc:  # a corrupt or truncated archive: keep what was read, report the rest
        yield _cut_short(exc, where)


def parse_record(record: RawRecord, fields: JsonFields = DEFAULT_FIELDS,
                 max_article_bytes: int = DEFAULT_MAX_ARTICLE_BYTES) -> dict:
    """One raw record -> a checked, cleaned article (``status`` 'ok' or why it is skipped);
    raises ArticleError for a record that is no article.  ``fields`` names the JSONL keys."""
    kind = record["kind"]
    if kind in WEB_KINDS:
        if kind == "html":
            article = webinputs.html_article(record["raw"], record.get("url"), record["source_file"],
                                             record.get("where", ""))
        else:
            article = webinputs.feed_entry_article(record["raw"], record["source_file"])
        flags = []
        article.update(record_kind=kind, record_offset=record.get("offset"),
                       dedupe_key=webinputs.url_key(article["url"]))
    else:
        text, flags = decode(record["raw"])
        article = (parse_story_text(text, record["source_file"]) if kind == "story"
                   else parse_json_line(text, record["source_file"], fields))
    article["line_number"] = record["line_number"]
    return normalise_article(article, flags, max_article_bytes)
