"""The probe suite: short invented articles, one extractor failure class each (tests/fixtures/probes.yaml).

Every probe goes through the real in-process path (transforms.articles.make_article ->
transforms.analysis.analyse_article with the shipped decision model and the candidate
filter) and its expectation, written from EVENTS.md / ANNOTATION.md, is checked.
A probe the extractor misses today carries ``xfail`` in the YAML and is marked
``xfail(strict=True)``: when a fix makes it pass, the XPASS fails the run until the YAML
is updated. The YAML is data only; all the checking logic is here.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from transforms.analysis import analyse_article
from transforms.ingest.articles import make_article

PROBES_FILE = Path(__file__).resolve().parent / "fixtures" / "probes.yaml"

CLASSES = (
    "everyday_senses",
    "conferences",
    "facility_not_opening",
    "modality_negation",
    "future_dates",
    "weekday_participants",
    "speaker_not_participant",
    "dateline_elsewhere",
    "one_event_one_record",
    "principals_kept",
)
# classes whose probes must cover both sides: texts with no event and texts with one
BOTH_SIDES = CLASSES[:4]
EVENT_TYPES = {"state_visit", "meeting", "agreement_signed", "facility_opened"}
STATUSES = {"occurred", "planned", "cancelled"}
EXPECT_KEYS = {"none_of", "count", "status", "date", "participants", "not_participants",
               "location", "not_location"}
# keys that hold vacuously when no event of the type is found, and the keys that prove one is
VACUOUS_KEYS = ("status", "not_participants", "not_location")
PRESENCE_KEYS = ("count", "date", "participants", "location")
MIN_PROBES, MIN_PER_CLASS = 72, 6


def _load() -> list[dict]:
    return yaml.safe_load(PROBES_FILE.read_text(encoding="utf-8"))


PROBES = _load()


def _params():
    params = []
    for probe in PROBES:
        marks = []
        if probe.get("xfail"):
            marks.append(pytest.mark.xfail(strict=True, reason=str(probe["xfail"])))
        params.append(pytest.param(probe, id=probe["id"], marks=marks))
    return params


# --- checking one probe ----------------------------------------------------------------------

def _of(events: list[dict], kind: str) -> list[dict]:
    return [e for e in events if e.get("event_type") == kind]


def _names(event: dict) -> list[str]:
    return [(p.get("name") or "") for p in event.get("participants") or []]


def _has_name(event: dict, wanted: str) -> bool:
    return any(wanted.lower() in name.lower() for name in _names(event))


def _place(event: dict) -> str | None:
    location = event.get("location")
    return (location.get("name") or "").strip().lower() if location else None


def _date_matches(event_date: str | None, gold: str) -> bool:
    """``gold`` is YYYY, YYYY-MM or YYYY-MM-DD: the event's date must agree at that precision
    (a less precise event date than the gold one does not match)."""
    return bool(event_date) and str(event_date).startswith(gold)


def _failures(expect: dict, events: list[dict]) -> list[str]:
    failures = []
    for kind in expect.get("none_of", []):
        if _of(events, kind):
            failures.append(f"none_of: found {len(_of(events, kind))} {kind}")
    for kind, n in (expect.get("count") or {}).items():
        if len(_of(events, kind)) != n:
            failures.append(f"count: {kind} expected {n}, found {len(_of(events, kind))}")
    for kind, status in (expect.get("status") or {}).items():
        wrong = [e.get("status") for e in _of(events, kind) if e.get("status") != status]
        if wrong:
            failures.append(f"status: {kind} expected all {status}, got {wrong}")
    for kind, gold in (expect.get("date") or {}).items():
        gold = str(gold)
        if not any(_date_matches(e.get("event_date"), gold) for e in _of(events, kind)):
            failures.append(f"date: no {kind} on {gold} (got {[e.get('event_date') for e in _of(events, kind)]})")
    for kind, names in (expect.get("participants") or {}).items():
        if not any(all(_has_name(e, name) for name in names) for e in _of(events, kind)):
            failures.append(f"participants: no {kind} with all of {names} "
                            f"(got {[_names(e) for e in _of(events, kind)]})")
    for kind, words in (expect.get("not_participants") or {}).items():
        bad = sorted({name for e in _of(events, kind) for name in _names(e)
                      for word in words if word.lower() in name.lower()})
        if bad:
            failures.append(f"not_participants: {kind} has participant(s) {bad}")
    for kind, name in (expect.get("location") or {}).items():
        if not any(_place(e) == name.strip().lower() for e in _of(events, kind)):
            failures.append(f"location: no {kind} at {name} "
                            f"(got {[(e.get('location') or {}).get('name') for e in _of(events, kind)]})")
    for kind, name in (expect.get("not_location") or {}).items():
        if any(_place(e) == name.strip().lower() for e in _of(events, kind)):
            failures.append(f"not_location: a {kind} is located at {name}")
    return failures


def _summary(events: list[dict]) -> str:
    return "\n".join(
        f"  {e.get('event_type')} {e.get('status')} date={e.get('event_date')} "
        f"loc={(e.get('location') or {}).get('name')} participants={_names(e)}"
        for e in events) or "  (no events)"


@pytest.mark.parametrize("probe", _params())
def test_probe(nlp, probe):
    fields = {"id": probe["id"], "text": probe["text"]}
    if probe.get("published_at"):
        fields["published_at"] = str(probe["published_at"])
    events = analyse_article(nlp, make_article(fields))
    failures = _failures(probe["expect"], events)
    assert not failures, (f"[{probe['class']}] {probe['text']}\n" + "\n".join(failures)
                          + "\nevents:\n" + _summary(events))


# --- the suite itself -----------------------------------------------------------------------

def _has_event_side(expect: dict) -> bool:
    """The probe says some event must be extracted."""
    return any(expect.get(key) and any(
        (n > 0) if key == "count" else True for n in expect[key].values()) for key in PRESENCE_KEYS)


def _is_no_event_side(expect: dict) -> bool:
    """The probe says some event type must not be extracted."""
    return bool(expect.get("none_of")) or any(n == 0 for n in (expect.get("count") or {}).values())


def test_suite_size_and_coverage():
    per_class = Counter(probe["class"] for probe in PROBES)
    assert len(PROBES) >= MIN_PROBES, f"{len(PROBES)} probes, want >= {MIN_PROBES}"
    assert set(per_class) == set(CLASSES), f"classes: {sorted(per_class)}"
    short = {name: n for name, n in per_class.items() if n < MIN_PER_CLASS}
    assert not short, f"classes with fewer than {MIN_PER_CLASS} probes: {short}"
    for name in BOTH_SIDES:
        expects = [p["expect"] for p in PROBES if p["class"] == name]
        assert any(_is_no_event_side(e) for e in expects), f"{name}: no probe where an event must NOT be extracted"
        assert any(_has_event_side(e) for e in expects), f"{name}: no probe where an event MUST be extracted"


def test_probes_are_well_formed():
    ids = [probe.get("id") for probe in PROBES]
    assert len(ids) == len(set(ids)), "duplicate probe ids"
    for probe in PROBES:
        pid = probe.get("id")
        assert set(probe) <= {"id", "class", "text", "published_at", "expect", "xfail"}, pid
        assert probe.get("class") in CLASSES, pid
        assert isinstance(probe.get("text"), str) and probe["text"].strip(), pid
        if "xfail" in probe:
            assert isinstance(probe["xfail"], str) and probe["xfail"].strip(), f"{pid}: xfail needs a reason"
        expect = probe.get("expect")
        assert isinstance(expect, dict) and expect and set(expect) <= EXPECT_KEYS, pid
        for key, value in expect.items():
            kinds = value if key == "none_of" else list(value)
            assert set(kinds) <= EVENT_TYPES, f"{pid}: unknown event type in {key}"
        assert set((expect.get("status") or {}).values()) <= STATUSES, pid
        # a check that holds vacuously when nothing is extracted comes with one that needs the event
        for key in VACUOUS_KEYS:
            for kind in expect.get(key) or {}:
                assert any(kind in (expect.get(p) or {}) and (p != "count" or expect["count"][kind] > 0)
                           for p in PRESENCE_KEYS), f"{pid}: {key} of {kind} without a presence check"
