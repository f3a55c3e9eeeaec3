"""Two mentions of one event within an article: ``Draft`` (an event being built),
``compatible`` (nothing contradicts one being the other: participants, a place the clause names,
date, cancelled-or-not) and ``absorb`` (the later mention's facts join the earlier).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from transforms.output.identity import person_key
from transforms.resolution.countries import country_code
from transforms.resolution.offices import told_country
from transforms.resolution.dates import date_span, resolve_date
from transforms.resolution.geo import geocode
from transforms.shapes import CLAUSE

from .lexicon import word_set

KEY_ROLES = {"state_visit": ("guest",), "meeting": ("participant",), "agreement_signed": ("signatory",), "facility_opened": ("opener", "owner")}
PREP_RE = re.compile(r"^(?:on|in|at|during|since|by|from|of)\s+", re.IGNORECASE)


@dataclass
class Draft:
    """An event being built, with the facts merging needs but the record does not carry."""

    event: dict
    place: str | None  # where event["location"] comes from (shapes.CLAUSE, DATELINE, INHERITED, INFERRED); None: no place
    anaphoric: bool  # "the meeting": refers back rather than introducing an event
    time_anchor: bool = False  # "before the Venice summit": another event used as a point in time
    features: list = field(default_factory=list)  # one feature dict per mention (decision.py)
    strict: bool = True  # proposed by a strict finder (else a loose one: triggers.loose_candidates)
    implied: bool = False  # a visit implied by a meeting abroad, not told by a trigger
    other: bool = False  # "his only other trip to Paris", "a previous meeting": an event apart from the rest
    stopped: bool = False  # "broke off talks": cancelled once under way (status.stopped_midway)
    sole_date: str | None = None  # the one date its sentence names, tied to no clause of the trigger (dates.sole_date)
    parties: list = field(default_factory=list)  # (participant, features) the party head may add (party_head.py)
    apart: frozenset = frozenset()  # token indices of partners met or signed with apart, left to sibling drafts
    tensed: bool = False  # told by a verb ("met", "will visit"): its tense, not another mention's date, says when


def names_in_roles(event: dict, roles) -> set:
    names = set()
    for part in event["participants"]:
        if part["role"] in roles:
            names.add(part["name"].lower())
            names.update(alias.lower() for alias in part["aliases"])
    return names


def _participants_compatible(a: dict, b: dict, text: str | None = None) -> bool:
    """Either side names nobody but "the two leaders" (a pair told elsewhere), or one side's key
    participants are all on the other side. Where names differ, people named on both sides are
    different people; otherwise (countries, governments, descriptions on one side: "Kazakhstan
    and Uzbekistan signed" / "ministers X and Y signed", "Indonesia's president" / "the
    Indonesian leader") the known countries must nest. A person named without a known country
    by surname alone ("Al Mansoori and Mehta held talks", after "the foreign ministers of India
    and the UAE") may be any country; any other party needs one ("Boris Johnson visited Kyiv" is
    not the visit of "the leaders of France and Germany")."""
    roles = KEY_ROLES[a["event_type"]]
    firsts_a, firsts_b = _proper_names(a, roles), _proper_names(b, roles)
    if not firsts_a or not firsts_b:
        return True
    if firsts_b <= names_in_roles(a, roles) or firsts_a <= names_in_roles(b, roles):
        return True
    if _persons(a, roles) and _persons(b, roles) or _offices_differ(a, b, roles):
        return False  # different people: Raisi's visit is not the general's
    codes_a, codes_b = _countries(a, roles, text), _countries(b, roles, text)
    if codes_a is None or codes_b is None:
        return False
    return codes_a <= codes_b or codes_b <= codes_a


def _persons(event: dict, roles) -> bool:
    """Whether a key participant is a person named by proper name (not "Brazil's president")."""
    return any(p["role"] in roles and _named_person(p) for p in event["participants"])


def _offices_differ(a: dict, b: dict, roles) -> bool:
    """One side describes someone by an office ("the Chief of General Staff") that none of the
    people the other side names holds ("President Karim Tavakoli"): different people."""
    for described, named in ((a, b), (b, a)):
        offices = [_offices(p) for p in named["participants"] if p["role"] in roles and _named_person(p)]
        offices = [words for words in offices if words]
        for part in described["participants"]:
            if part["role"] in roles and part["entity_type"] == "PERSON" and not _named_person(part):
                mine = _offices(part)
                if mine and offices and not any(mine & theirs for theirs in offices):
                    return True
    return False


def _offices(part: dict) -> set:
    """The particular office words of a participant's title and name ("Chief of General Staff"
    -> chief, general), generic ones ("leader") left out."""
    words = set(re.findall(r"[a-z]+", f"{part.get('title') or ''} {part['name']}".lower()))
    return (words & word_set("titles", "person_titles")) - word_set("titles", "generic_titles")


def _name_words(part: dict) -> list:
    """The words of a person's proper name (identity.person_key); none for a description or a
    reference to a pair told elsewhere."""
    return [] if PAIR_RE.match(part["name"]) else person_key(part) or []


def _named_person(part: dict) -> bool:
    return bool(_name_words(part))


def _surname(part: dict) -> bool:
    """A person named by one word ("Mehta", "General Long"): someone the article introduced before."""
    return len(_name_words(part)) == 1


PAIR_RE = re.compile(r"^(?:the\s+)?(?:two|both)\b", re.IGNORECASE)  # "the two leaders", "both sides"


def _proper_names(event: dict, roles) -> set:
    """Key participants' names, except references to a pair told elsewhere ("the two leaders")."""
    return {p["name"].lower() for p in event["participants"] if p["role"] in roles and not PAIR_RE.match(p["name"])}


