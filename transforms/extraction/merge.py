"""Merging mentions of one event within an article into one record.

A later mention joins an earlier event of the same type when nothing contradicts it
(participants, explicit place, date, cancelled-or-not). A definite noun mention with no
partners of its own ("the meeting", "this visit") joins the most recent event of its type.
"""
from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right, insort
from dataclasses import dataclass, field
from functools import lru_cache

from .lexicon import word_set

KEY_ROLES = {"state_visit": ("guest",), "meeting": ("participant",), "agreement_signed": ("signatory",), "facility_opened": ("opener", "owner")}
PREP_RE = re.compile(r"^(?:on|in|at|during|since|by|from|of)\s+", re.IGNORECASE)


@dataclass
class Draft:
    """An event being built, with the facts merging needs but the record does not carry."""

    event: dict
    explicit_location: bool
    anaphoric: bool  # "the meeting": refers back rather than introducing an event
    time_anchor: bool = False  # "before the Venice summit": another event used as a point in time
    features: list = field(default_factory=list)  # one feature dict per mention (decision.py)
    strict: bool = True  # proposed by a strict finder (else a loose one: triggers.loose_candidates)
    implied: bool = False  # a visit implied by a meeting abroad, not told by a trigger
    other: bool = False  # "his only other trip to Paris", "a previous meeting": an event apart from the rest


def _names(event: dict, roles) -> set:
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
    if firsts_b <= _names(a, roles) or firsts_a <= _names(b, roles):
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
    from transforms.identity import person_key  # noqa: PLC0415

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
            code = _participant_code(part, text) or (_country_of(part["name"])[0] if part["entity_type"] == "GPE" else None)
            if code is None and not _surname(part):
                return None
            codes |= {code} - {None}
    return codes


