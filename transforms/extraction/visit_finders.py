"""Finders of state visits: a lexicon word that passes the dependency checks of a visit
("X visited Y", "arrived in Rabat", "hosted Y", "his visit to Britain", "was in Washington
for talks"). Each returns a ``Candidate`` or None.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .finders import Candidate, has_modifier, is_noun_trigger, lemma_of, official_subject
from .lexicon import trigger_set, triggers, word_set
from .syntax import (also_objects, children, ent_label, governing_verb, is_person_word, is_place, next_token,
                     prep_objects, subjects, with_conjuncts)

if TYPE_CHECKING:
    from spacy.tokens import Token


def visit_verb(token: Token) -> Candidate | None:
    """ "X visited Y": an agent visits a named place or person."""
    if token.pos_ != "VERB" or lemma_of(token) not in trigger_set("state_visit", "verbs"):
        return None
    objects = [tok for tok in with_conjuncts(children(token, "dobj")) + also_objects(token)
               if is_place(tok) or ent_label(tok) in ("PERSON", "ORG")]
    if not objects or not official_subject(token):
        return None
    return Candidate("state_visit", token, "verb", [token], [tok for tok in objects if is_place(tok)])


def motion_verb(token: Token) -> Candidate | None:
    """ "X arrived in Rabat", "X leaves for the U.S.": an agent travels to a named place."""
    if token.pos_ != "VERB":
        return None
    preps = triggers("state_visit")["motion_verbs"].get(lemma_of(token))
    if not preps:
        return None
    places = [tok for tok in prep_objects(token, preps) if is_place(tok)]
    if not places or not official_subject(token):
        return None
    return Candidate("state_visit", token, "motion", [token], places)


def host_verb(token: Token) -> Candidate | None:
    """ "X hosted/received/welcomed Y": a host receives a person or delegation."""
    if token.pos_ != "VERB" or lemma_of(token) not in trigger_set("state_visit", "host_verbs"):
        return None
    guests = [tok for tok in children(token, "dobj") if ent_label(tok) == "PERSON" or _is_official_noun(tok)]
    if not guests or not official_subject(token):
        return None
    return Candidate("state_visit", token, "host", [token])


def greeting_visit(token: Token) -> Candidate | None:
    """ "Welcome to Moscow", "thank you for coming to Russia", "I am happy to see you here in
    Russia", "I came to Moscow": a visit told to or by its guest in a transcript, whose
    place is named or "here" (the dateline's)."""
    lemma = lemma_of(token)
    if token.pos_ not in ("VERB", "AUX") or lemma not in trigger_set("state_visit", "greeting_verbs"):
        return None
    persons = {tok.lower_ for tok in children(token, "nsubj", "dobj")}
    if lemma == "welcome":
        addressed = "you" in persons or not subjects(token)
    elif lemma == "come":
        addressed = bool(persons & {"you", "i"}) or _thanked_for(token)
    elif lemma == "see":
        addressed = "you" in persons
    else:  # "thank you for being here"
        addressed = _thanked_for(token)
    here = [child for child in token.children if child.lower_ == "here"]
    places = [tok for anchor in [token, *here] for tok in prep_objects(anchor, ("to", "in")) if is_place(tok)]
    if not addressed or not (places or here) or (lemma in ("be", "see") and not here):
        return None
    return Candidate("state_visit", token, "greeting", [token], places)


def _thanked_for(token: Token) -> bool:
    """Under the "for" of "thank you for ...": what the guest is thanked for."""
    return any(node.lower_ == "for" and lemma_of(node.head) in trigger_set("state_visit", "thank_words")
               for node in token.ancestors)


def _is_official_noun(token: Token) -> bool:
    """A person named by title ("the president") or a delegation."""
    return is_person_word(token) or lemma_of(token) == "delegation"


def visit_noun(token: Token) -> Candidate | None:
    """ "his visit to Britain", "the recent visit of the Chief of Staff to Tajikistan"."""
    if not is_noun_trigger(token, "state_visit") or visit_noun_vetoed(token):
        return None
    governor = governing_verb(token, 3)
    if governor is not None and any(finder(governor) for finder in (visit_verb, motion_verb)):
        return None  # "arrived in Rabat after a tour of the Gulf": one event, told by the verb
    anchors = [token]
    support = _support_verb(token, "state_visit")
    if support is not None:
        anchors.append(support)
    anchors += children(token, "relcl", "acl")  # "a tour that has taken X to Iraq"
    places = [tok for anchor in anchors for tok in prep_objects(anchor, ("to", "in")) if is_place(tok)]
    places += [tok for tok in children(token, "compound") + prep_objects(token, ("of",)) if is_place(tok)]
    has_owner = bool(children(token, "poss")) or bool(prep_objects(token, ("of", "by"))) or support is not None
    definite = any(child.lower_ in ("the", "this", "that") for child in children(token, "det"))
    if not (places or has_owner or definite):
        return None
    return Candidate("state_visit", token, "noun", anchors, places)


def visit_noun_vetoed(token: Token) -> bool:
    """ "a private visit", "a concert tour": not an official trip."""
    return has_modifier(token, word_set("guards", "non_official_visit_modifiers"))


def _support_verb(noun: Token, event_type: str) -> Token | None:
    """The light verb of a noun trigger: "paid a visit" (object) or "a visit he will make"."""
    supports = trigger_set(event_type, "support_verbs")
    if noun.dep_ in ("dobj", "nsubjpass") and lemma_of(noun.head) in supports:
        return noun.head
    following = next_token(noun)
    if following is not None and following.dep_ == "nsubj" and lemma_of(following.head) in supports and following.head.i > noun.i:
        return following.head
    return None


def copula_visit(token: Token) -> Candidate | None:
    """ "De Croo was in Washington for trade talks": being in a place for a meeting or visit."""
    if lemma_of(token) != "be":
        return None
    places = [tok for tok in prep_objects(token, ("in",)) if is_place(tok)]
    purposes = prep_objects(token, ("for", "on"))
    if not places or not any(is_noun_trigger(tok, "meeting") or is_noun_trigger(tok, "state_visit") or _purpose_meeting(tok) for tok in purposes):
        return None
    if not official_subject(token):
        return None
    return Candidate("state_visit", token, "copula", [token], places)


def presence_visit(token: Token) -> Candidate | None:
    """ "The French foreign minister is in Washington on Tuesday", "Kerry is back in the Middle
    East": an official present in a place, with no stated purpose (``copula_visit`` wants one);
    a trip only when the place is abroad, which the learned decision judges."""
    if lemma_of(token) != "be":
        return None
    places = [tok for anchor in {token, _back(token)} for tok in prep_objects(anchor, ("in",)) if is_place(tok)]
    if not places or not official_subject(token):
        return None
    return Candidate("state_visit", token, "copula", [token], places, finder="presence_visit", strict=False)


def _back(token: Token) -> Token:
    """ "is back in Kyiv", "is already in Washington": the adverb the parser may hang the place on."""
    adverbs = trigger_set("state_visit", "presence_adverbs")
    return next((child for child in children(token, "advmod") if child.lower_ in adverbs), token)


def _purpose_meeting(token: Token) -> bool:
    """An ORG named with a meeting noun in apposition ("the IMF (IMF) meeting")."""
    return any(is_noun_trigger(child, "meeting") for child in children(token, "appos"))
