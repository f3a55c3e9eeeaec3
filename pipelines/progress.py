"""Progress lines during long local runs and the end-of-run summary table.

The core (``Progress``, ``format_summary_table``) is plain Python: no Beam import, an
injectable clock and stream, so it is tested without a pipeline.

With the size of the inputs known (``reset(total_bytes=...)``) a line also says how much of it
was read, the percentage and an ETA; the reader reports bytes through ``add_bytes``, which
counts only in the launching process, where that total is known.  When the last byte is read,
a line says so at once, so the grouping and writing after it is not silent.

``ProgressTap`` is a picklable callable for ``beam.Map``: it passes every element through
unchanged and counts it in the worker process's ``Progress`` (one per process, created on
first use).  With the local FnApiRunner (in-process) that is the launching process, so the
lines appear on its stderr; with multi-process or remote runners each worker prints its own
lines (prefixed with its pid), and the summary table still comes from the Beam metrics.

    rows | "Progress" >> beam.Map(ProgressTap(interval=10.0))             # (table, row) pairs
    dead | "ProgressDead" >> beam.Map(ProgressTap(interval=10.0, kind="dead_letters"))
"""
from __future__ import annotations

import os
import re
import sys
import threading
import time
from typing import Callable, TextIO

COUNTED = ("articles", "events", "dead_letters")
DEFAULT_INTERVAL = 10.0


def format_duration(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


def format_bytes(n: int) -> str:
    """'812 B', '12.3 MB' (decimal units, as file sizes are listed)."""
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:,} {unit}" if unit == "B" else f"{n:,.1f} {unit}"
        n /= 1000
    raise AssertionError("unreachable")


def format_rate(count: int, seconds: float) -> str:
    if seconds <= 0 or not count:
        return "–"
    rate = count / seconds
    return f"{rate:,.1f}/s" if rate < 100 else f"{rate:,.0f}/s"


class Progress:
    """Counts and, at most every ``interval`` seconds, one progress line on ``stream``.

    ``interval <= 0`` disables the lines (counting still works).  On a terminal the line is
    rewritten in place; in a log file each report is its own line.  ``total_bytes``, the size of
    the inputs, adds how much was read, the percentage and an ETA (from the read rate).
    """

    def __init__(self, interval: float = DEFAULT_INTERVAL, stream: TextIO | None = None,
                 clock: Callable[[], float] = time.monotonic, prefix: str = "newsevents extract",
                 tty: bool | None = None, total_bytes: int | None = None):
        self.interval = interval
        self.total_bytes = total_bytes
        self.bytes_read = 0
        self._first_byte: float | None = None
        self._stream = stream
        self.clock = clock
        self.prefix = prefix
        self._tty = tty
        self.counts = {name: 0 for name in COUNTED}
        self.started = clock()
        self._first_article: float | None = None
        self._last_report = self.started
        self._lines = 0
        self._lock = threading.Lock()

    @property
    def stream(self) -> TextIO:
        return self._stream if self._stream is not None else sys.stderr

    @property
    def tty(self) -> bool:
        if self._tty is None:
            isatty = getattr(self.stream, "isatty", None)
            self._tty = bool(isatty and isatty())
        return self._tty

    def add(self, kind: str, n: int = 1) -> None:
        """Count ``n`` items of ``kind`` (articles, events, dead_letters) and maybe report."""
        with self._lock:
            now = self.clock()
            self.counts[kind] = self.counts.get(kind, 0) + n
            if kind == "articles" and self._first_article is None:
                self._first_article = now
            self._maybe_report(now)

    def add_bytes(self, n: int) -> None:
        """Count ``n`` input bytes read; the line after the last byte comes at once."""
        with self._lock:
            now = self.clock()
            if self._first_byte is None:
                self._first_byte = now
            before, self.bytes_read = self.bytes_read, self.bytes_read + n
            if self.interval > 0 and self.total_bytes and before < self.total_bytes <= self.bytes_read:
                self._last_report = now
                self._write(self.line(now) + " | all read; finishing and writing the tables...")
            else:
                self._maybe_report(now)

    def _maybe_report(self, now: float) -> None:
        if self.interval > 0 and now - self._last_report >= self.interval:
            self._last_report = now
            self._write(self.line(now))

    def read_part(self, now: float) -> str:
        """'45.2% of 12.3 MB read, ETA 0:01:10' (the ETA from the bytes read per second since the first)."""
        total, done = self.total_bytes or 0, min(self.bytes_read, self.total_bytes or 0)
        text = f"{100 * done / total:.1f}% of {format_bytes(total)} read"
        if done >= total:
            return text
        since = now - self._first_byte if self._first_byte is not None else 0
        eta = format_duration(since * (total - done) / done) if done and since > 0 else "–"
        return f"{text}, ETA {eta}"

    def elapsed(self, now: float | None = None) -> float:
        return (self.clock() if now is None else now) - self.started

    def line(self, now: float | None = None) -> str:
        """'newsevents extract: 1,200 articles, 85 event records, 0 dead letters | 40.1 articles/s | 0:00:30',
        with '| 45.2% of 12.3 MB read, ETA 0:01:10' after the counts when the input size is known."""
        now = self.clock() if now is None else now
        c = self.counts
        since = now - (self._first_article if self._first_article is not None else self.started)
        rate = format_rate(c["articles"], since)
        rate = rate if rate == "–" else rate.replace("/s", " articles/s")
        read = f" | {self.read_part(now)}" if self.total_bytes else ""
        return (f"{self.prefix}: {c['articles']:,} articles, {c['events']:,} event records, "
                f"{c['dead_letters']:,} dead letters{read} | {rate} | {format_duration(now - self.started)}")

    def _write(self, text: str) -> None:
        if self.tty:
            self.stream.write("\r\x1b[K" + text)
        else:
            self.stream.write(text + "\n")
        self.stream.flush()
        self._lines += 1

    def finish(self) -> None:
        """End an in-place terminal line so the next output starts on a fresh line."""
        if self.tty and self._lines:
            self.stream.write("\n")
            self.stream.flush()


