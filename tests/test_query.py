"""`newsevents query`: DuckDB views over an output folder, the named examples, the formats.

Core tests run on a small output written here with pyarrow (rows from transforms.output.records);
the `shared` tests run every named example on the dev-set output of the real pipeline.
"""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipelines import outputs, query
from pipelines.cli import main as cli_main
from schemas import arrow_schema
from transforms.output.records import article_row, dead_letter_row, event_row

PROCESSED = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)
MODEL = "en_core_web_sm-3.8.0"
HOSTILE = '<script>alert("x")</script><img src="https://evil.example/p.png">'


def _span(text: str, start: int) -> dict:
    return {"text": text, "start": start, "end": start + len(text)}


def _event(event_type, participants, place, country, date=None, precision="unknown", status="occurred",
           sentence="Rahmon visited Tehran on Monday.", trigger="visited"):
    start = sentence.find(trigger)
    return {
        "event_type": event_type, "status": status,
        "trigger": _span(trigger, 10 + start), "sentence": _span(sentence, 10),
        "mentions": [_span(sentence, 10)],
        "participants": [{"name": n, "role": r, "entity_type": "PERSON", "country": c} for n, r, c in participants],
        "location": None if place is None else {"name": place, "country": country, "inferred": False},
        "event_date": date, "date_precision": precision, "date_text": None, "object": None,
        "confidence": 0.8,
    }


def _article(article_id, published_at, title="A title", text="0123456789 Rahmon visited Tehran on Monday."):
    return {"article_id": article_id, "text": text, "title": title, "published_at": published_at,
            "url": f"https://news.example/{article_id}", "source": "wire"}


SAMPLE_ARTICLES = [
    _article("a1", "2022-05-30T09:00:00", title="Rahmon in Tehran"),
    _article("a2", "2022-05-31T10:00:00", title="Tajik leader visits Iran"),
    _article("a3", "2022-06-02T08:00:00", title=HOSTILE, text="0123456789 " + HOSTILE),
    _article("a4", None, title="No events here"),
]
RAHMON_VISIT = _event("state_visit", [("Emomali Rahmon", "guest", "TJK"), ("Ebrahim Raisi", "host", "IRN")],
                      "Tehran", "IRN", "2022-05-30", "day")
SAMPLE_EVENTS = [
    (RAHMON_VISIT, SAMPLE_ARTICLES[0]),
    (RAHMON_VISIT, SAMPLE_ARTICLES[1]),  # a second report of the same visit: same event_id
    (_event("meeting", [("Emomali Rahmon", "participant", "TJK"), ("Ali Khamenei", "participant", "IRN")],
            "Tehran", "IRN", sentence="Rahmon met Khamenei.", trigger="met"), SAMPLE_ARTICLES[1]),
    (_event("agreement_signed", [(HOSTILE, "signatory", None), ("Emomali Rahmon", "signatory", "TJK")],
            None, None, status="planned", sentence="They will sign " + HOSTILE, trigger="sign"),
     SAMPLE_ARTICLES[2]),
]


def _event_record(event: dict, article: dict) -> dict:
    """An `events` row; an ``event_id`` in ``event`` stands for the cluster id AssignEventIds gives."""
    row = event_row(event, article, MODEL, PROCESSED)
    return {**row, "event_id": event.get("event_id", row["event_id"])}


def write_output(root: Path, events=SAMPLE_EVENTS, articles=SAMPLE_ARTICLES, dead_letters=None) -> Path:
    """An output folder like `newsevents extract` writes, built from transforms.output.records rows
    (an article's ``duplicate_of`` marks it a syndicated copy, as MarkSyndicated does)."""
    if dead_letters is None:
        dead_letters = [
            dead_letter_row("parse", "JSONDecodeError: Expecting value", "{not json", PROCESSED,
                            source_file="in.jsonl", line_number=2),
            dead_letter_row("parse", "JSONDecodeError: Unterminated string", '{"text": "x', PROCESSED,
                            source_file="in.jsonl", line_number=7),
            dead_letter_row("read", ValueError(HOSTILE), b"\x00\x01", PROCESSED, source_file="bin.jsonl"),
        ]
    n_events = {}
    for _, article in events:
        n_events[article["article_id"]] = n_events.get(article["article_id"], 0) + 1
    tables = {
        "events": [_event_record(e, a) for e, a in events],
        "articles": [{**article_row(a, n_events.get(a["article_id"], 0), PROCESSED),
                      "duplicate_of": a.get("duplicate_of")} for a in articles],
        "dead_letters": list(dead_letters),
    }
    files = []
    for table, rows in tables.items():
        folder = root / "parquet" / table
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.Table.from_pylist(rows, schema=arrow_schema(table)), folder / "part-00000-of-00001.parquet")
        files.append(f"parquet/{table}/part-00000-of-00001.parquet")
    write_manifest(root, files=files)
    return root


