"""Which tokens fill which role, per event type and trigger kind.

Returns (token, role) pairs; ``actors.ActorTable`` turns tokens into dicts.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .lexicon import trigger_set, word_set
from .syntax import (AGENT_ENTS, LISTING_PREPS, RELATIVE_PRONOUNS, adjacent_object, children, governing_verb, is_agent,
                     is_country_name, is_person_word, next_token, office_bodies, passive_agents, possessors,
                     prep_objects, relative_clauses, subjects, with_conjuncts)

if TYPE_CHECKING:
    from spacy.tokens import Token

    from .finders import Candidate

CLAUSE_DEPS = ("relcl", "acl")
COUNTERPART_PREPS = ("with", "from", "to", "into", "between")
MAX_CLIMB = 6
CIRCUMSTANCE_PREPS = ("after", "during", "at", "for", "following", "of", "before", "since")
# prepositions between an event noun and the clause whose subject took part in it ("in talks
# with X", "on a visit to Y", "on the sidelines of the summit")
CLAUSE_PREPS = CIRCUMSTANCE_PREPS + ("in", "from", "into", "on")
# verbs whose subject takes part in the event that is their object ("Trump left the G7 summit")
PARTICIPATION_VERBS = frozenset({
    "attend", "leave", "address", "cap", "cancel", "skip", "miss", "finish", "wrap", "close", "chair",
    "arrange", "seek", "request", "plan", "prepare", "boycott", "call", "propose", "complete", "cut",
    "extend", "interrupt", "shorten", "take", "make", "pay", "hold", "have", "host", "join", "open",
    "end", "begin", "start", "conclude", "continue", "resume"})


def role_tokens(candidate: Candidate, destination: Token | None = None,
                apart: frozenset = frozenset()) -> list[tuple[Token, str]]:
    """(token, role) pairs for ``candidate``; ``destination`` is the visited place of this split,
    ``apart`` the indices of the ``separate_partners`` left to its sibling splits."""
    reader = READERS[candidate.event_type]
    pairs = reader(candidate, destination)
    seen, unique = set(apart), []
    for token, role in pairs:
        if token.i not in seen and (candidate.obj is None or token.i != candidate.obj.i):
            seen.add(token.i)
            unique.append((token, role))
    return unique


def separate_partners(candidate: Candidate) -> list:
    """The named partners each of whom makes an event of its own (spec/ANNOTATION.md: one record
    per real-world event): "bilateral meetings with A and B", "held separate talks with Iran
    and Iraq", "met separately with A and B", "signed deals with A, B and C". Empty unless
    there are two or more."""
    token = candidate.token
    if candidate.event_type == "meeting":
        apart = trigger_set("meeting", "apart_words")
        plural = candidate.kind == "noun" and token.tag_ == "NNS" and token.lower_ not in trigger_set("meeting", "nouns")
        if not (plural or any(child.lower_ in apart for child in children(token, "amod", "advmod"))):
            return []
        partners = prep_objects(token, ("with",))
    elif candidate.event_type == "agreement_signed" and candidate.obj is not None:
        document = candidate.obj
        if document.tag_ != "NNS" or document.lower_ in trigger_set("agreement_signed", "objects"):
            return []
        partners = _document_partners(token, document)
        if candidate.kind == "verb":
            partners += prep_objects(token, ("with",))  # "signed deals with A and B"
    else:
        return []
    named = _entity_agents(with_conjuncts(partners))
    named = [tok for tok in named if tok.ent_type_ in AGENT_ENTS]
    return named if len(named) > 1 else []


def _agents(tokens) -> list:
    tokens = list(map(_unwrap, tokens))
    # "ministers of A and the B" parsed with B a conjunct of "ministers": B is read with the title
    bodies = {body.i for token in tokens for body in office_bodies(token)}
    found = []
    for token in (tok for tok in tokens if tok.i not in bodies):
        named = _apposed_names(token)
        # a capitalised title may name its own holder too ("President of X A B and C D")
        found += ([token] if _is_actor(token) and not (named and token.pos_ == "NOUN") else []) + named
        found += [tok for tok in prep_objects(token, LISTING_PREPS) if _is_actor(tok)]  # "leaders including X"
        found += _title_conjuncts(token)
    return found


def _title_conjuncts(token) -> list:
    """ "President of X A B and Prime Minister of Y C D visited": the parser hangs the second
    title on the first one's "of" object, not on the first title."""
    if not is_person_word(token):
        return []
    return [conj for obj in prep_objects(token, ("of",)) for conj in obj.conjuncts
            if conj.i > obj.i and is_person_word(conj)]


