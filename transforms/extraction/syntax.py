"""Small dependency-tree helpers shared by the extraction rules."""
from __future__ import annotations

from functools import lru_cache

import pycountry

from transforms.ingest.articles import hard_wrapped

from .lexicon import word_set

AGENT_ENTS = ("PERSON", "ORG", "GPE", "NORP")
PLACE_ENTS = ("GPE", "LOC", "FAC")
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})
PERSONAL_PRONOUNS = frozenset({"he", "she", "him", "her", "his", "they", "them", "their", "we", "our", "i", "my", "it", "its"})
# entities that are never a party: "Monday's talks", "the June summit", "two sides"
NON_AGENT_ENTS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"})
# prepositions that list members of a group ("Indian leaders including Prime Minister X")
LISTING_PREPS = frozenset({"including", "among"})
CALENDAR_WORDS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                            "january", "february", "march", "april", "may", "june", "july", "august",
                            "september", "october", "november", "december", "today", "yesterday", "tomorrow"})


def entity_of(token):
    """The named entity that contains ``token``, or None."""
    for ent in token.doc.ents:
        if ent.start <= token.i < ent.end:
            return ent
    return None


def ent_label(token) -> str:
    """The entity label of ``token`` ('' outside entities)."""
    return token.ent_type_


def next_token(token):
    """The token after ``token`` in its Doc, or None at the end."""
    return token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None


def children(token, *deps):
    """Children of ``token`` with one of the dependency labels ``deps`` (same line/paragraph)."""
    ids = line_ids(token.doc)
    return [child for child in token.children if child.dep_ in deps and ids[child.i] == ids[token.i]]


def with_conjuncts(tokens):
    """``tokens`` plus their coordinated siblings ("Iraq, Kuwait and Qatar"), in order."""
    seen, out = set(), []
    for token in tokens:
        for item in (token, *token.conjuncts):
            if item.i not in seen:
                seen.add(item.i)
                out.append(item)
    return sorted(out, key=lambda t: t.i)


def also_objects(token):
    """ "visit Mexico, as well as Costa Rica": the parser hangs "as well as" on the verb and its
    object under the last "as"; the objects, with their conjuncts."""
    links = [cc for cc in children(token, "cc") if cc.lower_ == "as" and any(child.lower_ == "well" for child in cc.children)]
    found = [obj for cc in links for obj in children(cc, "pobj")]
    return with_conjuncts(found)


def prep_objects(token, preps):
    """Objects of prepositions ``preps`` attached to ``token`` ("with X", "to Y"), with conjuncts;
    also the subject of a clause the parser hangs on the preposition ("with the Soviet Union
    covering the setting up of ...": the Soviet Union)."""
    found = []
    for prep in children(token, "prep"):
        if prep.lower_ in preps:
            found.extend(children(prep, "pobj"))
            found.extend(subject for clause in children(prep, "pcomp") for subject in children(clause, "nsubj"))
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
        infinitive = current.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in current.children)
        if current.dep_ in ("acl", "relcl") and infinitive and current.head.pos_ in ("NOUN", "PROPN"):
            return with_conjuncts([current.head])  # "the first delegation to visit Bucharest"
        # "X is due to meet Y": the infinitive hangs on an adjective ("due", "likely", "set")
        if current.dep_ in ("xcomp", "conj", "advcl", "acl", "acomp") and current.head != current:
            current = current.head
            continue
        if current.dep_ == "pcomp" and current.head.dep_ == "prep":
            current = current.head.head  # "X said after meeting Y", "before visiting Israel, X made"
            continue
        break
    return []


def relative_clauses(token):
    """Relative clauses on ``token``: its relcl/acl children, and a ", which was attended by
    ..." clause the parser hung elsewhere (as ccomp/advcl of the main verb) although its
    relative pronoun directly follows ``token`` (after a comma)."""
    found = children(token, "relcl", "acl")
    doc = token.doc
    nxt = token.i + 1
    if nxt < len(doc) and doc[nxt].text == ",":
        nxt += 1
    if nxt < len(doc) and doc[nxt].lower_ in ("which", "who") and doc[nxt].dep_ in ("nsubj", "nsubjpass"):
        clause = doc[nxt].head
        if clause.pos_ in ("VERB", "AUX") and clause not in found and clause != token and clause.dep_ != "relcl":
            found.append(clause)
    return found


