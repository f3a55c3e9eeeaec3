"""What an article's resolved events tell about each other: a participant's country stated
elsewhere in the article, a venue's country from the events told beside it, the one place of
a story without a dateline, a visit's host from its place, the sides of a visit's meetings and
agreements.
"""
from __future__ import annotations

import re
from collections import Counter
from itertools import islice

from transforms.resolution.countries import country_forms, country_party, normalize, regions, to_era
from transforms.resolution.facts import ArticleFacts
from transforms.resolution.geo import geocode
from transforms.resolution.offices import government_body, office_country, stated_country
from transforms.shapes import INHERITED, make_location

# mentions of a name read for its nationality vote (the first ones: where a person is
# introduced); bounds the work per participant in a long article that repeats the name
NAME_VOTES = 50


def across_events(events: list[dict], article: dict, facts: ArticleFacts) -> list[dict]:
    """The article's resolved events, completed by what they tell about each other."""
    events = _venue_countries(events)
    home = facts.dateline_country if facts.dateline else facts.outlet_country
    official = not facts.dateline and facts.government_outlet
    events = _stated_countries(events, article.get("text"), home, official, facts.published)
    return _with_visit_context(events if facts.dateline else _article_place(events))


def _names_of(participant: dict) -> set[str]:
    return {name for name in [participant.get("name"), *(participant.get("aliases") or [])]
            if isinstance(name, str) and name[:1].isupper()}


def _stated_countries(events: list[dict], text: str | None, home: str | None, official: bool, when) -> list[dict]:
    """A participant left without a country takes the one the article states for it elsewhere:
    the country the same person has in another of the article's events, else the nationality
    of the title phrase around its own mention ("French officials"), else, for a named person,
    the one most mentions of the name carry ("the Iranian president ... Ebrahim Raisi",
    "Raisi, Iran's president"; a tie between mentions leaves it unknown; the first NAME_VOTES
    mentions of each name vote). An office holder the
    article gives no nationality at all is of the story's ``home`` country (see office_country),
    and so are a government body and any person a government's own site (``official``) names
    without one (see _speaks_for_home), unless it visits that country."""
    known: dict[str, set[str]] = {}
    visitors = _visitors_of(events, home)
    for event in events:
        for participant in event["participants"]:
            if participant.get("country") and participant.get("entity_type") == "PERSON":
                for name in _names_of(participant):
                    known.setdefault(name, set()).add(participant["country"])
    for event in events:
        for participant in event["participants"]:
            if not participant.get("country"):
                visiting = bool(_names_of(participant) & visitors)
                code = _stated_country(participant, known, text) or (None if visiting else office_country(home, _office(participant)))
                if not code and not visiting and _speaks_for_home(participant, official):
                    code = home
                participant["country"] = to_era(code, when)
    return events


def _visitors_of(events: list[dict], home: str | None) -> set[str]:
    """Names of the guests of visits to ``home``: "X, who is on a visit to our country" on a
    government's site is no official of that government."""
    if not home:
        return set()
    return {name for event in events if event.get("event_type") == "state_visit"
            and (event.get("location") or {}).get("country") == home
            for participant in event["participants"] if participant.get("role") == "guest"
            for name in _names_of(participant)}


def _stated_country(participant: dict, known: dict[str, set[str]], text: str | None) -> str | None:
    """The country the article states for one participant (see _stated_countries)."""
    person = participant.get("entity_type") == "PERSON"
    names = _names_of(participant) if person else set()
    elsewhere = set().union(*(known.get(name, set()) for name in names))
    if len(elsewhere) == 1:
        return next(iter(elsewhere))
    own = stated_country(text, participant.get("start"), participant.get("end"))
    if own or not names or not isinstance(text, str):
        return own
    mentions = (match for name in names
                for match in islice(re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text), NAME_VOTES))
    votes = Counter(code for match in mentions if (code := stated_country(text, match.start(), match.end())))
    ranked = votes.most_common(2)
    return ranked[0][0] if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]) else None


def _speaks_for_home(participant: dict, official: bool) -> bool:
    """A government body named without a country ("the Senate"), and any person a government's
    own site names without one, belong to the story's home country."""
    kind = participant.get("entity_type")
    return (kind == "ORG" and government_body(participant.get("name"))) or (official and kind == "PERSON")


def _office(participant: dict) -> str:
    """The words that may name a participant's office: its title, and its name when the
    participant is named by office only ("the governors")."""
    return " ".join(str(part) for part in (participant.get("title"), participant.get("name")) if part)


