"""Scoring predicted events against gold files (pure Python, no Beam).

Gold formats read by ``load_gold``: the seed/dev hand gold (``events`` + ``borderline``,
evidence located in the article text) and the public gold (``events`` +
``excluded_mentions`` + ``extra_events``, ``evidence_span``, ``types_annotated``,
``recall_only``).  Predictions are event dicts as in docs/ARCHITECTURE.md, grouped by
article id; a gold document is found under its ``article_id`` or the stem of its ``file``.

Matching rules
--------------
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
  *Precision scope.* An unmatched record is an FP only if its type is in the document's
  ``types_annotated`` (absent = all types; empty list or ``recall_only`` = none).
  Precision for a type uses only TPs and FPs from documents where that type is in
  scope, and is ``None`` where no document has it in scope; recall uses everything.
  Predictions for articles without a gold line are not scored.
  *No article text.* When the gold evidence cannot be located (no article text at
  hand), a span is replaced by text containment of the whitespace-normalised evidence
  and mention texts.

Attributes, over matched pairs
  Participants: names are normalised (case, punctuation, a leading "the", leading
  honorifics such as "President", "Ayatollah", "Mr"); gold ``aliases`` and predicted
  ``aliases`` all count; equal token lists score 1, one token set containing the other
  ("Khamenei" / "Ali Khamenei") scores 0.5, except that the head of an "X of Y" name must
  be kept ("Iran" is not "the president of Iran").  Pairs are assigned greedily, best
  score first.  Participant P/R/F1 counts name matches; "with role" also requires equal roles.
  Participant country: over matched participants with a gold country; right when the
  predicted country is the gold one or in ``country_acceptable``.
  Location: over pairs whose gold has a location; the name matches like participant
  names; the country like participant countries.
  Date: a gold ``event_date`` is matched when the predicted date, at a precision in
  ``date_acceptable_precision`` (default: the gold precision), agrees with the gold date
  down to the coarser of the two precisions, or when the predicted date's whole interval
  lies inside ``date_range``; a null prediction is right only if "unknown" is
  acceptable.  A null gold date with precision "unknown" is scored only in hand gold,
  where the annotator judged the text gives no date: there only a null prediction is
  right.  Public gold leaves relative dates unresolved, so its null dates are not scored.
  Status: over pairs whose gold status is set, equality.

Full record
  A TP is full when every gold participant is found by name (extra predicted
  participants are tolerated), the location name matches (if gold has one) and the date
  is right (where it is scored); status is reported apart.  Full P = full / (TP + FP),
  R = full / (TP + FN), with the same precision scope as detection.

Reliability (is ``confidence`` calibrated?)
  Each scored prediction (a record of an article with a gold line) counts once, in the
  bucket of its ``confidence`` (``RELIABILITY_BUCKETS``).  A record is right when it is
  matched to at least one gold event (a TP), wrong when it is an FP as above; don't-care
  records and records out of precision scope are counted but not scored.  Per bucket:
  detection precision = right / (right + wrong), full-record precision = records with a
  full match / (right + wrong), both over in-scope records only and ``None`` where nothing
  is in scope.  ``high`` gives the same for every prediction with confidence >=
  ``HIGH_CONFIDENCE`` (the spec's promise: at least 80% of those are right).  ``ece`` is
  the expected calibration error over ``ECE_BINS`` equal-width bins of the scored
  predictions: sum over bins of |mean confidence - detection precision|, weighted by size.

``evaluate`` returns a plain dict: P/R/F1 rows under ``detection``, ``participants`` and
``full_record``; ``attributes`` accuracies; ``reliability``; ``errors`` (FP, FN and partly
wrong TPs with their sentences, for tuning).  ``format_report`` prints it as tables.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from transforms.extraction.triggers import EVENT_TYPES
PRECISION_CHARS = {"year": 4, "month": 7, "day": 10}
PRECISION_BY_LENGTH = {length: name for name, length in PRECISION_CHARS.items()}
HONORIFICS = frozenset(
    "mr mrs ms dr sir madam president premier prime vice crown king queen prince princess emir "
    "sheikh ayatollah general gen minister chancellor senator sen secretary pope lord".split()
)
GOLD_LISTS = ("events", "borderline", "excluded_mentions", "extra_events")
ATTRIBUTES = ("participant_country", "location_name", "location_country", "date", "status")
# confidence buckets of the reliability report: [low, high), the last one closed
RELIABILITY_BUCKETS = ((0.0, 0.5), (0.5, 0.6), (0.6, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 1.0))
HIGH_CONFIDENCE = 0.8
ECE_BINS = 10


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


# ---------------------------------------------------------------- loading gold


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


# ---------------------------------------------------------------- normalisation


def name_tokens(name: str | None) -> tuple[str, ...]:
    """Comparable tokens of a name: lower case, no punctuation, no leading 'the'/honorifics."""
    tokens = re.sub(r"[^\w\s]", " ", re.sub(r"['\u2019]s\b", "", (name or "").lower())).split()
    while tokens and tokens[0] == "the":
        tokens = tokens[1:]
    # "President Rahmon" -> "rahmon", but "president of Iran" keeps its head word
    while len(tokens) > 1 and tokens[0] in HONORIFICS and tokens[1] != "of":
        tokens = tokens[1:]
    return tuple(tokens)


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    """Token containment that keeps the head of an "X of Y" name.

    "Khamenei" is in "Ali Khamenei" and "Chief of Staff" in "Chief of Staff of the Army",
    but "Iran" is not "president of Iran".
    """
    head = longer[: longer.index("of")] if "of" in longer else ()
    return set(shorter) <= set(longer) and set(head) <= set(shorter)


def name_score(predicted_names: list[str], gold_names: list[str]) -> float:
    """1 for equal normalised names, 0.5 when one contains the other, else 0."""
    best = 0.0
    for predicted in map(name_tokens, predicted_names):
        for gold in map(name_tokens, gold_names):
            if not predicted or not gold:
                continue
            if predicted == gold:
                return 1.0
            if _contains(gold, predicted) or _contains(predicted, gold):
                best = 0.5
    return best


def _names(entity: dict | None) -> list[str]:
    """Every name an entity goes by: its name and its aliases (gold or predicted)."""
    if not entity:
        return []
    return [entity.get("name") or ""] + list(entity.get("aliases") or [])


def country_ok(predicted: str | None, gold: dict) -> bool:
    """The predicted country is the gold one or an acceptable alternative."""
    return predicted is not None and predicted in ({gold.get("country")} | set(gold.get("country_acceptable") or []))


def _date_value(event: dict) -> str | None:
    """The predicted date as an ISO string cut to its precision (Parquet may hold a date)."""
    value = event.get("event_date")
    if value is None:
        return None
    value = value if isinstance(value, str) else value.isoformat()
    return value[: PRECISION_CHARS.get(event.get("date_precision"), len(value))]


def date_ok(gold: dict, predicted: dict, null_dates_scored: bool) -> bool | None:
    """Whether the predicted date is right; None where the gold date is not scored."""
    gold_date, precision = gold.get("event_date"), gold.get("date_precision") or "unknown"
    value = _date_value(predicted)
    if gold_date is None:
        return (value is None) if null_dates_scored and precision == "unknown" else None
    acceptable = gold.get("date_acceptable_precision") or [precision]
    if value is None:
        return "unknown" in acceptable
    date_range = gold.get("date_range")
    if date_range and date_range[0] <= _first_day(value) and _last_day(value) <= date_range[1]:
        return True
    common = min(len(value), len(gold_date))
    return PRECISION_BY_LENGTH.get(len(value)) in acceptable and value[:common] == gold_date[:common]


def _first_day(value: str) -> str:
    """'2030-05' -> '2030-05-01' (reduced-precision ISO dates compare as strings)."""
    return value + "-01-01"[len(value) - 4 :]


def _last_day(value: str) -> str:
    """'2030-05' -> '2030-05-31'; a day that may not exist still compares correctly."""
    return value + "-12-31"[len(value) - 4 :]


# ---------------------------------------------------------------- matching


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


def _normalised_text(text: str) -> str:
    return " ".join(text.split())


def _overlaps(spans, gold: dict) -> int:
    """Overlap size (characters; 1 for a text-containment match) of spans with a gold event."""
    best = 0
    for start, end, text in spans:
        if gold["span"] is not None and start is not None and end is not None:
            best = max(best, min(end, gold["span"][1]) - max(start, gold["span"][0]))
        elif gold["span"] is None and text:
            mention, evidence = _normalised_text(text), _normalised_text(gold.get("evidence") or "")
            if mention and evidence and (mention in evidence or evidence in mention):
                best = max(best, 1)
    return best


def match_participants(predicted: list[dict], gold: list[dict]) -> list[tuple[dict, dict]]:
    """One-to-one (predicted, gold) participant pairs with matching names, best first."""
    candidates = sorted(
        (
            (name_score(_names(p), _names(g)), -i, -j, i, j)
            for i, p in enumerate(predicted)
            for j, g in enumerate(gold)
        ),
        reverse=True,
    )
    used_p, used_g, pairs = set(), set(), []
    for score, _, _, i, j in candidates:
        if score > 0 and i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            pairs.append((predicted[i], gold[j]))
    return pairs


def _match_doc(doc: GoldDoc, records: list[dict]):
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


def _dont_care(doc: GoldDoc, record: dict) -> bool:
    """The record overlaps a borderline / excluded / extra gold entry of its type."""
    spans = _spans(record)
    return any(e["event_type"] == record.get("event_type") and _overlaps(spans, e) for e in doc.dont_care)


# ---------------------------------------------------------------- scoring


def _prf(tp: int, fp: int, fn: int, precision_hits: int, precision_base: int | None) -> dict:
    """Counts plus P/R/F1; precision is ``precision_hits / precision_base``.

    ``precision_base`` None means precision is not measured here (F1 neither); a base of
    0 (nothing predicted) leaves precision undefined but F1 is then 0.
    """
    recall = tp / (tp + fn) if tp + fn else None
    precision = f1 = None
    if precision_base is not None:
        precision = precision_hits / precision_base if precision_base else None
        if recall is not None:
            p = precision or 0.0
            f1 = 2 * p * recall / (p + recall) if p + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "f1": f1}


def _pair_report(gold: dict, predicted: dict, null_dates_scored: bool) -> dict:
    """Participant counts, attribute checks and the full-record verdict of one matched pair."""
    gold_people, predicted_people = gold.get("participants") or [], predicted.get("participants") or []
    pairs = match_participants(predicted_people, gold_people)
    location, predicted_location = gold.get("location"), predicted.get("location") or {}
    with_country = [(p, g) for p, g in pairs if g.get("country")]
    checks = {
        "participant_country": [country_ok(p.get("country"), g) for p, g in with_country],
        "location_name": [name_score(_names(predicted_location), _names(location)) > 0] if location else [],
        "location_country": (
            [country_ok(predicted_location.get("country"), location)] if location and location.get("country") else []
        ),
        "date": [ok] if (ok := date_ok(gold, predicted, null_dates_scored)) is not None else [],
        "status": [predicted.get("status") == gold["status"]] if gold.get("status") else [],
    }
    found = {id(g) for _, g in pairs}
    missing = [g["name"] for g in gold_people if id(g) not in found]
    extra = [p.get("name") for p in predicted_people if all(p is not q for q, _ in pairs)]
    full = not missing and all(checks["location_name"]) and all(checks["date"])
    problems = []
    if missing:
        problems.append(f"participants missing: {', '.join(missing)}")
    if extra:
        problems.append(f"participants extra: {', '.join(map(str, extra))}")
    for name, results in checks.items():
        if not all(results):
            problems.append(f"{name}: {_describe(name, gold, predicted, with_country)}")
    return {
        "participants": (len(pairs), len(predicted_people) - len(pairs), len(gold_people) - len(pairs)),
        "with_role": sum(p.get("role") == g.get("role") for p, g in pairs),
        "checks": checks,
        "full": full,
        "problems": problems,
    }


def _describe(check: str, gold: dict, predicted: dict, with_country: list[tuple[dict, dict]]) -> str:
    """'predicted X, gold Y' for one failed attribute check (for the error listing)."""
    if check == "date":
        return f"predicted {_date_value(predicted)}, gold {gold.get('event_date')} ({gold.get('date_precision')})"
    if check == "status":
        return f"predicted {predicted.get('status')}, gold {gold.get('status')}"
    if check.startswith("location"):
        return f"predicted {predicted.get('location')}, gold {gold.get('location')}"
    return "; ".join(
        f"{p.get('name')}: predicted {p.get('country')}, gold {g['country']}"
        for p, g in with_country
        if not country_ok(p.get("country"), g)
    )


def evaluate(docs: list[GoldDoc], predictions: dict[str, list[dict]]) -> dict:
    """Score predicted events (by article id) against gold documents; see the module rules."""
    counts = {t: {"tp": 0, "fp": 0, "fn": 0, "tp_in_scope": 0, "full": 0, "full_in_scope": 0} for t in EVENT_TYPES}
    scoped_types: set[str] = set()
    participants = {"tp": 0, "fp": 0, "fn": 0, "role_tp": 0}
    attributes = {name: {"correct": 0, "total": 0} for name in ATTRIBUTES}
    errors, ignored = [], 0
    for doc in docs:
        records = next((predictions[k] for k in doc.keys if k in predictions), [])
        scoped_types |= doc.precision_types
        pairs, missed, unmatched = _match_doc(doc, records)
        for predicted, gold in pairs:
            report = _pair_report(gold, predicted, doc.null_dates_scored)
            row = counts[gold["event_type"]]
            in_scope = gold["event_type"] in doc.precision_types
            row["tp"] += 1
            row["tp_in_scope"] += in_scope
            row["full"] += report["full"]
            row["full_in_scope"] += report["full"] and in_scope
            for key, value in zip(("tp", "fp", "fn"), report["participants"]):
                participants[key] += value
            participants["role_tp"] += report["with_role"]
            for name, results in report["checks"].items():
                attributes[name]["correct"] += sum(results)
                attributes[name]["total"] += len(results)
            if report["problems"]:
                errors.append(_error(doc, "partial", gold["event_type"], predicted.get("status"),
                                     (predicted.get("sentence") or {}).get("text"), report["problems"]))
        for gold in missed:
            counts[gold["event_type"]]["fn"] += 1
            errors.append(_error(doc, "FN", gold["event_type"], gold.get("status"), gold.get("evidence")))
        for record in unmatched:
            kind = record.get("event_type")
            if kind not in counts or kind not in doc.precision_types or _dont_care(doc, record):
                ignored += 1
                continue
            counts[kind]["fp"] += 1
            errors.append(_error(doc, "FP", kind, record.get("status"), (record.get("sentence") or {}).get("text")))
    return {**_summary(docs, counts, scoped_types, participants, attributes, errors, ignored),
            "reliability": reliability(record_outcomes(docs, predictions))}


def _error(doc: GoldDoc, kind: str, event_type: str, status, text, problems=()) -> dict:
    return {"article_id": doc.article_id, "kind": kind, "event_type": event_type, "status": status,
            "text": _normalised_text(text or ""), "problems": list(problems)}


def _summary(docs, counts, scoped_types, participants, attributes, errors, ignored) -> dict:
    total = {key: sum(row[key] for row in counts.values()) for key in next(iter(counts.values()))}
    rows = {**counts, "overall": total}

    def scope(label: str, row: dict) -> int | None:
        measured = bool(scoped_types) if label == "overall" else label in scoped_types
        return row["tp_in_scope"] + row["fp"] if measured else None

    role_tp, name_tp = participants["role_tp"], participants["tp"]
    return {
        "documents": len(docs),
        "gold_events": sum(len(d.events) for d in docs),
        "detection": {
            label: _prf(row["tp"], row["fp"], row["fn"], row["tp_in_scope"], scope(label, row))
            for label, row in rows.items()
        },
        "participants": {
            "name": _prf(name_tp, participants["fp"], participants["fn"], name_tp, name_tp + participants["fp"]),
            "name_and_role": _prf(
                role_tp,
                participants["fp"] + name_tp - role_tp,
                participants["fn"] + name_tp - role_tp,
                role_tp,
                name_tp + participants["fp"],
            ),
        },
        "attributes": {
            name: {**value, "accuracy": value["correct"] / value["total"] if value["total"] else None}
            for name, value in attributes.items()
        },
        # a TP that is not full counts as a wrong prediction and a missed gold event
        "full_record": {
            label: _prf(
                row["full"],
                row["fp"] + row["tp"] - row["full"],
                row["fn"] + row["tp"] - row["full"],
                row["full_in_scope"],
                scope(label, row),
            )
            for label, row in rows.items()
        },
        "ignored_predictions": ignored,
        "errors": errors,
    }


# ---------------------------------------------------------------- reliability


def record_outcomes(docs: list[GoldDoc], predictions: dict[str, list[dict]]) -> list[dict]:
    """One verdict per scored prediction, by the matching rules of ``evaluate``.

    Each item: ``record`` (the prediction), ``article_id``, ``outcome`` ("tp", "fp" or
    "ignored": don't care or a type without precision scope), ``in_scope`` (its type is in
    the document's precision scope), ``full`` (one of its matches is a full record) and
    ``gold`` (the gold events it matched).
    """
    outcomes = []
    for doc in docs:
        records = next((predictions[k] for k in doc.keys if k in predictions), [])
        pairs, _, unmatched = _match_doc(doc, records)
        full, matched = {}, {}
        for predicted, gold in pairs:
            verdict = _pair_report(gold, predicted, doc.null_dates_scored)["full"]
            full[id(predicted)] = full.get(id(predicted), False) or verdict
            matched.setdefault(id(predicted), []).append(gold)
        unmatched_ids = {id(record) for record in unmatched}
        for record in records:
            kind = record.get("event_type")
            in_scope = kind in doc.precision_types
            if id(record) in full:
                outcome = "tp"
            elif id(record) in unmatched_ids and kind in EVENT_TYPES and in_scope and not _dont_care(doc, record):
                outcome = "fp"
            else:
                outcome = "ignored"
            outcomes.append({"record": record, "article_id": doc.article_id, "outcome": outcome,
                             "in_scope": in_scope, "full": full.get(id(record), False),
                             "gold": matched.get(id(record), [])})
    return outcomes


def _bucket_label(low: float, high: float) -> str:
    return f"[{low:.1f},{high:.1f}{']' if high >= 1.0 else ')'}"


def _reliability_row(items: list[dict]) -> dict:
    """Counts and precisions of one group of record outcomes (see the module rules)."""
    scored = [item for item in items if _scored(item)]
    right = sum(item["outcome"] == "tp" for item in scored)
    full = sum(item["full"] for item in scored)
    return {
        "count": len(items),
        "tp": sum(item["outcome"] == "tp" for item in items),
        "fp": len(scored) - right,
        "ignored": sum(item["outcome"] == "ignored" for item in items),
        "scored": len(scored),
        "precision": right / len(scored) if scored else None,
        "full_precision": full / len(scored) if scored else None,
    }


def reliability(outcomes: list[dict]) -> dict:
    """Precision by confidence bucket and for confidence >= ``HIGH_CONFIDENCE``."""
    def confidence(item: dict) -> float | None:
        value = item["record"].get("confidence")
        return None if value is None else float(value)

    buckets = {}
    for low, high in RELIABILITY_BUCKETS:
        last = high >= RELIABILITY_BUCKETS[-1][1]
        members = [item for item in outcomes if (c := confidence(item)) is not None
                   and low <= c and (c < high or (last and c <= high))]
        buckets[_bucket_label(low, high)] = _reliability_row(members)
    high_items = [item for item in outcomes if (c := confidence(item)) is not None and c >= HIGH_CONFIDENCE]
    return {
        "buckets": buckets,
        "high": {"threshold": HIGH_CONFIDENCE, **_reliability_row(high_items)},
        "no_confidence": sum(confidence(item) is None for item in outcomes),
        "ece": _calibration_error([(c, item["outcome"] == "tp") for item in outcomes
                                   if (c := confidence(item)) is not None and _scored(item)]),
    }


def _scored(item: dict) -> bool:
    return item["outcome"] == "fp" or (item["outcome"] == "tp" and item["in_scope"])


def _calibration_error(scored: list[tuple[float, bool]]) -> float | None:
    """Expected calibration error of (confidence, right) pairs over ECE_BINS equal-width bins."""
    if not scored:
        return None
    bins: dict[int, list[tuple[float, bool]]] = {}
    for confidence, right in scored:
        bins.setdefault(min(int(confidence * ECE_BINS), ECE_BINS - 1), []).append((confidence, right))
    return sum(len(members) / len(scored) * abs(sum(c for c, _ in members) / len(members) - sum(r for _, r in members) / len(members))
               for members in bins.values())


def format_reliability(result: dict) -> str:
    """The reliability table of ``evaluate``'s result."""
    data = result["reliability"]
    lines = ["reliability (predictions by confidence; P = right / (right + FP), in precision scope)",
             f"{'':14}{'n':>5}{'TP':>5}{'FP':>5}{'dc':>5}{'P':>7}{'fullP':>8}"]

    def row(label: str, value: dict) -> str:
        return (f"  {label:12}{value['count']:5}{value['tp']:5}{value['fp']:5}{value['ignored']:5}"
                f"  {_pct(value['precision'])}   {_pct(value['full_precision'])}")

    lines.extend(row(label, value) for label, value in data["buckets"].items())
    lines.append(row(f">= {data['high']['threshold']:.1f}", data["high"]))
    if data["ece"] is not None:
        lines.append(f"  expected calibration error {data['ece']:.3f}")
    if data["no_confidence"]:
        lines.append(f"  predictions without a confidence: {data['no_confidence']}")
    return "\n".join(lines)


# ---------------------------------------------------------------- report


def _pct(value) -> str:
    return "    -" if value is None else f"{100 * value:5.1f}"


def format_report(result: dict, title: str = "", errors: bool = False, reliability: bool = False) -> str:
    """A readable text table of ``evaluate``'s result (optionally reliability and errors)."""
    lines = [f"== {title} ({result['documents']} docs, {result['gold_events']} gold events)"] if title else []
    header = f"{'':26}{'TP':>5}{'FP':>5}{'FN':>5}{'P':>7}{'R':>7}{'F1':>7}"

    def table(name: str, rows: dict) -> None:
        lines.extend([name, header])
        for label, row in rows.items():
            lines.append(
                f"  {label:24}{row['tp']:5}{row['fp']:5}{row['fn']:5}"
                f"  {_pct(row['precision'])}  {_pct(row['recall'])}  {_pct(row['f1'])}"
            )

    table("detection", result["detection"])
    table("participants (matched events)", result["participants"])
    table("full record (TP with participants, location, date right)", result["full_record"])
    lines.append("attribute accuracy (matched events)")
    for name, value in result["attributes"].items():
        lines.append(f"  {name:24}{value['correct']:5} / {value['total']:<5} {_pct(value['accuracy'])}")
    lines.append(f"ignored predictions (don't care / out of precision scope): {result['ignored_predictions']}")
    if reliability and "reliability" in result:
        lines.append(format_reliability(result))
    if errors:
        lines.append("errors")
        for error in result["errors"]:
            lines.append(f"  {error['kind']:7} {error['article_id']} {error['event_type']} [{error['status']}] "
                         f"{error['text'][:160]}")
            lines.extend(f"          - {problem}" for problem in error["problems"])
    return "\n".join(lines)


def identity_scores(reports: list[dict], predictions: dict[str, list[dict]]) -> dict:
    """Pairwise event-identity P/R/F1 over groups of reports of one event.

    ``reports``: {id, group, event_type}, one real-world event per group. A pair of reports
    is predicted "same event" when their predicted events of the report's type share an
    ``event_id``; gold pairs are the pairs within a group. A report with no event of its
    type makes every pair it is in a miss.
    """
    ids = {r["id"]: {e["event_id"] for e in predictions.get(r["id"], []) if e["event_type"] == r["event_type"]}
           for r in reports}
    gold, predicted = set(), set()
    for i, first in enumerate(reports):
        for second in reports[i + 1:]:
            pair = (first["id"], second["id"])
            if first["group"] == second["group"]:
                gold.add(pair)
            if first["event_type"] == second["event_type"] and ids[first["id"]] & ids[second["id"]]:
                predicted.add(pair)
    tp = len(gold & predicted)
    precision = tp / len(predicted) if predicted else 0.0
    recall = tp / len(gold) if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"reports": len(reports), "groups": len({r["group"] for r in reports}),
            "gold_pairs": len(gold), "predicted_pairs": len(predicted), "tp": tp,
            "precision": precision, "recall": recall, "f1": f1,
            "missed": sorted(gold - predicted), "wrong": sorted(predicted - gold)}
