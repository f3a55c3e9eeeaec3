"""The evaluator's reliability report (precision by confidence bucket), on synthetic gold."""
from __future__ import annotations

import json

from pipelines.evaluate import main
from transforms.evaluation import RELIABILITY_BUCKETS, attach_text, evaluate, format_report, load_gold

TEXT = (
    "Zorvan Pell, the president of Ostrava, arrived in Kelmar on Monday. "
    "Pell met Queen Ilsa Varn for talks. "
    "The two sides signed a trade accord. "
    "A bridge was opened later. "
    "Fans met the team at the stadium."
)
VISIT, TALKS, SIGNED, BRIDGE, FANS = (TEXT.index(s) for s in ("Zorvan", "Pell met", "The two", "A bridge", "Fans"))


def sentence(start: int) -> dict:
    end = TEXT.index(".", start) + 1
    return {"text": TEXT[start:end], "start": start, "end": end}


def gold_event(event_type: str, start: int, **fields) -> dict:
    return {"event_type": event_type, "status": "occurred", "participants": [], "location": None,
            "event_date": None, "date_precision": "unknown", "evidence": sentence(start)["text"], **fields}


def predicted(event_type: str, start: int, confidence, **fields) -> dict:
    return {"event_type": event_type, "status": "occurred", "sentence": sentence(start), "mentions": [sentence(start)],
            "participants": [], "location": None, "event_date": None, "date_precision": "unknown",
            "confidence": confidence, **fields}


def write_gold(tmp_path, **line) -> object:
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps({"article_id": "a1", "published_at": "2030-05-07T10:00:00", **line}) + "\n",
                    encoding="utf-8")
    return path


def run(tmp_path, records, **line) -> dict:
    docs = load_gold(write_gold(tmp_path, **line))
    for doc in docs:
        assert attach_text(doc, TEXT) == []
    return evaluate(docs, {"a1": records})["reliability"]


GOLD = dict(
    events=[gold_event("state_visit", VISIT), gold_event("meeting", TALKS),
            gold_event("agreement_signed", SIGNED, participants=[{"name": "Ostrava", "role": "signatory"}])],
    borderline=[gold_event("facility_opened", BRIDGE)],
)


def test_buckets_count_tp_fp_and_dont_care_and_precisions(tmp_path):
    records = [
        predicted("state_visit", VISIT, 0.95),  # TP, full (gold has no participants, no date)
        predicted("meeting", TALKS, 0.85),  # TP, full
        predicted("agreement_signed", SIGNED, 0.82),  # TP, not full: Ostrava missing
        predicted("meeting", FANS, 0.81),  # FP
        predicted("facility_opened", BRIDGE, 0.55),  # don't care
        predicted("meeting", VISIT, 0.3),  # FP
    ]
    result = run(tmp_path, records, **GOLD)
    assert list(result["buckets"]) == ["[0.0,0.5)", "[0.5,0.6)", "[0.6,0.7)", "[0.7,0.8)", "[0.8,0.9)", "[0.9,1.0]"]
    assert len(result["buckets"]) == len(RELIABILITY_BUCKETS)
    high, top, low = result["buckets"]["[0.8,0.9)"], result["buckets"]["[0.9,1.0]"], result["buckets"]["[0.0,0.5)"]
    assert (high["count"], high["tp"], high["fp"], high["ignored"]) == (3, 2, 1, 0)
    assert high["precision"] == 2 / 3 and high["full_precision"] == 1 / 3
    assert (top["count"], top["precision"], top["full_precision"]) == (1, 1.0, 1.0)
    assert (low["count"], low["fp"], low["precision"], low["full_precision"]) == (1, 1, 0.0, 0.0)
    dont_care = result["buckets"]["[0.5,0.6)"]
    assert (dont_care["count"], dont_care["ignored"], dont_care["precision"]) == (1, 1, None)
    assert result["buckets"]["[0.6,0.7)"] == {"count": 0, "tp": 0, "fp": 0, "ignored": 0, "scored": 0,
                                             "precision": None, "full_precision": None}
    # the share of predictions >= 0.8 that are right
    assert (result["high"]["count"], result["high"]["precision"]) == (4, 3 / 4)
    assert result["high"]["threshold"] == 0.8


def test_bucket_edges_and_missing_confidence(tmp_path):
    records = [
        predicted("state_visit", VISIT, 0.8),  # lower edge belongs to [0.8,0.9)
        predicted("meeting", TALKS, 1.0),  # 1.0 is in the closed last bucket
        predicted("agreement_signed", SIGNED, None),
    ]
    result = run(tmp_path, records, **GOLD)
    assert result["buckets"]["[0.8,0.9)"]["count"] == 1
    assert result["buckets"]["[0.7,0.8)"]["count"] == 0
    assert result["buckets"]["[0.9,1.0]"]["count"] == 1
    assert result["no_confidence"] == 1
    assert sum(b["count"] for b in result["buckets"].values()) == 2


def test_precision_is_none_outside_precision_scope(tmp_path):
    # recall-only gold: a TP counts, an unmatched record is out of scope, nothing is scored
    records = [predicted("meeting", TALKS, 0.9), predicted("meeting", FANS, 0.9)]
    result = run(tmp_path, records, recall_only=True, events=[gold_event("meeting", TALKS)])
    top = result["buckets"]["[0.9,1.0]"]
    assert (top["count"], top["tp"], top["fp"], top["ignored"], top["precision"]) == (2, 1, 0, 1, None)
    assert result["high"]["precision"] is None


def test_mention_level_gold_counts_a_record_once(tmp_path):
    # public gold: one gold event per mention; a record with two matched mentions is one right prediction
    events = [dict(gold_event("meeting", s), evidence_span=[s, sentence(s)["end"]]) for s in (TALKS, FANS)]
    record = predicted("meeting", TALKS, 0.7)
    record["mentions"].append(sentence(FANS))
    result = run(tmp_path, [record], dataset="x", events=events)
    row = result["buckets"]["[0.7,0.8)"]
    assert (row["count"], row["tp"], row["fp"], row["precision"]) == (1, 1, 0, 1.0)


def test_report_prints_table_only_when_asked(tmp_path):
    docs = load_gold(write_gold(tmp_path, **GOLD))
    attach_text(docs[0], TEXT)
    result = evaluate(docs, {"a1": [predicted("meeting", TALKS, 0.85)]})
    assert "reliability" not in format_report(result, "x")
    text = format_report(result, "x", reliability=True)
    assert "reliability" in text and "[0.8,0.9)" in text and ">= 0.8" in text


def test_cli_flag_and_json(tmp_path, capsys, monkeypatch):
    gold = write_gold(tmp_path, **GOLD)
    output = tmp_path / "out" / "parquet" / "events"
    output.mkdir(parents=True)
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [dict(predicted("meeting", TALKS, 0.85), article={"article_id": "a1"})]
    pq.write_table(pa.Table.from_pylist(rows), output / "part.parquet")
    (tmp_path / "articles.jsonl").write_text(json.dumps({"id": "a1", "text": TEXT}) + "\n", encoding="utf-8")
    assert main(["--gold", str(gold), "--output", str(tmp_path / "out"), "--reliability"]) == 0
    assert "[0.8,0.9)" in capsys.readouterr().out
    assert main(["--gold", str(gold), "--output", str(tmp_path / "out"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data[str(gold)]["reliability"]["buckets"]["[0.8,0.9)"]["tp"] == 1
