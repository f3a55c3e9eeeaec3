"""Is ``confidence`` calibrated? Precision of predictions by confidence (pure Python, no Beam).

Each scored prediction (a record of an article with a gold line) counts once, in the
bucket of its ``confidence`` (``RELIABILITY_BUCKETS``).  A record is right when it is
matched to at least one gold event (a TP), wrong when it is an FP by the detection rules;
don't-care records and records out of precision scope are counted but not scored.  Per
bucket: detection precision = right / (right + wrong), full-record precision = records
with a full match / (right + wrong), both over in-scope records only and ``None`` where
nothing is in scope.  ``high`` gives the same for every prediction with confidence >=
``HIGH_CONFIDENCE`` (the spec's promise: at least 80% of those are right).  ``ece`` is
the expected calibration error over ``ECE_BINS`` equal-width bins of the scored
predictions: sum over bins of |mean confidence - detection precision|, weighted by size.
"""
from __future__ import annotations

from transforms.evaluation.attributes import pair_report
from transforms.evaluation.gold import GoldDoc
from transforms.evaluation.matching import dont_care, match_doc
from schemas import EVENT_TYPES

# confidence buckets of the reliability report: [low, high), the last one closed
RELIABILITY_BUCKETS = ((0.0, 0.5), (0.5, 0.6), (0.6, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 1.0))
HIGH_CONFIDENCE = 0.8
ECE_BINS = 10


def record_outcomes(docs: list[GoldDoc], predictions: dict[str, list[dict]]) -> list[dict]:
    """One verdict per scored prediction, by the matching rules of ``evaluate``.

    Each item: ``record`` (the prediction), ``article_id``, ``outcome`` ("tp", "fp" or
    "ignored": don't care or a type without precision scope), ``in_scope`` (its type is in
    the document's precision scope), ``full`` (one of its matches is a full record) and
    ``gold`` (the gold events it matched).
    """
    outcomes = []
    for doc in docs:
        records = doc.find(predictions, [])
        pairs, _, unmatched = match_doc(doc, records)
        full, matched = {}, {}
        for predicted, gold in pairs:
            verdict = pair_report(gold, predicted, doc.null_dates_scored)["full"]
            full[id(predicted)] = full.get(id(predicted), False) or verdict
            matched.setdefault(id(predicted), []).append(gold)
        unmatched_ids = {id(record) for record in unmatched}
        for record in records:
            kind = record.get("event_type")
            in_scope = kind in doc.precision_types
            if id(record) in full:
                outcome = "tp"
            elif id(record) in unmatched_ids and kind in EVENT_TYPES and in_scope and not dont_care(doc, record):
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
