"""What an article tells about its people beyond their names (PeopleIndex): subjects that
stand for a named person, and each person's title and country.

The country hint of any mention counts everywhere ("Yugoslav Prime Minister Branko Mikulic"
... "Mikulic"); then an apposed title ("Brazil's foreign minister, Paulo Mendes"); the
article title ("SAUDI ARABIA'S KING FAHD ..."); the official a visitor meets in the visited
country takes that country; the unnamed official of the lede is the first person named
after it; a state official with no nationality takes the country of a well-known holder's full
name (resolution/known_actors.py), else the dateline country, or without a dateline the
outlet's home country, if that country has such an office (never the headline's).
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from transforms.resolution.countries import country_in_text, normalize, outlet_country, regions
from transforms.resolution.known_actors import person_country
from transforms.resolution.offices import holds_office

from .country_cues import headline_country_before, whole_country
from .lexicon import trigger_set
from .organisations import Organisations, actor_words, clean_name
from .participants import PeopleIndex
from .syntax import children, country_word, entity_of, is_person_word, noun_phrase, subjects
from .titles import office_noun, split_title

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

OBJECT_PRONOUNS = frozenset({"him", "her"})


def add_subjects(people: PeopleIndex, orgs: Organisations) -> None:
    """Bare proper-noun subjects that name a known person ("Mikulic visits ..."), and title
    subjects that stand for one ("The queen received ... she hosted")."""
    known = {index for index, _ in people.subject_mentions}
    for token in people.doc:
        if token.dep_ not in ("nsubj", "nsubjpass") or token.i in known or token.i in people.titled:
            continue
        if token.pos_ == "PROPN" and people.is_person_name(token.text) and orgs.find(token.text) is None:
            people.subject_mentions.append((token.i, people.canonical(token.text)))
        elif token.pos_ == "NOUN" and is_person_word(token) and entity_of(token) is None:
            named = people.title_holder(token)[3]
            if named:
                people.subject_mentions.append((token.i, named))
    people.subject_mentions.sort()


def add_hints(people: PeopleIndex, article: dict, dateline_country: str | None) -> None:
    """Titles and country hints from every mention, then the fallbacks."""
    headline = article.get("title") or ""
    for ent in people.persons:
        name = people.canonical(people.bare_name(ent))
        record = people.people.get(name)
        if record is None:
            continue
        title, country = people.title_of(ent)
        if not title:
            title, country = _apposed_title(people.doc, ent)
        if title and not record["title"]:
            record["title"] = title
        if country and not record["country"]:
            record["country"] = country
    for name, record in people.people.items():
        if record["country"]:
            continue
        record["country"] = headline_country_before(headline, name.split()[-1]) if name.split() else None
        if not record["country"] and record["title"] and _state_title(record["title"]) and not country_in_text(record["title"]):
            # a well-known holder's own country before the guesses from the story's places
            record["country"] = (person_country(name, None) or _visited_country(people.doc, name)
                                 or _lede_country(people, name)
                                 or _home_country(article, dateline_country, record["title"]))


def _of_an_organisation(title: str) -> bool:
    """A title that names an international body or a region ("NATO Secretary General",
    "European Commission President"): its holder is no official of the story's country."""
    for word in re.findall(r"[\w.&-]+", title):
        bare = word.strip(".")
        acronym = len(bare.replace(".", "")) > 1 and bare.replace(".", "").isupper()
        if normalize(word) in regions() or (acronym and not whole_country(word)):
            return True
    return False


def _home_country(article: dict, dateline_country: str | None, title: str) -> str | None:
    """The story's own country for an official titled ``title`` with no nationality: the
    dateline's, else (no dateline) the outlet's home country ("President Trump" in a US
    paper), if that country has such an office at all. A country the headline names is
    no evidence (it is as often the other party's or the place's)."""
    if _of_an_organisation(title):
        return None
    if dateline_country or article.get("dateline"):
        home = dateline_country
    else:
        home = outlet_country(article.get("url"), article.get("source"))
    return home if holds_office(home, title) else None