def _apposed_names(token) -> list:
    """The names a common noun stands beside: "Presidents A and B signed", "his Omani
    counterpart, C," -> A, B / C (the parser makes the names an apposition of the noun, or of a
    capitalised title: "Malian President A and Ghanaian President B")."""
    if token.pos_ != "NOUN" and not is_person_word(token):
        return []
    named = [child for child in children(token, "appos") if child.ent_type_ in AGENT_ENTS or child.pos_ == "PROPN"]
    return [tok for tok in with_conjuncts(named) if _is_actor(tok)]


def _is_actor(token) -> bool:
    """An agent, or a descriptive noun descriptions.py links to one ("its subsidiary", "members of X")."""
    if is_agent(token):
        return True
    lower = token.lower_
    if lower in word_set("actors", "part_nouns"):
        return any(child.dep_ == "poss" for child in token.children)
    if lower in word_set("actors", "member_nouns"):
        return any(grand.ent_type_ in AGENT_ENTS for prep in children(token, "prep") if prep.lower_ == "of" for grand in children(prep, "pobj"))
    return False


def _unwrap(token):
    """ "with <Zenith Capital Inc>": the parser may hang the bracket, not the name, on "with"."""
    following = next_token(token)
    if (token.is_punct or token.text in ("<", "(", '"')) and following is not None and following.ent_type_ in AGENT_ENTS:
        return following
    return token


def _entity_agents(tokens) -> list:
    """Only named actors (for looser patterns where common nouns would be noise)."""
    return [tok for tok in (_unwrap(t) for t in tokens) if tok.ent_type_ in AGENT_ENTS or (tok.pos_ == "PROPN" and not tok.ent_type_)]


def _clause_parties(noun) -> list:
    """Parties named in a clause on the document: "a deal to import gas from Iran",
    "an agreement under which Micro D Inc will market ...", "an agreement to pay X to the IRS",
    "a memorandum of understanding for Contel Corp to purchase ..."."""
    found = []
    heads = [noun] + [obj for prep in children(noun, "prep") if prep.lower_ == "of" for obj in children(prep, "pobj")]
    for head in heads:
        found += [tok for prep in children(head, "prep") if prep.lower_ == "for" for tok in children(prep, "pobj")]
        for clause in children(head, *CLAUSE_DEPS):
            found += [tok for tok in children(clause, "nsubj", "nsubjpass") if tok.lower_ not in RELATIVE_PRONOUNS]
            found += prep_objects(clause, COUNTERPART_PREPS)
            for xcomp in children(clause, "xcomp"):
                found += prep_objects(xcomp, COUNTERPART_PREPS)
    return _entity_agents(with_conjuncts(found))


def _governing_subjects(noun) -> list:
    """Who took part in an event named as a circumstance or the object of their action:
    "Channon made his remarks after two days of talks with X", "he is in Washington for the
    IMF meeting", "Obama is fresh from a summit", "Hagel said at the end of a visit to Y",
    "Trump left the G7 summit"."""
    definite = bool(possessors(noun)) or any(child.dep_ == "det" and child.lower_ not in ("a", "an") for child in noun.children)
    named = any(tok.ent_type_ in AGENT_ENTS for tok in children(noun, "compound", "amod"))  # "the G7 summit"
    if definite and not named and not prep_objects(noun, ("with",)):
        return []  # "at the gathering": another mention of talks told elsewhere
    current = noun
    for _ in range(MAX_CLIMB):
        head = current.head
        if head == current:
            return []
        if current.dep_ == "prep" and current.lower_ not in CLAUSE_PREPS:
            return []
        if current.dep_ == "dobj" and head.lemma_.lower() not in PARTICIPATION_VERBS:
            return []
        if current.dep_ not in ("pobj", "prep", "dobj") and not (current.dep_ == "acomp" and current.pos_ == "ADJ"):
            return []
        current = head
        if current.pos_ in ("VERB", "AUX"):
            found = [tok for tok in subjects(current)]
            return [tok for tok in found if tok.ent_type_ in ("PERSON", "ORG", "GPE") or tok.pos_ == "PROPN" or tok.lower_ in ("he", "she")]
    return []