ADJACENT_OBJECT_SPAN = 6


def adjacent_object(token):
    """The named object right after a verb that the parser failed to attach ("ahead of meeting
    Secretary of State John Kerry November 8", parsed as a compound of the date): the first
    PERSON/ORG/GPE entity starting at the next token, or after a title phrase starting there
    ("Secretary of State"), before any verb or punctuation. None when the verb has an object."""
    if children(token, "dobj") or token.i + 1 >= len(token.doc):
        return None
    doc = token.doc
    first = doc[token.i + 1]
    if first.ent_type_ in AGENT_ENTS and first.ent_iob_ == "B":
        return entity_of(first)[-1]
    if not is_person_word(first):
        return None
    for tok in doc[first.i + 1:min(len(doc), first.i + ADJACENT_OBJECT_SPAN)]:
        if tok.is_punct or tok.pos_ in ("VERB", "AUX"):
            return None
        if tok.ent_type_ == "PERSON":
            return entity_of(tok)[-1]
    return None


def passive_agents(token):
    """The "by X" agent of a passive verb."""
    found = []
    for agent in children(token, "agent"):
        found.extend(children(agent, "pobj"))
    return with_conjuncts(found)


def title_word(token) -> str | None:
    """The office ``token`` names, singular and lower case, or None: "minister", and
    "Ministers"/"Presidents", whose capitalised plural the tagger leaves unlemmatised."""
    titles = word_set("titles", "person_titles")
    lower = token.lower_
    plurals = (lower[:-3] + "y", lower[:-3] + "an", lower[:-1]) if lower.endswith(("s", "men")) else ()
    return next((form for form in (token.lemma_.lower(), lower, *plurals) if form in titles), None)


def is_person_word(token) -> bool:
    """A common noun that names an official ("president", "minister", "ministers")."""
    return title_word(token) is not None


def office_bodies(token) -> list:
    """The two or more countries or bodies a plural title is "of" ("the foreign ministers of
    India and Japan", "heads of government of A and B"), also when the parser hangs the later
    ones on the title itself ("ministers of A and the B": B a conjunct of "ministers"); else []."""
    if token.tag_ not in ("NNS", "NNPS") or not is_person_word(token):
        return []
    objects = prep_objects(token, ("of",))
    if len(objects) == 1 and prep_objects(objects[0], ("of",)):  # "heads of government of A and B"
        objects = prep_objects(objects[0], ("of",))
    objects += [conj for conj in token.conjuncts if objects and conj.i > objects[0].i]
    bodies = [obj for obj in objects if obj.ent_type_ in ("GPE", "ORG", "NORP") or country_word(obj.text)]
    return bodies if len(bodies) > 1 and len(bodies) == len(objects) else []


def is_group_word(token) -> bool:
    """A common noun that names an official party ("delegation", "government")."""
    return token.lemma_.lower() in word_set("titles", "group_nouns") or token.lower_ in word_set("titles", "group_nouns")


def is_agent(token) -> bool:
    """Could ``token`` be a participant: a named actor, an official, a group or a personal pronoun."""
    if ent_label(token) in NON_AGENT_ENTS or is_calendar_word(token):
        return False
    if ent_label(token) in AGENT_ENTS:
        return True
    if ent_label(token) in PLACE_ENTS or token.lower_ in RELATIVE_PRONOUNS:
        return False
    if token.lower_ in PERSONAL_PRONOUNS:
        return True
    if token.pos_ == "PROPN":
        return True
    return is_person_word(token) or is_group_word(token)


