"""Finding trigger candidates: a lexicon word that passes the dependency checks of its type.

Each finder returns ``Candidate``s; roles, status, dates and locations are read later
from the same tokens. A word without its required argument (e.g. "sign" without an
agreement noun, "open" without a facility noun) is not a trigger.
"""
from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from schemas import EVENT_TYPES

from .finders import Candidate, is_noun_trigger, lemma_of, official_subject
from .lexicon import load, trigger_set, triggers
from .meeting_finders import meet_verb, meeting_noun, meeting_noun_vetoed
from .object_finders import agreement_noun, facility_noun, open_verb, opening_noun, sign_verb, signing_noun
from .syntax import children, is_place, prep_objects, subjects
from .visit_finders import (copula_visit, greeting_visit, host_verb, motion_verb, presence_visit, visit_noun,
                            visit_noun_vetoed, visit_verb)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


def find_candidates(doc: Doc) -> list[Candidate]:
    """All trigger candidates in ``doc``, in document order: what the strict finders accept,
    and every other trigger word in a trigger sense (``loose_candidates``), which the learned
    decision (decision.py) judges from its context."""
    lemmas, forms = _trigger_words()
    found = []
    for token in doc:
        if lemma_of(token) not in lemmas and token.lower_ not in forms:
            continue  # every finder starts by asking for one of these words
        strict = []
        for finder in FINDERS:
            candidate = finder(token)
            if candidate is not None:
                candidate.finder = finder.__name__
                strict.append(candidate)
        found.extend(strict or loose_candidates(token))
        if any(c.finder == "host_verb" for c in strict):
            # "the queen received President Bush": a visit, and often the audience is a meeting
            found.append(Candidate("meeting", token, "verb", [token], finder="host_meeting", strict=False))
    return found


def loose_candidates(token: Token) -> list[Candidate]:
    """A trigger verb or noun of a type that no strict finder accepted ("the talks", "Tuesday's
    summit", "visiting X", "entered into an agreement"), with the arguments the rules can read.
    Everyday senses ("visit Northampton", "meet the challenge") are proposed too: the learned
    decision tells them apart."""
    found = []
    for event_type in EVENT_TYPES:
        if token.pos_ == "VERB" and lemma_of(token) in trigger_set(event_type, "verbs"):
            if event_type == "state_visit" and subjects(token) and not official_subject(token):
                continue  # "Disaster visited the villages", "the team visits Liverpool": the vetoes hold
            kind = "verb"
        elif is_noun_trigger(token, event_type) and not _vetoed_noun(token, event_type):
            kind = "noun"
        else:
            continue
        places = [tok for tok in prep_objects(token, ("to", "in", "at")) if is_place(tok)]
        if event_type == "state_visit":
            places += [tok for tok in children(token, "dobj") if is_place(tok)]
        objects = children(token, "dobj", "nsubjpass") + prep_objects(token, ("of", "into", "on"))
        if token.dep_ in ("amod", "acl", "relcl", "compound"):
            objects.append(token.head)
        obj = None
        if event_type in OBJECT_FINDERS:
            obj = next((o for o in map(OBJECT_FINDERS[event_type], objects) if o is not None), None)
        found.append(Candidate(event_type, token, kind, [token], places if event_type == "state_visit" else [],
                               obj, "loose", False))
    presence = presence_visit(token)
    if presence is not None:
        found.append(presence)
    return found


@lru_cache(maxsize=1)
def _trigger_words() -> tuple[frozenset, frozenset]:
    """(lemmas, lower-case forms) a token needs for any finder of FINDERS to look at it:
    the verb and noun classes they check, "be" for copula_visit, the nouns' surface forms."""
    nouns = frozenset().union(*(trigger_set(event_type, "nouns") for event_type in load("triggers")))
    verbs = frozenset().union(*(trigger_set(event_type, "verbs") for event_type in load("triggers")),
                              trigger_set("state_visit", "host_verbs"), trigger_set("state_visit", "greeting_verbs"),
                              trigger_set("meeting", "partner_verbs"),
                              (str(verb).lower() for verb in triggers("state_visit")["motion_verbs"]))
    return verbs | nouns | {"be"}, nouns



FINDERS = (
    visit_verb, motion_verb, host_verb, visit_noun, copula_visit, greeting_visit,
    meet_verb, meeting_noun,
    sign_verb, signing_noun,
    open_verb, opening_noun,

)

OBJECT_FINDERS = {"agreement_signed": agreement_noun, "facility_opened": facility_noun}
NOUN_VETOES = {"meeting": meeting_noun_vetoed, "state_visit": visit_noun_vetoed}  # hold for loose proposals too


def _vetoed_noun(token: Token, event_type: str) -> bool:
    veto = NOUN_VETOES.get(event_type)
    return veto is not None and veto(token)
