"""Nationality from offices and title phrases: which states have an office ("King" only in a
monarchy), the country the words around a mention give its holder ("North Korean leader Kim
Jong Un", "Moon Jae-in, South Korea's president"), the home country of an office holder
or government body named without one, and a participant's country: as the article tells it
(``told_country``, what merging compares) and as its record gives it (``participant_country``,
which also reads the country its name gives).
"""
from __future__ import annotations

import re
from functools import lru_cache

from transforms.lexicon import load, word_set
from transforms.resolution.countries import country_code, country_in_text, normalize, regions
from transforms.resolution.known_actors import body_country


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


def told_country(participant: dict, text: str | None = None) -> str | None:
    """A participant's country as the article tells it: its hint, its title, or, given the
    article's ``text``, the title phrase around it ("Paraguayan Public Works Minister [Ramon
    Gimenez]"). What merging compares: it reads no country into a party's own name."""
    return (country_code(participant.get("country")) or country_in_text(participant.get("title"))
            or stated_country(text, participant.get("start"), participant.get("end")))


def participant_country(participant: dict) -> str | None:
    """Alpha-3 for a participant's record: its hint, else the country its name gives (a GPE's or
    NORP's own: "Tehran", "Iranians"; one named in an ORG's name: "Bank of Japan", or in a
    descriptive PERSON name: "Chief of General Staff of the Armed Forces of Iran", "Kazakh
    Railways"; a well-known body's own: "the FBI", "Taliban"; a plain personal name such as
    "Michael Jordan" is not scanned: resolution.events reads a well-known person's own last),
    else the one its title tells (``told_country``). Merging reads ``told_country`` alone: two
    parties compare by what the article says of them, not by countries read into their names."""
    return country_code(participant.get("country")) or _name_country(participant) or told_country(participant)


def _name_country(participant: dict) -> str | None:
    name, kind = participant.get("name"), participant.get("entity_type")
    if kind in ("GPE", "NORP"):
        return country_code(name) or body_country(name)  # "the Taliban", "Republicans"
    if kind == "ORG" or (kind == "PERSON" and _descriptive(name)):
        return country_in_text(name) or body_country(name)  # "the FBI", "Gazprom"
    return None


def _descriptive(name: str | None) -> bool:
    """A PERSON name that describes a body or an office rather than naming someone: it has an
    "of" or a body word ("Chief of General Staff of ...", "Kazakh Railways"; titles.yaml)."""
    words = set(normalize(name or "").split())
    return "of" in words or bool(words & word_set("titles", "body_words"))