def is_calendar_word(token) -> bool:
    """A weekday, month or relative day: a time, even where the parser made it a possessor
    ("Monday's talks") or the tagger a name ("May" opening a sentence is rare enough)."""
    return token.lower_ in CALENDAR_WORDS and token.ent_type_ not in ("PERSON", "ORG", "GPE")


def possessors(token):
    """Possessors of ``token``: "poss" children, and "nmod" children marked by "'s" (the parse
    of "Trump’s summit" with a curly apostrophe)."""
    return [child for child in children(token, "poss", "nmod")
            if child.dep_ == "poss" or any(grand.dep_ == "case" and grand.tag_ == "POS" for grand in child.children)]


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
    """The tokens of ``token``'s noun phrase without determiners, clauses and the members it
    lists ("leaders including X"), as (start, end)."""
    def kept(child):
        return child.dep_ not in stop_deps and not (child.dep_ == "prep" and child.lower_ in LISTING_PREPS)

    keep = [token]
    stack = [child for child in token.children if kept(child)]
    while stack:
        child = stack.pop()
        if child.dep_ == "det" and child.head == token:
            continue
        keep.append(child)
        stack.extend(grand for grand in child.children if kept(grand))
    return min(t.i for t in keep), max(t.i for t in keep) + 1


# --- line breaks as sentence boundaries ----------------------------------------------
# Some inputs put one sentence (or paragraph) per line, often without a final period
# (converted corpora, captions); spaCy then fuses lines into one "sentence" and attaches
# words across the break. Hard-wrapped wire copy (Reuters) reaches spaCy unwrapped
# (transforms.articles.unwrap: only its paragraph breaks are left), and the rule applies
# only to documents whose lines rarely continue in lower case; a line break followed by
# an indent ("\n    ") starts a paragraph in any document.
LOWERCASE_CONTINUATION_MAX = 0.15


def _break_tokens(doc) -> list[int]:
    return [tok.i for tok in doc if tok.is_space and "\n" in tok.text]


def _lines_are_units(doc) -> bool:
    breaks = _break_tokens(doc)
    if not breaks or hard_wrapped(doc.text):
        return False
    following = [doc[i + 1].text[:1] for i in breaks if i + 1 < len(doc)]
    lower = sum(1 for ch in following if ch.islower())
    return lower <= LOWERCASE_CONTINUATION_MAX * max(len(following), 1)


def line_breaks_are_sentence_starts(doc) -> list[int]:
    """Indices of the tokens that open a line, when the document's lines are units (one
    sentence per line, as in transcribed or converted corpora); empty for wrapped wire copy."""
    if not _lines_are_units(doc):
        return []
    return [i + 1 for i in _break_tokens(doc) if i + 1 < len(doc) and not doc[i + 1].is_space]


def line_ids(doc) -> list[int]:
    """Per token, the index of the text unit (line or paragraph) it belongs to, cached on the doc."""
    cached = doc.user_data.get("newsevents_line_ids")
    if cached is not None and len(cached) == len(doc):
        return cached
    all_lines = _lines_are_units(doc)
    ids, current = [], 0
    for tok in doc:
        ids.append(current)
        if tok.is_space and "\n" in tok.text and (all_lines or tok.text.endswith((" ", "\t")) or "\n\n" in tok.text):
            current += 1
    doc.user_data["newsevents_line_ids"] = ids
    return ids


def same_unit(a, b) -> bool:
    """Are tokens ``a`` and ``b`` in the same line/paragraph unit (see line_ids)?"""
    ids = line_ids(a.doc)
    return ids[a.i] == ids[b.i]


def sentence_of(token):
    """``token``'s sentence, clipped to its line/paragraph unit (a spaCy Span)."""
    sent = token.sent
    ids = line_ids(token.doc)
    mine = ids[token.i]
    start, end = sent.start, sent.end
    while start < token.i and ids[start] != mine:
        start += 1
    while end > token.i + 1 and ids[end - 1] != mine:
        end -= 1
    doc = token.doc
    while start < end - 1 and doc[start].is_space:
        start += 1
    while end > start + 1 and doc[end - 1].is_space:
        end -= 1
    return doc[start:end]
