"""Finders of the events that need their object: a signing needs a signable document ("X
signed an agreement"), an opening a physical facility ("X opened a plant"). Each returns a
``Candidate`` or None; ``agreement_noun`` and ``facility_noun`` find the object.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .finders import Candidate, has_modifier, is_noun_trigger, lemma_of
from .lexicon import trigger_set, word_set
from .syntax import children, is_place, prep_objects

if TYPE_CHECKING:
    from spacy.tokens import Token


def agreement_noun(token: Token | None) -> Token | None:
    """``token`` or its "of" object if it names a signable document ("a number of agreements"),
    or the head of a document named by a phrase ("a letter of intent")."""
    objects = trigger_set("agreement_signed", "objects")
    if token is None:
        return None
    if lemma_of(token) in objects or token.lower_ in objects:
        return token
    for pobj in prep_objects(token, ("of",)):
        if f"{lemma_of(token)} of {lemma_of(pobj)}" in objects:
            return token
        if lemma_of(pobj) in objects or pobj.lower_ in objects:
            return pobj
    return None


def sign_verb(token: Token) -> Candidate | None:
    """ "X signed an agreement", "the signed documents", "agreements that have been signed"."""
    if token.pos_ not in ("VERB", "ADJ") or lemma_of(token) not in trigger_set("agreement_signed", "verbs"):
        return None
    if children(token, "prt"):
        return None  # "signed up", "signed off"
    objects = children(token, "dobj", "nsubjpass")
    if token.dep_ in ("amod", "acl", "relcl"):
        objects.append(token.head)
    document = next((doc for doc in map(agreement_noun, objects) if doc is not None), None)
    if document is None:
        return None
    return Candidate("agreement_signed", token, "verb", [token], obj=document)


def signing_noun(token: Token) -> Candidate | None:
    """ "the signing of the treaty"."""
    if not is_noun_trigger(token, "agreement_signed"):
        return None
    document = next((doc for doc in map(agreement_noun, prep_objects(token, ("of",))) if doc is not None), None)
    if document is None:
        return None
    return Candidate("agreement_signed", token, "noun", [token], obj=document)


# --- facility_opened ----------------------------------------------------------------

def facility_noun(token: Token | None) -> Token | None:
    """``token``, or a noun inside its phrase, if it names a physical facility ("a gold ... mine")."""
    objects = trigger_set("facility_opened", "objects")
    if token is None:
        return None
    for noun in [token] + [tok for tok in token.subtree if tok.i > token.i]:
        if (lemma_of(noun) in objects or noun.lower_ in objects) and noun.pos_ in ("NOUN", "PROPN"):
            if has_modifier(noun, word_set("guards", "non_facility_modifiers")):
                return None  # "a borrowing facility"
            return noun
    return None


def _facility_places(anchors) -> list:
    """ "offices would be opened in Tokyo, Hong Kong and Moscow": one event per place."""
    return [tok for anchor in anchors for tok in prep_objects(anchor, ("in", "at")) if is_place(tok)]


def open_verb(token: Token) -> Candidate | None:
    """ "X opened a plant", "offices would be opened in Tokyo", "the embassy will open in January"."""
    if token.pos_ != "VERB" or lemma_of(token) not in trigger_set("facility_opened", "verbs"):
        return None
    objects = children(token, "dobj", "nsubjpass")
    if not objects and lemma_of(token) in ("open", "reopen"):
        objects = children(token, "nsubj")  # the facility opens (intransitive)
    if token.dep_ in ("amod", "acl") and token.head.pos_ == "NOUN":
        objects.append(token.head)
    if any(lemma_of(obj) in word_set("guards", "open_non_objects") for obj in objects):
        return None
    facility = next((f for f in map(facility_noun, objects) if f is not None), None)
    if facility is None:
        return None
    return Candidate("facility_opened", token, "verb", [token], _facility_places([token, facility]), obj=facility)


def opening_noun(token: Token) -> Candidate | None:
    """ "the opening of a drone factory", "since its opening in 2000, the centre ..."."""
    if not is_noun_trigger(token, "facility_opened"):
        return None
    facility = next((f for f in map(facility_noun, prep_objects(token, ("of",))) if f is not None), None)
    if facility is None and children(token, "poss"):
        root = token.sent.root
        facility = next((f for f in map(facility_noun, children(root, "nsubj", "nsubjpass")) if f is not None), None)
    if facility is None:
        return None
    return Candidate("facility_opened", token, "noun", [token], obj=facility)
