"""Identity of one real-world event across articles: ``event_id`` (pure Python).

A report joins the event (cluster) that it fits, and only when exactly one fits:

- **article**: two records of one article are different events (merging within the article,
  transforms/extraction/merge.py, already joined its mentions), so a cluster never takes a
  second record of an article it holds;
- **who**: the people both name (principal roles, proper names) do not conflict: nobody one
  side names is missing from the other in favour of another person of the same country ("A met
  B" / "A met C"; names nest: "Virtanen" = "Aino Virtanen"; known countries agree); visits need
  their guests to nest, so two trips to one country stay apart. Unless the same people are
  named, actor sets nest too: per principal participant its country when known, else its name
  (organisations always by name without legal forms), plus the place's country;
- **status**: a planned report joins the occurred event it announced, a cancelled one the
  planned event; occurred and cancelled never join;
- **place**: the place countries do not disagree;
- **day**: where both are known to the day, at most ``DAY_TOLERANCE`` days apart.

A report that fits several events (it names only a country, or one of two leaders who met
others that week) starts its own, unless only one of them agrees on the countries too.
Reports are compared only inside a block (type and month of the event day or month, else of
publication), so the cost stays linear in the input: a batch run groups the blocks, a stream
keeps each block's clusters in state.

``assign_event_ids`` clusters one block in ``arrival_order`` (publication time, article, place
in the text); a cluster's id is the stateless ``event_id`` of its first report, so a stream
that sees the reports in publication order (transforms/steps/event_ids.py keeps the clusters in state)
and a batch run agree.

Failure modes (measured in docs/QUALITY.md): reports straddling a month boundary split; a
report that names an extra country the others lack, or none of theirs, splits; a planned-event
announcement published in an earlier month gets the month of publication unless it gives the
day or the month; a
person the extractor names only by title ("the Finnish premier") counts by country alone.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date
from functools import lru_cache

from transforms.lexicon import load
from transforms.resolution.countries import country_code
from transforms.resolution.geo import geocode

DAY_TOLERANCE = 1
_NON_WORD = re.compile(r"[^a-z0-9]+")


def _lexicon() -> dict:
    return load("identity")


@lru_cache(maxsize=1)
def _title_words() -> frozenset:
    """Honorifics and title words (titles.yaml): not part of a person's name for identity."""
    titles = load("titles")
    return frozenset(str(w).lower() for w in [*titles["honorifics"], *titles["person_titles"], *_lexicon()["name_titles"]])


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
        if participant.get("entity_type") == "ORG" and person_key(participant) is None:
            keys.add(organisation_key(participant["name"]))
        elif participant.get("country"):
            keys.add(participant["country"])
        else:
            people.add(normalise_name(participant["name"]))
    location = event.get("location") or {}
    if location.get("country"):
        keys.add(location["country"])
    return sorted((keys or people or {normalise_name(location.get("name") or "")}) - {""})


def person_key(participant: dict) -> list[str] | None:
    """The words of a person's proper name without titles and honorifics ("President Aino
    Virtanen" -> ["aino", "virtanen"]); None for descriptions ("the Finnish premier", "Chief of
    General Staff", "Sri Lanka's president"), which identify nobody across articles. The small
    NER model sometimes types a person otherwise: a "place" no gazetteer knows ("Karaca met
    ...") and an "organisation" led by a title ("Foreign Minister Ana Ruiz") count as people."""
    key = _name_key(participant.get("name") or "", participant.get("entity_type"))
    return list(key) if key else None


@lru_cache(maxsize=65536)
def _name_key(name: str, kind: str | None) -> tuple[str, ...]:
    """``person_key`` of one name and entity type (cached: every report reads its names for its
    id, its actors and its people)."""
    if not name or re.search(r"\w['’]s\b", name):
        return ()
    particles = set(_lexicon()["name_particles"])
    raw = name.replace(".", " ").split()
    words = [w for w in raw if not _not_a_name(w)]
    if not words or words[0][0].islower() or any(not w[0].isupper() and w.lower() not in particles for w in words):
        return ()
    titled = any(w.lower() in _title_words() for w in raw)
    unknown_place = kind in ("GPE", "NORP") and geocode(name) is None and country_code(name, scan=False) is None
    if not (kind == "PERSON" or unknown_place or (kind == "ORG" and titled)):
        return ()
    return tuple(sorted({normalise_name(w) for w in words if w.lower() not in particles} - {""}))


def _not_a_name(word: str) -> bool:
    """Titles (also plural), honorifics and country words ("Finnish") around a name."""
    bare = word.strip(",")
    lower = bare.lower()
    return lower in _title_words() or lower.removesuffix("s") in _title_words() or country_code(bare, scan=False) is not None


def people(event: dict, roles=None) -> list[list]:
    """[name words, country] of the principal (or ``roles``) participants named by proper name."""
    wanted = set(roles or _lexicon()["principal_roles"])
    found = []
    for participant in event["participants"]:
        key = person_key(participant) if participant.get("role") in wanted else None
        if key and [key, participant.get("country")] not in found:
            found.append([key, participant.get("country")])
    return sorted(found, key=lambda item: (item[0], item[1] or ""))


def _same_person(a: list, b: list) -> bool:
    """One name's words contain the other's ("Virtanen" in "Aino Virtanen"); known countries agree."""
    words_a, words_b = set(a[0]), set(b[0])
    if not (words_a <= words_b or words_b <= words_a):
        return False
    return not (a[1] and b[1] and a[1] != b[1])


def _people_nest(mine: list, theirs: list) -> bool:
    """Everyone of the side naming fewer people is someone the other side names."""
    small, large = (mine, theirs) if len(mine) <= len(theirs) else (theirs, mine)
    return all(any(_same_person(person, other) for other in large) for person in small)


