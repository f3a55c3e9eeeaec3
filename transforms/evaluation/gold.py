"""Gold files read into one shape, whatever their format (pure Python, no Beam).

Gold formats read by ``load_gold``: the seed/dev hand gold (``events`` + ``borderline``,
evidence located in the article text) and the public gold (``events`` +
``excluded_mentions`` + ``extra_events``, ``evidence_span``, ``types_annotated``,
``recall_only``).  A gold document is found under its ``article_id`` or the stem of its
``file``.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from schemas import EVENT_TYPES

GOLD_LISTS = ("events", "borderline", "excluded_mentions", "extra_events")


@dataclass
class GoldDoc:
    """One gold line, normalised across the gold formats."""

    article_id: str
    keys: tuple[str, ...]  # ids predictions may carry: article_id and the stem of ``file``
    file: str | None  # a story file next to the gold file (seed)
    events: list[dict]  # each with ``span``: (start, end) of its evidence or None
    dont_care: list[dict]  # borderline / excluded_mentions / extra_events
    precision_types: frozenset[str]  # types whose unmatched predictions are FPs here
    mention_level: bool  # public gold: one event per mention, not merged
    null_dates_scored: bool  # hand gold: a null date means "the text gives none"
    source: str = ""  # "file:line" for messages

    def find(self, by_id: dict, default=None):
        """What ``by_id`` holds for this document: under its article id, else its file stem."""
        return next((by_id[key] for key in self.keys if key in by_id), default)


def load_gold(path: str | Path) -> list[GoldDoc]:
    """Read one gold JSONL file (hand gold or public gold)."""
    path = Path(path)
    docs = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        record = json.loads(line)
        listed = [e for name in GOLD_LISTS for e in record.get(name) or []]
        # public gold is mention-level and gives spans; hand gold merges mentions, no spans
        public = "dataset" in record or any("evidence_span" in e for e in listed)
        types = record.get("types_annotated")
        scope = frozenset() if record.get("recall_only") else frozenset(EVENT_TYPES if types is None else types)
        keys = [record["article_id"]]
        if record.get("file"):
            keys.append(Path(record["file"]).stem)
        docs.append(
            GoldDoc(
                article_id=record["article_id"],
                keys=tuple(keys),
                file=record.get("file"),
                events=[_gold_event(e) for e in record.get("events", [])],
                dont_care=[_gold_event(e) for name in GOLD_LISTS[1:] for e in record.get(name) or []],
                precision_types=scope,
                mention_level=public,
                null_dates_scored=not public,
                source=f"{path.name}:{number}",
            )
        )
    return docs


def _gold_event(event: dict) -> dict:
    """A gold event with ``span`` set from ``evidence_span`` when the file has one."""
    span = event.get("evidence_span")
    return {**event, "span": tuple(span) if span else None}


def locate_evidence(text: str, evidence: str) -> tuple[int, int] | None:
    """Character span of ``evidence`` in ``text``; whitespace may differ (line wraps)."""
    start = text.find(evidence)
    if start >= 0:
        return start, start + len(evidence)
    pattern = r"\s+".join(re.escape(word) for word in evidence.split())
    match = re.search(pattern, text) if pattern else None
    return (match.start(), match.end()) if match else None


def attach_text(doc: GoldDoc, text: str) -> list[dict]:
    """Give every gold event without a span the span of its evidence in ``text``.

    Returns the events whose evidence is not in the text (a gold or input problem).
    """
    missing = []
    for event in doc.events + doc.dont_care:
        if event["span"] is None:
            event["span"] = locate_evidence(text, event.get("evidence") or "")
            if event["span"] is None:
                missing.append(event)
    return missing
