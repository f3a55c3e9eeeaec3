"""Facts one event of an article lends another, after merging: visits implied by meetings
abroad, the country a visit's place names as its host, and the place (and date) a meeting
inherits from an earlier one with the same people.
"""
from __future__ import annotations

from transforms.resolution.countries import country_party
from transforms.resolution.offices import told_country
from transforms.shapes import CLAUSE, DATELINE, INHERITED, make_event, make_location

from .mentions import Draft, absorb, names_in_roles, place_code


# --- implied state visits --------------------------------------------------------------
# "X, the president of Tajikistan, met Y in Tehran": an official of one country meeting in a
# place of another country is on an official visit there (EVENTS.md state_visit; guest =
# the foreign official, host = the country of the place). The place is the clause's or, for a
# meeting whose clause names none, the dateline's ("TOKYO - the Finnish foreign minister held
# talks with Japanese officials"); a feature tells the model which. Countries come from
# transforms.resolution (geocoding of the place, the participant's country hint/title).


def implied_visits(drafts: list[Draft]) -> list[Draft]:
    """State visits implied by meetings of a foreign official in a named or dateline place (see above). A
    loose mention of the same trip ("while in Tehran") joins the visit the meeting implies and
    leaves ``drafts``; a strict one means the visit is told already."""
    told = {}  # (guest, country visited) -> the visit telling it: one trip may reach several countries
    for draft in drafts:
        if draft.event["event_type"] == "state_visit":
            place = place_code(draft.event["location"], set())
            told.update({(name, place): draft for name in names_in_roles(draft.event, ("guest",))})
    found = []
    for draft in [d for d in drafts if d.event["event_type"] == "meeting"]:
        event = draft.event
        if event["status"] == "cancelled" or draft.place not in (CLAUSE, DATELINE):
            continue
        codes = [(part, told_country(part)) for part in event["participants"]]
        context = {code for _, code in codes if code}
        place = place_code(event["location"], context)
        if place is None:
            continue
        for part, code in codes:
            if part["role"] != "participant" or part["entity_type"] != "PERSON" or not part.get("title"):
                continue
            key = (part["name"].lower(), place)
            if code is None or code == place or (key in told and (told[key].strict or told[key].implied)):
                continue
            guest = {**part, "role": "guest"}
            visit = make_event("state_visit", event["status"], event["trigger"], event["sentence"],
                               [guest, country_party(place, "host")],
                               event["location"], event["date_text"], mentions=event["mentions"])
            features = [{**{f"implied|{name}": value for name, value in feats.items()}, "type:implied_visit": 1.0,
                         f"implied_place:{draft.place}": 1.0} for feats in draft.features]
            implied = Draft(visit, CLAUSE, False, features=features, strict=draft.strict, implied=True)
            if key in told:
                absorb(implied, told[key])
                drafts.remove(told[key])
            told[key] = implied
            found.append(implied)
    return found


def place_hosts(drafts: list[Draft]) -> None:
    """A visit whose clause names its place but no country as host ("Ursula von der Leyen, who is
    on a visit to our country", "arrived in Kyiv") is hosted by the country of that place
    (spec/ANNOTATION.md: a country as host of a visit)."""
    for draft in drafts:
        event = draft.event
        if event["event_type"] != "state_visit" or draft.place != CLAUSE:
            continue
        if any(part["role"] == "host" and part["entity_type"] == "GPE" for part in event["participants"]):
            continue
        place = place_code(event["location"], {code for code in map(told_country, event["participants"]) if code})
        if place is not None:
            event["participants"].append(country_party(place, "host"))


def inherit_places(merged: list[Draft]) -> None:
    """A meeting whose sentences name no place takes the explicit place of an earlier meeting
    or visit of the article that shares a named participant ("his talks with the president"
    after "X met Y in Tehran"); the dateline stays the last resort. The best source shares the
    most people, then is a meeting (a visit's guest may also meet people elsewhere), then is
    the most recent. A meeting with no date of its own takes the source's date too: the talks
    are part of the same trip ("X visits Y next week, ... his talks with Z")."""
    for index, draft in enumerate(merged):
        event = draft.event
        if event["event_type"] != "meeting" or draft.place == CLAUSE:
            continue
        mine = _all_names(event)
        best, best_key = None, None
        for position, old in enumerate(merged[:index]):
            if not (old.place == CLAUSE and old.event["event_type"] in ("meeting", "state_visit") and old.event["location"]):
                continue
            shared = len(mine & _all_names(old.event))
            if not shared:
                continue
            key = (shared, old.event["event_type"] == "meeting", position)
            if best_key is None or key > best_key:
                best, best_key = old, key
        if best is None:
            continue
        place = best.event["location"]
        event["location"] = make_location(place["name"], place["start"], place["end"], INHERITED)
        draft.place = INHERITED
        same_time = (best.event["status"] == "planned") == (event["status"] == "planned")
        if event["date_text"] is None and best.event["date_text"] and same_time:
            event["date_text"] = best.event["date_text"]


def _all_names(event: dict) -> set:
    names = set()
    for part in event["participants"]:
        names.add(part["name"].lower())
        names.update(alias.lower() for alias in part.get("aliases") or [])
    return names
