"""The dict shapes an event carries from extraction through resolution to the output records:
one constructor each for an event, its participants and its place."""
from __future__ import annotations

# Where an event's place comes from: its own clause names it (or says "here" of the dateline's
# place); the article's dateline, the last resort; another event of the article (an earlier
# meeting of the same people, the one spot every placed event shares); guessed from a party (an
# organisation's home city, the host's capital). Extraction keeps it on the draft
# (mentions.Draft.place): only a place the clause names contradicts another mention's or lends
# itself to other events; the record says whether the place was told for this event (``inferred``).
CLAUSE, DATELINE, INHERITED, INFERRED = "clause", "dateline", "inherited", "inferred"


def make_event(event_type: str, status: str, trigger: dict, sentence: dict, participants: list[dict],
               location: dict | None = None, date_text: str | None = None, obj: str | None = None,
               mentions: list[dict] | None = None) -> dict:
    """An event as extraction proposes it (docs/ARCHITECTURE.md, the extracted event dict):
    ``trigger``/``sentence``: {text, start, end} in the article text; ``mentions``: every
    sentence reporting it (``sentence`` alone when not given). Resolution fills the date, the
    decision the confidence."""
    return {"event_type": event_type, "status": status, "trigger": trigger, "sentence": sentence,
            "mentions": [dict(m) for m in mentions or [sentence]], "participants": participants,
            "location": location, "date_text": date_text, "event_date": None, "date_precision": "unknown",
            "object": obj, "confidence": None}


def make_participant(name: str, role: str, entity_type: str, title: str | None = None, country: str | None = None,
                start: int | None = None, end: int | None = None) -> dict:
    """One party of an event; ``start``/``end``: its span in the article text (None when inferred)."""
    return {"name": name, "aliases": [], "role": role, "entity_type": entity_type,
            "title": title, "country": country, "start": start, "end": end}


def make_location(name: str, start: int | None = None, end: int | None = None, provenance: str = CLAUSE) -> dict:
    """An event's place as extraction finds it (resolution adds country and geo fields);
    ``start``/``end``: its span in the article text (None when it is not written there);
    ``provenance``: where it comes from (above); ``inferred`` when not told for this event."""
    return {"name": name, "start": start, "end": end, "inferred": provenance in (INHERITED, INFERRED)}


def span_location(text: str, start: int, provenance: str = CLAUSE) -> dict:
    """The place written as ``text`` at ``start`` in the article."""
    return make_location(text, start, start + len(text), provenance)
