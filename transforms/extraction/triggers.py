"""Finding trigger candidates: a lexicon word that passes the dependency checks of its type.

Each finder returns ``Candidate``s; roles, status, dates and locations are read later
from the same tokens. A word without its required argument (e.g. "sign" without an
agreement noun, "open" without a facility noun) is not a trigger.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from .lexicon import load, trigger_set, triggers, word_set
from .syntax import (
    adjacent_object,
    children,
    ent_label,
    governing_verb,
    is_agent,
    is_group_word,
    is_person_word,
    is_place,
    prep_objects,
    subjects,
    with_conjuncts,
)


@dataclass
class Candidate:
    """One trigger occurrence and the tokens the rules anchored it to."""

    event_type: str
    token: object  # the trigger token
    kind: str  # verb | noun | motion | host | copula
    anchors: list = field(default_factory=list)  # tokens whose clause carries status/date/location
    destinations: list = field(default_factory=list)  # visited places (state_visit)
    obj: object = None  # agreement or facility noun token
    finder: str = ""  # the rule that proposed it (a feature of the learned decision)
    strict: bool = True  # False: a trigger word whose strict rules all failed, proposed for the model to decide


def find_candidates(doc) -> list[Candidate]:
    """All trigger candidates in ``doc``, in document order: what the strict finders accept,
    and every other trigger word in a trigger sense (``loose_candidates``), which the learned
    decision (decision.py) judges from its context."""
    lemmas, forms = _trigger_words()
    found = []
    for token in doc:
        if _lemma(token) not in lemmas and token.lower_ not in forms:
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


def loose_candidates(token) -> list[Candidate]:
    """A trigger verb or noun of a type that no strict finder accepted ("the talks", "Tuesday's
    summit", "visiting X", "entered into an agreement"), with the arguments the rules can read.
    Everyday senses ("visit Northampton", "meet the challenge") are proposed too: the learned
    decision tells them apart."""
    found = []
    for event_type in EVENT_TYPES:
        if token.pos_ == "VERB" and _lemma(token) in trigger_set(event_type, "verbs"):
            if event_type == "state_visit" and subjects(token) and not _official_subject(token):
                continue  # "Disaster visited the villages", "the team visits Liverpool": the vetoes hold
            kind = "verb"
        elif _is_noun_trigger(token, event_type) and not _vetoed_noun(token, event_type):
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
                              trigger_set("state_visit", "host_verbs"), trigger_set("meeting", "partner_verbs"),
                              (str(verb).lower() for verb in triggers("state_visit")["motion_verbs"]))
    return verbs | nouns | {"be"}, nouns


def _lemma(token) -> str:
    return token.lemma_.lower()


def _is_noun_trigger(token, event_type: str) -> bool:
    """Noun triggers match the surface form or the lemma ("talks" but not "a talk")."""
    nouns = trigger_set(event_type, "nouns")
    return token.pos_ in ("NOUN", "PROPN") and (token.lower_ in nouns or _lemma(token) in nouns)


def _has_modifier(token, words) -> bool:
    """A compound/amod/nmod child of ``token`` is one of ``words``."""
    return any(child.lower_ in words or _lemma(child) in words for child in children(token, "compound", "amod", "nmod"))


def _official_subject(verb) -> list:
    """Agent-like subjects of ``verb`` unless they mark sports or tourism."""
    found = [tok for tok in subjects(verb) if is_agent(tok) or _official_group(tok) or _member_noun(tok)]
    if any(_lemma(tok) in word_set("guards", "non_official_guests") and not _official_group(tok) for tok in found):
        return []
    return found


def _member_noun(token) -> bool:
    """ "Arab Knesset members", "opposition lawmakers": people named by their body."""
    return token.pos_ == "NOUN" and _lemma(token) in trigger_set("meeting", "person_objects") and (any(
        ent_label(child) in ("ORG", "NORP", "GPE") or child.pos_ == "PROPN" or is_group_word(child) for child in children(token, "compound", "amod", "nmod")
    ) or any(ent_label(child) == "PERSON" or child.pos_ == "PROPN" for child in children(token, "appos")))  # "the three lawmakers, A, B and C,"


def _official_group(token) -> bool:
    """ "a team of lawyers and officials", "a group of deputies": a group made of officials."""
    if _lemma(token) not in word_set("guards", "group_heads"):
        return False
    members = prep_objects(token, ("of",))
    return any(is_person_word(tok) or is_group_word(tok) or ent_label(tok) in ("ORG", "NORP") for tok in members)


# --- state_visit --------------------------------------------------------------------

def visit_verb(token):
    """ "X visited Y": an agent visits a named place or person."""
    if token.pos_ != "VERB" or _lemma(token) not in trigger_set("state_visit", "verbs"):
        return None
    objects = [tok for tok in with_conjuncts(children(token, "dobj")) if is_place(tok) or ent_label(tok) in ("PERSON", "ORG")]
    if not objects or not _official_subject(token):
        return None
    return Candidate("state_visit", token, "verb", [token], [tok for tok in objects if is_place(tok)])


def motion_verb(token):
    """ "X arrived in Rabat", "X leaves for the U.S.": an agent travels to a named place."""
    if token.pos_ != "VERB":
        return None
    preps = triggers("state_visit")["motion_verbs"].get(_lemma(token))
    if not preps:
        return None
    places = [tok for tok in prep_objects(token, preps) if is_place(tok)]
    if not places or not _official_subject(token):
        return None
    return Candidate("state_visit", token, "motion", [token], places)


def host_verb(token):
    """ "X hosted/received/welcomed Y": a host receives a person or delegation."""
    if token.pos_ != "VERB" or _lemma(token) not in trigger_set("state_visit", "host_verbs"):
        return None
    guests = [tok for tok in children(token, "dobj") if ent_label(tok) == "PERSON" or _is_official_noun(tok)]
    if not guests or not _official_subject(token):
        return None
    return Candidate("state_visit", token, "host", [token])


def _is_official_noun(token) -> bool:
    """A person named by title ("the president") or a delegation."""
    return is_person_word(token) or _lemma(token) == "delegation"


def visit_noun(token):
    """ "his visit to Britain", "the recent visit of the Chief of Staff to Tajikistan"."""
    if not _is_noun_trigger(token, "state_visit") or _visit_noun_vetoed(token):
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


def _visit_noun_vetoed(token) -> bool:
    """ "a private visit", "a concert tour": not an official trip."""
    return _has_modifier(token, word_set("guards", "non_official_visit_modifiers"))


def _support_verb(noun, event_type: str):
    """The light verb of a noun trigger: "paid a visit" (object) or "a visit he will make"."""
    supports = trigger_set(event_type, "support_verbs")
    if noun.dep_ in ("dobj", "nsubjpass") and _lemma(noun.head) in supports:
        return noun.head
    following = noun.doc[noun.i + 1] if noun.i + 1 < len(noun.doc) else None
    if following is not None and following.dep_ == "nsubj" and _lemma(following.head) in supports and following.head.i > noun.i:
        return following.head
    return None


def copula_visit(token):
    """ "De Croo was in Washington for trade talks": being in a place for a meeting or visit."""
    if _lemma(token) != "be":
        return None
    places = [tok for tok in prep_objects(token, ("in",)) if is_place(tok)]
    purposes = prep_objects(token, ("for", "on"))
    if not places or not any(_is_noun_trigger(tok, "meeting") or _is_noun_trigger(tok, "state_visit") or _purpose_meeting(tok) for tok in purposes):
        return None
    if not _official_subject(token):
        return None
    return Candidate("state_visit", token, "copula", [token], places)


def presence_visit(token):
    """ "The French foreign minister is in Washington on Tuesday", "Kerry is back in the Middle
    East": an official present in a place, with no stated purpose (``copula_visit`` wants one);
    a trip only when the place is abroad, which the learned decision judges."""
    if _lemma(token) != "be":
        return None
    places = [tok for anchor in {token, _back(token)} for tok in prep_objects(anchor, ("in",)) if is_place(tok)]
    if not places or not _official_subject(token):
        return None
    return Candidate("state_visit", token, "copula", [token], places, finder="presence_visit", strict=False)


def _back(token):
    """ "is back in Kyiv", "is already in Washington": the adverb the parser may hang the place on."""
    adverbs = trigger_set("state_visit", "presence_adverbs")
    return next((child for child in children(token, "advmod") if child.lower_ in adverbs), token)


def _purpose_meeting(token) -> bool:
    """An ORG named with a meeting noun in apposition ("the IMF (IMF) meeting")."""
    return any(_is_noun_trigger(child, "meeting") for child in children(token, "appos"))


# --- meeting ------------------------------------------------------------------------

def meet_verb(token):
    """ "X met (with) Y", "ministers met", "the council convened", "after meeting with Y",
    "huddled with Y" (a partner verb: only with a "with" partner)."""
    lemma = _lemma(token)
    if token.pos_ != "VERB":
        return None
    with_partners = prep_objects(token, ("with",))
    if lemma not in trigger_set("meeting", "verbs") and not (lemma in trigger_set("meeting", "partner_verbs") and with_partners):
        return None
    objects = children(token, "dobj")
    adjacent = adjacent_object(token)
    if adjacent is not None:
        objects = [adjacent]
    if any(_lemma(obj) in word_set("guards", "meet_non_objects") for obj in objects):
        return None
    object_partners = [tok for tok in objects if is_agent(tok) or _lemma(tok) in trigger_set("meeting", "person_objects")]
    if lemma in trigger_set("meeting", "deal_verbs"):
        # "negotiated a ceasefire", "negotiated the deal": talks that produced a document
        object_partners += [tok for tok in objects if tok not in object_partners and tok.pos_ in ("NOUN", "PROPN")]
    if objects and not object_partners and not with_partners:
        return None  # "met resistance", "met the press" are not meetings
    partners = with_partners + object_partners
    subj = _official_subject(token)
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


def _is_collective(token) -> bool:
    """An organisation or body that meets on its own ("the council meets")."""
    return ent_label(token) == "ORG" or is_group_word(token)


def meeting_noun(token):
    """ "talks with X", "a summit in Venice", "OPEC's December conference"."""
    if not _is_noun_trigger(token, "meeting") or _meeting_noun_vetoed(token):
        return None
    anchors = [token]
    phrase = token.head if token.dep_ == "compound" and token.head.pos_ == "NOUN" else token
    verb = governing_verb(phrase, 1)
    supported = verb is not None and _lemma(verb) in trigger_set("meeting", "support_verbs")
    if supported:
        anchors.append(verb)
        # "Modi is due to hold a meeting": the clause that carries the time and the plan
        head = verb
        while head.dep_ in ("xcomp", "acomp") and head.head.pos_ in ("VERB", "AUX", "ADJ") and len(anchors) < 5:
            head = head.head
            anchors.append(head)
    if _lemma(token) in trigger_set("meeting", "support_only_nouns") or token.lower_ in trigger_set("meeting", "support_only_nouns"):
        partners = prep_objects(token, ("with", "between")) + prep_objects(phrase, ("with", "between"))
        if not (supported or partners):
            return None
        if phrase is not token:
            anchors.append(phrase)
    return Candidate("meeting", token, "noun", anchors)


def _meeting_noun_vetoed(token) -> bool:
    """ "press conference", "phone talks", "a base metals conference", "Metal Bulletin's
    conference": not officials meeting."""
    return (_has_modifier(token, word_set("guards", "non_meeting_modifiers"))
            or (token.dep_ == "compound" and token.head.lower_ in word_set("guards", "non_meeting_modifiers"))
            or _has_modifier(token, word_set("guards", "non_meeting_event_modifiers"))
            or _possessor_is_publisher(token))


def _possessor_is_publisher(token) -> bool:
    """The possessor of a conference is a company or publication, not a government body."""
    if _lemma(token) != "conference":
        return False
    owners = children(token, "poss")
    return any(ent_label(owner) in ("ORG", "WORK_OF_ART", "PERSON") and not is_group_word(owner) and not _official_org(owner) for owner in owners)


def _official_org(token) -> bool:
    """An intergovernmental or state body by name ("United Nations", "OPEC", "NATO")."""
    from .syntax import entity_of

    ent = entity_of(token)
    text = (ent.text if ent is not None else token.text).lower()
    return any(word in text for word in word_set("guards", "official_org_words"))


# --- agreement_signed ---------------------------------------------------------------

def _agreement_noun(token):
    """``token`` or its "of" object if it names a signable document ("a number of agreements")."""
    objects = trigger_set("agreement_signed", "objects")
    if token is None:
        return None
    if _lemma(token) in objects or token.lower_ in objects:
        return token
    for pobj in prep_objects(token, ("of",)):
        if _lemma(pobj) in objects or pobj.lower_ in objects:
            return pobj
    return None


def sign_verb(token):
    """ "X signed an agreement", "the signed documents", "agreements that have been signed"."""
    if token.pos_ not in ("VERB", "ADJ") or _lemma(token) not in trigger_set("agreement_signed", "verbs"):
        return None
    if children(token, "prt"):
        return None  # "signed up", "signed off"
    objects = children(token, "dobj", "nsubjpass")
    if token.dep_ in ("amod", "acl", "relcl"):
        objects.append(token.head)
    document = next((doc for doc in map(_agreement_noun, objects) if doc is not None), None)
    if document is None:
        return None
    return Candidate("agreement_signed", token, "verb", [token], obj=document)


def signing_noun(token):
    """ "the signing of the treaty"."""
    if not _is_noun_trigger(token, "agreement_signed"):
        return None
    document = next((doc for doc in map(_agreement_noun, prep_objects(token, ("of",))) if doc is not None), None)
    if document is None:
        return None
    return Candidate("agreement_signed", token, "noun", [token], obj=document)


# --- facility_opened ----------------------------------------------------------------

def _facility_noun(token):
    """``token``, or a noun inside its phrase, if it names a physical facility ("a gold ... mine")."""
    objects = trigger_set("facility_opened", "objects")
    if token is None:
        return None
    for noun in [token] + [tok for tok in token.subtree if tok.i > token.i]:
        if (_lemma(noun) in objects or noun.lower_ in objects) and noun.pos_ in ("NOUN", "PROPN"):
            if _has_modifier(noun, word_set("guards", "non_facility_modifiers")):
                return None  # "a borrowing facility"
            return noun
    return None


def _facility_places(anchors) -> list:
    """ "offices would be opened in Tokyo, Hong Kong and Moscow": one event per place."""
    return [tok for anchor in anchors for tok in prep_objects(anchor, ("in", "at")) if is_place(tok)]


def open_verb(token):
    """ "X opened a plant", "offices would be opened in Tokyo"."""
    if token.pos_ != "VERB" or _lemma(token) not in trigger_set("facility_opened", "verbs"):
        return None
    objects = children(token, "dobj", "nsubjpass")
    if token.dep_ in ("amod", "acl") and token.head.pos_ == "NOUN":
        objects.append(token.head)
    if any(_lemma(obj) in word_set("guards", "open_non_objects") for obj in objects):
        return None
    facility = next((f for f in map(_facility_noun, objects) if f is not None), None)
    if facility is None:
        return None
    return Candidate("facility_opened", token, "verb", [token], _facility_places([token, facility]), obj=facility)


def opening_noun(token):
    """ "the opening of a drone factory", "since its opening in 2000, the centre ..."."""
    if not _is_noun_trigger(token, "facility_opened"):
        return None
    facility = next((f for f in map(_facility_noun, prep_objects(token, ("of",))) if f is not None), None)
    if facility is None and children(token, "poss"):
        root = token.sent.root
        facility = next((f for f in map(_facility_noun, children(root, "nsubj", "nsubjpass")) if f is not None), None)
    if facility is None:
        return None
    return Candidate("facility_opened", token, "noun", [token], obj=facility)


EVENT_TYPES = ("state_visit", "meeting", "agreement_signed", "facility_opened")

FINDERS = (
    visit_verb, motion_verb, host_verb, visit_noun, copula_visit,
    meet_verb, meeting_noun,
    sign_verb, signing_noun,
    open_verb, opening_noun,
)

OBJECT_FINDERS = {"agreement_signed": _agreement_noun, "facility_opened": _facility_noun}
NOUN_VETOES = {"meeting": _meeting_noun_vetoed, "state_visit": _visit_noun_vetoed}  # hold for loose proposals too


def _vetoed_noun(token, event_type: str) -> bool:
    veto = NOUN_VETOES.get(event_type)
    return veto is not None and veto(token)