def _article_place(events: list[dict]) -> list[dict]:
    """An article without a dateline that places every event it places in one and the same
    spot tells its story from there, as a dateline would: its unplaced events took place
    there too (flagged inferred). A country or state named beside one place inside it ("Kyiv"
    and "Ukraine") is the same spot, told by that place."""
    places = {}
    for event in events:
        location = event.get("location")
        if isinstance(location, dict) and location.get("name") and not location.get("inferred"):
            places.setdefault(normalize(str(location["name"])), location)
    countries = {place.get("country") for place in places.values()}
    inside = {key: place for key, place in places.items() if place.get("feature_class") != "A"}
    if len(countries) == 1 and None not in countries and len(inside) == 1:
        places = inside
    if len(places) != 1:
        return events
    (place,) = places.values()
    for event in events:
        if not event.get("location"):
            event["location"] = {**place, **make_location(place["name"], provenance=INHERITED)}
    return events


def _venue_countries(events: list[dict]) -> list[dict]:
    """A venue the gazetteer does not know ("met at the Kremlin with X, who is in Russia on a
    visit") lies in the country where the article's other events told in the same sentence
    are placed, when they name exactly one. A region ("Europe") stays without a country."""
    for event in events:
        location = event.get("location")
        if not isinstance(location, dict) or location.get("country") or location.get("inferred"):
            continue
        if normalize(str(location.get("name") or "")) in regions():
            continue
        spans = _spans(event)
        found = {(other.get("location") or {}).get("country") for other in events
                 if other is not event and spans & _spans(other)} - {None}
        if len(found) == 1:
            event["location"] = {**location, "country": found.pop()}
    return events


def _spans(event: dict) -> set[tuple]:
    """(start, end) of the sentences that report ``event``."""
    mentions = [event.get("sentence")] + list(event.get("mentions") or [])
    return {(m.get("start"), m.get("end")) for m in mentions if isinstance(m, dict) and m.get("start") is not None}


def _visits(events: list[dict]) -> list[tuple[str, str, str]]:
    """(guest name, guest country, host country) of the article's visits with both countries known."""
    found = []
    for event in events:
        if event.get("event_type") != "state_visit":
            continue
        guests = [p for p in event["participants"] if p.get("role") == "guest" and p.get("country")]
        hosts = {p["country"] for p in event["participants"] if p.get("role") == "host" and p.get("country")}
        place = (event.get("location") or {}).get("country")
        host = next(iter(hosts)) if len(hosts) == 1 else place
        found += [(g["name"], g["country"], host) for g in guests if host and host != g["country"]]
    return found


def _with_visit_context(events: list[dict]) -> list[dict]:
    """What a visit says about the article's other events of the same two countries, once each
    visit has its host (``_hosts_from_places``).

    - In a meeting held in the host country with the visiting guest, a participant whose
      country is unknown is on the host's side ("Rahmon met Khamenei in Tehran"), when all
      the article's visits are between those two countries and that participant is no
      visit's guest: two visitors meeting at a summit abroad are not the host's.
    - An agreement whose parties the text leaves unnamed ("the agreements that have been
      signed") in an article whose visits are all between one pair of countries is between
      those two, added as GPE signatories.
    """
    _hosts_from_places(events)
    visits = _visits(events)
    pairs = {tuple(sorted((guest_country, host))) for _name, guest_country, host in visits}
    travellers = {p["name"] for event in events if event.get("event_type") == "state_visit"
                  for p in event["participants"] if p.get("role") == "guest"}
    for event in events:
        place = (event.get("location") or {}).get("country")
        if event.get("event_type") == "meeting" and place and len(pairs) == 1 and place in next(iter(pairs)):
            guests = {name for name, _country, host in visits if host == place}
            if any(p["name"] in guests for p in event["participants"]):
                event["participants"] = [p if p.get("country") or p.get("entity_type") != "PERSON"
                                         or p["name"] in travellers else {**p, "country": place}
                                         for p in event["participants"]]
        if event.get("event_type") == "agreement_signed" and not event["participants"] and len(pairs) == 1:
            (pair,) = pairs
            event["participants"] = [country_party(code, "signatory") for code in pair]
    return events


def _hosts_from_places(events: list[dict]) -> None:
    """A visit that names no host is hosted by the country of its place ("Johnson visited Kyiv":
    Ukraine), when that is not a guest's own country (EVENTS.md: host, a person, government or
    country)."""
    for event in events:
        place = (event.get("location") or {}).get("country")
        if event.get("event_type") != "state_visit" or not place:
            continue
        parts = [country_party(place, "host") if _place_in(p, place) else p for p in event["participants"]]
        if not any(p.get("role") == "host" for p in parts) and place not in {p.get("country") for p in parts if p.get("role") == "guest"}:
            parts.append(country_party(place, "host"))
        unique = {(p.get("name"), p.get("role")): p for p in reversed(parts)}  # two cities of one country: one host
        event["participants"] = [p for p in parts if unique[(p.get("name"), p.get("role"))] is p]


def _place_in(participant: dict, code: str) -> bool:
    """A host named by a place of the visited country, not the country ("visited Kyiv")."""
    name = participant.get("name")
    if participant.get("role") != "host" or normalize(str(name)) in {normalize(form) for form in country_forms(code)}:
        return False
    return (geocode(name, {code}) or {}).get("country") == code
