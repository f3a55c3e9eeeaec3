"""The dict shapes an event carries from extraction through resolution to the output records."""
from __future__ import annotations


def make_participant(name: str, role: str, entity_type: str, title: str | None = None, country: str | None = None,
                start: int | None = None, end: int | None = None) -> dict:
    """One party of an event; ``start``/``end``: its span in the article text (None when inferred)."""
    return {"name": name, "aliases": [], "role": role, "entity_type": entity_type,
            "title": title, "country": country, "start": start, "end": end}
