"""What every trigger finder shares: the ``Candidate`` a finder returns (one trigger
occurrence and the tokens the rules anchored it to) and the word tests of its checks
(lexicon forms, modifiers, an official subject).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .lexicon import trigger_set, word_set
from .syntax import children, ent_label, is_agent, is_group_word, is_person_word, prep_objects, subjects

if TYPE_CHECKING:
    from spacy.tokens import Token


@dataclass
class Candidate:
    """One trigger occurrence and the tokens the rules anchored it to."""

    event_type: str
    token: Token  # the trigger token
    kind: str  # verb | noun | motion | host | copula
    anchors: list = field(default_factory=list)  # tokens whose clause carries status/date/location
    destinations: list = field(default_factory=list)  # visited places (state_visit)
    obj: Token | None = None  # agreement or facility noun token
    finder: str = ""  # the rule that proposed it (a feature of the learned decision)
    strict: bool = True  # False: a trigger word whose strict rules all failed, proposed for the model to decide


def lemma_of(token: Token) -> str:
    return token.lemma_.lower()


def is_noun_trigger(token: Token, event_type: str) -> bool:
    """Noun triggers match the surface form or the lemma ("talks" but not "a talk")."""
    nouns = trigger_set(event_type, "nouns")
    return token.pos_ in ("NOUN", "PROPN") and (token.lower_ in nouns or lemma_of(token) in nouns)


def has_modifier(token: Token, words) -> bool:
    """A compound/amod/nmod child of ``token`` is one of ``words``."""
    return any(child.lower_ in words or lemma_of(child) in words for child in children(token, "compound", "amod", "nmod"))


def official_subject(verb: Token) -> list:
    """Agent-like subjects of ``verb`` unless they mark sports or tourism."""
    found = [tok for tok in subjects(verb) if is_agent(tok) or _official_group(tok) or _member_noun(tok)]
    if any(lemma_of(tok) in word_set("guards", "non_official_guests") and not _official_group(tok) for tok in found):
        return []
    return found


def _member_noun(token: Token) -> bool:
    """ "Arab Knesset members", "opposition lawmakers": people named by their body."""
    return token.pos_ == "NOUN" and lemma_of(token) in trigger_set("meeting", "person_objects") and (any(
        ent_label(child) in ("ORG", "NORP", "GPE") or child.pos_ == "PROPN" or is_group_word(child) for child in children(token, "compound", "amod", "nmod")
    ) or any(ent_label(child) == "PERSON" or child.pos_ == "PROPN" for child in children(token, "appos")))  # "the three lawmakers, A, B and C,"


def _official_group(token: Token) -> bool:
    """ "a team of lawyers and officials", "a group of deputies": a group made of officials."""
    if lemma_of(token) not in word_set("guards", "group_heads"):
        return False
    members = prep_objects(token, ("of",))
    return any(is_person_word(tok) or is_group_word(tok) or ent_label(tok) in ("ORG", "NORP") for tok in members)