def _countries(event: dict, roles, text: str | None) -> set | None:
    """The known countries of the key participants (a pair reference and people of unknown
    country left out), or None when a party that is not a named person has none known."""
    codes = set()
    for part in event["participants"]:
        if part["role"] in roles and not PAIR_RE.match(part["name"]):
            code = told_country(part, text) or (country_of(part["name"])[0] if part["entity_type"] == "GPE" else None)
            if code is None and not _surname(part):
                return None
            codes |= {code} - {None}
    return codes


def _same_text(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return True
    return _plain(a) == _plain(b)


def same_place(a: str | None, b: str | None, one_trip: bool) -> bool:
    """The same words or gazetteer place ("the White House" / "Washington"), or a country and a
    place inside it ("a state visit to Japan" and "arrived in Tokyo" tell one visit); for a
    visit (``one_trip``) any two places of one country (a state visit to Canberra and Sydney)."""
    if _same_text(a, b):
        return True
    place_a, place_b = country_of(a), country_of(b)
    if place_a[0] is None or place_a[0] != place_b[0]:
        return False
    return one_trip or place_a[1] or place_b[1] or place_a[2] == place_b[2]


def _places_agree(a: dict, b: dict, one_trip: bool) -> bool:
    """The same place (``same_place``), or a later mention that names nobody of its own at a
    place no gazetteer knows: "the two leaders met at the Presidential Villa", "her first trip
    to Europe" tell the event before (a named party at an unknown place may be another event)."""
    first, second = a["location"]["name"], b["location"]["name"]
    if same_place(first, second, one_trip):
        return True
    return country_of(second)[0] is None and not _proper_names(b, KEY_ROLES[b["event_type"]])


@lru_cache(maxsize=4096)
def country_of(name: str) -> tuple[str | None, bool, int | None]:
    """(alpha-3 country of a place name, whether the name is that country itself, its GeoNames id)."""
    place = geocode(name) or {}
    is_country = place.get("feature_class") == "A" and country_code(name, scan=False) == place.get("country")
    return place.get("country"), is_country, place.get("geonames_id")


def _plain(text: str) -> str:
    """ "next week's" ~ "next week", "on Monday" ~ "Monday"."""
    return PREP_RE.sub("", text.lower()).replace("’s", "").replace("'s", "").strip()


def compatible(old: Draft, new: Draft, published=None, text: str | None = None) -> bool:
    """Could ``new`` be another mention of ``old``? (``published``: the article's day, which
    resolves date expressions that differ in words: "on Wednesday" and "on March 12"; ``text``:
    the article's, whose title phrases tell participants' countries.)"""
    a, b = old.event, new.event
    if a["event_type"] != b["event_type"]:
        return False
    if (old.time_anchor or new.time_anchor) and any(m["start"] == b["sentence"]["start"] for m in a["mentions"]):
        return False  # "meets on Thursday for its last session before the Venice summit": two events
    if old.other or new.other:
        return False
    if (a["status"] == "cancelled") != (b["status"] == "cancelled") and not _held_then_stopped(old, new):
        return False
    if old.place == new.place == CLAUSE and not _places_agree(a, b, a["event_type"] == "state_visit"):
        return False
    if not _same_time(a, b, published, a["event_type"] == "state_visit"):
        return False
    if new.anaphoric:
        return True
    return _participants_compatible(a, b, text)


def _held_then_stopped(old: Draft, new: Draft) -> bool:
    """One mention tells the event as held ("negotiations ended Saturday"), the other as
    stopped once under way ("broke off talks"): the same event."""
    stopped, held = (old, new) if old.event["status"] == "cancelled" else (new, old)
    return stopped.stopped and held.event["status"] == "occurred"


TRIP_DAYS = 7  # the stages of one visit ("arrived on Monday", "flies to Osaka on Thursday") fall within a week


def _same_time(a: dict, b: dict, published, one_trip: bool) -> bool:
    """The same date words, or dates that overlap once resolved ("in March" and "on March 12");
    for a visit (``one_trip``), dates within ``TRIP_DAYS`` of each other. An expression that
    resolves to no day is no contradiction."""
    if _same_text(a["date_text"], b["date_text"]) or _words_within(a["date_text"], b["date_text"]):
        return True
    first, second = _days(a, published), _days(b, published)
    if first is None or second is None:
        return True  # a time that names no day ("shortly after noon", "hours later") contradicts none
    slack = dt.timedelta(days=TRIP_DAYS if one_trip else 0)
    return first[0] - slack <= second[1] and second[0] - slack <= first[1]


def _words_within(a: str, b: str) -> bool:
    """One date expression's words are all in the other ("December" / "14 December", "on Friday"
    / "on Friday and Saturday"): the same time told more or less precisely."""
    words_a, words_b = set(_plain(a).split()), set(_plain(b).split())
    return bool(words_a and words_b) and (words_a <= words_b or words_b <= words_a)


def _days(event: dict, published) -> tuple[dt.date, dt.date] | None:
    """The first and last day an event's date expression stands for, or None if it resolves to nothing."""
    value, _precision = resolve_date(event["date_text"], published, event["status"])
    return None if value is None else date_span(value)


def absorb(old: Draft, new: Draft) -> None:
    """Add ``new``'s mention and any facts ``old`` lacks."""
    a, b = old.event, new.event
    if all(m["start"] != b["sentence"]["start"] for m in a["mentions"]):
        a["mentions"].append(dict(b["sentence"]))
    known = {_party_key(p) for p in a["participants"]}  # one role per party: a principal is not also an attendee
    for part in b["participants"]:
        twins = [p for p in a["participants"] if _told_twice(p, part)]
        if len(twins) == 1:
            a["participants"][a["participants"].index(twins[0])] = _one_person(twins[0], part)
        elif _party_key(part) not in known:
            a["participants"].append(part)
            known.add(_party_key(part))
    if new.place == CLAUSE and (old.place != CLAUSE or country_of(a["location"]["name"])[1]):
        a["location"], old.place = b["location"], CLAUSE  # the finer place: the city, not its country
    if a["date_text"] is None and b["date_text"] and b["status"] == "planned" and not old.tensed:
        a["status"] = "planned"  # the only date of the event places it ahead ("next week's summit")
    if a["date_text"] is None and {a["status"], b["status"]} != {"planned", "occurred"}:
        a["date_text"] = b["date_text"]  # a mention told as ahead dates no event told as held, nor the reverse
    if a["object"] is None:
        a["object"] = b["object"]
    old.features.extend(new.features)


def _party_key(part: dict) -> str:
    """A country by its code ("U.S" is "United States"), any other party by its name."""
    return (part["entity_type"] == "GPE" and country_code(part["name"])) or part["name"]


def _told_twice(a: dict, b: dict) -> bool:
    """One side of two mentions told once by description and once by surname ("South Africa's
    defence minister" ... "Nkosi"): one person, when the surname's country is unknown."""
    if a["role"] != b["role"] or not a["entity_type"] == b["entity_type"] == "PERSON":
        return False
    return any(_surname(x) and not told_country(x) and not _named_person(y) and told_country(y)
               for x, y in ((a, b), (b, a)))


def _one_person(a: dict, b: dict) -> dict:
    """The surname, with the description's country and title, the description as an alias."""
    name, described = (a, b) if _surname(a) else (b, a)
    return {**name, "country": described["country"], "title": name["title"] or described["title"],
            "aliases": [*name["aliases"], described["name"]]}


def place_code(location: dict | None, context: set) -> str | None:
    """The country of an event's place (``context``: countries that settle an ambiguous name)."""
    if not location or not location.get("name"):
        return None
    place = geocode(location["name"], context) or {}
    return place.get("country")