_PROCESS: dict[str, Progress] = {}
_PROCESS_LOCK = threading.Lock()


def process_progress(interval: float = DEFAULT_INTERVAL, total_bytes: int | None = None) -> Progress:
    """This process's ``Progress`` (created on first use)."""
    with _PROCESS_LOCK:
        progress = _PROCESS.get("current")
        if progress is None:
            prefix = "newsevents extract"
            if os.getpid() != _LAUNCHER_PID:
                prefix += f" [pid {os.getpid()}]"
            progress = _PROCESS["current"] = Progress(interval=interval, prefix=prefix, total_bytes=total_bytes)
        return progress


def reset(interval: float = DEFAULT_INTERVAL, total_bytes: int | None = None) -> Progress:
    """Start this process's counts and clock afresh (call just before ``pipeline.run()``);
    ``total_bytes``: the size of the inputs, for the percentage and ETA."""
    with _PROCESS_LOCK:
        _PROCESS.pop("current", None)
    return process_progress(interval, total_bytes)


def add_bytes(n: int) -> None:
    """The reader's report of ``n`` input bytes read (transforms/steps/files.ReadFileRecords):
    counted when this process started a ``Progress`` (the launcher, running the local
    in-process runner), ignored elsewhere, where no total is known."""
    with _PROCESS_LOCK:
        progress = _PROCESS.get("current")
    if progress is not None:
        progress.add_bytes(n)


def finish() -> Progress | None:
    """End the current progress line (if any) and forget this process's ``Progress``."""
    with _PROCESS_LOCK:
        progress = _PROCESS.pop("current", None)
    if progress is not None:
        progress.finish()
    return progress


_LAUNCHER_PID = os.getpid()


class ProgressTap:
    """``beam.Map(ProgressTap(...))``: counts elements, returns each one unchanged.

    Without ``kind`` an element is a ``(table, row)`` pair (the output of BuildRecords) and is
    counted under its table name; with ``kind`` every element counts as one ``kind``.
    """

    def __init__(self, interval: float = DEFAULT_INTERVAL, kind: str | None = None):
        self.interval = interval
        self.kind = kind

    def __call__(self, element):
        if self.interval > 0:
            kind = self.kind
            if kind is None:
                kind = element[0] if isinstance(element, tuple) and element else "other"
            process_progress(self.interval).add(kind)
        return element


# ---- the end-of-run summary ------------------------------------------------------------------

_ERROR_REPR = re.compile(r"^(\w+)\((['\"])(.*)\2\)$", re.DOTALL)  # ArticleError("...") as a DoFn reports it


def dead_letter_cause(error: str) -> str:
    """A dead letter's error without what varies from row to row (numbers become N), cut to
    200 characters: the name it is counted under for the end-of-run warning."""
    match = _ERROR_REPR.match(error or "")
    if match:
        error = f"{match.group(1)}: {match.group(3)}"
    return re.sub(r"\d+", "N", " ".join(error.split()))[:200] or "unknown"


