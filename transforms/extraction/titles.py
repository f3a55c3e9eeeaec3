"""Titles of people: which words are an office or its body, the country hint a title
carries ("Brazil's foreign minister", "President of Ukraine"), and title phrases that end in
their holder's name ("President of Ukraine Volodymyr Zelenskyy").
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from transforms.resolution.countries import country_code, normalize, regions

from .lexicon import word_set
from .syntax import NON_AGENT_ENTS, country_word, ent_label, entity_of, is_calendar_word, is_person_word, next_token

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# words that join the parts of a title phrase: "Secretary of State for Defence of the United Kingdom"
TITLE_LINKS = frozenset({"of", "the", "for", "and", "at", "to", "&", "-", '"', "'"})
# lower-case words inside names ("Etienne de Poncins", "Tamim bin Hamad")
NAME_PARTICLES = frozenset({"de", "da", "di", "du", "del", "der", "van", "von", "bin", "al", "la", "le"})
# the word after a title that opens its body: "President of", "Minister for Foreign Affairs of"
TITLE_PREPS = frozenset({"of", "at", "for"})
MAX_TITLED_NAME_WORDS = 3
# capitalised words before an office that still open a title: "Soviet Foreign Minister", "Amur Region Governor"
MAX_TITLE_MODIFIERS = 2


def is_country_token(token: Token) -> bool:
    return ent_label(token) in ("GPE", "NORP") or country_word(token.text)


def ends_title_body(token: Token) -> bool:
    """A word that belongs to the body of a title, not to a name after it: a country or
    region ("of Ukraine"), an institution word ("Republic", "Parliament", "Affairs")."""
    lower = token.lower_
    return (lower in TITLE_LINKS or lower in word_set("titles", "body_words") or is_person_word(token)
            or country_word(token.text) or bool(country_code(token.text, scan=False)) or normalize(token.text) in regions())


def _name_word(token: Token) -> bool:
    """A word that can be part of a person's name after a title phrase."""
    if token.text == "-" or token.lower_ in NAME_PARTICLES:
        return True
    text = token.text
    plain = text.replace("'", "").replace("’", "").replace(".", "")
    return (text[:1].isupper() and not (len(text) > 1 and text.isupper()) and plain.isalpha()
            and not ends_title_body(token) and not _ends_country_name(token))


def _ends_country_name(token: Token) -> bool:
    """The last word of a two-word country ("New Zealand", "South Africa"): the body, not a name."""
    return token.i > 0 and bool(country_code(f"{token.doc[token.i - 1].text} {token.text}", scan=False))


def office_noun(token: Token) -> bool:
    """A noun a person's name can stand beside as its title: an office, or a word of a title
    phrase used alone ("his Tajik counterpart", "the country's strongman")."""
    return is_person_word(token) or (token.pos_ == "NOUN" and token.lower_ in word_set("titles", "title_modifiers"))


def demonym(tokens) -> str | None:
    """A country adjective among ``tokens`` ("the Norwegian Storting")."""
    return next((tok.text for tok in tokens if tok.text[:1].isupper() and country_code(tok.text, scan=False)), None)


def country_hint(tokens) -> str | None:
    """The first country word among ``tokens`` that names a country, whole: "North Korean"
    rather than its first word "North"; a party ("Democratic Rep.") is no hint."""
    for token in tokens:
        if not is_country_token(token):
            continue
        ent = entity_of(token)
        text = ent.text if ent is not None and ent.label_ in ("GPE", "NORP") else token.text
        if country_code(text, scan=False):
            return text
    return None


def split_title(tokens, keep_country: bool = False) -> tuple[str | None, str | None]:
    """Separate a country hint from the title words; "president of Tajikistan" keeps it."""
    country = country_hint(tokens)
    words = [tok for tok in tokens if keep_country or not is_country_token(tok)]
    words = [tok for tok in words if not tok.is_punct and tok.tag_ != "POS"]
    title = " ".join(tok.text for tok in words) or None
    return title, country


def titled_names(doc: Doc) -> tuple[list[tuple[int, int, int]], dict[int, tuple[int, int]]]:
    """(title start, name start, name end) of each title phrase that ends in its holder's
    name: "President of Ukraine Volodymyr Zelenskyy", "Chairman and CEO of Alstom Henri
    Dubois". The small model often tags such a phrase as one ORG, or only its tail as a
    PERSON. The map takes every token of the phrase to the name's (start, end)."""
    found: list[tuple[int, int, int]] = []
    titled: dict[int, tuple[int, int]] = {}
    i = 0
    while i < len(doc):
        span = _title_phrase_at(doc, i)
        if span is None:
            i += 1
            continue
        start, name_start, name_end = span
        found.append(span)
        for index in range(start, name_end):
            titled[index] = (name_start, name_end)
        i = name_end
    return found, titled

