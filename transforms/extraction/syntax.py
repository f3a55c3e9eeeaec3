"""Small dependency-tree helpers shared by the extraction rules."""
from __future__ import annotations

from functools import lru_cache

from .lexicon import word_set

AGENT_ENTS = ("PERSON", "ORG", "GPE", "NORP")
PLACE_ENTS = ("GPE", "LOC", "FAC")
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})
PERSONAL_PRONOUNS = frozenset({"he", "she", "him", "her", "his", "they", "them", "their", "we", "our", "i", "my", "it", "its"})


def entity_of(token):
    """The named entity that contains ``token``, or None."""
    for ent in token.doc.ents:
        if ent.start <= token.i < ent.end:
            return ent
    return None


def ent_label(token) -> str:
    """The entity label of ``token`` ('' outside entities)."""
    return token.ent_type_


def children(token, *deps):
    """Children of ``token`` with one of the dependency labels ``deps``."""
    return [child for child in token.children if child.dep_ in deps]


def with_conjuncts(tokens):
    """``tokens`` plus their coordinated siblings ("Iraq, Kuwait and Qatar"), in order."""
    seen, out = set(), []
    for token in tokens:
        for item in (token, *token.conjuncts):
            if item.i not in seen:
                seen.add(item.i)
                out.append(item)
    return sorted(out, key=lambda t: t.i)


def prep_objects(token, preps):
    """Objects of prepositions ``preps`` attached to ``token`` ("with X", "to Y"), with conjuncts."""
    found = []
    for prep in children(token, "prep"):
        if prep.lower_ in preps:
            found.extend(children(prep, "pobj"))
    return with_conjuncts(found)


def subjects(token):
    """Subjects of a verb, following xcomp/conj up to the verb that has one."""
    current = token
    for _ in range(4):
        found = children(current, "nsubj", "nsubjpass")
        if found and found[0].lower_ in RELATIVE_PRONOUNS and current.dep_ == "relcl":
            return with_conjuncts([current.head])
        if found and found[0].lower_ in RELATIVE_PRONOUNS:
            return []
        if found:
            return with_conjuncts(found)
        if current.dep_ in ("xcomp", "conj", "advcl", "acl") and current.head != current:
            current = current.head
            continue
        break
    return []


def passive_agents(token):
    """The "by X" agent of a passive verb."""
    found = []
    for agent in children(token, "agent"):
        found.extend(children(agent, "pobj"))
    return with_conjuncts(found)


def is_person_word(token) -> bool:
    """A common noun that names an official ("president", "minister")."""
    return token.lemma_.lower() in word_set("titles", "person_titles") or token.lower_ in word_set("titles", "person_titles")


def is_group_word(token) -> bool:
    """A common noun that names an official party ("delegation", "government")."""
    return token.lemma_.lower() in word_set("titles", "group_nouns") or token.lower_ in word_set("titles", "group_nouns")


def is_agent(token) -> bool:
    """Could ``token`` be a participant: a named actor, an official, a group or a personal pronoun."""
    if ent_label(token) in AGENT_ENTS:
        return True
    if ent_label(token) in PLACE_ENTS or token.lower_ in RELATIVE_PRONOUNS:
        return False
    if token.lower_ in PERSONAL_PRONOUNS:
        return True
    if token.pos_ == "PROPN":
        return True
    return is_person_word(token) or is_group_word(token)


def is_place(token) -> bool:
    """A place name token (GPE/LOC/FAC), or a country that spaCy tagged NORP ("Tajikistan")."""
    return ent_label(token) in PLACE_ENTS or is_country_name(token)


def is_country_name(token) -> bool:
    """Is the entity (or token) a country name, whatever spaCy labelled it."""
    ent = entity_of(token)
    text = (ent.text if ent is not None else token.text)
    return country_word(text)


def country_word(text: str) -> bool:
    """Is ``text`` a country name (titles.yaml list or pycountry)."""
    clean = text[4:] if text.lower().startswith("the ") else text
    if clean.lower() in word_set("titles", "country_names"):
        return True
    return _pycountry_name(clean)


def _pycountry_name(text: str) -> bool:
    """pycountry lookup by name, cached (its fuzzy search is too slow and too loose)."""
    return text.lower() in _pycountry_names()


@lru_cache(maxsize=1)
def _pycountry_names() -> frozenset:
    """Lower-case country names and common names known to pycountry, loaded once."""
    import pycountry

    names = set()
    for country in pycountry.countries:
        for attr in ("name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                names.add(value.lower())
    return frozenset(names)


def governing_verb(token, max_steps: int = 4):
    """The nearest verb above ``token`` (through prepositions and noun heads), or None."""
    current = token
    for _ in range(max_steps):
        if current.head == current:
            return None
        current = current.head
        if current.pos_ in ("VERB", "AUX"):
            return current
    return None


def noun_phrase(token, stop_deps=("relcl", "acl", "punct", "cc", "conj", "appos", "advcl")):
    """The tokens of ``token``'s noun phrase without determiners and clauses, as (start, end)."""
    keep = [token]
    stack = [child for child in token.children if child.dep_ not in stop_deps]
    while stack:
        child = stack.pop()
        if child.dep_ == "det" and child.head == token:
            continue
        keep.append(child)
        stack.extend(grand for grand in child.children if grand.dep_ not in stop_deps)
    return min(t.i for t in keep), max(t.i for t in keep) + 1