def _same_text(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return True
    return _plain(a) == _plain(b)


def _same_place(a: str | None, b: str | None, one_trip: bool) -> bool:
    """The same words or gazetteer place ("the White House" / "Washington"), or a country and a
    place inside it ("a state visit to Japan" and "arrived in Tokyo" tell one visit); for a
    visit (``one_trip``) any two places of one country (a state visit to Canberra and Sydney)."""
    if _same_text(a, b):
        return True
    place_a, place_b = _country_of(a), _country_of(b)
    if place_a[0] is None or place_a[0] != place_b[0]:
        return False
    return one_trip or place_a[1] or place_b[1] or place_a[2] == place_b[2]


def _places_agree(a: dict, b: dict, one_trip: bool) -> bool:
    """The same place (``_same_place``), or a later mention that names nobody of its own at a
    place no gazetteer knows: "the two leaders met at the Presidential Villa", "her first trip
    to Europe" tell the event before (a named party at an unknown place may be another event)."""
    first, second = a["location"]["name"], b["location"]["name"]
    if _same_place(first, second, one_trip):
        return True
    return _country_of(second)[0] is None and not _proper_names(b, KEY_ROLES[b["event_type"]])


@lru_cache(maxsize=4096)
def _country_of(name: str) -> tuple[str | None, bool, int | None]:
    """(alpha-3 country of a place name, whether the name is that country itself, its GeoNames id)."""
    from transforms.resolution.countries import country_code  # noqa: PLC0415
    from transforms.resolution.geo import geocode  # noqa: PLC0415

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
    if (a["status"] == "cancelled") != (b["status"] == "cancelled"):
        return False
    if old.explicit_location and new.explicit_location and not _places_agree(a, b, a["event_type"] == "state_visit"):
        return False
    if not _same_time(a, b, published, a["event_type"] == "state_visit"):
        return False
    if new.anaphoric:
        return True
    return _participants_compatible(a, b, text)


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
    from transforms.resolution.dates import date_span, resolve_date  # noqa: PLC0415

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
    if new.explicit_location and (not old.explicit_location or _country_of(a["location"]["name"])[1]):
        a["location"], old.explicit_location = b["location"], True  # the finer place: the city, not its country
    if a["date_text"] is None and b["date_text"] and b["status"] == "planned":
        a["status"] = "planned"  # the only date of the event places it ahead ("next week's summit")
    for key in ("date_text", "object"):
        if a[key] is None:
            a[key] = b[key]
    old.features.extend(new.features)


def _party_key(part: dict) -> str:
    """A country by its code ("U.S" is "United States"), any other party by its name."""
    from transforms.resolution.countries import country_code

    return (part["entity_type"] == "GPE" and country_code(part["name"])) or part["name"]


def _told_twice(a: dict, b: dict) -> bool:
    """One side of two mentions told once by description and once by surname ("South Africa's
    defence minister" ... "Nkosi"): one person, when the surname's country is unknown."""
    if a["role"] != b["role"] or not a["entity_type"] == b["entity_type"] == "PERSON":
        return False
    return any(_surname(x) and not _participant_code(x) and not _named_person(y) and _participant_code(y)
               for x, y in ((a, b), (b, a)))


def _one_person(a: dict, b: dict) -> dict:
    """The surname, with the description's country and title, the description as an alias."""
    name, described = (a, b) if _surname(a) else (b, a)
    return {**name, "country": described["country"], "title": name["title"] or described["title"],
            "aliases": [*name["aliases"], described["name"]]}


def merge(drafts: list[Draft], text: str | None = None, published=None) -> list[Draft]:
    """One draft per event: each draft joins the most recent compatible earlier event.

    With the article ``text``, meetings of foreign officials also yield implied visits;
    ``published`` (the article's day) resolves the dates merging compares."""
    merged = [draft for draft in _merge_drafts(drafts, published, text) if not _home_trip(draft.event, text)]
    _inherit_places(merged)
    if text is not None:
        merged += implied_visits(merged, text)
    merged.sort(key=lambda d: d.event["sentence"]["start"])
    return merged


def _merge_drafts(drafts: list[Draft], published=None, text: str | None = None) -> list[Draft]:
    """Strict drafts first, in text order, then the loose ones: a loose proposal may join an
    event the rules found, but never becomes the record a strict mention joins."""
    merged: list[Draft] = []
    by_start: list[Draft] = []  # the same drafts in text order, for finding the ones before a mention
    for draft in sorted(drafts, key=lambda d: not d.strict):  # stable: text order within each
        earlier = by_start[:bisect_right(by_start, _start(draft), key=_start)]
        target = next((old for old in reversed(earlier) if compatible(old, draft, published, text)), None)
        if target is None and draft.anaphoric:
            # "the meeting" with nothing to refer back to: an event of its own only if the decision says so
            draft.features[0][f"orphan:{draft.event['event_type']}"] = 1.0
        if target is None or (not draft.anaphoric and _is_new_destination(target, draft)):
            merged.append(draft)
            insort(by_start, draft, key=_start)
        else:
            absorb(target, draft)
    return merged


def _home_trip(event: dict, text: str | None) -> bool:
    """A visit whose guests all come from the country visited ("Virtanen is due to return to
    Helsinki"): a trip home or inside one's own country, not a state visit (spec/ANNOTATION.md)."""
    if event["event_type"] != "state_visit":
        return False
    visited = _place_code(event["location"], set())
    if visited is None:
        hosts = {_participant_code(p, text) or _country_of(p["name"])[0] for p in event["participants"] if p["role"] == "host"}
        visited = hosts.pop() if len(hosts) == 1 else None
    guests = [_participant_code(p, text) for p in event["participants"] if p["role"] == "guest"]
    return visited is not None and bool(guests) and all(code == visited for code in guests)


def _start(draft: Draft) -> int:
    return draft.event["sentence"]["start"]


def _is_new_destination(old: Draft, new: Draft) -> bool:
    """Split events of one trigger (one per destination: "a tour of Iraq, Kuwait and Qatar") never
    fold into each other, unless they are places of one country ("a visit to Japan in Tokyo",
    "visits Manchester, Leeds and York"): one trip."""
    if old.event["trigger"] != new.event["trigger"]:
        return False
    places = [(draft.event["location"] or {}).get("name") for draft in (old, new)]
    return not (all(places) and _same_place(*places, one_trip=True))


# --- implied state visits --------------------------------------------------------------
# "X, the president of Tajikistan, met Y in Tehran": an official of one country meeting in a
# place of another country is on an official visit there (EVENTS.md state_visit; guest =
# the foreign official, host = the country of the place). Countries come from
# transforms.resolution (geocoding of the place, the participant's country hint/title).


def _participant_code(part: dict, text: str | None = None) -> str | None:
    """A participant's country from its hint, its title, or the title phrase around it in ``text``
    ("Paraguayan Public Works Minister [Ramón Giménez]")."""
    from transforms.resolution.countries import country_code, country_in_text, stated_country

    return (country_code(part.get("country")) or country_in_text(part.get("title"))
            or stated_country(text, part.get("start"), part.get("end")))


def _place_code(location: dict | None, context: set) -> str | None:
    from transforms.resolution.geo import geocode

    if not location or not location.get("name"):
        return None
    place = geocode(location["name"], context) or {}
    return place.get("country")


def _country_name(code: str, text: str) -> str:
    """The shortest name of country ``code`` that the article uses, else a plain one."""
    from transforms.resolution.countries import country_names

    forms = sorted({name for name, alpha in country_names() if alpha == code and name}, key=lambda name: (len(name), name))
    used = [name for name in forms if len(name) > 3 and name in text]
    return (used or forms or [code])[0]


def implied_visits(drafts: list[Draft], text: str) -> list[Draft]:
    """State visits implied by meetings of a foreign official in a named place (see above). A
    loose mention of the same trip ("while in Tehran") joins the visit the meeting implies and
    leaves ``drafts``; a strict one means the visit is told already."""
    told = {}  # (guest, country visited) -> the visit telling it: one trip may reach several countries
    for draft in drafts:
        if draft.event["event_type"] == "state_visit":
            place = _place_code(draft.event["location"], set())
            told.update({(name, place): draft for name in _names(draft.event, ("guest",))})
    found = []
    for draft in [d for d in drafts if d.event["event_type"] == "meeting"]:
        event = draft.event
        if event["status"] == "cancelled" or not draft.explicit_location:
            continue
        codes = [(part, _participant_code(part)) for part in event["participants"]]
        context = {code for _, code in codes if code}
        place = _place_code(event["location"], context)
        if place is None:
            continue
        for part, code in codes:
            if part["role"] != "participant" or part["entity_type"] != "PERSON" or not part.get("title"):
                continue
            key = (part["name"].lower(), place)
            if code is None or code == place or (key in told and (told[key].strict or told[key].implied)):
                continue
            guest = {**part, "role": "guest"}
            name = _country_name(place, text)
            host = {"name": name, "aliases": [], "role": "host", "entity_type": "GPE",
                    "title": None, "country": name, "start": None, "end": None}
            visit = {**event, "event_type": "state_visit", "participants": [guest, host],
                     "mentions": [dict(m) for m in event["mentions"]], "object": None}
            features = [{**feats, "implied_visit": 1.0} for feats in draft.features]
            implied = Draft(visit, True, False, features=features, strict=draft.strict, implied=True)
            if key in told:
                absorb(implied, told[key])
                drafts.remove(told[key])
            told[key] = implied
            found.append(implied)
    return found


def _inherit_places(merged: list[Draft]) -> None:
    """A meeting whose sentences name no place takes the explicit place of an earlier meeting
    or visit of the article that shares a named participant ("his talks with the president"
    after "X met Y in Tehran"); the dateline stays the last resort. The best source shares the
    most people, then is a meeting (a visit's guest may also meet people elsewhere), then is
    the most recent. A meeting with no date of its own takes the source's date too: the talks
    are part of the same trip ("X visits Y next week, ... his talks with Z")."""
    for index, draft in enumerate(merged):
        event = draft.event
        if event["event_type"] != "meeting" or draft.explicit_location:
            continue
        mine = _all_names(event)
        best, best_key = None, None
        for position, old in enumerate(merged[:index]):
            if not (old.explicit_location and old.event["event_type"] in ("meeting", "state_visit") and old.event["location"]):
                continue
            shared = len(mine & _all_names(old.event))
            if not shared:
                continue
            key = (shared, old.event["event_type"] == "meeting", position)
            if best_key is None or key > best_key:
                best, best_key = old, key
        if best is None:
            continue
        event["location"] = {**best.event["location"], "inferred": True}
        same_time = (best.event["status"] == "planned") == (event["status"] == "planned")
        if event["date_text"] is None and best.event["date_text"] and same_time:
            event["date_text"] = best.event["date_text"]


def _all_names(event: dict) -> set:
    names = set()
    for part in event["participants"]:
        names.add(part["name"].lower())
        names.update(alias.lower() for alias in part.get("aliases") or [])
    return names