def _title_phrase_at(doc: Doc, i: int) -> tuple[int, int, int] | None:
    """The titled name whose title word is ``doc[i]``, or None."""
    token = doc[i]
    if not (is_person_word(token) and token.text[:1].isupper()):
        return None
    k = i + 1
    while k + 1 < len(doc) and (is_person_word(doc[k]) or doc[k].lower_ in ("and", "&") and is_person_word(doc[k + 1])):
        k += 1  # "Chairman and CEO of", "Secretary General of"
    if k >= len(doc) or doc[k].lower_ not in TITLE_PREPS or doc[k].is_upper:
        return None  # "PRESIDENT OF ...": a headline in capitals has no case to tell names by
    end = k + 1
    while end < len(doc):
        if _acronym_at(doc, end):
            end += 3  # "of the Black Sea Economic Cooperation (PABSEC) Asaf Hajiyev"
        elif _in_title(doc[end]):
            end += 1
        else:
            break
    while end > k + 1 and doc[end - 1].lower_ in TITLE_LINKS:
        end -= 1
    name_start = _name_start(doc, k + 1, end)
    if name_start is None:  # "President of France Jean Dupont at the Kremlin": "at" ran past the name
        people = [ent for ent in doc[k + 1:end].ents if ent.label_ == "PERSON"]
        if people and people[-1].end < end:
            end = people[-1].end
            name_start = _name_start(doc, k + 1, end)
    if name_start is None:
        return None
    left = min([tok.i for child in token.lefts if child.dep_ in ("compound", "amod") for tok in child.subtree] + [i])
    return left, name_start, end

def _in_title(token: Token) -> bool:
    """Does ``token`` continue a title phrase? "and" only before a body word ("Minister of
    Trade and Industry"): "President of X A B and Prime Minister of Y C D" names two people."""
    following = next_token(token)
    if token.lower_ in ("and", "&"):  # "of Trade and Industry", not "of X A B and C D"
        if token.i > 0 and ent_label(token.doc[token.i - 1]) == "PERSON":
            return False  # "Secretary of State A B and Soviet Foreign Minister C D": the name ended the title
        return following is not None and (_body_word(following) or _body_modifier(following)) and not _opens_title(following)
    if token.lower_ in NAME_PARTICLES:  # "Etienne de Poncins"
        return following is not None and following.text[:1].isupper()
    if ent_label(token) in NON_AGENT_ENTS or is_calendar_word(token):
        return False  # "Secretary of State John Kerry November 8"
    return token.lower_ in TITLE_LINKS or token.text[:1].isupper() or ent_label(token) == "PERSON"


def _acronym_at(doc: Doc, i: int) -> bool:
    """A bracketed acronym of the body before it: "(PABSEC)"."""
    return (i + 2 < len(doc) and doc[i].text == "(" and doc[i + 2].text == ")"
            and doc[i + 1].is_upper and doc[i + 1].is_alpha)


def _opens_title(token: Token) -> bool:
    """A capitalised word before an office, perhaps through its capitalised modifiers: "and US
    Secretary of Defense ...", "and Soviet Foreign Minister ...", "and Amur Region Governor ..."
    open another title ("and Foreign Affairs of France" does not)."""
    if not token.text[:1].isupper():
        return False
    following = next_token(token)
    for _ in range(MAX_TITLE_MODIFIERS + 1):
        if following is None or is_person_word(following):
            break
        following = next_token(following) if following.text[:1].isupper() else None
    return following is not None and is_person_word(following)


def _body_word(token: Token) -> bool:
    """A word of a title's body that is no office of its own ("Industry", "Ukraine")."""
    return ends_title_body(token) and not is_person_word(token)


def _body_modifier(token: Token) -> bool:
    """A capitalised word before a body word ("and Foreign Affairs of France"), not the first
    word of another title or name ("and Prime Minister of ...", "and Jean Dupont")."""
    following = next_token(token)
    return (token.text[:1].isupper() and not is_person_word(token) and ent_label(token) != "PERSON"
            and following is not None and _body_word(following))


def _name_start(doc: Doc, body_start: int, end: int) -> int | None:
    """Where the holder's name begins in the body of a title phrase ending at ``end``: the
    PERSON entity that ends it, or its last capitalised words (at most three, at least two)
    after the country or body that the title is "of"; None when no name follows."""
    start = end
    words = 0
    person = entity_of(doc[end - 1])
    if person is not None and person.label_ == "PERSON" and person.end == end:
        start = max(person.start, body_start)
        while start < end and ends_title_body(doc[start]):
            start += 1
        words = len(doc[start:end].text.replace("-", " ").split())
    while start > body_start and words < MAX_TITLED_NAME_WORDS and _name_word(doc[start - 1]):
        start -= 1
        if doc[start].text != "-" and (start == 0 or doc[start - 1].text != "-"):
            words += 1
    named = len(doc[start:end].text.replace("-", " ").split())
    if start <= body_start or start >= end or (named < 2 and not (person is not None and person.label_ == "PERSON")):
        return None
    if doc[start - 1].lower_ == "the":
        return None  # "Leader of the Islamic Revolution": a name does not follow an article
    return start
