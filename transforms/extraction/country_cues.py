"""Countries an article's own words give its actors: a city's, a phrase that
is a whole country name, and a country written in the headline before a name ("SAUDI
ARABIA'S KING FAHD")."""
from __future__ import annotations

import re
from functools import lru_cache

from transforms.resolution.countries import country_code
from transforms.resolution.geo import geocode
from transforms.words import find_word

from .lexicon import word_set
from .syntax import country_word

# punctuation that ends a headline's phrase: a country before it is not the next name's
HEADLINE_BREAKS = frozenset(":;|-–—")


@lru_cache(maxsize=4096)
def city_country(name: str) -> str | None:
    """Alpha-3 of the country of a city name (None for countries, regions, unknowns)."""
    if country_word(name):
        return None
    place = geocode(name)
    return place["country"] if place and place.get("feature_class") == "P" else None


def whole_country(text: str | None) -> str | None:
    """The country a whole phrase names ("Saudi Arabia"); a phrase that merely contains one
    ("Peru protests as") names none."""
    return country_code(text, scan=False) if text else None


def headline_country_before(headline: str, name: str) -> str | None:
    """A country named just before ``name`` in the article title, possessive or adjective."""
    title = headline.upper()
    at = find_word(title, name.upper()) if name and len(name) >= 2 else -1
    if at < 0:
        return None
    before = title[:at].split()
    if before and before[-1][-1] in HEADLINE_BREAKS:
        return None  # "SOUTH KOREAN PRESIDENT: TRUMP SHOULD ..." names a speaker, not Trump's country
    titles = word_set("titles", "person_titles")
    while before and before[-1].lower().strip(".,") in titles:
        before = before[:-1]
    for size in (3, 2, 1):
        if len(before) >= size:
            phrase = " ".join(before[-size:])
            phrase = re.sub(r"['’]S$", "", phrase)
            code = whole_country(phrase.title())
            if code:
                return code
    return None
