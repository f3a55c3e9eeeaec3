"""Resolution of one article's extracted events: countries, places, dates (pure Python, no Beam).

`resolve_events` turns the raw strings of extraction into codes: participant
countries (ISO alpha-3), the location (GeoNames), the event date against the
article's publication time. It returns new dicts and never drops an event.
"""
from __future__ import annotations

import re

from transforms.resolution.countries import capital_of, country_code, to_era
from transforms.resolution.dates import resolve_date
from transforms.resolution.facts import ArticleFacts, article_facts
from transforms.resolution.geo import geocode
from transforms.resolution.inference import across_events
from transforms.resolution.known_actors import person_country
from transforms.resolution.offices import participant_country
from transforms.shapes import INFERRED, make_location

GEO_FIELDS = ("country", "geonames_id", "latitude", "longitude", "admin1", "feature_class")


# ", France" or ", Texas" right after a place name in the sentence
_QUALIFIER = re.compile(r",\s*([A-Z][\w.]*(?:\s+[A-Z][\w.]*){0,2})")


def _text_after(location: dict, sentence) -> str:
    """The sentence text right after the place name ("" when the spans do not tell)."""
    if not isinstance(sentence, dict) or not isinstance(location.get("end"), int):
        return ""
    try:
        return sentence["text"][location["end"] - sentence["start"]:]
    except (KeyError, TypeError):
        return ""


def _qualifier(location: dict, sentence) -> str | None:
    """The country or state written after the place ("Taormina, Italy"), if it is one."""
    match = _QUALIFIER.match(_text_after(location, sentence))
    if not match:
        return None
    qualifier = match.group(1)
    region = geocode(qualifier) or {}  # a country or a US state ("A"), not a town or a person
    return qualifier if country_code(qualifier, scan=False) or region.get("feature_class") == "A" else None


# " in New York" right after a venue, or inside its name ("the G-20 in Buenos Aires")
_CONTAINER = re.compile(r"\s+in\s+(?:the\s+)?([A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,2})")


def _container(location: dict, sentence) -> str | None:
    """The place a venue is said to be in: "at Trump Tower in New York", "the summit in Lima"."""
    match = _CONTAINER.search(str(location.get("name") or "")) or _CONTAINER.match(_text_after(location, sentence))
    return match.group(1) if match else None


def _resolve_location(location, context: set[str], when, sentence=None) -> dict | None:
    """Geo fields of the place; a qualifier written after it narrows the search ("Venice, Fla.")
    and, for a place too small for the gazetteer ("Biarritz, France"), gives its country, as
    does the place a venue is said to be in ("Trump Tower in New York")."""
    if not isinstance(location, dict):
        return None
    qualifier = _qualifier(location, sentence)
    name = f"{location.get('name')}, {qualifier}" if qualifier else location.get("name")
    place = geocode(name, context) or {}
    container = None if place or qualifier else _container(location, sentence)
    if not place and (qualifier or container):
        place = {"country": (geocode(qualifier or container, context) or {}).get("country")}
    resolved = {**location, **{field: place.get(field) for field in GEO_FIELDS}}
    resolved["country"] = to_era(resolved["country"], when)
    return resolved


def _inferred_venue(event: dict, codes: list[str | None]) -> dict | None:
    """A visit whose text names no place is placed in the host's capital, flagged inferred."""
    if event.get("event_type") != "state_visit" or event.get("location"):
        return None
    hosts = {code for p, code in zip(event.get("participants") or [], codes)
             if isinstance(p, dict) and p.get("role") == "host" and code}
    capital = capital_of(next(iter(hosts))) if len(hosts) == 1 else None
    if not capital:
        return None
    return make_location(capital, provenance=INFERRED)


def _participant_country(participant: dict, when) -> str | None:
    """What the article tells of a participant's country, else a well-known person's own
    ("Mr Blair" in a 2005 story; known_actors.py)."""
    told = participant_country(participant)
    if told or participant.get("entity_type") != "PERSON":
        return told
    return person_country(participant.get("name"), when)


def _resolve_event(event: dict, facts: ArticleFacts) -> dict:
    raw = event.get("participants")
    participants = [p for p in raw if isinstance(p, dict)] if isinstance(raw, list) else []
    codes = [_participant_country(p, facts.published) for p in participants]
    context = {c for c in codes + [facts.dateline_country] if c}
    event_date, precision = resolve_date(event.get("date_text"), facts.published, event.get("status"))
    if event_date is None and event.get("date_default"):  # the decision model's date for undated events
        event_date, precision = resolve_date(event["date_default"], facts.published, event.get("status"))
    return {
        **event,
        "participants": [{**p, "country": to_era(code, facts.published)} for p, code in zip(participants, codes)],
        "location": _resolve_location(event.get("location") or _inferred_venue(event, codes), context, facts.published,
                                      event.get("sentence")),
        "event_date": event_date,
        "date_precision": precision,
    }


def resolve_events(events: list[dict], article: dict, facts: ArticleFacts | None = None) -> list[dict]:
    """Fill participant countries, location geo fields and event dates, then what the article's
    events tell about each other (inference.py). ``facts``: the article's (built when not given).

    Codes follow the era of the article: Moscow or "Russian" in a 1987 story
    resolve to SUN (see historic_states.yaml). Unknown values become None.
    """
    article = article if isinstance(article, dict) else {}
    facts = facts or article_facts(article)
    resolved = [_resolve_event(event, facts) if isinstance(event, dict) else event for event in events or []]
    if not resolved:
        return resolved
    return across_events([e for e in resolved if isinstance(e, dict)], article, facts)
