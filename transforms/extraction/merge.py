"""Merging mentions of one event within an article into one record.

A later mention joins an earlier event of the same type when nothing contradicts it
(participants, explicit place, date, cancelled-or-not). A definite noun mention with no
partners of its own ("the meeting", "this visit") joins the most recent event of its type.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

KEY_ROLES = {"state_visit": ("guest",), "meeting": ("participant",), "agreement_signed": ("signatory",), "facility_opened": ("opener", "owner")}
PREP_RE = re.compile(r"^(?:on|in|at|during|since|by|from|of)\s+", re.IGNORECASE)


@dataclass
class Draft:
    """An event being built, with the facts merging needs but the record does not carry."""

    event: dict
    explicit_location: bool
    anaphoric: bool  # "the meeting": refers back rather than introducing an event


def _names(event: dict, roles) -> set:
    names = set()
    for part in event["participants"]:
        if part["role"] in roles:
            names.add(part["name"].lower())
            names.update(alias.lower() for alias in part["aliases"])
    return names


def _participants_compatible(a: dict, b: dict) -> bool:
    """Either side names nobody, or one side's key participants are all on the other side."""
    roles = KEY_ROLES[a["event_type"]]
    names_a, names_b = _names(a, roles), _names(b, roles)
    firsts_a = {p["name"].lower() for p in a["participants"] if p["role"] in roles}
    firsts_b = {p["name"].lower() for p in b["participants"] if p["role"] in roles}
    if not firsts_a or not firsts_b:
        return True
    return firsts_b <= names_a or firsts_a <= names_b


def _same_text(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return True
    return PREP_RE.sub("", a.lower()) == PREP_RE.sub("", b.lower())


def compatible(old: Draft, new: Draft) -> bool:
    """Could ``new`` be another mention of ``old``?"""
    a, b = old.event, new.event
    if a["event_type"] != b["event_type"]:
        return False
    if (a["status"] == "cancelled") != (b["status"] == "cancelled"):
        return False
    if old.explicit_location and new.explicit_location and not _same_text(a["location"]["name"], b["location"]["name"]):
        return False
    if not _same_text(a["date_text"], b["date_text"]):
        return False
    if new.anaphoric:
        return True
    return _participants_compatible(a, b)


def absorb(old: Draft, new: Draft) -> None:
    """Add ``new``'s mention and any facts ``old`` lacks."""
    a, b = old.event, new.event
    if all(m["start"] != b["sentence"]["start"] for m in a["mentions"]):
        a["mentions"].append(dict(b["sentence"]))
    known = {(p["name"], p["role"]) for p in a["participants"]}
    for part in b["participants"]:
        if (part["name"], part["role"]) not in known:
            a["participants"].append(part)
            known.add((part["name"], part["role"]))
    if new.explicit_location and not old.explicit_location:
        a["location"], old.explicit_location = b["location"], True
    for key in ("date_text", "object"):
        if a[key] is None:
            a[key] = b[key]
    a["confidence"] = round(min(0.95, max(a["confidence"], b["confidence"]) + 0.05), 3)


def merge(drafts: list[Draft]) -> list[dict]:
    """One record per event: each draft joins the most recent compatible earlier event."""
    merged: list[Draft] = []
    for draft in drafts:
        target = next((old for old in reversed(merged) if compatible(old, draft)), None)
        if target is None and draft.anaphoric:
            continue  # "the meeting" with nothing to refer back to
        if target is None or (not draft.anaphoric and _is_new_destination(target, draft)):
            merged.append(draft)
        else:
            absorb(target, draft)
    return [draft.event for draft in merged]


def _is_new_destination(old: Draft, new: Draft) -> bool:
    """Split events of one trigger (one per destination) never fold into each other."""
    return old.event["trigger"] == new.event["trigger"]