def dead_letter_warning(summary: dict, share: float) -> str | None:
    """Two lines for stderr when more than ``share`` of the inputs became dead letters: how
    many, and the most frequent cause (``summary["dead_letter_causes"]``); else None."""
    inputs, dead = summary.get("inputs", 0), summary.get("dead_letters", 0)
    if not inputs or dead <= share * inputs:
        return None
    text = (f"newsevents extract: warning: {dead:,} of {inputs:,} inputs ({_pct(dead, inputs)}) became dead "
            f"letters (exit 0 unless --strict)")
    causes = summary.get("dead_letter_causes") or {}
    if causes:
        cause, n = max(causes.items(), key=lambda kv: kv[1])
        text += f"\n  most frequent cause ({n:,}): {cause}"
    return text


def boxed_table(rows: list[tuple[str, str, str]], title: str) -> str:
    """A boxed three-column table (label, count, note); a row of None draws a separator."""
    w0 = max(len(r[0]) for r in rows if r) if rows else 0
    w1 = max(len(r[1]) for r in rows if r) if rows else 0
    w2 = max(len(r[2]) for r in rows if r) if rows else 0
    w2 = max(w2, len(title) - w0 - w1 - 6)
    rule = f"+-{'-' * w0}-+-{'-' * w1}-+-{'-' * w2}-+"
    out = [rule, f"| {title.ljust(w0 + w1 + w2 + 6)} |", rule]
    for row in rows:
        if row is None:
            out.append(rule)
        else:
            out.append(f"| {row[0].ljust(w0)} | {row[1].rjust(w1)} | {row[2].ljust(w2)} |")
    out.append(rule)
    return "\n".join(out)


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else ""


def format_summary_table(summary: dict, elapsed: float | None = None, outputs: list[str] | None = None) -> str:
    """The end-of-run summary as a boxed table.

    ``summary`` is ``pipelines.extract.summarise(result)`` (inputs, articles, articles_skipped,
    dead_letters, dead_letters_by_stage, events, events_by_type, distinct_events,
    blank_lines_skipped, duplicates_dropped, warc_records_skipped, repeated_inputs,
    articles_capped).  ``events`` are event
    records (rows of `events`, one per article and event); ``distinct_events`` the event_ids
    among them (real-world events), missing or None when the run did not count them.
    ``elapsed`` the wall time in seconds; ``outputs`` the folders written.
    """
    inputs, articles = summary.get("inputs", 0), summary.get("articles", 0)
    dead, events = summary.get("dead_letters", 0), summary.get("events", 0)
    skipped = summary.get("articles_skipped", 0)
    reconciled = inputs == articles + dead
    rows: list = [
        ("inputs read", f"{inputs:,}", ""),
        ("articles", f"{articles:,}",
         _pct(articles, inputs) + (f", {skipped:,} not sent to the model" if skipped else "")),
        ("dead letters", f"{dead:,}", _pct(dead, inputs)),
    ]
    for stage, n in sorted(summary.get("dead_letters_by_stage", {}).items()):
        if n:
            rows.append((f"  {stage}", f"{n:,}", ""))
    rows.append(("reconciliation", "OK" if reconciled else "MISMATCH", "inputs = articles + dead letters"))
    rows.append(None)
    rows.append(("event records", f"{events:,}", f"{events / articles:.2f} per article" if articles else ""))
    for event_type, n in sorted(summary.get("events_by_type", {}).items(), key=lambda kv: (-kv[1], kv[0])):
        rows.append((f"  {event_type}", f"{n:,}", _pct(n, events)))
    distinct = summary.get("distinct_events")
    if distinct is None:
        rows.append(("distinct events", "–", "not counted in this run"))
    else:
        rows.append(("distinct events", f"{distinct:,}",
                     "event_ids" + (f", {events / distinct:.2f} records each" if distinct else "")))
    # read but, by design, neither articles nor dead letters; last, articles analysed only in part
    for key, label, note in (("blank_lines_skipped", "blank lines skipped", ""),
                             ("duplicates_dropped", "repeated pages", "same canonical URL, processed once"),
                             ("warc_records_skipped", "WARC records skipped", "not HTML responses"),
                             ("repeated_inputs", "repeated input files", "matched more than once, read once"),
                             ("articles_capped", "articles capped", "longer than the analysis bound: flag extraction_capped")):
        if summary.get(key):
            rows.append((label, f"{summary[key]:,}", note))
    if elapsed is not None:
        rows.append(None)
        rows.append(("wall time", format_duration(elapsed), ""))
        rows.append(("rate", format_rate(inputs, elapsed).replace("/s", " inputs/s"),
                     format_rate(events, elapsed).replace("/s", " event records/s")))
    text = boxed_table(rows, "newsevents extract: summary")
    if outputs:
        text += "\noutput\n" + "\n".join(f"  {o}" for o in outputs)
    return text
