"""CAMEO and PLOVER codes on every event row (transforms/lexicons/codes.yaml, docs/CODES.md),
and the documented join with a GDELT-shaped table."""
from __future__ import annotations

import re
from datetime import datetime, timezone

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import schemas
from pipelines import query
from pipelines.extract import run
from tests.conftest import EXAMPLES, ROOT
from transforms.output.codes import CONDITIONS, event_codes
from transforms.lexicon import load
from transforms.output.records import event_row

DOC = (ROOT / "docs" / "CODES.md").read_text(encoding="utf-8")
NOW = datetime(2025, 5, 21, tzinfo=timezone.utc)
MODEL = "en_core_web_sm-3.8.0"
ROLES = {"state_visit": ("guest", "host"), "meeting": ("participant", "participant"),
         "agreement_signed": ("signatory", "signatory"), "facility_opened": ("opener", "owner")}


def _event(event_type, status="occurred", trigger="met", countries=("CHL", "NOR"), place=("Oslo", "NOR"),
           inferred=False, date="2025-05-19", precision="day", roles=None):
    text = f"Ana Lopez and Jonas Berg {trigger} in {place[0]}."
    start = text.index(trigger)
    roles = roles or ROLES[event_type]
    return {
        "event_type": event_type, "status": status,
        "trigger": {"text": trigger, "start": start, "end": start + len(trigger)},
        "sentence": {"text": text, "start": 0, "end": len(text)}, "mentions": [{"text": text, "start": 0, "end": len(text)}],
        "participants": [{"name": name, "role": role, "entity_type": "PERSON", "country": country}
                         for name, role, country in zip(("Ana Lopez", "Jonas Berg"), roles, countries)],
        "location": {"name": place[0], "country": place[1], "inferred": inferred},
        "event_date": date, "date_text": None, "date_precision": precision, "object": None, "confidence": 0.9,
    }


CASES = {
    "default": {},
    "planned": {"status": "planned"},
    "negotiation": {"trigger": "talks"},
    "third_location": {"countries": ("FRA", "DEU"), "place": ("Geneva", "CHE")},
}


def _doc_table() -> list[dict]:
    """The mapping table of docs/CODES.md as dicts (empty cells: None)."""
    lines = DOC[DOC.index("| event_type | case |"):].splitlines()
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    rows = []
    for line in lines[2:]:
        if not line.startswith("|"):
            break
        cells = [cell.strip() or None for cell in line.strip("|").split("|")]
        rows.append(dict(zip(header, cells)))
    return rows


def test_the_documented_table_is_what_the_code_does():
    table = _doc_table()
    assert table, "no mapping table in docs/CODES.md"
    for line in table:
        codes = event_codes(_event(line["event_type"], **CASES[line["case"]]))
        assert codes == {"cameo_code": line["cameo_code"], "plover_type": line["plover_type"],
                         "plover_mode": line["plover_mode"]}, line


def test_the_documented_table_lists_every_case_in_the_mapping_order():
    mapping = load("codes")
    expected = []
    for event_type in ROLES:
        expected += [(event_type, rule["when"]) for rule in mapping[event_type].get("refine") or ()]
        expected.append((event_type, "default"))
    assert [(line["event_type"], line["case"]) for line in _doc_table()] == expected
    assert {case for _, case in expected} == set(CONDITIONS) | {"default"}


def test_the_first_case_that_holds_wins():
    assert event_codes(_event("meeting", status="planned", trigger="talks"))["cameo_code"] == "036"
    third = CASES["third_location"]
    assert event_codes(_event("meeting", trigger="negotiations", **third))["cameo_code"] == "046"
    assert event_codes(_event("meeting", trigger="Talks"))["cameo_code"] == "046"  # as written, any case
    assert event_codes(_event("agreement_signed", status="planned"))["cameo_code"] == "057"


@pytest.mark.parametrize("change", [
    {"countries": ("FRA", None)},             # one side of unknown country may be the host
    {"countries": ("FRA", "CHE")},            # one side hosts
    {"inferred": True},                       # a guessed venue
    {"place": ("Geneva", None)},              # a place of unknown country
])
def test_a_third_location_needs_every_side_known_and_abroad(change):
    event = _event("meeting", **{**CASES["third_location"], **change})
    assert event_codes(event)["cameo_code"] == "040"


def test_a_third_location_counts_participants_not_attendees():
    event = _event("meeting", **CASES["third_location"])
    event["participants"].append({"name": "Guy Parmelin", "role": "attendee", "entity_type": "PERSON", "country": "CHE"})
    assert event_codes(event)["cameo_code"] == "044"
    event["participants"] = event["participants"][:1] + event["participants"][2:]
    assert event_codes(event)["cameo_code"] == "040"  # one participant: no two sides


def test_facility_openings_have_no_code_and_the_docs_say_so():
    assert event_codes(_event("facility_opened")) == {"cameo_code": None, "plover_type": None, "plover_mode": None}
    assert "Facility openings have no CAMEO or PLOVER code" in DOC


# ---- a real extraction -----------------------------------------------------------------

@pytest.fixture(scope="module")
def example_output(tmp_path_factory):
    out = tmp_path_factory.mktemp("codes") / "out"
    run(["--input", str(EXAMPLES / "*.jsonl"), str(EXAMPLES / "*.txt"), "--output", str(out), "--progress-interval", "0"])
    return out


