"""The dict shapes an event carries from extraction through resolution to the output records."""
from __future__ import annotations


def make_participant(name: str, role: str, entity_type: str, title: str | None = None, country: str | None = None,
                start: int | None = None, end: int | None = None) -> dict:
    """One party of an event; ``start``/``end``: its span in the article text (None when inferred)."""
    return {"name": name, "aliases": [], "role": role, "entity_type": entity_type,
            "title": title, "country": country, "start": start, "end": end}


def make_location(name: str, start: int | None = None, end: int | None = None, inferred: bool = False) -> dict:
    """An event's place as extraction finds it (resolution adds country and geo fields);
    ``start``/``end``: its span in the article text (None when it is not written there);
    ``inferred``: taken from the article's other events or an organisation's home, not told."""
    return {"name": name, "start": start, "end": end, "inferred": inferred}


def span_location(text: str, start: int, inferred: bool = False) -> dict:
    """The place written as ``text`` at ``start`` in the article."""
    return make_location(text, start, start + len(text), inferred)
