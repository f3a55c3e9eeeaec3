"""Finders of meetings ("X met (with) Y", "the council convened", "talks with X", "a summit
in Venice"). Each returns a ``Candidate`` or None.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .finders import Candidate, has_modifier, is_noun_trigger, lemma_of, official_subject
from .lexicon import trigger_set, word_set
from .syntax import (adjacent_object, children, ent_label, entity_of, governing_verb, is_agent, is_group_word,
                     prep_objects)

if TYPE_CHECKING:
    from spacy.tokens import Token


def meet_verb(token: Token) -> Candidate | None:
    """ "X met (with) Y", "ministers met", "the council convened", "after meeting with Y",
    "huddled with Y" (a partner verb: only with a "with" partner)."""
    lemma = lemma_of(token)
    if token.pos_ != "VERB":
        return None
    with_partners = prep_objects(token, ("with",))
    if lemma not in trigger_set("meeting", "verbs") and not (lemma in trigger_set("meeting", "partner_verbs") and with_partners):
        return None
    objects = children(token, "dobj")
    adjacent = adjacent_object(token)
    if adjacent is not None:
        objects = [adjacent]
    if any(lemma_of(obj) in word_set("guards", "meet_non_objects") for obj in objects):
        return None
    object_partners = [tok for tok in objects if is_agent(tok) or lemma_of(tok) in trigger_set("meeting", "person_objects")]
    if lemma in trigger_set("meeting", "deal_verbs"):
        # "negotiated a ceasefire", "negotiated the deal": talks that produced a document
        object_partners += [tok for tok in objects if tok not in object_partners and tok.pos_ in ("NOUN", "PROPN")]
    if objects and not object_partners and not with_partners:
        return None  # "met resistance", "met the press" are not meetings
    partners = with_partners + object_partners
    subj = official_subject(token)
    if not subj:
        # a gerund or participle whose subject is in the governing clause:
        # "ahead of meeting Kerry", "after meeting with Turnbull"
        if partners and token.tag_ in ("VBG", "VBN") and token.dep_ in ("pcomp", "advcl", "xcomp", "acl"):
            return Candidate("meeting", token, "verb", [token])
        return None
    plural = len(subj) > 1 or any(tok.tag_ in ("NNS", "NNPS") or is_agent(tok) and tok.lower_ in ("they", "we") for tok in subj)
    if lemma not in trigger_set("meeting", "solo_verbs") and not partners:
        return None
    if not partners and not plural and not any(_is_collective(tok) for tok in subj):
        return None
    return Candidate("meeting", token, "verb", [token])


def _is_collective(token: Token) -> bool:
    """An organisation or body that meets on its own ("the council meets")."""
    return ent_label(token) == "ORG" or is_group_word(token)


def meeting_noun(token: Token) -> Candidate | None:
    """ "talks with X", "a summit in Venice", "OPEC's December conference"."""
    if not is_noun_trigger(token, "meeting") or meeting_noun_vetoed(token):
        return None
    anchors = [token]
    phrase = token.head if token.dep_ == "compound" and token.head.pos_ == "NOUN" else token
    verb = governing_verb(phrase, 1)
    supported = verb is not None and lemma_of(verb) in trigger_set("meeting", "support_verbs")
    if supported:
        anchors.append(verb)
        # "Modi is due to hold a meeting": the clause that carries the time and the plan
        head = verb
        while head.dep_ in ("xcomp", "acomp") and head.head.pos_ in ("VERB", "AUX", "ADJ") and len(anchors) < 5:
            head = head.head
            anchors.append(head)
    if lemma_of(token) in trigger_set("meeting", "support_only_nouns") or token.lower_ in trigger_set("meeting", "support_only_nouns"):
        partners = prep_objects(token, ("with", "between")) + prep_objects(phrase, ("with", "between"))
        if not (supported or partners):
            return None
        if phrase is not token:
            anchors.append(phrase)
    return Candidate("meeting", token, "noun", anchors)


def meeting_noun_vetoed(token: Token) -> bool:
    """ "press conference", "phone talks", "a base metals conference", "Metal Bulletin's
    conference": not officials meeting."""
    return (has_modifier(token, word_set("guards", "non_meeting_modifiers"))
            or (token.dep_ == "compound" and token.head.lower_ in word_set("guards", "non_meeting_modifiers"))
            or has_modifier(token, word_set("guards", "non_meeting_event_modifiers"))
            or _possessor_is_publisher(token))


def _possessor_is_publisher(token: Token) -> bool:
    """The possessor of a conference is a company or publication, not a government body."""
    if lemma_of(token) != "conference":
        return False
    owners = children(token, "poss")
    return any(ent_label(owner) in ("ORG", "WORK_OF_ART", "PERSON") and not is_group_word(owner) and not _official_org(owner) for owner in owners)


def _official_org(token: Token) -> bool:
    """An intergovernmental or state body by name ("United Nations", "OPEC", "NATO")."""
    ent = entity_of(token)
    text = (ent.text if ent is not None else token.text).lower()
    return any(word in text for word in word_set("guards", "official_org_words"))
