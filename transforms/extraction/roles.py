"""Which tokens fill which role, per event type and trigger kind.

Returns (token, role) pairs; ``participants.PeopleIndex`` turns tokens into dicts.
"""
from __future__ import annotations

from .syntax import children, is_agent, passive_agents, prep_objects, subjects, with_conjuncts


def role_tokens(candidate, destination=None) -> list[tuple[object, str]]:
    """(token, role) pairs for ``candidate``; ``destination`` is the visited place of this split."""
    reader = READERS[candidate.event_type]
    pairs = reader(candidate, destination)
    seen, unique = set(), []
    for token, role in pairs:
        if token.i not in seen and (candidate.obj is None or token.i != candidate.obj.i):
            seen.add(token.i)
            unique.append((token, role))
    return unique


def _agents(tokens) -> list:
    return [tok for tok in tokens if is_agent(tok)]


def _owners_of(noun) -> list:
    """Possessors, "of"/"by" objects and named compounds of a noun trigger ("Raisi's visit")."""
    found = children(noun, "poss") + prep_objects(noun, ("of", "by"))
    found += [tok for tok in children(noun, "compound") if tok.ent_type_ in ("PERSON", "ORG", "NORP")]
    return _agents(with_conjuncts(found))


def _visit_roles(candidate, destination):
    token, kind = candidate.token, candidate.kind
    hosts = [destination] if destination is not None else []
    if kind == "host":
        return [(t, "host") for t in _agents(subjects(token))] + [(t, "guest") for t in with_conjuncts(children(token, "dobj"))]
    if kind == "noun":
        guests = _owners_of(token)
        if not guests and len(candidate.anchors) > 1:
            guests = _agents(subjects(candidate.anchors[1]))
    else:
        guests = _agents(subjects(token))
    if kind == "verb" and destination is None:
        hosts = _agents(children(token, "dobj"))
    return [(t, "guest") for t in guests] + [(t, "host") for t in hosts]


def _meeting_roles(candidate, destination):
    token = candidate.token
    if candidate.kind == "verb":
        found = _agents(subjects(token)) + _agents(prep_objects(token, ("with",))) + _agents(with_conjuncts(children(token, "dobj")))
        return [(t, "participant") for t in found]
    found = _owners_of(token) + _agents(prep_objects(token, ("with", "between", "among")))
    found += [tok for tok in children(token, "compound", "amod") if tok.ent_type_ in ("ORG", "GPE")]
    for anchor in candidate.anchors[1:]:
        found += _agents(subjects(anchor))
    attendees = []
    for clause in children(token, "relcl", "acl"):
        if clause.lemma_ == "attend":
            attendees += passive_agents(clause)
    return [(t, "participant") for t in found] + [(t, "attendee") for t in _agents(attendees)]


def _sign_roles(candidate, destination):
    token, document = candidate.token, candidate.obj
    found = []
    if candidate.kind == "verb":
        found += [tok for tok in subjects(token) if tok.i != document.i]
        found += passive_agents(token) + prep_objects(token, ("with", "between"))
    else:
        found += prep_objects(token, ("by", "between"))
    found += prep_objects(document, ("with", "between"))
    return [(t, "signatory") for t in _agents(found)]


def _open_roles(candidate, destination):
    token, facility = candidate.token, candidate.obj
    if candidate.kind == "verb":
        openers = [tok for tok in subjects(token) if tok.i != facility.i] + passive_agents(token)
    else:
        openers = prep_objects(token, ("by",))
        if token.dep_ == "conj" and token.head.lemma_.lower() in ("visit", "trip", "tour"):
            openers += _owners_of(token.head)  # "the visit of X to Y and the opening of a factory"
    owners = [tok for tok in children(facility, "poss") if tok.pos_ != "PRON"]
    return [(t, "opener") for t in _agents(openers)] + [(t, "owner") for t in _agents(owners)]


READERS = {
    "state_visit": _visit_roles,
    "meeting": _meeting_roles,
    "agreement_signed": _sign_roles,
    "facility_opened": _open_roles,
}