def test_every_event_row_has_its_codes(example_output):
    con = query.connect(example_output)
    columns, rows = query.run_query(con, "select * from events")
    assert rows
    for row in (dict(zip(columns, values)) for values in rows):
        codes = {key: row[key] for key in ("cameo_code", "plover_type", "plover_mode")}
        assert codes == event_codes(row), row["record_id"]
        assert (codes["cameo_code"] is None) == (row["event_type"] == "facility_opened")
        assert (codes["plover_type"] is None) == (row["event_type"] == "facility_opened")


def test_events_by_code_example(example_output):
    con = query.connect(example_output)
    columns, rows = query.run_example(con, "events_by_code")
    by_code = [dict(zip(columns, row)) for row in rows]
    (total,), = query.run_query(con, "select count(*) from events")[1]
    assert sum(r["reports"] for r in by_code) == total
    assert {(r["cameo_code"], r["plover_type"]) for r in by_code if r["event_type"] == "agreement_signed"} == {("057", "AGREE")}
    assert by_code[-1]["cameo_code"] is None and by_code[-1]["event_type"] == "facility_opened"


# ---- the GDELT join of docs/CODES.md ---------------------------------------------------

def _article(article_id, published_at):
    return {"article_id": article_id, "text": "x", "published_at": published_at, "source": "Wire"}


GDELT_COLUMNS = ("GLOBALEVENTID", "SQLDATE", "EventCode", "EventRootCode", "Actor1CountryCode",
                 "Actor2CountryCode", "NumArticles", "NumSources", "SOURCEURL")
GDELT = [
    (1, 20220530, "043", "04", "IRN", "TJK", 5, 3, "https://a.example/1"),  # host side of the visit
    (2, 20220530, "042", "04", "TJK", "IRN", 2, 1, "https://a.example/2"),  # guest side
    (3, 20220715, "042", "04", "TJK", "IRN", 1, 1, "https://a.example/3"),  # another visit, later
    (4, 20220530, "040", "04", "IRN", "TJK", 4, 2, "https://a.example/4"),  # the meeting
    (5, 20250520, "036", "03", "CHL", "NOR", 1, 1, "https://a.example/5"),  # a visit announced
    (6, 20220530, "057", "05", "USA", "CAN", 1, 1, "https://a.example/6"),  # not ours
    (7, 20220530, "042", "04", "FRA", "IRN", 1, 1, "https://a.example/7"),  # other actors
    (8, 20220531, "057", "05", "IRN", "TJK", 1, 1, "https://a.example/8"),  # the undated signing
]


@pytest.fixture()
def gdelt_con(tmp_path):
    tehran = ("Tehran", "IRN")
    events = {
        "visit": event_row(_event("state_visit", trigger="visited", countries=("TJK", "IRN"), place=tehran,
                                  date="2022-05-30"), _article("a1", "2022-05-31T08:00:00"), MODEL, NOW),
        "meeting": event_row(_event("meeting", countries=("TJK", "IRN"), place=tehran, date="2022-05-30"), _article("a1", "2022-05-31T08:00:00"), MODEL, NOW),
        "planned": event_row(_event("state_visit", status="planned", trigger="visit", date="2025-06", precision="month"),
                             _article("a2", "2025-05-20T08:00:00"), MODEL, NOW),
        "signing": event_row(_event("agreement_signed", trigger="signed", countries=("TJK", "IRN"), place=tehran,
                                    date=None, precision="unknown"), _article("a1", "2022-05-31T08:00:00"), MODEL, NOW),
        "opening": event_row(_event("facility_opened", trigger="opened", countries=("TJK", "IRN"), place=tehran,
                                    date="2022-05-30"), _article("a1", "2022-05-31T08:00:00"), MODEL, NOW),
    }
    path = tmp_path / "events.parquet"
    pq.write_table(pa.Table.from_pylist(list(events.values()), schema=schemas.arrow_schema("events")), path)
    con = duckdb.connect()
    con.execute(f"create view events as select * from read_parquet('{path}')")
    con.execute("create table gdelt (GLOBALEVENTID bigint, SQLDATE integer, EventCode varchar, EventRootCode varchar, "
                "Actor1CountryCode varchar, Actor2CountryCode varchar, NumArticles integer, NumSources integer, "
                "SOURCEURL varchar)")
    con.executemany(f"insert into gdelt values ({', '.join('?' * len(GDELT_COLUMNS))})", GDELT)
    yield con, {row["event_id"]: name for name, row in events.items()}
    con.close()


def test_the_documented_gdelt_join_runs_on_a_gdelt_shaped_table(gdelt_con):
    con, names = gdelt_con
    sql = re.search(r"```sql\n-- codes-gdelt-join\n(.*?)```", DOC, re.S).group(1)
    cursor = con.execute(sql)
    columns = [d[0] for d in cursor.description]
    matches = [dict(zip(columns, row)) for row in cursor.fetchall()]
    assert sorted((names[m["event_id"]], m["GLOBALEVENTID"]) for m in matches) == \
        [("meeting", 4), ("planned", 5), ("signing", 8), ("visit", 1), ("visit", 2)]
    planned = next(m for m in matches if m["GLOBALEVENTID"] == 5)
    assert (planned["cameo_code"], str(planned["first_day"]), str(planned["last_day"])) == ("036", "2025-05-20", "2025-06-30")