def _owners_of(noun) -> list:
    """Possessors, "of"/"by" objects and named compounds of a noun trigger ("Raisi's visit")."""
    found = possessors(noun) + prep_objects(noun, ("of", "by"))
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
        verb = governing_verb(token)
        if not guests and verb is not None and verb.lemma_.lower() in trigger_set("state_visit", "host_verbs"):
            # "Ghana welcomed Kariuki at the start of a state visit": the welcomer hosts, its object travels
            guests = _agents(with_conjuncts(children(verb, "dobj")))
            hosts += [tok for tok in _agents(subjects(verb)) if tok not in hosts]
        if not guests:
            guests = _agents(_governing_subjects(token))  # "Capping a three-day visit to X, Hagel said"
        for clause in children(token, *CLAUSE_DEPS):  # "a tour that has taken Herrington to Iraq"
            guests += _entity_agents(children(clause, "dobj"))
    else:
        guests = _agents(subjects(token))
    if kind == "verb" and destination is None:
        hosts = _agents(children(token, "dobj"))
    return [(t, "guest") for t in guests] + [(t, "host") for t in hosts]


def _meeting_roles(candidate, destination):
    token = candidate.token
    if candidate.kind == "verb":
        objects = children(token, "dobj") or [tok for tok in [adjacent_object(token)] if tok is not None]
        found = _agents(subjects(token)) + _agents(prep_objects(token, ("with",))) + _agents(with_conjuncts(objects))
        return [(t, "participant") for t in found]
    found = _owners_of(token) + _agents(prep_objects(token, ("with", "between", "among")))
    # "the Venice summit" names where it meets (locations.py), "the EU summit" who meets
    found += [tok for tok in children(token, "compound", "amod")
              if tok.ent_type_ == "ORG" or (tok.ent_type_ == "GPE" and is_country_name(tok))]
    if token.dep_ == "appos" and token.head.ent_type_ == "ORG":
        found.append(token.head)  # "the International Monetary Fund (IMF) meeting" as parsed
    for anchor in candidate.anchors[1:]:
        found += _agents(subjects(anchor))
    owners = _owners_of(token)
    if all(tok.ent_type_ == "ORG" for tok in owners) and len(candidate.anchors) <= 1:
        found += _governing_subjects(token)  # "at a NATO summit in Brussels, Trump said"
    attendees = []
    for clause in relative_clauses(token):
        if clause.lemma_ == "attend":
            attendees += passive_agents(clause)
    return [(t, "participant") for t in found] + [(t, "attendee") for t in _agents(attendees)]


def _sign_roles(candidate, destination):
    """Signatories; a loose proposal may have no document noun (candidate.obj None)."""
    token, document = candidate.token, candidate.obj
    found = []
    if candidate.kind == "verb":
        found += [tok for tok in subjects(token) if document is None or tok.i != document.i]
        found += passive_agents(token) + prep_objects(token, ("with", "between"))
    else:
        found += prep_objects(token, ("by", "between"))
    if document is None:
        return [(t, "signatory") for t in _agents(found + _document_partners(token, None))]
    found += _document_partners(token, document)
    parties = _agents(found)
    return [(t, "signatory") for t in parties + _clause_parties(document)]


def _document_partners(verb, document) -> list:
    """ "with"/"between" parties of what was signed: the document, the nouns it is "of" or
    that are "of" it ("a protocol of agreement with X") or that it is "for" ("an agreement for
    the merger with X"), the verb's object ("signed two letters of intent with X")."""
    nouns = [] if document is None else [document] + prep_objects(document, ("of", "for"))
    if document is not None and document.dep_ == "pobj" and document.head.lower_ == "of":
        nouns.append(document.head.head)
    if verb.pos_ in ("VERB", "AUX"):
        nouns += [obj for obj in children(verb, "dobj") if obj not in nouns]
    return [tok for noun in nouns for tok in prep_objects(noun, ("with", "between"))]


def _open_roles(candidate, destination):
    """Openers and owners; a loose proposal may have no facility noun (candidate.obj None)."""
    token, facility = candidate.token, candidate.obj
    if candidate.kind == "verb":
        openers = [tok for tok in subjects(token) if facility is None or tok.i != facility.i] + passive_agents(token)
    else:
        openers = prep_objects(token, ("by",))
        if token.dep_ == "conj" and token.head.lemma_.lower() in ("visit", "trip", "tour"):
            openers += _owners_of(token.head)  # "the visit of X to Y and the opening of a factory"
    owners = [] if facility is None else [tok for tok in children(facility, "poss") if tok.pos_ != "PRON"]
    return [(t, "opener") for t in _agents(openers)] + [(t, "owner") for t in _agents(owners)]


READERS = {
    "state_visit": _visit_roles,
    "meeting": _meeting_roles,
    "agreement_signed": _sign_roles,
    "facility_opened": _open_roles,
}
