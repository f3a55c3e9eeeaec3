"""Dead-letter plumbing shared by the steps: an element that raises becomes one
`dead_letters` row with the stage name and the error, so no element-level error reaches the
runner and nothing is dropped silently."""
from __future__ import annotations

import json
import os
import re
import traceback
from datetime import datetime
from pathlib import Path

import apache_beam as beam
from apache_beam.metrics import Metrics

from transforms.metrics import NAMESPACE
from transforms.output.records import dead_letter_row

TRACEBACK_FRAMES = 4  # the innermost frames of a failure a dead letter keeps ...
TRACEBACK_CHARS = 800  # ... in at most this many characters (the innermost end kept)
_ROOT = f'"{Path(__file__).resolve().parents[2]}{os.sep}'  # a path in the package: from the checkout on
_SITE_PACKAGES = re.compile(r'"[^"]*?[/\\](?:site|dist)-packages[/\\]')  # a library's: from its package on


def _describe(element) -> dict:
    """Where a failed element came from, and its raw form, for the dead-letter row."""
    if isinstance(element, tuple):  # (article, events)
        element = element[0]
    if isinstance(element, dict) and "raw" in element:  # a raw input record
        return {"raw": element["raw"], "source_file": element.get("source_file"),
                "line_number": element.get("line_number")}
    if isinstance(element, dict) and "text" in element:  # an article
        raw = {k: element.get(k) for k in ("article_id", "title", "published_at", "url", "source", "text")}
        return {"raw": json.dumps(raw, ensure_ascii=False), "source_file": element.get("source_file"),
                "line_number": element.get("line_number"), "article_id": element.get("article_id")}
    return {"raw": repr(element)}


def dead_letter_count(stage: str):
    """The counter of a stage's dead letters (``dead_letters_<stage>``), which the run summary
    adds up: the bad records of the stage, a folded row's (``FOLDED_RECORDS``) all counted."""
    return Metrics.counter(NAMESPACE, f"dead_letters_{stage}")


FOLDED_RECORDS = "bad_records_folded"  # counter: bad records told in a summary row, not one row each
FOLDED_ROWS = "folded_dead_letter_rows"  # counter: those summary rows


class ToDeadLetter(beam.DoFn):
    """(element, exception info) from with_exception_handling -> a dead-letter row."""

    def __init__(self, stage: str, processed_at: datetime):
        self._stage = stage
        self._processed_at = processed_at
        self._count = dead_letter_count(stage)

    def process(self, failure):
        element, (_exc_type, message, lines) = failure  # message is repr(exception)
        self._count.inc()
        yield dead_letter_row(self._stage, message, processed_at=self._processed_at,
                              traceback=short_traceback(lines), **_describe(element))


def short_traceback(lines: list[str]) -> str:
    """The innermost ``TRACEBACK_FRAMES`` frames of a formatted traceback (the lines of
    ``traceback.format_exception``), paths from the package or site-packages on, cut to the
    last ``TRACEBACK_CHARS`` characters: where the error arose, short enough to report."""
    frames = [line for line in lines if line.startswith("  File ")]
    text = "".join(_SITE_PACKAGES.sub('"', frame.replace(_ROOT, '"')) for frame in frames[-TRACEBACK_FRAMES:])
    return text[-TRACEBACK_CHARS:]


def failure(exc: Exception) -> tuple:
    """(type, repr, traceback): what ``with_exception_handling`` hands ``ToDeadLetter``."""
    return type(exc), repr(exc), traceback.format_exception(exc)


class Stage(beam.PTransform):
    """Apply ``dofn`` with exception handling: returns (good, dead_letter_rows)."""

    def __init__(self, stage: str, dofn: beam.DoFn, processed_at: datetime):
        super().__init__()
        self._stage = stage
        self._dofn = dofn
        self._processed_at = processed_at

    def expand(self, pcoll):
        good, bad = pcoll | "Apply" >> beam.ParDo(self._dofn).with_exception_handling()
        dead = bad | "DeadLetter" >> beam.ParDo(ToDeadLetter(self._stage, self._processed_at))
        return good, dead
