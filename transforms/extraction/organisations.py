"""The organisations of one article, each with its fullest name, aliases and country.

Short names and acronyms link to the full name ("Equatorial", "Equatorial Communications
Co"; "BUE", "Banque de l'Union Europeenne"); company names are organisations whatever spaCy
said ("John Labatt Ltd"). A country comes from "French bank X", "Dutch group X", "the Soviet
Union's central bank X"; from the place written after the name ("X Ltd of British Columbia",
"X Co, St. Louis"); from the headline ("FRANCE'S BUE SIGNS ..."); and, when nothing else
says, the dateline's for the article's main company (lead-sentence subject) and any company
("X Corp") placed nowhere else.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from transforms.resolution.countries import country_in_text
from transforms.resolution.geo import geocode

from .country_cues import city_country, headline_country_before
from .lexicon import word_set
from .participants import PeopleIndex, strip_the
from .syntax import children, country_word, entity_of, noun_phrase

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

_BRACKETS = re.compile(r"[<>]")


def actor_words(key: str) -> frozenset:
    return word_set("actors", key)


def clean_name(text: str) -> str:
    """Entity text without Reuters angle brackets, a leading "the", a possessive, line breaks."""
    text = _BRACKETS.sub("", " ".join(text.split()))
    text = re.sub(r"\s*['’]s$", "", strip_the(text.strip()))
    text = re.sub(r"\s+Reuter$", "", text)
    return text.strip(" ,.;:") if not text.endswith(".") or len(text.split()[-1]) > 3 else text.strip(" ,;:")


def has_corporate_suffix(name: str) -> bool:
    words = name.replace(".", "").replace(",", "").split()
    return len(words) > 1 and words[-1].lower() in actor_words("corporate_suffixes")


def core_words(name: str) -> list[str]:
    """Name words without a corporate suffix, lower case."""
    words = name.replace(",", " ").split()
    while len(words) > 1 and words[-1].lower().rstrip(".") in actor_words("corporate_suffixes"):
        words = words[:-1]
    return [w.lower() for w in words]


def acronym(name: str) -> str:
    """Initials of the significant words: "London International Financial Futures Exchange" -> LIFFE."""
    parts = re.split(r"[\s\-']+", name)
    letters = [p[0] for p in parts if p and p.lower() not in actor_words("acronym_skip") and p[0].isalpha()]
    return "".join(letters).upper()


def _contiguous(short: list[str], long: list[str]) -> bool:
    n = len(short)
    return any(long[i:i + n] == short for i in range(len(long) - n + 1))


class Organisations:
    """Per-article organisations (``records``), the country names counted on the way
    (``gpe_counts``) and the organisation the story is about (``main``)."""

    def __init__(self, doc: Doc, people: PeopleIndex, headline: str, dateline_country: str | None):
        self.doc, self.people, self.headline = doc, people, headline
        self.records: list[dict] = []
        self.gpe_counts: Counter = Counter()
        self._collect()
        self.main = self._main()
        for org in self.records:
            words = set(core_words(org["name"]))
            company = has_corporate_suffix(org["name"]) and not org["seated"]
            national = words & actor_words("government_bodies") or company
            if not org["country"] and national and dateline_country:
                if not country_in_text(org["name"]):
                    org["country"] = dateline_country
        if self.main is not None and not self.main["country"]:
            if not country_in_text(self.main["name"]):
                self.main["country"] = dateline_country

    def _collect(self) -> None:
        for ent in self.doc.ents:
            name = clean_name(ent.text)
            if not name or ent.root.i in self.people.titled:
                continue  # "Ukraine Volodymyr Zelenskyy" (ORG) is a titled person's name
            if ent.label_ in ("GPE", "NORP") and country_word(name):
                self.gpe_counts[name] += 1
                continue
            if ent.label_ == "ORG" or has_corporate_suffix(name):
                if ent.label_ == "ORG" and self.people.is_person_name(name) and not has_corporate_suffix(name):
                    continue
                org = self.find(name) or self._new(name, ent)
                org["aliases"].add(name)
                org["count"] += 1
                org["mentions"].append(ent)
                if not org["country"]:
                    org["country"] = self._hint(ent)
                seat = self._seat(ent)
                if seat is not None:
                    org["seated"] = True
                    org["country"] = org["country"] or seat or None
            elif ent.label_ in ("PERSON", "GPE") and len(name.split()) <= 3:
                org = self.find(name)
                if org is not None:
                    org["aliases"].add(name)
                    org["count"] += 1
                    org["mentions"].append(ent)
        self._headline_hints()

    def _new(self, name: str, ent: Span) -> dict:
        org = {"name": name, "aliases": set(), "country": None, "count": 0, "first": ent.start, "mentions": [],
               "home": self._home(ent), "seated": False}
        self.records.append(org)
        return org

    def _home(self, ent: Span) -> Span | None:
        """The city an organisation is introduced with: "Dublin's research laboratory, X",
        "the Geneva-based X" (a city token before the name or its apposed head), or None."""
        heads = [ent.root]
        if ent.root.dep_ == "appos" and ent.root.head.pos_ in ("NOUN", "PROPN"):
            heads.append(ent.root.head)
        for head in heads:
            start, _ = noun_phrase(head)
            for tok in self.doc[start:min(head.i, ent.start)]:
                if tok.ent_type_ == "GPE" and city_country(tok.text):
                    return entity_of(tok) or self.doc[tok.i:tok.i + 1]
        return None

    def home_of(self, participants: list[dict]) -> Span | None:
        """The home city of the first participant organisation that has one."""
        for part in participants:
            org = self.find(part["name"])
            if org is not None and org.get("home") is not None:
                return org["home"]
        return None

    def find(self, name: str) -> dict | None:
        """The organisation ``name`` is (a short form or acronym of), first introduced first."""
        words = core_words(name)
        if not words:
            return None
        for org in self.records:
            full = core_words(org["name"])
            if words == full or name in org["aliases"]:
                return org
        for org in self.records:
            full = core_words(org["name"])
            if len(words) < len(full) and _contiguous(words, full) and words[0] not in actor_words("org_nouns"):
                return org
            if len(name) >= 2 and name.isupper() and name == acronym(org["name"]):
                return org
        return None

    def _hint(self, ent: Span) -> str | None:
        """A country word modifying the organisation's noun phrase ("French bank X",
        "Dutch group X" in apposition, "the Soviet Union's central bank X")."""
        root = ent.root
        heads = [root]
        if root.dep_ in ("appos", "compound") and root.head.pos_ in ("NOUN", "PROPN"):
            heads.append(root.head)
        for head in heads:
            start, _ = noun_phrase(head)
            for tok in self.doc[start:ent.start]:
                if tok.ent_type_ in ("NORP", "GPE") and not city_country(tok.text):
                    found = entity_of(tok)
                    return clean_name(found.text) if found is not None else tok.text
        for appos in children(root, "appos"):
            start, end = noun_phrase(appos)
            for tok in self.doc[start:appos.i]:
                if tok.ent_type_ == "NORP":
                    return tok.text
        return None

    def _seat(self, ent: Span) -> str | None:
        """Where a company says it is, right after its name: "X Ltd of British Columbia",
        "X Co, St. Louis". The place's country code, "" when the place is not in the
        gazetteer (then the dateline says nothing about it either), None without a place."""
        doc = self.doc
        if ent.end + 1 >= len(doc) or doc[ent.end].text not in ("of", ","):
            return None
        place = entity_of(doc[ent.end + 1])
        if place is None or place.label_ != "GPE" or place.start != ent.end + 1:
            return None
        return (geocode(clean_name(place.text)) or {}).get("country") or ""

    def _headline_hints(self) -> None:
        """ "FRANCE'S BUE SIGNS ..." in the headline gives BUE its country."""
        for org in self.records:
            if org["country"]:
                continue
            names = {org["name"], acronym(org["name"])} | org["aliases"]
            for name in names:
                hint = headline_country_before(self.headline, name)
                if hint:
                    org["country"] = hint
                    break

    def _main(self) -> dict | None:
        """The organisation the story is about: an ORG of the lead sentence, its subject first."""
        sents = list(self.doc.sents)
        if not sents or not self.records:
            return None
        lead = sents[0]
        in_lead = [org for org in self.records if any(lead.start <= m.start < lead.end for m in org["mentions"])]
        if not in_lead:
            return None
        subjects = [org for org in in_lead if any(m.root.dep_ in ("nsubj", "nsubjpass") and lead.start <= m.start < lead.end for m in org["mentions"])]
        return (subjects or in_lead)[0]
