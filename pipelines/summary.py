"""The run's counts, read back from its Beam counters: the summary printed at the end,
the checks that every counted row was written, and the exit code."""
from __future__ import annotations

import sys

from apache_beam.metrics import Metrics
from apache_beam.metrics.metric import MetricsFilter

from pipelines import progress
from pipelines.stopping import RunFailed
from transforms.steps.files import DEAD_LETTERS
from transforms.metrics import NAMESPACE
from transforms.steps.dead_letters import FOLDED_RECORDS, FOLDED_ROWS
from transforms.steps.tables import ARTICLES, EVENTS


CAUSES = "newsevents_dead_letter_causes"  # one counter per dead-letter error, digits as N
DEAD_LETTER_WARNING_SHARE = 0.5  # a run with more dead letters than this share of inputs warns


def count_dead_letter_cause(row: dict) -> dict:
    """Count a dead-letter row under its cause (for the end-of-run warning); the row passes on."""
    Metrics.counter(CAUSES, progress.dead_letter_cause(row["error"])).inc()
    return row


def counter_totals(result, namespace: str = NAMESPACE) -> dict[str, int]:
    """The run's counters of ``namespace`` by name, summed over steps (committed, else attempted)."""
    counters = result.metrics().query(MetricsFilter().with_namespace(namespace))["counters"]
    totals: dict[str, int] = {}
    for counter in counters:
        value = counter.committed if counter.committed is not None else counter.attempted
        totals[counter.key.metric.name] = totals.get(counter.key.metric.name, 0) + (value or 0)
    return totals


def summarise(result) -> dict:
    """Counts from the run's metrics: inputs, articles, dead letters by stage, event records
    (rows of `events`) by type, and distinct events (event_ids; None when not counted).
    ``dead_letters`` counts bad records: a file's junk lines past the per-file bound are
    ``bad_records_folded`` told in ``folded_dead_letter_rows`` rows (one per file)."""
    totals = counter_totals(result)
    dead = {k.removeprefix("dead_letters_"): v for k, v in totals.items() if k.startswith("dead_letters_")}
    events = {k.removeprefix("events_"): v for k, v in totals.items() if k.startswith("events_")}
    # a repeated web page (same canonical URL) is, like a blank line, not one more input
    duplicates = totals.get("duplicates_dropped", 0)
    return {
        "inputs": totals.get("inputs_read", 0) - duplicates,
        "articles": totals.get("articles", 0),
        "articles_skipped": totals.get("articles_skipped", 0),
        "dead_letters": sum(dead.values()),
        "dead_letters_by_stage": dead,
        "events": totals.get("events", 0),
        "events_by_type": events,
        "distinct_events": totals.get("distinct_events"),
        "blank_lines_skipped": totals.get("blank_lines_skipped", 0),
        "duplicates_dropped": duplicates,
        "warc_records_skipped": totals.get("warc_records_skipped", 0),
        "repeated_inputs": totals.get("repeated_inputs", 0),
        "articles_capped": totals.get("articles_capped", 0),
        "bad_records_folded": totals.get(FOLDED_RECORDS, 0),
        "folded_dead_letter_rows": totals.get(FOLDED_ROWS, 0),
        "dead_letter_causes": dict(sorted(counter_totals(result, CAUSES).items(), key=lambda kv: -kv[1])[:5]),
    }


def written_rows(result) -> dict[str, int]:
    """Rows each sink wrote: {"<table>_<format>": rows} (transforms/steps/files.rows_written)."""
    return {name.removeprefix("rows_written_"): n for name, n in counter_totals(result).items()
            if name.startswith("rows_written_")}


def dead_letter_rows(summary: dict) -> int:
    """Rows of `dead_letters`: a bad record each, but one for each file's folded bad records."""
    return summary["dead_letters"] - summary["bad_records_folded"] + summary["folded_dead_letter_rows"]


def check_written(summary: dict, written: dict[str, int], formats: tuple[str, ...]) -> None:
    """Every row counted upstream was written, in every format; else the run fails unpublished."""
    counted = {EVENTS: summary["events"], ARTICLES: summary["articles"], DEAD_LETTERS: dead_letter_rows(summary)}
    wrong = [f"{table} {fmt}: {written.get(f'{table}_{fmt}', 0)} written, {n} counted"
             for table, n in counted.items() for fmt in formats if written.get(f"{table}_{fmt}", 0) != n]
    if wrong:
        raise RunFailed("rows written differ from the rows counted (" + "; ".join(wrong) + "); nothing published")


def check_read_something(summary: dict, input_format: str) -> None:
    """A forced --input-format that reads no article from the files (nothing, or only read
    dead letters: a JSONL file read as WARC is one truncated record) is a mistake."""
    if input_format != "auto" and not summary["articles"]:
        raise RunFailed(f"warning: no article was read from the inputs as --input-format {input_format}; "
                        f"are they in that format? nothing published")


def exit_code(summary: dict) -> int:
    """0, or 1 when the counts do not reconcile or --strict meets a dead letter."""
    if summary["inputs"] != summary["articles"] + summary["dead_letters"]:
        print("newsevents extract: inputs do not reconcile with articles + dead letters", file=sys.stderr)
        return 1
    if summary["strict"] and summary["dead_letters"]:
        print(f"newsevents extract: --strict: {summary['dead_letters']} dead letter(s)", file=sys.stderr)
        return 1
    return 0
