"""CAMEO and PLOVER codes of an event, from transforms/lexicons/codes.yaml.

The codes let our rows be joined with GDELT (CAMEO EventCode) and compared with POLECAT
(PLOVER); docs/CODES.md has the table. The data file holds every code; this module only
evaluates the named conditions of its ``refine`` entries.
"""
from __future__ import annotations

from transforms.lexicon import load, word_set

FIELDS = ("cameo", "plover_type", "plover_mode")


def _planned(event: dict) -> bool:
    return event.get("status") == "planned"


def _negotiation(event: dict) -> bool:
    return (event.get("trigger") or {}).get("text", "").lower() in word_set("codes", "negotiation_triggers")


def _third_location(event: dict) -> bool:
    """Neither side hosts: a known (not inferred) place whose country is none of the
    countries of two or more `participant`s, each of known country ("met in Geneva")."""
    location = event.get("location") or {}
    place = location.get("country")
    countries = [p.get("country") for p in event.get("participants") or () if p.get("role") == "participant"]
    return (bool(place) and not location.get("inferred") and len(countries) >= 2
            and all(countries) and place not in countries)


CONDITIONS = {"planned": _planned, "negotiation": _negotiation, "third_location": _third_location}


def event_codes(event: dict) -> dict:
    """{"cameo_code", "plover_type", "plover_mode"} of an event dict (codes.yaml)."""
    mapping = load("codes")[event["event_type"]]
    codes = {field: mapping.get(field) for field in FIELDS}
    for rule in mapping.get("refine") or ():
        if CONDITIONS[rule["when"]](event):
            codes.update({field: rule[field] for field in FIELDS if field in rule})
            break
    return {"cameo_code": codes["cameo"], "plover_type": codes["plover_type"], "plover_mode": codes["plover_mode"]}
