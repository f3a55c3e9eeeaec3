"""P/R/F1 of predicted events against gold documents (pure Python, no Beam).

Precision scope
  An unmatched record is an FP only if its type is in the document's
  ``types_annotated`` (absent = all types; empty list or ``recall_only`` = none).
  Precision for a type uses only TPs and FPs from documents where that type is in
  scope, and is ``None`` where no document has it in scope; recall uses everything.
  Predictions for articles without a gold line are not scored.

Full record
  Full P = full / (TP + FP), R = full / (TP + FN), with the same precision scope as
  detection (what makes a TP full: transforms/evaluation/attributes.py).

``evaluate`` returns a plain dict: P/R/F1 rows under ``detection``, ``participants`` and
``full_record``; ``attributes`` accuracies; ``reliability``; ``errors`` (FP, FN and partly
wrong TPs with their sentences, for tuning).
"""
from __future__ import annotations

from transforms.evaluation.corpora import is_modern
from transforms.evaluation.attributes import ATTRIBUTES, pair_report
from transforms.evaluation.gold import GoldDoc
from transforms.evaluation.matching import dont_care, match_doc, normalised_text
from transforms.evaluation.reliability import record_outcomes, reliability
from schemas import EVENT_TYPES


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


def evaluate(docs: list[GoldDoc], predictions: dict[str, list[dict]]) -> dict:
    """Score predicted events (by article id) against gold documents; see the module rules."""
    counts = {t: {"tp": 0, "fp": 0, "fn": 0, "tp_in_scope": 0, "full": 0, "full_in_scope": 0} for t in EVENT_TYPES}
    scoped_types: set[str] = set()
    participants = {"tp": 0, "fp": 0, "fn": 0, "role_tp": 0}
    attributes = {name: {"correct": 0, "total": 0} for name in ATTRIBUTES}
    errors, ignored = [], 0
    for doc in docs:
        records = doc.find(predictions, [])
        scoped_types |= doc.precision_types
        pairs, missed, unmatched = match_doc(doc, records)
        for predicted, gold in pairs:
            report = pair_report(gold, predicted, doc.null_dates_scored)
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
            if kind not in counts or kind not in doc.precision_types or dont_care(doc, record):
                ignored += 1
                continue
            counts[kind]["fp"] += 1
            errors.append(_error(doc, "FP", kind, record.get("status"), (record.get("sentence") or {}).get("text")))
    return {**_summary(docs, counts, scoped_types, participants, attributes, errors, ignored),
            "reliability": reliability(record_outcomes(docs, predictions))}


def _error(doc: GoldDoc, kind: str, event_type: str, status, text, problems=()) -> dict:
    return {"article_id": doc.article_id, "kind": kind, "event_type": event_type, "status": status,
            "text": normalised_text(text or ""), "problems": list(problems)}


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


def scores_by_set(sets: dict[str, list[GoldDoc]], predictions: dict[str, list[dict]]) -> dict[str, dict]:
    """The evaluator's tables per gold set, over all of them, and over the modern articles alone."""
    results = {name: evaluate(docs, predictions) for name, docs in sets.items()}
    if len(sets) > 1:
        everything = [doc for docs in sets.values() for doc in docs]
        results["all"] = evaluate(everything, predictions)
        modern = [doc for doc in everything if is_modern(doc.article_id)]
        if modern and len(modern) < len(everything):
            results["modern (2010+)"] = evaluate(modern, predictions)
    return results
