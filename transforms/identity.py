"""Identity of one real-world event across articles: ``event_id`` (pure Python).

Two reports are of one event when they have the same type, fall in the same ISO week,
their actor sets nest (one contains the other), their places do not disagree and their
days, where both are known, are at most ``DAY_TOLERANCE`` apart.

- actors: per principal participant its country when known, else its normalised name
  (organisations always by name without legal forms: two companies opening plants in one
  country stay apart), plus the location's country. "A's leader visited B" and "the
  leaders of A and B met in B" both give {A, B}; a report naming only B gives {B} ⊂ {A, B}.
- week: the ISO week of the event day when known to the day, else of publication.

``assign_event_ids`` clusters the reports of one (type, week) block greedily in a fixed
order; a cluster's id is the stateless ``event_id`` of its first report, so a stream that
sees the reports one by one (transforms/streaming.py keeps the clusters in state) and a
batch run that sorts them agree whenever the first report is the same.

Failure modes (measured in docs/QUALITY.md): reports straddling a week boundary split; a
report whose only actor is shared by two events of the week joins the first (two meetings
of A's leader with B and with C, and a report naming only A); a report that names an
extra country that the others lack, or none of theirs, splits; a planned-event
announcement published weeks ahead gets the week of publication unless it gives the day.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date

from transforms.lexicon import load

DAY_TOLERANCE = 1
_NON_WORD = re.compile(r"[^a-z0-9]+")


def _lexicon() -> dict:
    return load("identity")


def digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:24]


def normalise_name(name: str) -> str:
    """Lower-case ASCII words joined by single spaces: 'Emomali  Rahmon,' -> 'emomali rahmon'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return _NON_WORD.sub(" ", ascii_name.lower()).strip()


def organisation_key(name: str) -> str:
    """'Nordvik Motors AB', 'the Nordvik Motors group' and 'Nordvik' -> 'nordvik';
    'General Motors Corp' -> 'general motors' (a common first word takes the second along)."""
    suffixes = set(_lexicon()["organisation_suffixes"])
    words = [w for w in normalise_name(name).split() if w not in suffixes]
    if len(words) > 1 and words[0] in set(_lexicon()["generic_first_words"]):
        return " ".join(words[:2])
    return words[0] if words else ""


def actors(event: dict) -> list[str]:
    """Countries (of people, governments and the place) and organisations; people whose
    country is unknown count only when nothing else does."""
    principal = set(_lexicon()["principal_roles"])
    keys, people = set(), set()
    for participant in event["participants"]:
        if participant.get("role") not in principal:
            continue
        if participant.get("entity_type") == "ORG":
            keys.add(organisation_key(participant["name"]))
        elif participant.get("country"):
            keys.add(participant["country"])
        else:
            people.add(normalise_name(participant["name"]))
    location = event.get("location") or {}
    if location.get("country"):
        keys.add(location["country"])
    return sorted((keys or people or {normalise_name(location.get("name") or "")}) - {""})


def week(event: dict, published_at: str | None) -> str:
    """ISO week ("2025-W11") of the event day, else of the publication day, else 'undated'."""
    day = event.get("event_date") if event.get("date_precision") == "day" else None
    day = day or (published_at or "")[:10]
    try:
        year, number, _weekday = date.fromisoformat(day).isocalendar()
    except ValueError:
        return "undated"
    return f"{year}-W{number:02d}"


def event_id(event: dict, published_at: str | None) -> str:
    """The stateless id of one report: type, actors, and its day if known, else its week."""
    when = event.get("event_date") if event.get("date_precision") == "day" else week(event, published_at)
    return "e-" + digest(event["event_type"], "|".join(actors(event)), when or "")


def block(row: dict) -> str:
    """Reports can only be of one event inside one block: type and week (of an `events` row)."""
    published = row["article"]["published_at"]
    return f"{row['event_type']}|{week(row, published.isoformat() if published else None)}"


def summary(row: dict) -> dict:
    """What clustering needs of an `events` row (small, so a stream can keep it in state)."""
    return {
        "event_id": row["event_id"],
        "actors": actors(row),
        "place": (row.get("location") or {}).get("country"),
        "day": row["event_date"] if row.get("date_precision") == "day" else None,
    }


def same_event(report: dict, cluster: dict) -> bool:
    """Nested actors, no conflicting place, days within the tolerance."""
    mine, theirs = set(report["actors"]), set(cluster["actors"])
    if not mine or not theirs or not (mine <= theirs or theirs <= mine):
        return False
    if report["place"] and cluster["places"] and report["place"] not in cluster["places"]:
        return False
    if report["day"] and cluster["days"]:
        day = date.fromisoformat(report["day"])
        return any(abs((day - date.fromisoformat(other)).days) <= DAY_TOLERANCE for other in cluster["days"])
    return True


def join(report: dict, clusters: list[dict]) -> str:
    """The id for ``report``: the first cluster it belongs to (which then grows), else a new one."""
    for cluster in clusters:
        if same_event(report, cluster):
            cluster["actors"] = sorted(set(cluster["actors"]) | set(report["actors"]))
            cluster["places"] = sorted(set(cluster["places"]) | ({report["place"]} - {None}))
            cluster["days"] = sorted(set(cluster["days"]) | ({report["day"]} - {None}))
            return cluster["event_id"]
    new_id = report["event_id"]
    while any(cluster["event_id"] == new_id for cluster in clusters):  # same actors, days apart
        new_id = "e-" + digest(new_id)
    clusters.append({"event_id": new_id, "actors": list(report["actors"]),
                     "places": [report["place"]] if report["place"] else [],
                     "days": [report["day"]] if report["day"] else []})
    return new_id


def assign_event_ids(rows: list[dict]) -> list[dict]:
    """Batch: the rows of one block, in record_id order, each with its cluster's event_id."""
    clusters: list[dict] = []
    ordered = sorted(rows, key=lambda row: row["record_id"])
    return [{**row, "event_id": join(summary(row), clusters)} for row in ordered]
