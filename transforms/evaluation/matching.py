"""Matching predicted events to gold events in one document (pure Python, no Beam).

Predictions are event dicts as in docs/ARCHITECTURE.md, grouped by article id.

Detection
  A prediction matches a gold event when the article and ``event_type`` are the same and
  one of its spans (``sentence`` plus every ``mentions[]`` span) overlaps the gold
  evidence span.  Matching is one-to-one and greedy, best candidate first: most
  participant names in common, then most overlapping characters.
  *Granularity.* Hand gold merges the mentions of one event, like our records, so a
  record matches at most one gold event there.  Public gold has one event per source
  mention (not merged), so there each mention of a record may match its own gold event;
  every such pair is a TP.
  *Don't care.* An unmatched record that overlaps a dev ``borderline`` or a public
  ``excluded_mentions`` / ``extra_events`` entry of its type is neither TP nor FP.
  *No article text.* When the gold evidence cannot be located (no article text at
  hand), a span is replaced by text containment of the whitespace-normalised evidence
  and mention texts.
"""
from __future__ import annotations

from transforms.evaluation.attributes import match_participants
from transforms.evaluation.gold import GoldDoc


def _spans(event: dict) -> list[tuple[int | None, int | None, str]]:
    """(start, end, text) of the sentence and every mention, without duplicates."""
    seen, spans = set(), []
    for part in [event.get("sentence")] + list(event.get("mentions") or []):
        if not part:
            continue
        key = (part.get("start"), part.get("end"), part.get("text") or "")
        if key not in seen:
            seen.add(key)
            spans.append(key)
    return spans


def normalised_text(text: str) -> str:
    """Runs of whitespace as one space: evidence and sentences wrap lines differently."""
    return " ".join(text.split())


def _overlaps(spans, gold: dict) -> int:
    """Overlap size (characters; 1 for a text-containment match) of spans with a gold event."""
    best = 0
    for start, end, text in spans:
        if gold["span"] is not None and start is not None and end is not None:
            best = max(best, min(end, gold["span"][1]) - max(start, gold["span"][0]))
        elif gold["span"] is None and text:
            mention, evidence = normalised_text(text), normalised_text(gold.get("evidence") or "")
            if mention and evidence and (mention in evidence or evidence in mention):
                best = max(best, 1)
    return best


def match_doc(doc: GoldDoc, records: list[dict]):
    """Greedy one-to-one matching in one document: (pairs, unmatched gold, unmatched records)."""
    units = []  # (record index, spans) — one unit per record, or per mention at mention level
    for index, record in enumerate(records):
        spans = _spans(record)
        units.extend([(index, [span]) for span in spans] if doc.mention_level else [(index, spans)])
    candidates = []
    for u, (index, spans) in enumerate(units):
        record = records[index]
        for g, gold in enumerate(doc.events):
            if gold["event_type"] != record.get("event_type"):
                continue
            overlap = _overlaps(spans, gold)
            if overlap > 0:
                shared = len(match_participants(record.get("participants") or [], gold.get("participants") or []))
                candidates.append((shared, overlap, -u, -g, u, g))
    used_units, used_gold, pairs = set(), set(), []
    for *_, u, g in sorted(candidates, reverse=True):
        if u not in used_units and g not in used_gold:
            used_units.add(u)
            used_gold.add(g)
            pairs.append((records[units[u][0]], doc.events[g]))
    matched_records = {units[u][0] for u in used_units}
    unmatched_gold = [e for g, e in enumerate(doc.events) if g not in used_gold]
    unmatched_records = [r for i, r in enumerate(records) if i not in matched_records]
    return pairs, unmatched_gold, unmatched_records


def dont_care(doc: GoldDoc, record: dict) -> bool:
    """The record overlaps a borderline / excluded / extra gold entry of its type."""
    spans = _spans(record)
    return any(e["event_type"] == record.get("event_type") and _overlaps(spans, e) for e in doc.dont_care)
