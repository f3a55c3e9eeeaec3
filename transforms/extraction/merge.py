"""Merging mentions of one event within an article into one record.

A later mention joins an earlier event of the same type when nothing contradicts it
(mentions.compatible). A definite noun mention with no partners of its own ("the meeting",
"this visit") joins the most recent event of its type. Visits home are dropped; then
inference.py adds what the merged events imply.
"""
from __future__ import annotations

from bisect import bisect_right, insort

from transforms.resolution.offices import told_country

from .inference import implied_visits, inherit_places, place_hosts
from .mentions import Draft, absorb, compatible, country_of, place_code, same_place


def merge(drafts: list[Draft], text: str | None = None, published=None) -> list[Draft]:
    """One draft per event: each draft joins the most recent compatible earlier event; then
    meetings of foreign officials yield implied visits. The article ``text`` tells participants'
    countries; ``published`` (the article's day) resolves the dates merging compares."""
    merged = [draft for draft in _merge_drafts(drafts, published, text) if not _home_trip(draft.event, text)]
    inherit_places(merged)
    place_hosts(merged)
    merged += implied_visits(merged)
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
    visited = place_code(event["location"], set())
    if visited is None:
        hosts = {told_country(p, text) or country_of(p["name"])[0] for p in event["participants"] if p["role"] == "host"}
        visited = hosts.pop() if len(hosts) == 1 else None
    guests = [told_country(p, text) for p in event["participants"] if p["role"] == "guest"]
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
    return not (all(places) and same_place(*places, one_trip=True))
