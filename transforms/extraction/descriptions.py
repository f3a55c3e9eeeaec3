"""Generic mentions: descriptions that stand for named actors.

"the company" -> the main organisation, "the two exchanges" / "both countries" -> the two
most mentioned organisations / countries, "the two leaders" -> the two presidents, or else
the last two people the article named, "its subsidiary" -> the parent, "members of Congress"
-> Congress, "it" -> the company that said it, "they"/"their" -> the parties of the last "A
and B"; "talks between Russian and Ukrainian delegates" and "the foreign ministers of Chile
and the Gambia" -> one party each. Several parties for one token travel as the first with
the rest under "_more" (``queue``; ``expand`` unpacks them).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from transforms.resolution.countries import country_code, country_name

from .organisations import actor_words, clean_name
from .participants import ORG_PRONOUNS
from .syntax import children, entity_of, is_group_word, is_person_word, noun_phrase, office_bodies, title_word, with_conjuncts
from .titles import country_hint

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from .actors import ActorTable

SAY_LEMMAS = frozenset({"say", "announce", "report", "tell", "add", "state", "disclose"})
MAX_SAY_CLIMB = 5
THEY = frozenset({"they", "their", "them"})
# named actors a plural pronoun can stand for
PAIR_ENTS = frozenset({"PERSON", "ORG", "GPE"})


def queue(parts: list[dict]) -> dict:
    """Several actors for one token: the first, with the rest queued under "_more"."""
    first = dict(parts[0])
    first["_more"] = parts[1:]
    return first


def expand(part: dict | None) -> list[dict]:
    """A participant and any others it stands for ("the two countries" -> both)."""
    if not part:
        return []
    more = part.pop("_more", [])
    return [part, *more]


def described(actors: ActorTable, token: Token, role: str) -> dict | None:
    """Descriptive mentions: None when ``token`` is not one; {} when it is but links to nothing."""
    split = _nationalities(actors, token, role) or _office_holders(actors, token, role)
    if split is not None:
        return split
    lower, lemma = token.lower_, token.lemma_.lower()
    dets = {child.lower_ for child in token.children if child.dep_ in ("det", "nummod", "predet")}
    poss = [child for child in token.children if child.dep_ == "poss"]
    if lower in actor_words("part_nouns") and poss:
        owner = poss[0]
        if owner.lower_ in ORG_PRONOUNS:
            org = pronoun_org(actors, owner)
        else:
            org = _subject_org(actors, owner)
        return actors.org_part(org, role, None) if org is not None else {}
    if lower in actor_words("member_nouns"):
        for prep in children(token, "prep"):
            if prep.lower_ == "of":
                for obj in children(prep, "pobj"):
                    ent = entity_of(obj)
                    if ent is not None and ent.label_ in ("ORG", "GPE", "NORP"):
                        return _body(actors, ent, role)
        for child in children(token, "compound"):  # "Reagan Administration officials"
            ent = entity_of(child)
            if ent is not None and ent.label_ == "ORG":
                return _body(actors, ent, role)
        return None
    pair = dets & {"two", "both"}
    if pair and lower in actor_words("country_plurals"):
        names = [name for name, _ in actors.orgs.gpe_counts.most_common(2)]
        return queue([actors.people.make_part(name, role, "GPE", None, name, None, None) for name in names]) if len(names) == 2 else {}
    if pair and lower in actor_words("org_plurals"):
        orgs = sorted(actors.orgs.records, key=lambda o: (-o["count"], o["first"]))[:2]
        return queue([actors.org_part(org, role, None) for org in orgs]) if len(orgs) == 2 else {}
    if pair and token.tag_ == "NNS" and is_person_word(token):
        holders = [name for name, record in actors.people.people.items()
                   if record["title"] and lemma in record["title"].lower().split()]
        if len(holders) != 2:  # "the two leaders": the last two people the article named
            holders = actors.people.recent_people(token, 2)
        if len(holders) == 2:  # "the two presidents" of an article that names two presidents
            return queue([actors.people.person_part(name, role, None) for name in holders])

    if token.tag_ == "NN" and lemma in actor_words("org_nouns") and dets & {"the", "this"} and not poss:
        if any(child.dep_ in ("compound", "amod") and child.ent_type_ for child in token.children):
            return None
        org = pronoun_org(actors, token) if token.dep_ in ("nsubj", "nsubjpass") else actors.orgs.main
        return actors.org_part(org, role, None) if org is not None else {}
    return None


def pronoun_org(actors: ActorTable, token: Token) -> dict | None:
    """ "X said it signed": the organisation that said so; else the latest ORG subject."""
    head = token.head if token.dep_ == "poss" else token
    current = head
    for _ in range(5):
        if current.head == current:
            break
        current = current.head
        if current.lemma_ in SAY_LEMMAS:
            for subj in children(current, "nsubj"):
                org = _subject_org(actors, subj)
                if org is not None:
                    return org
                if subj.lower_ in ORG_PRONOUNS and subj.i < head.i:
                    return pronoun_org(actors, subj)
    earlier = [(index, ent) for index, ent in actors.people.org_subjects if index < token.i]
    for _, ent in reversed(earlier):
        org = actors.orgs.find(clean_name(ent.text))
        if org is not None:
            return org
    return actors.orgs.main


def they(actors: ActorTable, token: Token, role: str) -> dict | None:
    """ "A and B said they signed": the coordinated subject of the verb of saying above
    ``token``; else the last pair the text coordinated ("A and B ... they met", "A met B
    ... their talks"); None when no such subject names two parties."""
    current = token
    for _ in range(MAX_SAY_CLIMB):
        if current.head == current:
            break
        current = current.head
        if current.lemma_ in SAY_LEMMAS:
            subject = with_conjuncts(children(current, "nsubj"))
            parts = [part for tok in subject if tok.lower_ not in THEY for part in expand(actors.participant(tok, role))]
            return queue(parts) if len(parts) > 1 else None
    pair = _last_pair(token)
    parts = [part for tok in pair for part in expand(actors.participant(tok, role))]
    return queue(parts) if len(parts) > 1 else None


def _last_pair(token: Token) -> list[Token]:
    """The named actors of the last coordination ("A and B") before ``token`` in its sentence
    or the one before."""
    doc = token.doc
    sents = [sent for sent in doc.sents if sent.start <= token.i][-2:]
    for tok in reversed(doc[sents[0].start:token.i]):
        if tok.dep_ == "conj" and tok.ent_type_ in PAIR_ENTS and tok.head.ent_type_ in PAIR_ENTS:
            return [item for item in with_conjuncts([tok.head]) if item.ent_type_ in PAIR_ENTS]
    return []


def _subject_org(actors: ActorTable, subj: Token) -> dict | None:
    ent = entity_of(subj)
    if ent is not None:
        return actors.orgs.find(clean_name(ent.text))
    if subj.pos_ == "PROPN":
        start, end = noun_phrase(subj)
        return actors.orgs.find(clean_name(subj.doc[start:end].text))
    return None


def _nationalities(actors: ActorTable, token: Token, role: str) -> dict | None:
    """ "talks between Russian and Ukrainian delegates": one party per nationality, named as
    written ("Russian delegates") and also by its country ("Russia")."""
    if token.tag_ not in ("NNS", "NNPS") or not (is_person_word(token) or is_group_word(token)):
        return None
    first = next((child for child in children(token, "amod", "compound") if child.ent_type_ in ("NORP", "GPE")), None)
    group = [first, *first.conjuncts] if first is not None else []
    group = [tok for tok in group if tok.ent_type_ in ("NORP", "GPE")]
    if len(group) < 2:
        return None
    _, end = noun_phrase(token)
    rest = token.doc[max(tok.i for tok in group) + 1:end].text
    parts = []
    for tok in group:
        ent = entity_of(tok)
        adjective = clean_name(ent.text) if ent is not None else tok.text
        code = country_code(adjective, scan=False)
        part = actors.people.make_part(f"{adjective} {rest}", role, "GPE", None, adjective, tok.i, tok.i + 1)
        part["aliases"] = [country_name(code)] if code and country_name(code) else []
        parts.append(part)
    return queue(parts)


def _office_holders(actors: ActorTable, token: Token, role: str) -> dict | None:
    """ "the foreign ministers of Chile and the Gambia": one party per country or body, named
    in the singular as written ("foreign minister of Chile", as the hand gold writes such
    parties) and, for a country, also by the country (as _nationalities); the person who
    holds that office when the article names one."""
    bodies = office_bodies(token)
    if not bodies:
        return None
    doc, people = token.doc, actors.people
    start, _ = noun_phrase(token)
    word = title_word(token)
    title = " ".join([*(tok.text for tok in doc[start:token.i]), word.title() if token.is_title else word,
                      *(tok.text for tok in doc[token.i + 1:bodies[0].head.i])])
    parts = []
    for body in bodies:
        ent = entity_of(body) or doc[body.i:body.i + 1]
        first = ent.start - 1 if ent.start and doc[ent.start - 1].lower_ == "the" else ent.start
        written, hint = " ".join(doc[first:ent.end].text.split()), country_hint([body])
        named = people.person_by_title(title, hint) if hint else None
        if named:
            part = people.person_part(named, role, None)
            part["aliases"] = sorted(set(part["aliases"]) | {f"{title} of {written}"})
        else:
            part = people.make_part(f"{title} of {written}", role, "PERSON", title, hint, ent.start, ent.end)
            part["aliases"] = [clean_name(written)] if hint else []
        parts.append(part)
    return queue(parts)


def _body(actors: ActorTable, ent: Span, role: str) -> dict:
    org = actors.orgs.find(clean_name(ent.text))
    if org is not None:
        return actors.org_part(org, role, ent)
    return actors.finish(actors.people.named_part(ent, role) or {}) or {}
