"""The evaluator's matching rules, on small synthetic gold written here."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.evaluate import gold_files, index_articles, main, sibling_articles
from transforms.evaluation import attach_text, date_ok, evaluate, format_report, load_gold, name_score

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

TEXT = (
    "Zorvan Pell, the president of Ostrava, arrived in Kelmar on Monday. "
    "Pell met Queen Ilsa Varn for talks. "
    "The two sides signed a trade accord. "
    "A bridge was opened later."
)
VISIT, TALKS, SIGNED, BRIDGE = (TEXT.index(s) for s in ("Zorvan", "Pell met", "The two", "A bridge"))


def gold_line(article_id="a1", **fields) -> dict:
    return {"article_id": article_id, "published_at": "2030-05-07T10:00:00", "events": [], **fields}


def gold_event(event_type, evidence_start, **fields) -> dict:
    end = TEXT.index(".", evidence_start) + 1
    return {
        "event_type": event_type,
        "status": "occurred",
        "participants": [],
        "location": None,
        "event_date": None,
        "date_precision": "unknown",
        "evidence": TEXT[evidence_start:end],
        **fields,
    }


def public_event(event_type, evidence_start, **fields) -> dict:
    event = gold_event(event_type, evidence_start, **fields)
    event["evidence_span"] = [evidence_start, evidence_start + len(event["evidence"])]
    return event


def predicted(event_type, start, end=None, mentions=(), **fields) -> dict:
    end = end if end is not None else TEXT.index(".", start) + 1
    sentence = {"text": TEXT[start:end], "start": start, "end": end}
    return {
        "event_type": event_type,
        "status": "occurred",
        "sentence": sentence,
        "mentions": [sentence] + [{"text": TEXT[s:e], "start": s, "end": e} for s, e in mentions],
        "participants": [],
        "location": None,
        "event_date": None,
        "date_precision": "unknown",
        **fields,
    }


def person(name, role="participant", **fields) -> dict:
    return {"name": name, "role": role, "entity_type": "PERSON", **fields}


def score(tmp_path, lines, records, text=TEXT) -> dict:
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    docs = load_gold(path)
    for doc in docs:
        assert attach_text(doc, text) == []
    return evaluate(docs, {"a1": records})


def test_overlapping_mention_matches_and_elsewhere_is_fp_and_fn(tmp_path):
    lines = [gold_line(events=[gold_event("meeting", TALKS)])]
    # only part of the gold sentence, reached through a second mention
    hit = score(tmp_path, lines, [predicted("meeting", VISIT, mentions=[(TALKS + 5, TALKS + 12)])])
    assert (hit["detection"]["overall"]["tp"], hit["detection"]["overall"]["fp"]) == (1, 0)
    miss = score(tmp_path, lines, [predicted("meeting", SIGNED)])
    assert {k: miss["detection"]["meeting"][k] for k in ("tp", "fp", "fn")} == {"tp": 0, "fp": 1, "fn": 1}
    other_type = score(tmp_path, lines, [predicted("state_visit", TALKS)])
    assert other_type["detection"]["meeting"]["fn"] == 1 and other_type["detection"]["state_visit"]["fp"] == 1


def test_borderline_and_excluded_mentions_are_dont_care(tmp_path):
    borderline = score(tmp_path, [gold_line(borderline=[gold_event("agreement_signed", SIGNED)])],
                       [predicted("agreement_signed", SIGNED)])
    assert borderline["detection"]["overall"]["fp"] == 0 and borderline["ignored_predictions"] == 1
    excluded = gold_line(excluded_mentions=[public_event("facility_opened", BRIDGE)],
                         extra_events=[public_event("meeting", TALKS)])
    result = score(tmp_path, [excluded], [predicted("facility_opened", BRIDGE), predicted("meeting", TALKS)])
    assert result["detection"]["overall"]["fp"] == 0 and result["ignored_predictions"] == 2


def test_types_annotated_limits_false_positives_and_precision(tmp_path):
    line = gold_line(types_annotated=["meeting"], events=[public_event("meeting", TALKS)])
    result = score(tmp_path, [line], [predicted("meeting", TALKS), predicted("meeting", SIGNED),
                                      predicted("state_visit", VISIT)])
    detection = result["detection"]
    assert (detection["meeting"]["tp"], detection["meeting"]["fp"]) == (1, 1)
    assert detection["meeting"]["precision"] == 0.5
    assert detection["state_visit"]["fp"] == 0 and detection["state_visit"]["precision"] is None
    assert result["ignored_predictions"] == 1
    empty = score(tmp_path, [gold_line(types_annotated=[])], [predicted("meeting", SIGNED)])
    assert empty["detection"]["overall"]["fp"] == 0 and empty["detection"]["overall"]["precision"] is None


def test_recall_only_reports_recall_alone(tmp_path):
    line = gold_line(types_annotated=["meeting"], recall_only=True,
                     events=[public_event("meeting", TALKS), public_event("state_visit", VISIT)])
    result = score(tmp_path, [line], [predicted("meeting", TALKS), predicted("meeting", BRIDGE)])
    overall = result["detection"]["overall"]
    assert (overall["tp"], overall["fp"], overall["fn"]) == (1, 0, 1)
    assert overall["recall"] == 0.5 and overall["precision"] is None and overall["f1"] is None


def test_one_record_matches_one_hand_gold_event_but_one_per_mention_in_public_gold(tmp_path):
    both = [(VISIT, TALKS - 1), (TALKS, SIGNED - 1)]
    record = predicted("meeting", VISIT, mentions=both[1:])
    hand = score(tmp_path, [gold_line(events=[gold_event("meeting", VISIT), gold_event("meeting", TALKS)])], [record])
    assert (hand["detection"]["meeting"]["tp"], hand["detection"]["meeting"]["fn"]) == (1, 1)
    public = gold_line(events=[public_event("meeting", VISIT), public_event("meeting", TALKS)])
    assert score(tmp_path, [public], [record])["detection"]["meeting"]["tp"] == 2
    duplicate = score(tmp_path, [gold_line(events=[gold_event("meeting", TALKS)])],
                      [predicted("meeting", TALKS), predicted("meeting", TALKS)])
    assert (duplicate["detection"]["meeting"]["tp"], duplicate["detection"]["meeting"]["fp"]) == (1, 1)


def test_greedy_prefers_the_record_with_more_participants_in_common(tmp_path):
    gold = gold_event("meeting", TALKS, participants=[person("Zorvan Pell"), person("Ilsa Varn")])
    wrong = predicted("meeting", TALKS, participants=[person("Ostrava")])
    right = predicted("meeting", TALKS, participants=[person("Pell"), person("Queen Ilsa Varn")])
    result = score(tmp_path, [gold_line(events=[gold])], [wrong, right])
    assert result["participants"]["name"]["tp"] == 2
    assert [e["kind"] for e in result["errors"]] == ["FP"]


def test_participant_names_aliases_roles_and_countries(tmp_path):
    assert name_score(["President Zorvan Pell"], ["Zorvan Pell"]) == 1.0
    assert name_score(["the Pell"], ["Zorvan Pell"]) == 0.5
    assert name_score(["Herald"], ["Zorvan Pell", "the Herald of Ostrava"]) == 0.5
    assert name_score(["Kelmar"], ["Zorvan Pell"]) == 0.0
    assert name_score(["the president of Ostrava"], ["Ostrava"]) == 0.0
    assert name_score(["Chief of Staff"], ["the Chief of Staff of the Ostravan Army"]) == 0.5
    gold = gold_event("state_visit", VISIT, participants=[
        person("Zorvan Pell", "guest", country="OST", aliases=["the Ostravan leader"]),
        {"name": "Kelmar", "role": "host", "entity_type": "GPE", "country": "KLM",
         "country_acceptable": ["KLM", "KLX"]},
    ])
    guess = predicted("state_visit", VISIT, participants=[
        person("The Ostravan Leader", "host", country="OST"),
        {"name": "Kelmar", "role": "host", "entity_type": "GPE", "country": "KLX"},
        person("Ilsa Varn", "host"),
    ])
    result = score(tmp_path, [gold_line(events=[gold])], [guess])
    assert {k: result["participants"]["name"][k] for k in ("tp", "fp", "fn")} == {"tp": 2, "fp": 1, "fn": 0}
    assert result["participants"]["name_and_role"]["tp"] == 1
    assert result["attributes"]["participant_country"] == {"correct": 2, "total": 2, "accuracy": 1.0}
    assert result["full_record"]["overall"]["tp"] == 1  # extra participants are tolerated


@pytest.mark.parametrize(
    ("gold", "value", "precision", "expected"),
    [
        ({"event_date": "2030-05-06", "date_precision": "day"}, "2030-05-06", "day", True),
        ({"event_date": "2030-05-06", "date_precision": "day"}, "2030-05", "month", False),
        ({"event_date": "2030-05-06", "date_precision": "day", "date_acceptable_precision": ["day", "month"]},
         "2030-05", "month", True),
        ({"event_date": "2030-05", "date_precision": "month"}, "2030-05-20", "day", False),
        ({"event_date": "2030-05", "date_precision": "month", "date_range": ["2030-05-10", "2030-05-31"]},
         "2030-05-20", "day", True),
        ({"event_date": "2030-05", "date_precision": "month", "date_acceptable_precision": ["month", "year"]},
         "2030", "year", True),
        ({"event_date": "2030-05", "date_precision": "month"}, "2031-05", "month", False),
        ({"event_date": "2030", "date_precision": "year", "date_acceptable_precision": ["year", "unknown"]},
         None, "unknown", True),
        ({"event_date": "2030", "date_precision": "year"}, None, "unknown", False),
        ({"event_date": None, "date_precision": "unknown"}, None, "unknown", True),
        ({"event_date": None, "date_precision": "unknown"}, "2030-05-06", "day", False),
    ],
)
def test_date_precision_rules(gold, value, precision, expected):
    assert date_ok(gold, {"event_date": value, "date_precision": precision}, null_dates_scored=True) is expected


def test_null_gold_dates_are_not_scored_in_public_gold(tmp_path):
    line = gold_line(events=[public_event("meeting", TALKS)], excluded_mentions=[])
    result = score(tmp_path, [line], [predicted("meeting", TALKS, event_date="2030-05-06", date_precision="day")])
    assert result["attributes"]["date"]["total"] == 0
    assert result["full_record"]["overall"]["tp"] == 1


def test_location_status_and_full_record(tmp_path):
    gold = gold_event("state_visit", VISIT, status="occurred", participants=[person("Zorvan Pell", "guest")],
                      location={"name": "Kelmar", "country": "KLM"}, event_date="2030-05-06", date_precision="day")
    good = predicted("state_visit", VISIT, status="planned", participants=[person("Pell", "guest")],
                     location={"name": "Kelmar City", "country": "KLM"},
                     event_date="2030-05-06", date_precision="day")
    result = score(tmp_path, [gold_line(events=[gold])], [good])
    attributes = result["attributes"]
    assert attributes["location_name"]["accuracy"] == attributes["location_country"]["accuracy"] == 1.0
    assert attributes["status"]["accuracy"] == 0.0
    assert result["full_record"]["overall"]["f1"] == 1.0  # status is reported, not part of the full record
    wrong_date = score(tmp_path, [gold_line(events=[gold])], [{**good, "event_date": "2030-05-07"}])
    assert wrong_date["detection"]["overall"]["f1"] == 1.0 and wrong_date["full_record"]["overall"]["f1"] == 0.0
    assert "date" in " ".join(wrong_date["errors"][0]["problems"])
    assert "full record" in format_report(wrong_date, "synthetic", errors=True)


def test_evidence_is_located_across_line_wraps(tmp_path):
    wrapped = TEXT.replace("Pell met Queen", "Pell met\n    Queen")
    result = score(tmp_path, [gold_line(events=[gold_event("meeting", TALKS)])],
                   [predicted("meeting", TALKS)], text=wrapped)
    assert result["detection"]["meeting"]["tp"] == 1


def write_events_parquet(directory: Path, records: list[dict]) -> None:
    """A pipeline-shaped events table: nested article/sentence/mentions/participants columns."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    target = directory / "parquet" / "events"
    target.mkdir(parents=True)
    rows = [{**r, "article": {"article_id": "a1", "title": None}, "event_date": r["event_date"]} for r in records]
    pq.write_table(pa.Table.from_pylist(rows), target / "part-00000.parquet")