def write_manifest(root: Path, **fields) -> None:
    """The manifest `newsevents extract` writes last when it publishes a run (pipelines/outputs.py)."""
    manifest = {"run_id": "test-run", "kind": "batch", "formats": ["parquet"], **fields}
    (root / outputs.MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")


@pytest.fixture()
def small_output(tmp_path) -> Path:
    return write_output(tmp_path / "out")


@pytest.fixture()
def con(small_output):
    connection = query.connect(small_output)
    yield connection
    connection.close()


def _run(argv) -> tuple[int, str]:
    out = io.StringIO()
    return query.main(argv, stdout=out), out.getvalue()


# ---- core -------------------------------------------------------------------------------

def test_views_cover_the_three_tables(con):
    assert query.run_query(con, "select count(*) from events")[1] == [(4,)]
    assert query.run_query(con, "select count(*) from articles")[1] == [(4,)]
    assert query.run_query(con, "select count(*) from dead_letters")[1] == [(3,)]


def test_nested_columns_are_queryable_with_unnest(con):
    columns, rows = query.run_query(con, """
        select p.name, p.country, e.location.country as place
        from events e, unnest(e.participants) as t(p)
        where e.event_type = 'meeting' order by p.name""")
    assert columns == ["name", "country", "place"]
    assert rows == [("Ali Khamenei", "IRN", "IRN"), ("Emomali Rahmon", "TJK", "IRN")]


def test_events_per_type_per_day(con):
    columns, rows = query.run_example(con, "events_per_type_per_day")
    assert columns == ["day", "event_type", "events", "reports"]
    by_key = {(str(day), t): (n, r) for day, t, n, r in rows}
    # the visit is dated to the day (two reports of one event); the meeting and the agreement
    # have no date and take their article's publication day
    assert by_key == {("2022-05-30", "state_visit"): (1, 2), ("2022-05-31", "meeting"): (1, 1),
                      ("2022-06-02", "agreement_signed"): (1, 1)}


def test_top_participants_and_pairs(con):
    _, rows = query.run_example(con, "top_participants")
    assert rows[0][0] == "Emomali Rahmon" and rows[0][3] == 3  # the visit (one event_id), meeting, agreement
    _, pairs = query.run_example(con, "top_participant_pairs")
    pair_counts = {(a, b): (n, r) for a, b, n, r in pairs}
    assert pair_counts[("Ebrahim Raisi", "Emomali Rahmon")] == (1, 2)  # one event, two reports
    assert pair_counts[("Ali Khamenei", "Emomali Rahmon")] == (1, 1)


def test_events_by_country(con):
    _, rows = query.run_example(con, "events_by_country")
    assert rows[0][:3] == ("IRN", 2, 3)
    assert ("(unknown)", 1, 1, None) in rows


def test_articles_behind_one_event(con):
    (event_id,) = query.run_query(con, "select event_id from events where event_type = 'state_visit' "
                                       "group by 1")[1][0]
    columns, rows = query.run_example(con, "articles_for_event", {"event_id": event_id})
    assert [r[columns.index("article_id")] for r in rows] == ["a1", "a2"]
    assert all("visited" in r[columns.index("evidence")] for r in rows)


def test_status_and_dead_letter_examples(con):
    _, status = query.run_example(con, "status_breakdown")
    assert ("agreement_signed", "planned", 1, 1) in status
    _, reasons = query.run_example(con, "dead_letter_reasons")
    assert reasons[0][:3] == ("parse", "JSONDecodeError", 2)
    assert reasons[0][3] == "in.jsonl:2"


# ---- real_events ------------------------------------------------------------------------

def _report(article, status="occurred", date=None, precision="unknown", confidence=0.8, place="Tehran",
            sentence="Rahmon visited Tehran on Monday.", rahmon_country="TJK"):
    """A report of the one invented visit (event_id e-visit) in ``article``."""
    event = _event("state_visit", [("Emomali Rahmon", "guest", rahmon_country), ("Ebrahim Raisi", "host", "IRN")],
                   place, "IRN", date, precision, status, sentence=sentence)
    return {**event, "event_id": "e-visit", "confidence": confidence}, article


VISIT_ARTICLES = [
    {**_article("w1", "2022-05-29T09:00:00"), "source": "Wire"},
    {**_article("w2", "2022-05-30T09:00:00"), "source": "Portal", "duplicate_of": "w1"},  # syndicated copy
    {**_article("d1", "2022-05-31T09:00:00"), "source": "Daily"},
    {**_article("d2", "2022-06-01T09:00:00"), "source": "Daily"},  # the same outlet again
    {**_article("u1", "2022-06-01T10:00:00"), "source": None},  # an outlet nobody named
]
VISIT_REPORTS = [
    _report(VISIT_ARTICLES[0], status="planned", date="2022-05", precision="month", confidence=0.6),
    _report(VISIT_ARTICLES[1], date="2022-05-30", precision="day", confidence=0.9,
            sentence="Rahmon arrived in Tehran on Monday."),
    _report(VISIT_ARTICLES[2], date="2022-05-31", precision="day", confidence=0.9, place="Teheran",
            rahmon_country=None),
    _report(VISIT_ARTICLES[3], confidence=0.5),
    _report(VISIT_ARTICLES[4], status="cancelled", confidence=0.4),
]


@pytest.fixture()
def visit_output(tmp_path) -> Path:
    return write_output(tmp_path / "visit", events=SAMPLE_EVENTS + VISIT_REPORTS,
                        articles=SAMPLE_ARTICLES + VISIT_ARTICLES)


@pytest.fixture()
def visit_con(visit_output):
    connection = query.connect(visit_output)
    yield connection
    connection.close()


def _real_event(con, event_id: str) -> dict:
    columns, rows = query.run_query(con, "select * from real_events where event_id = $id", {"id": event_id})
    [row] = rows
    return dict(zip(columns, row))


def test_real_events_has_one_row_per_event_id(visit_con):
    (events, distinct), = query.run_query(visit_con, "select count(*), count(distinct event_id) from events")[1]
    (rows, ids, records), = query.run_query(
        visit_con, "select count(*), count(distinct event_id), sum(records) from real_events")[1]
    assert (rows, ids, records) == (distinct, distinct, events) == (4, 4, 9)


def test_real_events_counts_a_syndicated_copy_as_its_originals_source(visit_con):
    visit = _real_event(visit_con, "e-visit")
    assert visit["articles"] == visit["records"] == 5
    # w1 and its copy w2: Wire; d1 and d2: Daily; u1 (no outlet named): a source of its own
    assert visit["sources"] == 3


def test_real_events_dates_status_place_participants_and_evidence(visit_con):
    visit = _real_event(visit_con, "e-visit")
    # the day-precise reports set the range; the month-precise one does not widen it
    assert (visit["first_date"], visit["last_date"], visit["date_precision"]) == ("2022-05-30", "2022-05-31", "day")
    assert visit["status"] == "occurred"  # occurred beats the planned and the cancelled report
    assert (visit["event_type"], visit["place"], visit["place_country"]) == ("state_visit", "Tehran", "IRN")
    assert visit["participants"] == [{"name": "Ebrahim Raisi", "role": "host", "country": "IRN"},
                                     {"name": "Emomali Rahmon", "role": "guest", "country": "TJK"}]
    # two reports share the highest confidence: the smaller record_id gives the evidence
    (best_record, best_sentence), = query.run_query(visit_con, """
        select record_id, sentence.text from events
        where event_id = 'e-visit' and confidence = 0.9 order by record_id limit 1""")[1]
    assert (visit["best_record_id"], visit["best_evidence"], visit["confidence"]) == (best_record, best_sentence, 0.9)


def test_real_events_status_cancelled_beats_planned(tmp_path):
    reports = [_report(VISIT_ARTICLES[0], status="planned"), _report(VISIT_ARTICLES[2], status="cancelled")]
    con = query.connect(write_output(tmp_path / "out", events=reports, articles=VISIT_ARTICLES))
    visit = _real_event(con, "e-visit")
    assert visit["status"] == "cancelled"
    assert (visit["first_date"], visit["date_precision"], visit["sources"]) == (None, "unknown", 2)


def test_top_real_events_example_and_command_line(visit_output, visit_con, capsys):
    columns, rows = query.run_example(visit_con, "top_real_events")
    top = dict(zip(columns, rows[0]))
    assert (top["event_id"], top["sources"], top["articles"]) == ("e-visit", 3, 5)
    assert top["participants"] == ["Ebrahim Raisi", "Emomali Rahmon"]
    assert cli_main(["query", str(visit_output), "select event_id, sources from real_events "
                     "order by sources desc, event_id", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[:2] == ["event_id,sources", "e-visit,3"]


def test_every_example_runs_on_an_output_without_rows(tmp_path):
    out = write_output(tmp_path / "empty", events=[], articles=[], dead_letters=[])
    con = query.connect(out)
    for name, example in query.EXAMPLES.items():
        columns, rows = query.run_example(con, name, {p: "x" for p in example.params})
        assert columns and rows == [], name


def test_a_table_folder_without_files_is_an_empty_view(tmp_path):
    out = write_output(tmp_path / "out")
    for path in (out / "parquet" / "dead_letters").iterdir():
        path.unlink()
    write_manifest(out, files=[f"parquet/{t}/part-00000-of-00001.parquet" for t in ("events", "articles")])
    con = query.connect(out)
    assert query.run_query(con, "select count(*), count(stage) from dead_letters")[1] == [(0, 0)]


def test_errors_are_usage_errors(con, tmp_path):
    with pytest.raises(query.QueryError, match="holds no newsevents output"):
        query.connect(tmp_path / "nothing")
    with pytest.raises(query.QueryError, match="needs --param event_id"):
        query.run_example(con, "articles_for_event")
    with pytest.raises(query.QueryError, match="unknown example"):
        query.run_example(con, "nope")
    with pytest.raises(query.QueryError, match="nope"):
        query.run_query(con, "select * from nope")


# ---- only a published run is read (pipelines/outputs.py) ----------------------------------

def _stderr_lines(capsys) -> list[str]:
    return [line for line in capsys.readouterr().err.splitlines() if line.strip()]


def test_a_folder_with_only_an_unfinished_run_is_refused_in_one_line(tmp_path, capsys):
    out = tmp_path / "out"
    staged = out / f"{outputs.STAGING_PREFIX}run1" / "parquet" / "events"
    staged.mkdir(parents=True)
    (staged / "beam-temp-part-1").mkdir()
    (staged / "beam-temp-part-1" / "x").write_bytes(b"PAR1 not finished")
    code, printed = _run([str(out), "select count(*) from events"])
    lines = _stderr_lines(capsys)
    assert code == 1 and printed == "" and len(lines) == 1
    assert "incomplete run" in lines[0] and "rerun newsevents extract" in lines[0]


def test_tables_without_a_manifest_are_an_incomplete_output(tmp_path, capsys):
    out = write_output(tmp_path / "out")
    (out / outputs.MANIFEST).unlink()  # killed while publishing, or written by an older newsevents
    code, _printed = _run([str(out), "select count(*) from events"])
    assert code == 1 and "no _newsevents.json" in _stderr_lines(capsys)[0]


def test_only_the_files_of_the_published_run_are_read(tmp_path, capsys):
    """Leftovers of a killed run (Beam temp files, a broken Parquet file) and a user's own
    files in the table folders are not part of the run: they were read before (392 events,
    or DuckDB's "No magic bytes found" traceback)."""
    out = write_output(tmp_path / "out")
    (out / "parquet" / "events" / "beam-temp-part-1").mkdir()
    (out / "parquet" / "events" / "beam-temp-part-1" / "x.parquet").write_bytes(b"not parquet")
    (out / "parquet" / "events" / "part-00000-of-00002.parquet").write_bytes(b"half written")
    staged = out / f"{outputs.STAGING_PREFIX}run2" / "parquet" / "events"
    staged.mkdir(parents=True)
    code, printed = _run([str(out), "select count(*) as n from events", "--format", "csv"])
    assert code == 0 and printed == "n\n4\n"
    assert "also holds an unfinished run" in capsys.readouterr().err


def test_a_listed_file_that_is_gone_is_an_incomplete_output(tmp_path, capsys):
    out = write_output(tmp_path / "out")
    (out / "parquet" / "articles" / "part-00000-of-00001.parquet").unlink()
    code, _printed = _run([str(out), "select count(*) from articles"])
    assert code == 1 and "is missing" in _stderr_lines(capsys)[0]


def test_a_stream_output_is_read_as_its_files_come(tmp_path):
    """A stream writes windowed files in place; its manifest (written at its start) says so."""
    out = write_output(tmp_path / "out")
    write_manifest(out, kind="stream")
    window = out / "parquet" / "events" / "part-20240501T000000Z-20240501T010000Z-p0000-00000-of-00001.parquet"
    (out / "parquet" / "events" / "part-00000-of-00001.parquet").rename(window)
    temporary = out / "parquet" / "events" / ".temp1234"
    temporary.mkdir()
    (temporary / "unfinished.parquet").write_bytes(b"not yet")
    code, printed = _run([str(out), "select count(*) as n from events", "--format", "csv"])
    assert code == 0 and printed == "n\n4\n"


def test_an_avro_only_run_is_a_usage_error(tmp_path, capsys):
    out = write_output(tmp_path / "out")
    write_manifest(out, formats=["avro"], files=[])
    code, _printed = _run([str(out), "select 1"])
    assert code == 2 and "wrote no Parquet tables" in _stderr_lines(capsys)[0]


def test_table_format(small_output):
    code, out = _run([str(small_output), "select article_id, n_events, title from articles order by 1"])
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["article_id", "n_events", "title"]
    assert lines[2].split()[:2] == ["a1", "1"]
    assert lines[-1] == "(4 rows)"


def test_table_format_clips_cells_and_rows(small_output):
    code, out = _run([str(small_output), "select text from articles", "--max-width", "12", "--max-rows", "2"])
    assert code == 0
    assert all(len(line) <= 12 for line in out.splitlines()[2:4])
    assert "first 2 shown" in out


def test_csv_format_keeps_nested_values_as_json(small_output):
    code, out = _run([str(small_output), "select event_type, participants from events order by record_id",
                      "--format", "csv"])
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 4
    names = {p["name"] for row in rows for p in json.loads(row["participants"])}
    assert "Emomali Rahmon" in names


def test_json_format(small_output):
    code, out = _run([str(small_output), "--example", "events_by_country", "--format", "json"])
    assert code == 0
    data = json.loads(out)
    assert data[0] == {"country": "IRN", "events": 2, "reports": 3, "places": "Tehran"}


def test_json_format_writes_timestamps_as_iso_text(small_output):
    code, out = _run([str(small_output), "select published_at from articles where article_id = 'a1'",
                      "--format", "json"])
    assert code == 0
    assert json.loads(out) == [{"published_at": "2022-05-30T09:00:00+00:00"}]


def test_param_and_named_example_from_the_command_line(small_output, con):
    (event_id,) = query.run_query(con, "select event_id from events where event_type = 'meeting'")[1][0]
    code, out = _run([str(small_output), "--example", "articles_for_event", "--param", f"event_id={event_id}",
                      "--format", "csv"])
    assert code == 0
    assert [r["article_id"] for r in csv.DictReader(io.StringIO(out))] == ["a2"]


def test_command_line_errors_exit_2(small_output, capsys):
    assert query.main([str(small_output)]) == 2
    assert query.main([str(small_output), "select * from nope"]) == 2
    assert query.main([str(small_output), "--example", "articles_for_event"]) == 2
    assert "needs --param event_id" in capsys.readouterr().err


def test_list_and_show_examples(small_output):
    code, out = _run(["--list-examples"])
    assert code == 0 and all(name in out for name in query.EXAMPLES)
    code, out = _run([str(small_output), "--example", "top_participant_pairs", "--show-sql"])
    assert code == 0 and "unnest(e.participants)" in out


def test_newsevents_query_subcommand(small_output, capsys):
    assert cli_main(["query", str(small_output), "select count(*) as n from events", "--format", "csv"]) == 0
    assert capsys.readouterr().out == "n\n4\n"


# ---- the dev set ------------------------------------------------------------------------



@pytest.mark.shared
@pytest.mark.slow
@pytest.mark.parametrize("name", [n for n in query.EXAMPLES if not query.EXAMPLES[n].params])
def test_dev_set_examples_run(dev_output, name):
    con = query.connect(dev_output)
    columns, rows = query.run_example(con, name)
    assert columns
    if name != "dead_letter_reasons":  # the dev set has no bad records
        assert rows, name


@pytest.mark.shared
@pytest.mark.slow
def test_dev_set_articles_behind_the_most_reported_event(dev_output):
    con = query.connect(dev_output)
    (event_id, n), = query.run_query(con, """
        select event_id, count(distinct article.article_id) as n from events
        group by 1 order by n desc, event_id limit 1""")[1]
    columns, rows = query.run_example(con, "articles_for_event", {"event_id": event_id})
    assert len({r[0] for r in rows}) == n
    assert all(r[columns.index("evidence")] for r in rows)


@pytest.mark.shared
@pytest.mark.slow
def test_dev_set_counts_agree_between_views(dev_output):
    con = query.connect(dev_output)
    (articles, with_events), = query.run_query(con, "select count(*), sum(n_events) from articles")[1]
    (events,), = query.run_query(con, "select count(*) from events")[1]
    assert articles == 51 and with_events == events > 0  # the dev set and the seed story
