"""Progress lines and the end-of-run summary table (pipelines/progress.py, no Beam needed)."""
from __future__ import annotations

import io
import pickle

import pytest

from pipelines import progress
from pipelines.progress import Progress, ProgressTap, format_summary_table


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


class Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.fixture()
def clock():
    return Clock()


def test_reports_at_most_once_per_interval(clock):
    stream = io.StringIO()
    p = Progress(interval=10, stream=stream, clock=clock)
    for second in range(25):
        clock.now = 100.0 + second
        p.add("articles")
        p.add("events", 2)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2  # at 10 s and at 20 s; the rate counts from the first article (t=0)
    assert lines[0] == "newsevents extract: 11 articles, 20 event records, 0 dead letters | 1.1 articles/s | 0:00:10"
    assert lines[1].startswith("newsevents extract: 21 articles, 40 event records")


def test_rate_counts_from_the_first_article(clock):
    p = Progress(interval=0, stream=io.StringIO(), clock=clock)
    clock.now += 30  # model loading: no article yet
    assert "| – |" in p.line()
    p.add("articles")
    clock.now += 2
    p.add("articles", 399)
    assert "400 articles" in p.line() and "200.0 articles/s" not in p.line()
    assert "| 200 articles/s | 0:00:32" in p.line()


def test_interval_zero_counts_silently(clock):
    stream = io.StringIO()
    p = Progress(interval=0, stream=stream, clock=clock)
    clock.now += 1000
    p.add("articles", 5)
    assert stream.getvalue() == "" and p.counts["articles"] == 5


def test_terminal_lines_are_rewritten_in_place(clock):
    stream = Terminal()
    p = Progress(interval=1, stream=stream, clock=clock)
    for _ in range(3):
        clock.now += 1
        p.add("articles")
    p.finish()
    text = stream.getvalue()
    assert text.count("\r\x1b[K") == 3 and text.endswith("\n") and text.count("\n") == 1


def test_tap_passes_elements_through_and_counts_by_table(monkeypatch):
    stream = io.StringIO()
    monkeypatch.setattr(progress.sys, "stderr", stream)
    progress.reset(interval=3600)
    tap = pickle.loads(pickle.dumps(ProgressTap(interval=3600)))  # Beam pickles it
    dead_tap = ProgressTap(interval=3600, kind="dead_letters")
    rows = [("events", {"a": 1}), ("events", {"a": 2}), ("articles", {"b": 1})]
    assert [tap(r) for r in rows] == rows
    assert dead_tap({"stage": "parse"}) == {"stage": "parse"}
    counts = progress.finish().counts
    assert counts == {"articles": 1, "events": 2, "dead_letters": 1}
    assert progress.finish() is None


def test_disabled_tap_does_nothing():
    progress.finish()
    assert ProgressTap(interval=0)(("events", {})) == ("events", {})
    assert progress.finish() is None


SUMMARY = {
    "inputs": 1200, "articles": 1190, "articles_skipped": 12, "dead_letters": 10,
    "dead_letters_by_stage": {"parse": 7, "read": 3, "resolve": 0},
    "events": 300, "events_by_type": {"meeting": 150, "state_visit": 90, "agreement_signed": 60},
    "distinct_events": 240,
    "blank_lines_skipped": 2,
}


def test_summary_table():
    text = format_summary_table(SUMMARY, elapsed=125.0, outputs=["out/run1/parquet", "out/run1/avro"])
    lines = text.splitlines()
    width = len(lines[0])
    table = [line for line in lines if line.startswith(("+", "|"))]
    assert all(len(line) == width for line in table)  # a straight box
    assert "newsevents extract: summary" in lines[1]
    row = {cells[0]: cells[1:] for cells in
           ([c.strip() for c in line.strip("|").split("|")] for line in table if line.startswith("| "))
           if len(cells) == 3}
    assert row["inputs read"] == ["1,200", ""]
    assert row["articles"] == ["1,190", "99.2%, 12 not sent to the model"]
    assert row["dead letters"] == ["10", "0.8%"]
    assert row["parse"] == ["7", ""] and "resolve" not in row
    assert row["reconciliation"][0] == "OK"
    assert row["event records"] == ["300", "0.25 per article"]
    assert row["distinct events"] == ["240", "event_ids, 1.25 records each"]
    assert row["meeting"] == ["150", "50.0%"]
    assert [r for r in row if r in SUMMARY["events_by_type"]] == ["meeting", "state_visit", "agreement_signed"]
    assert row["wall time"] == ["0:02:05", ""]
    assert row["rate"] == ["9.6 inputs/s", "2.4 event records/s"]
    assert lines[-2:] == ["  out/run1/parquet", "  out/run1/avro"]


def test_summary_table_flags_a_mismatch_and_handles_an_empty_run():
    assert "MISMATCH" in format_summary_table(dict(SUMMARY, inputs=1201))
    empty = format_summary_table({"inputs": 0, "articles": 0, "dead_letters": 0, "events": 0,
                                  "distinct_events": 0}, elapsed=0.5)
    assert " OK |" in empty and "wall time" in empty and "–" in empty
    assert [line for line in empty.splitlines() if "distinct events" in line][0].split("|")[2].strip() == "0"


def test_summary_table_says_when_distinct_events_were_not_counted():
    text = format_summary_table(dict(SUMMARY, distinct_events=None))
    [line] = [line for line in text.splitlines() if "distinct events" in line]
    assert [c.strip() for c in line.strip("|").split("|")] == ["distinct events", "–", "not counted in this run"]


def test_the_summary_table_shows_articles_analysed_only_in_part():
    from pipelines.progress import format_summary_table

    summary = {"inputs": 2, "articles": 2, "dead_letters": 0, "dead_letters_by_stage": {}, "events": 0,
               "events_by_type": {}, "distinct_events": 0, "articles_capped": 1}
    assert "articles capped" in format_summary_table(summary)
