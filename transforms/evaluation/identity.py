"""Event identity: do reports of one real-world event share an ``event_id``? (pure Python, no Beam)"""
from __future__ import annotations


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
