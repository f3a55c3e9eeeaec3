"""The country of a well-known actor that an article names with no nationality cue ("Mr
Blair said", "Trump held talks at No 10", "the Taliban"): lexicons/known_actors.yaml, world
knowledge of heads of state and government, ministers and royals since 1975, and of
government bodies, parties and national oil companies, written without reading the
annotated articles' text.

A person's full name (or a spelling the press uses for it) always gives the country; a
family name alone only in the years the lexicon gives, when it meant one person in the news
("Blair" 1994-2010, "Putin" since 1999), and only when one country fits. What the article
itself tells comes first: these are the last fallbacks of a record's country (resolution.events
for people, offices for bodies). Extraction reads a full name only, for a titled official the
article gives no country, before guessing one from the story's places (people.add_hints).
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache

from transforms.lexicon import load
from transforms.resolution.countries import normalize


def _forms(value) -> list[str]:
    return [value] if isinstance(value, str) else [str(form) for form in value or ()]


@lru_cache(maxsize=1)
def _people() -> tuple[dict[str, str], dict[str, tuple[tuple[int, int, str], ...]]]:
    """({normalised full name: country}, {normalised lone name: ((first year, last year, country), ...)})."""
    full: dict[str, str] = {}
    alone: dict[str, list[tuple[int, int, str]]] = {}
    for entry in load("known_actors")["people"]:
        first, last = entry.get("years") or (0, 0)
        lone = _forms(entry.get("short"))
        for form in [entry["name"], *_forms(entry.get("also"))]:
            key = normalize(form)
            if " " in key:
                full[key] = entry["country"]
            else:  # a one-word form ("Francis") stands alone only in its years
                lone.append(form)
        for form in lone:
            alone.setdefault(normalize(form), []).append((first, last, entry["country"]))
    return full, {key: tuple(spans) for key, spans in alone.items()}


@lru_cache(maxsize=1)
def _bodies() -> dict[str, str]:
    return {normalize(form): entry["country"] for entry in load("known_actors")["organisations"]
            for form in [entry["name"], *_forms(entry.get("also"))]}


def person_country(name: str | None, when: dt.date | None) -> str | None:
    """Alpha-3 of the public figure ``name`` names, in an article of day ``when``, or None."""
    key = normalize(name or "")
    full, alone = _people()
    if key in full:
        return full[key]
    if when is None or " " in key:
        return None
    countries = {country for first, last, country in alone.get(key, ()) if first <= when.year <= last}
    return countries.pop() if len(countries) == 1 else None


def body_country(name: str | None) -> str | None:
    """Alpha-3 of the government body, party or national company ``name`` names, or None."""
    return _bodies().get(normalize(name or ""))