def _lede_country(people: PeopleIndex, name: str) -> str | None:
    """ "A senior British official said ..." then "Paul Channon, secretary for trade, said":
    the unnamed official of the lead sentence is the first person named after it."""
    doc = people.doc
    sents = list(doc.sents)
    if len(sents) < 2:
        return None
    lead_subjects = [tok for tok in sents[0] if tok.dep_ in ("nsubj", "nsubjpass") and is_person_word(tok)]
    if not lead_subjects or any(child.dep_ == "appos" for child in lead_subjects[0].children):
        return None
    subject = lead_subjects[0]
    if not any(child.lower_ in ("a", "an") for child in subject.children):
        return None
    start, end = noun_phrase(subject)
    hint = next((tok.text for tok in doc[start:end] if tok.ent_type_ in ("NORP", "GPE")), None)
    if not hint:
        return None
    named = [ent for ent in doc.ents if ent.label_ == "PERSON" and sents[1].start <= ent.start < sents[1].end]
    if named and people.canonical(people.bare_name(named[0])) == name and named[0].root.dep_ in ("nsubj", "nsubjpass"):
        return hint
    return None


def _apposed_title(doc: Doc, ent: Span) -> tuple[str | None, str | None]:
    """ "Brazil's foreign minister, Paulo Mendes": the person is in apposition to a title;
    "his Tajik counterpart, X" gives a country only ("counterpart" names no office)."""
    root = ent.root
    if root.dep_ == "appos" and office_noun(root.head):
        start, end = noun_phrase(root.head)
        title, country = split_title(list(doc[start:end]))
        return (title if is_person_word(root.head) else None), country
    return None, None


def _state_title(title: str) -> bool:
    words = {w.lower().strip(".,") for w in title.split()}
    return bool(words & actor_words("state_titles")) and "vice-president" not in words


def _visited_country(doc: Doc, name: str) -> str | None:
    """The official met during a visit belongs to the visited country:
    "X visits West Germany ... talks with Chancellor Helmut Kohl"."""
    last, visits = name.split()[-1], trigger_set("state_visit", "verbs")
    for sent in doc.sents:
        mentions = [tok for tok in sent if tok.text == last]
        if not mentions:
            continue
        for verb in sent:
            if verb.lemma_ not in visits or verb.pos_ != "VERB":
                continue
            visitors = [subj for subj in children(verb, "nsubj") if subj.pos_ == "PROPN" or subj.ent_type_]
            if not visitors or any(tok.text == last for subj in visitors for tok in subj.subtree):
                continue  # only someone else's visit tells where this official is from
            for obj in children(verb, "dobj"):
                ent = entity_of(obj)
                text = clean_name(ent.text) if ent is not None else obj.text
                if country_word(text):
                    return text
    return None


def pronoun_person(people: PeopleIndex, token: Token) -> str | None:
    """he/his: a person subject earlier in the same sentence, else the latest before. An object
    pronoun is never its own clause's subject: in "Putin will meet him", "him" is someone else."""
    sent = token.sent
    own = _clause_subjects(token)
    earlier = [(index, name) for index, name in people.subject_mentions if index < token.i]
    if own:  # the person last named before it, subject or not, other than that clause's subject
        own_indices = {tok.i for tok in own}
        bound = {name for index, name in earlier if index in own_indices}
        bound |= {pronoun_person(people, tok) for tok in own if tok.lower_ in ("he", "she")}  # "She met him"
        others = [name for index, name in people.person_mentions if index < token.i and name not in bound]
        return others[-1] if others else None
    same = [name for index, name in earlier if index >= sent.start]
    return same[-1] if same else people.resolve_pronoun(token)


def _clause_subjects(pronoun: Token) -> list:
    """The subjects of the verb an object pronoun ("him", "her") depends on, through a
    preposition ("met with him"); none for a subject or possessive pronoun."""
    if pronoun.lower_ not in OBJECT_PRONOUNS or pronoun.dep_ not in ("dobj", "dative", "pobj"):
        return []
    head = pronoun.head
    if pronoun.dep_ == "pobj":
        if head.dep_ != "prep":
            return []
        head = head.head
    return subjects(head) if head.pos_ in ("VERB", "AUX") else []


def apposed_person(people: PeopleIndex, token: Token) -> Span | None:
    """ "Brazil's foreign minister, Paulo Mendes": the title's apposed PERSON."""
    spans = (people.person_span(appos) for appos in children(token, "appos"))
    return next((span for span in spans if span is not None), None)
