"""Within-article actor resolution: the people, organisations and countries of one article.

``ActorTable`` puts together the article's people (participants.PeopleIndex, completed by
people.py), its organisations (organisations.py) and the descriptions that stand for them
(descriptions.py), and turns a token in a role into participant dicts. A visit host named by
a city is the country ("arrived in Rabat" -> Morocco); every name of a country party
("Britain", "the United Kingdom") counts as its alias.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from transforms.resolution.countries import country_code, country_forms, country_name, normalize, regions
from transforms.resolution.facts import ArticleFacts, article_facts

from .country_cues import city_country
from .descriptions import THEY, described, pronoun_org, they
from .organisations import Organisations, actor_words, clean_name, core_words
from .participants import ORG_PRONOUNS, PERSON_PRONOUNS, PeopleIndex
from .people import add_hints, add_subjects, apposed_person, pronoun_person
from .syntax import children, country_word, entity_of, is_person_word, noun_phrase

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from .finders import Candidate


class ActorTable:
    """Per-article actors: ``people`` (a PeopleIndex), ``orgs`` (Organisations), and the
    article's dateline country."""

    def __init__(self, doc: Doc, offset: int, article: dict | None = None, facts: ArticleFacts | None = None):
        self.doc = doc
        self.article = article or {}
        facts = facts or article_facts(self.article)
        self.people = PeopleIndex(doc, offset, facts.voice_country)
        self.dateline_country = facts.dateline_country
        self.orgs = Organisations(doc, self.people, self.article.get("title") or "", self.dateline_country)
        add_subjects(self.people, self.orgs)
        add_hints(self.people, self.article, self.dateline_country)

    def participant(self, token: Token, role: str) -> dict | None:
        """A participant dict for ``token`` in ``role`` (others it stands for under "_more"), or None."""
        part = self._participant(token, role)
        return self._as_host(part) if part is not None and role == "host" else part

    def _participant(self, token: Token, role: str) -> dict | None:
        people = self.people
        titled = people.titled_person(token, role)
        if titled is not None:
            return titled
        generic = described(self, token, role)
        if generic is not None:
            return generic if generic else None
        if token.lower_ in ORG_PRONOUNS:
            org = pronoun_org(self, token)
            return self.org_part(org, role, None) if org is not None else None
        if token.lower_ in THEY:
            return they(self, token, role)
        if token.lower_ in PERSON_PRONOUNS:
            name = pronoun_person(people, token)
            return people.person_part(name, role, None) if name else None
        ent = people.person_span(token) or entity_of(token)
        name = clean_name(ent.text) if ent is not None else None
        if ent is not None and ent.label_ in ("ORG", "PERSON", "GPE") and not country_word(name or ""):
            org = self.orgs.find(name)
            titled = ent.label_ == "PERSON" and (people.people.get(people.canonical(name)) or {}).get("title")
            if org is not None and not titled:
                return self.org_part(org, role, ent)
        if ent is None and token.pos_ == "PROPN":
            start, end = noun_phrase(token)
            text = clean_name(self.doc[start:end].text)
            org = self.orgs.find(text)
            if org is not None:
                return self.org_part(org, role, self.doc[start:end])
            if people.is_person_name(text):
                return people.person_part(people.canonical(text), role, self.doc[start:end])
        if ent is None and is_person_word(token):
            named = apposed_person(people, token)
            if named is not None:
                return people.named_part(named, role)
        part = people.participant(token, role)
        if part is None:
            return None
        return self.finish(part)

    def finish(self, part: dict) -> dict:
        """The name cleaned; a country word is a GPE whatever the tagger said."""
        part["name"] = clean_name(part["name"]) or part["name"]
        if part["entity_type"] in ("GPE", "NORP") and country_word(part["name"]):
            part["entity_type"] = "GPE"
        return part

    def _as_host(self, part: dict) -> dict | None:
        """A visit's host is a person, a government or a country: a city stands for its country
        ("arrived in Rabat" -> Morocco; a one-word city the tagger took for a person too), a
        region ("a trip to Asia"), a site or a company ("visited the DMZ", "a factory") is none."""
        name, kind = part["name"], part["entity_type"]
        if kind in ("GPE", "ORG") or (kind == "PERSON" and " " not in name and name not in self.people.people):
            code = city_country(name)
            common = country_name(code) if code else None
            if common:
                part["aliases"] = sorted(set(part["aliases"]) | {name})
                part["name"], part["entity_type"], part["country"] = common, "GPE", code
                return part
        if normalize(name) in regions():
            return None
        if kind == "ORG" and not set(core_words(name)) & actor_words("government_bodies"):
            return None
        return part

    def org_part(self, org: dict, role: str, span: Span | None) -> dict:
        start, end = (span.start, span.end) if span is not None else (None, None)
        part = self.people.make_part(org["name"], role, "ORG", None, org["country"], start, end)
        part["aliases"] = sorted(a for a in org["aliases"] if a != org["name"])
        return part

    def home_of(self, participants: list[dict]) -> Span | None:
        """The home city of the first participant organisation that has one."""
        return self.orgs.home_of(participants)

    def complete(self, candidate: Candidate, found: list[dict]) -> list[dict]:
        """Implied actors: a facility opened with no opener named ("offices would be
        opened") in a story about one company is that company's."""
        if found or candidate.event_type != "facility_opened" or self.orgs.main is None:
            return found
        token = candidate.token
        passive = any(child.dep_ == "auxpass" for child in token.children) and not children(token, "agent")
        if passive or candidate.kind == "noun":
            return [self.org_part(self.orgs.main, "opener", None)]
        return found


def with_country_forms(part: dict) -> dict:
    """A country party goes by all the country's names ("Britain" is also "the United Kingdom"),
    so that two mentions written differently are one party."""
    if part["entity_type"] == "GPE":
        forms = country_forms(country_code(part["name"], scan=False))
        part["aliases"] = sorted(set(part["aliases"]) | {form for form in forms if form != part["name"]})
    return part