def _people_conflict(mine: list, theirs: list) -> bool:
    """Each side names someone the other does not, in each other's stead: two people of one
    country, or of unknown countries (A met B / A met C). A person only one side names is
    just a detail the other report left out."""
    alone_mine = [p for p in mine if not any(_same_person(p, q) for q in theirs)]
    alone_theirs = [q for q in theirs if not any(_same_person(q, p) for p in mine)]
    return any(p[1] is None or q[1] is None or p[1] == q[1] for p in alone_mine for q in alone_theirs)


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
    """The stateless id of one report: type, actors, named people, and its day if known, else its week."""
    when = event.get("event_date") if event.get("date_precision") == "day" else week(event, published_at)
    names = "|".join(" ".join(key) for key, _country in people(event))
    return "e-" + digest(event["event_type"], "|".join(actors(event)), names, when or "")


def month(event: dict, published_at: str | None) -> str:
    """The month ("2025-03") of the event day or month, else of the publication day, else 'undated'."""
    when = event.get("event_date") if event.get("date_precision") in ("day", "month") else None
    when = (when or published_at or "")[:7]
    return when if re.fullmatch(r"\d{4}-\d{2}", when) else "undated"


def block(row: dict) -> str:
    """Reports can only be of one event inside one block: type and month (of an `events` row).
    A month, not a week: an announcement dated "in March" meets the reports of the day."""
    published = row["article"]["published_at"]
    return f"{row['event_type']}|{month(row, published.isoformat() if published else None)}"


def summary(row: dict) -> dict:
    """What clustering needs of an `events` row (small and JSON-ready: a stream keeps it in state)."""
    return {
        "event_id": row["event_id"],
        "article": row["article"]["article_id"],
        "status": row.get("status"),
        "actors": actors(row),
        "people": people(row),
        "guests": people(row, ("guest",)) if row["event_type"] == "state_visit" else [],
        "place": (row.get("location") or {}).get("country"),
        "day": row["event_date"] if row.get("date_precision") == "day" else None,
    }


def fits(report: dict, cluster: dict) -> bool:
    """Could ``report`` be another report of the event ``cluster`` (rules in the module docstring)?"""
    if report["article"] in cluster["articles"]:
        return False
    if {"occurred", "cancelled"} <= set(cluster["statuses"]) | {report["status"]}:
        return False
    if report["place"] and cluster["places"] and report["place"] not in cluster["places"]:
        return False
    named = bool(report["people"] and cluster["people"])
    if named and _people_conflict(report["people"], cluster["people"]):
        return False
    if report["guests"] and cluster["guests"] and not _people_nest(report["guests"], cluster["guests"]):
        return False  # two different trips
    same_people = named and _people_nest(report["people"], cluster["people"])
    mine, theirs = set(report["actors"]), set(cluster["actors"])
    if not same_people and not (mine and theirs and (mine <= theirs or theirs <= mine)):
        return False
    if report["day"] and cluster["days"]:
        day = date.fromisoformat(report["day"])
        return any(abs((day - date.fromisoformat(other)).days) <= DAY_TOLERANCE for other in cluster["days"])
    return True


def _grow(cluster: dict, report: dict) -> None:
    cluster["articles"] = sorted(set(cluster["articles"]) | {report["article"]})
    cluster["statuses"] = sorted(set(cluster["statuses"]) | ({report["status"]} - {None}))
    cluster["actors"] = sorted(set(cluster["actors"]) | set(report["actors"]))
    for field in ("people", "guests"):
        cluster[field] += [p for p in report[field] if not any(_same_person(p, q) for q in cluster[field])]
    cluster["places"] = sorted(set(cluster["places"]) | ({report["place"]} - {None}))
    cluster["days"] = sorted(set(cluster["days"]) | ({report["day"]} - {None}))


def join(report: dict, clusters: list[dict]) -> str:
    """The id for ``report``: the one cluster it fits (which then grows), else a new cluster."""
    fitting = [cluster for cluster in clusters if fits(report, cluster)]
    if len(fitting) > 1:  # the one that names the report's people, if only one does
        fitting = [cluster for cluster in fitting if report["people"] and _people_nest(report["people"], cluster["people"])]
    if len(fitting) > 1:  # several do ("Karaca" met two leaders that week): the one whose countries nest
        mine = set(report["actors"])
        fitting = [cluster for cluster in fitting if mine <= set(cluster["actors"]) or set(cluster["actors"]) <= mine]
    if len(fitting) == 1:
        _grow(fitting[0], report)
        return fitting[0]["event_id"]
    new_id = report["event_id"]
    while any(cluster["event_id"] == new_id for cluster in clusters):  # same actors, days apart
        new_id = "e-" + digest(new_id)
    cluster = {"event_id": new_id, "articles": [], "statuses": [], "actors": [], "people": [], "guests": [],
               "places": [], "days": []}
    _grow(cluster, report)
    clusters.append(cluster)
    return new_id


def arrival_order(row: dict) -> tuple:
    """The order a stream sees reports in: by publication, then article, then place in the text."""
    published = row["article"]["published_at"]
    return (published.isoformat() if published else "", row["article"]["article_id"],
            (row.get("sentence") or {}).get("start") or 0, (row.get("trigger") or {}).get("start") or 0, row["record_id"])


def assign_event_ids(rows: list[dict]) -> list[dict]:
    """Batch: the rows of one block, in ``arrival_order``, each with its cluster's event_id."""
    clusters: list[dict] = []
    return [{**row, "event_id": join(summary(row), clusters)} for row in sorted(rows, key=arrival_order)]