def test_cli_scores_a_parquet_output_dir(tmp_path, capsys):
    gold = gold_event("meeting", TALKS, participants=[person("Zorvan Pell"), person("Ilsa Varn")])
    (tmp_path / "gold.jsonl").write_text(json.dumps(gold_line(events=[gold])) + "\n", encoding="utf-8")
    (tmp_path / "articles.jsonl").write_text(json.dumps({"id": "a1", "text": TEXT}) + "\n", encoding="utf-8")
    records = [
        predicted("meeting", TALKS, participants=[person("Pell", country="OST")]),
        predicted("agreement_signed", SIGNED, participants=[person("Ilsa Varn", "signatory", country=None)]),
    ]
    write_events_parquet(tmp_path / "out", records)
    assert main(["--gold", str(tmp_path / "gold.jsonl"), "--output", str(tmp_path / "out"), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)[str(tmp_path / "gold.jsonl")]
    overall = result["detection"]["overall"]
    assert (overall["tp"], overall["fp"], overall["fn"]) == (1, 1, 0)
    assert result["participants"]["name"]["recall"] == 0.5
    assert main(["--gold", str(tmp_path), "--output", str(tmp_path / "out"), "--errors"]) == 0
    assert "FP" in capsys.readouterr().out
    assert main(["--gold", str(tmp_path), "--output", str(tmp_path / "missing")]) == 1


def test_cli_analyses_the_story_file_named_by_the_gold_line(tmp_path, capsys, monkeypatch):
    (tmp_path / "story_one.txt").write_text(TEXT + "\n", encoding="utf-8")
    line = gold_line("story-one-id", file="story_one.txt", events=[gold_event("meeting", TALKS)])
    (tmp_path / "gold.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
    seen = []

    def fake_analyse(nlp, article, candidate_filter=True, model=None):
        seen.append(article["article_id"])
        return [predicted("meeting", TALKS)] if article["text"] == TEXT else []

    monkeypatch.setattr("transforms.nlp.load_model", lambda name=None: "nlp")
    monkeypatch.setattr("transforms.analysis.analyse_article", fake_analyse)
    assert main(["--gold", str(tmp_path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)[str(tmp_path / "gold.jsonl")]
    assert seen == ["story_one"] and result["detection"]["overall"]["f1"] == 1.0


def oracle(doc) -> list[dict]:
    """Predictions copied from the gold events: a perfect extractor for this gold."""
    return [
        {**event, "sentence": {"text": event["evidence"], "start": event["span"][0], "end": event["span"][1]},
         "mentions": []}
        for event in doc.events
    ]


@pytest.mark.shared
def test_every_shared_gold_file_loads_and_locates_its_evidence():
    data = SHARED / "data"
    if not data.is_dir():
        pytest.skip(f"shared data not found at {data} (the repo's ../shared)")
    files = gold_files([str(data)])
    assert files
    for path in files:
        docs = load_gold(path)
        articles = index_articles(sibling_articles(path, docs))
        for doc in docs:
            article = next(articles[k] for k in doc.keys if k in articles)
            assert attach_text(doc, article["text"]) == [], f"{doc.source}: evidence not in article"
            for event in doc.events:
                start, end = event["span"]
                assert " ".join(article["text"][start:end].split()) == " ".join(event["evidence"].split())
        result = evaluate(docs, {doc.article_id: oracle(doc) for doc in docs})
        overall = result["detection"]["overall"]
        assert overall["recall"] == 1.0 and overall["fp"] == 0, path
        assert result["full_record"]["overall"]["recall"] == 1.0, path
        assert all(a["accuracy"] in (None, 1.0) for a in result["attributes"].values()), path


def test_identity_scoring_of_a_folder_without_a_run_is_one_line(tmp_path, capsys):
    reports = tmp_path / "reports.jsonl"
    reports.write_text(json.dumps({"id": "r1", "group": "g1", "text": "x"}) + "\n")
    assert main(["--identity", str(reports), "--output", str(tmp_path / "nothing-here")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: no events table at") and "Traceback" not in err and err.count("\n") == 1
