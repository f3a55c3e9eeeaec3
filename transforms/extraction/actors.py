"""Within-article actor resolution: one table of people, organisations and countries.

``ActorTable`` extends ``PeopleIndex`` (participants.py). It gathers, from every
mention in the article, the fullest name, aliases, title and country hint of each
actor, and links descriptive mentions to named actors:

- people: the country hint of any mention counts everywhere ("Yugoslav Prime Minister
  Branko Mikulic" ... "Mikulic"); an apposed title ("Brazil's foreign minister, Paulo
  Mendes"); the article title ("SAUDI ARABIA'S KING FAHD ..."); a state official with
  no nationality takes the dateline country, or without a dateline the outlet's home
  country, if that country has such an office (never the headline's); the official a
  visitor meets in the visited country takes that country;
- organisations: short names and acronyms link to the full name ("Equatorial",
  "Equatorial Communications Co"; "BUE", "Banque de l'Union Europeenne"); company
  names are ORGs whatever spaCy said ("John Labatt Ltd"); hints from "French bank X",
  "Dutch group X", "the Soviet Union's central bank X"; the place written after the
  name ("X Ltd of British Columbia", "X Co, St. Louis"); the article's main company
  (lead-sentence subject), and any company ("X Corp") placed nowhere else, takes the
  dateline country when nothing else says;
- generic subjects: "the company" -> the main organisation, "the two exchanges" / "both
  countries" -> the two most mentioned organisations / countries, "the two leaders" ->
  the two presidents, or else the last two people, the article named, "its subsidiary" ->
  the parent, "members of Congress" -> Congress, "it" -> the company that said it,
  "they"/"their" -> the parties of the last "A and B";
- every name of a country party ("Britain", "the United Kingdom") as its aliases;
- a visit host named by a city is the country ("arrived in Rabat" -> Morocco).
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from transforms.resolution.countries import country_name
from transforms.words import find_word

from .lexicon import word_set
from .participants import PERSON_PRONOUNS, PeopleIndex, _strip_the, country_hint, office_noun
from .syntax import (children, country_word, entity_of, is_group_word, is_person_word, noun_phrase, office_bodies,
                     title_word, with_conjuncts)

ORG_PRONOUNS = frozenset({"it", "its"})
SAY_LEMMAS = frozenset({"say", "announce", "report", "tell", "add", "state", "disclose"})
MAX_SAY_CLIMB = 5
VISIT_LEMMAS = frozenset({"visit", "tour"})
THEY = frozenset({"they", "their", "them"})
# named actors a plural pronoun can stand for
PAIR_ENTS = frozenset({"PERSON", "ORG", "GPE"})
_BRACKETS = re.compile(r"[<>]")
# punctuation that ends a headline's phrase: a country before it is not the next name's
HEADLINE_BREAKS = frozenset(":;|-–—")


def _words(key: str) -> frozenset:
    return word_set("actors", key)


def clean_name(text: str) -> str:
    """Entity text without Reuters angle brackets, a leading "the", a possessive, line breaks."""
    text = _BRACKETS.sub("", " ".join(text.split()))
    text = re.sub(r"\s*['’]s$", "", _strip_the(text.strip()))
    text = re.sub(r"\s+Reuter$", "", text)
    return text.strip(" ,.;:") if not text.endswith(".") or len(text.split()[-1]) > 3 else text.strip(" ,;:")


def has_corporate_suffix(name: str) -> bool:
    words = name.replace(".", "").replace(",", "").split()
    return len(words) > 1 and words[-1].lower() in _words("corporate_suffixes")


def _core(name: str) -> list[str]:
    """Name words without a corporate suffix, lower case."""
    words = name.replace(",", " ").split()
    while len(words) > 1 and words[-1].lower().rstrip(".") in _words("corporate_suffixes"):
        words = words[:-1]
    return [w.lower() for w in words]


def acronym(name: str) -> str:
    """Initials of the significant words: "London International Financial Futures Exchange" -> LIFFE."""
    parts = re.split(r"[\s\-']+", name)
    letters = [p[0] for p in parts if p and p.lower() not in _words("acronym_skip") and p[0].isalpha()]
    return "".join(letters).upper()


def _contiguous(short: list[str], long: list[str]) -> bool:
    n = len(short)
    return any(long[i:i + n] == short for i in range(len(long) - n + 1))


@lru_cache(maxsize=4096)  # bounded: datelines are input text
def _dateline_code(dateline: str | None) -> str | None:
    from transforms.resolution import dateline_place
    from transforms.resolution.geo import geocode

    place = geocode(dateline_place(dateline))
    return place["country"] if place else None


@lru_cache(maxsize=4096)
def _city_country(name: str) -> str | None:
    """Alpha-3 of the country of a city name (None for countries, regions, unknowns)."""
    from transforms.resolution.geo import geocode

    if country_word(name):
        return None
    place = geocode(name)
    return place["country"] if place and place.get("feature_class") == "P" else None


def _country_code(text: str | None) -> str | None:
    """The country a whole phrase names ("Saudi Arabia"); a phrase that merely contains one
    ("Peru protests as") names none."""
    from transforms.resolution.countries import country_code

    return country_code(text, scan=False) if text else None


def _of_an_organisation(title: str) -> bool:
    """A title that names an international body or a region ("NATO Secretary General",
    "European Commission President"): its holder is no official of the story's country."""
    from transforms.resolution.countries import normalize, regions

    for word in re.findall(r"[\w.&-]+", title):
        bare = word.strip(".")
        acronym = len(bare.replace(".", "")) > 1 and bare.replace(".", "").isupper()
        if normalize(word) in regions() or (acronym and not _country_code(word)):
            return True
    return False


class ActorTable(PeopleIndex):
    """Per-article actors: people (from PeopleIndex), organisations, countries."""

    def __init__(self, doc, offset: int, article: dict | None = None):
        super().__init__(doc, offset)
        self.article = article or {}
        self.dateline_country = _dateline_code(self.article.get("dateline"))
        self.orgs: list[dict] = []
        self.gpe_counts: Counter = Counter()
        self._collect_orgs()
        self._collect_person_subjects()
        self._person_hints()
        self.main_org = self._main_org()
        for org in self.orgs:
            words = set(_core(org["name"]))
            company = has_corporate_suffix(org["name"]) and not org["seated"]
            national = words & _words("government_bodies") or company
            if not org["country"] and national and self.dateline_country:
                from transforms.resolution.countries import country_in_text

                if not country_in_text(org["name"]):
                    org["country"] = self.dateline_country
        if self.main_org is not None and not self.main_org["country"]:
            from transforms.resolution.countries import country_in_text

            if not country_in_text(self.main_org["name"]):
                self.main_org["country"] = self.dateline_country

    # --- organisations -----------------------------------------------------------

    def _collect_orgs(self) -> None:
        for ent in self.doc.ents:
            name = clean_name(ent.text)
            if not name or ent.root.i in self.titled:
                continue  # "Ukraine Volodymyr Zelenskyy" (ORG) is a titled person's name
            if ent.label_ in ("GPE", "NORP") and country_word(name):
                self.gpe_counts[name] += 1
                continue
            if ent.label_ == "ORG" or has_corporate_suffix(name):
                if ent.label_ == "ORG" and self.is_person_name(name) and not has_corporate_suffix(name):
                    continue
                org = self._find_org(name) or self._new_org(name, ent)
                org["aliases"].add(name)
                org["count"] += 1
                org["mentions"].append(ent)
                if not org["country"]:
                    org["country"] = self._org_hint(ent)
                seat = self._org_seat(ent)
                if seat is not None:
                    org["seated"] = True
                    org["country"] = org["country"] or seat or None
            elif ent.label_ in ("PERSON", "GPE") and len(name.split()) <= 3:
                org = self._find_org(name)
                if org is not None:
                    org["aliases"].add(name)
                    org["count"] += 1
                    org["mentions"].append(ent)
        self._title_hints_for_orgs()

    def _new_org(self, name: str, ent) -> dict:
        org = {"name": name, "aliases": set(), "country": None, "count": 0, "first": ent.start, "mentions": [],
               "home": self._org_home(ent), "seated": False}
        self.orgs.append(org)
        return org

    def _org_home(self, ent):
        """The city an organisation is introduced with: "Dublin's research laboratory, X",
        "the Geneva-based X" (a city token before the name or its apposed head), or None."""
        heads = [ent.root]
        if ent.root.dep_ == "appos" and ent.root.head.pos_ in ("NOUN", "PROPN"):
            heads.append(ent.root.head)
        for head in heads:
            start, _ = noun_phrase(head)
            for tok in self.doc[start:min(head.i, ent.start)]:
                if tok.ent_type_ == "GPE" and _city_country(tok.text):
                    return entity_of(tok) or self.doc[tok.i:tok.i + 1]
        return None

    def home_of(self, participants: list[dict]):
        """The home city (a Span) of the first participant organisation that has one."""
        for part in participants:
            org = self._find_org(part["name"])
            if org is not None and org.get("home") is not None:
                return org["home"]
        return None

    def _find_org(self, name: str) -> dict | None:
        """The organisation ``name`` is (a short form or acronym of), first introduced first."""
        words = _core(name)
        if not words:
            return None
        for org in self.orgs:
            full = _core(org["name"])
            if words == full or name in org["aliases"]:
                return org
        for org in self.orgs:
            full = _core(org["name"])
            if len(words) < len(full) and _contiguous(words, full) and words[0] not in _words("org_nouns"):
                return org
            if len(name) >= 2 and name.isupper() and name == acronym(org["name"]):
                return org
        return None

    def org_of(self, text: str) -> dict | None:
        return self._find_org(clean_name(text))

    def _org_hint(self, ent) -> str | None:
        """A country word modifying the organisation's noun phrase ("French bank X",
        "Dutch group X" in apposition, "the Soviet Union's central bank X")."""
        root = ent.root
        heads = [root]
        if root.dep_ in ("appos", "compound") and root.head.pos_ in ("NOUN", "PROPN"):
            heads.append(root.head)
        for head in heads:
            start, _ = noun_phrase(head)
            for tok in self.doc[start:ent.start]:
                if tok.ent_type_ in ("NORP", "GPE") and not _city_country(tok.text):
                    found = entity_of(tok)
                    return clean_name(found.text) if found is not None else tok.text
        for appos in children(root, "appos"):
            start, end = noun_phrase(appos)
            for tok in self.doc[start:appos.i]:
                if tok.ent_type_ == "NORP":
                    return tok.text
        return None

    def _org_seat(self, ent) -> str | None:
        """Where a company says it is, right after its name: "X Ltd of British Columbia",
        "X Co, St. Louis". The place's country code, "" when the place is not in the
        gazetteer (then the dateline says nothing about it either), None without a place."""
        from transforms.resolution.geo import geocode

        doc = self.doc
        if ent.end + 1 >= len(doc) or doc[ent.end].text not in ("of", ","):
            return None
        place = entity_of(doc[ent.end + 1])
        if place is None or place.label_ != "GPE" or place.start != ent.end + 1:
            return None
        return (geocode(clean_name(place.text)) or {}).get("country") or ""

    def _title_hints_for_orgs(self) -> None:
        """ "FRANCE'S BUE SIGNS ..." in the headline gives BUE its country."""
        for org in self.orgs:
            if org["country"]:
                continue
            names = {org["name"], acronym(org["name"])} | org["aliases"]
            for name in names:
                hint = self._title_country_before(name)
                if hint:
                    org["country"] = hint
                    break

    def _title_country_before(self, name: str) -> str | None:
        """A country named just before ``name`` in the article title, possessive or adjective."""
        title = (self.article.get("title") or "").upper()
        at = find_word(title, name.upper()) if name and len(name) >= 2 else -1
        if at < 0:
            return None
        before = title[:at].split()
        if before and before[-1][-1] in HEADLINE_BREAKS:
            return None  # "SOUTH KOREAN PRESIDENT: TRUMP SHOULD ..." names a speaker, not Trump's country
        titles = word_set("titles", "person_titles")
        while before and before[-1].lower().strip(".,") in titles:
            before = before[:-1]
        for size in (3, 2, 1):
            if len(before) >= size:
                phrase = " ".join(before[-size:])
                phrase = re.sub(r"['’]S$", "", phrase)
                code = _country_code(phrase.title())
                if code:
                    return code
        return None

    def _main_org(self) -> dict | None:
        """The organisation the story is about: an ORG of the lead sentence, its subject first."""
        sents = list(self.doc.sents)
        if not sents or not self.orgs:
            return None
        lead = sents[0]
        in_lead = [org for org in self.orgs if any(lead.start <= m.start < lead.end for m in org["mentions"])]
        if not in_lead:
            return None
        subjects = [org for org in in_lead if any(m.root.dep_ in ("nsubj", "nsubjpass") and lead.start <= m.start < lead.end for m in org["mentions"])]
        return (subjects or in_lead)[0]

    # --- people ------------------------------------------------------------------

    def _collect_person_subjects(self) -> None:
        """Bare proper-noun subjects that name a known person ("Mikulic visits ..."), and title
        subjects that stand for one ("The queen received ... she hosted")."""
        known = {index for index, _ in self.subject_mentions}
        for token in self.doc:
            if token.dep_ not in ("nsubj", "nsubjpass") or token.i in known or token.i in self.titled:
                continue
            if token.pos_ == "PROPN" and self.is_person_name(token.text) and self._find_org(token.text) is None:
                self.subject_mentions.append((token.i, self.canonical(token.text)))
            elif token.pos_ == "NOUN" and is_person_word(token) and entity_of(token) is None:
                named = self.title_holder(token)[3]
                if named:
                    self.subject_mentions.append((token.i, named))
        self.subject_mentions.sort()

    def _person_hints(self) -> None:
        """Titles and country hints from every mention, then the fallbacks."""
        from transforms.resolution.countries import country_in_text

        for ent in self.persons:
            name = self.canonical(self._bare_name(ent))
            record = self.people.get(name)
            if record is None:
                continue
            title, country = self.title_of(ent)
            if not title:
                title, country = self._apposed_title(ent)
            if title and not record["title"]:
                record["title"] = title
            if country and not record["country"]:
                record["country"] = country
        for name, record in self.people.items():
            if record["country"]:
                continue
            record["country"] = self._title_country_before(name.split()[-1]) if name.split() else None
            if not record["country"] and record["title"] and self._state_title(record["title"]) and not country_in_text(record["title"]):
                record["country"] = (self._visited_country(name) or self._lede_country(name)
                                     or self._home_country(record["title"]))

    def _home_country(self, title: str) -> str | None:
        """The story's own country for an official titled ``title`` with no nationality: the
        dateline's, else (no dateline) the outlet's home country ("President Trump" in a US
        paper), if that country has such an office at all. A country the headline names is
        no evidence (it is as often the other party's or the place's)."""
        from transforms.resolution.countries import holds_office, outlet_country

        if _of_an_organisation(title):
            return None
        if self.dateline_country or self.article.get("dateline"):
            home = self.dateline_country
        else:
            home = outlet_country(self.article.get("url"), self.article.get("source"))
        return home if holds_office(home, title) else None

    def _lede_country(self, name: str) -> str | None:
        """ "A senior British official said ..." then "Paul Channon, secretary for trade, said":
        the unnamed official of the lead sentence is the first person named after it."""
        sents = list(self.doc.sents)
        if len(sents) < 2:
            return None
        lead_subjects = [tok for tok in sents[0] if tok.dep_ in ("nsubj", "nsubjpass") and is_person_word(tok)]
        if not lead_subjects or any(child.dep_ == "appos" for child in lead_subjects[0].children):
            return None
        subject = lead_subjects[0]
        if not any(child.lower_ in ("a", "an") for child in subject.children):
            return None
        start, end = noun_phrase(subject)
        hint = next((tok.text for tok in self.doc[start:end] if tok.ent_type_ in ("NORP", "GPE")), None)
        if not hint:
            return None
        named = [ent for ent in self.doc.ents if ent.label_ == "PERSON" and sents[1].start <= ent.start < sents[1].end]
        if named and self.canonical(self._bare_name(named[0])) == name and named[0].root.dep_ in ("nsubj", "nsubjpass"):
            return hint
        return None

    def _apposed_title(self, ent):
        """ "Brazil's foreign minister, Paulo Mendes": the person is in apposition to a title;
        "his Tajik counterpart, X" gives a country only ("counterpart" names no office)."""
        root = ent.root
        if root.dep_ == "appos" and office_noun(root.head):
            start, end = noun_phrase(root.head)
            title, country = self._split_title(list(self.doc[start:end]))
            return (title if is_person_word(root.head) else None), country
        return None, None

    @staticmethod
    def _state_title(title: str) -> bool:
        words = {w.lower().strip(".,") for w in title.split()}
        return bool(words & _words("state_titles")) and "vice-president" not in words

    def _visited_country(self, name: str) -> str | None:
        """The official met during a visit belongs to the visited country:
        "X visits West Germany ... talks with Chancellor Helmut Kohl"."""
        last = name.split()[-1]
        for sent in self.doc.sents:
            mentions = [tok for tok in sent if tok.text == last]
            if not mentions:
                continue
            for verb in sent:
                if verb.lemma_ not in VISIT_LEMMAS or verb.pos_ != "VERB":
                    continue
                visitors = [subj for subj in children(verb, "nsubj") if subj.pos_ == "PROPN" or subj.ent_type_]
                if not visitors or any(tok.text == last for subj in visitors for tok in subj.subtree):
                    continue  # only someone else's visit tells where this official is from
                for obj in children(verb, "dobj"):
                    ent = entity_of(obj)
                    text = clean_name(ent.text) if ent is not None else obj.text
                    if country_word(text):
                        return text
        return None

    # --- participants ------------------------------------------------------------

    def participant(self, token, role: str) -> dict | None:
        part = self._participant(token, role)
        return self._as_host(part) if part is not None and role == "host" else part

    def _participant(self, token, role: str) -> dict | None:
        titled = self.titled_person(token, role)
        if titled is not None:
            return titled
        generic = self._generic(token, role)
        if generic is not None:
            return generic if generic else None
        if token.lower_ in ORG_PRONOUNS:
            org = self._pronoun_org(token)
            return self._org_part(org, role, None) if org is not None else None
        if token.lower_ in THEY:
            return self._they(token, role)
        if token.lower_ in PERSON_PRONOUNS:
            name = self._pronoun_person(token)
            return self._person(name, role, None) if name else None
        ent = self.person_span(token) or entity_of(token)
        name = clean_name(ent.text) if ent is not None else None
        if ent is not None and ent.label_ in ("ORG", "PERSON", "GPE") and not country_word(name or ""):
            org = self._find_org(name)
            titled = ent.label_ == "PERSON" and (self.people.get(self.canonical(name)) or {}).get("title")
            if org is not None and not titled:
                return self._org_part(org, role, ent)
        if ent is None and token.pos_ == "PROPN":
            start, end = noun_phrase(token)
            text = clean_name(self.doc[start:end].text)
            org = self._find_org(text)
            if org is not None:
                return self._org_part(org, role, self.doc[start:end])
            if self.is_person_name(text):
                return self._person(self.canonical(text), role, self.doc[start:end])
        if ent is None and is_person_word(token):
            named = self._apposed_person(token)
            if named is not None:
                return self._named(named, role)
        part = super().participant(token, role)
        if part is None:
            return None
        return self._finish(part, role)

    def _finish(self, part: dict, role: str) -> dict:
        part["name"] = clean_name(part["name"]) or part["name"]
        if part["entity_type"] in ("GPE", "NORP") and country_word(part["name"]):
            part["entity_type"] = "GPE"
        return part

    def _as_host(self, part: dict) -> dict | None:
        """A visit's host is a person, a government or a country: a city stands for its country
        ("arrived in Rabat" -> Morocco; a one-word city the tagger took for a person too), a
        region ("a trip to Asia"), a site or a company ("visited the DMZ", "a factory") is none."""
        from transforms.resolution.countries import normalize, regions

        name, kind = part["name"], part["entity_type"]
        if kind in ("GPE", "ORG") or (kind == "PERSON" and " " not in name and name not in self.people):
            code = _city_country(name)
            common = country_name(code) if code else None
            if common:
                part["aliases"] = sorted(set(part["aliases"]) | {name})
                part["name"], part["entity_type"], part["country"] = common, "GPE", code
                return part
        if normalize(name) in regions():
            return None
        if kind == "ORG" and not set(_core(name)) & _words("government_bodies"):
            return None
        return part

    def _org_part(self, org: dict, role: str, span) -> dict:
        start, end = (span.start, span.end) if span is not None else (None, None)
        part = self._make(org["name"], role, "ORG", None, org["country"], start, end)
        part["aliases"] = sorted(a for a in org["aliases"] if a != org["name"])
        return part

    def _apposed_person(self, token):
        """ "Brazil's foreign minister, Paulo Mendes": the title's apposed PERSON."""
        spans = (self.person_span(appos) for appos in children(token, "appos"))
        return next((span for span in spans if span is not None), None)

    def _pronoun_org(self, token) -> dict | None:
        """ "X said it signed": the organisation that said so; else the latest ORG subject."""
        head = token.head if token.dep_ == "poss" else token
        current = head
        for _ in range(5):
            if current.head == current:
                break
            current = current.head
            if current.lemma_ in SAY_LEMMAS:
                for subj in children(current, "nsubj"):
                    org = self._subject_org(subj)
                    if org is not None:
                        return org
                    if subj.lower_ in ORG_PRONOUNS and subj.i < head.i:
                        return self._pronoun_org(subj)
        earlier = [(index, ent) for index, ent in self.org_subjects if index < token.i]
        for _, ent in reversed(earlier):
            org = self._find_org(clean_name(ent.text))
            if org is not None:
                return org
        return self.main_org

    def _they(self, token, role: str) -> dict | None:
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
                parts = [part for tok in subject if tok.lower_ not in THEY for part in expand(self.participant(tok, role))]
                return self._queue(parts) if len(parts) > 1 else None
        pair = self._last_pair(token)
        parts = [part for tok in pair for part in expand(self.participant(tok, role))]
        return self._queue(parts) if len(parts) > 1 else None

    def _last_pair(self, token) -> list:
        """The named actors of the last coordination ("A and B") before ``token`` in its sentence
        or the one before."""
        sents = [sent for sent in self.doc.sents if sent.start <= token.i][-2:]
        for tok in reversed(self.doc[sents[0].start:token.i]):
            if tok.dep_ == "conj" and tok.ent_type_ in PAIR_ENTS and tok.head.ent_type_ in PAIR_ENTS:
                return [item for item in with_conjuncts([tok.head]) if item.ent_type_ in PAIR_ENTS]
        return []

    def _subject_org(self, subj) -> dict | None:
        ent = entity_of(subj)
        if ent is not None:
            return self._find_org(clean_name(ent.text))
        if subj.pos_ == "PROPN":
            start, end = noun_phrase(subj)
            return self._find_org(clean_name(self.doc[start:end].text))
        return None

    def _pronoun_person(self, token) -> str | None:
        """he/his: a person subject earlier in the same sentence, else the latest before."""
        sent = token.sent
        same = [name for index, name in self.subject_mentions if sent.start <= index < token.i]
        if same:
            return same[-1]
        return self.resolve_pronoun(token)

    def _generic(self, token, role: str):
        """Descriptive mentions: None when ``token`` is not one; {} when it is but links to nothing."""
        split = self._nationalities(token, role) or self._office_holders(token, role)
        if split is not None:
            return split
        lower, lemma = token.lower_, token.lemma_.lower()
        dets = {child.lower_ for child in token.children if child.dep_ in ("det", "nummod", "predet")}
        poss = [child for child in token.children if child.dep_ == "poss"]
        if lower in _words("part_nouns") and poss:
            owner = poss[0]
            if owner.lower_ in ORG_PRONOUNS:
                org = self._pronoun_org(owner)
            else:
                org = self._subject_org(owner)
            return self._org_part(org, role, None) if org is not None else {}
        if lower in _words("member_nouns"):
            for prep in children(token, "prep"):
                if prep.lower_ == "of":
                    for obj in children(prep, "pobj"):
                        ent = entity_of(obj)
                        if ent is not None and ent.label_ in ("ORG", "GPE", "NORP"):
                            return self._body(ent, role)
            for child in children(token, "compound"):  # "Reagan Administration officials"
                ent = entity_of(child)
                if ent is not None and ent.label_ == "ORG":
                    return self._body(ent, role)
            return None
        pair = dets & {"two", "both"}
        if pair and lower in _words("country_plurals"):
            names = [name for name, _ in self.gpe_counts.most_common(2)]
            return self._group(names, role) if len(names) == 2 else {}
        if pair and lower in _words("org_plurals"):
            orgs = sorted(self.orgs, key=lambda o: (-o["count"], o["first"]))[:2]
            return self._orgs(orgs, role) if len(orgs) == 2 else {}
        if pair and token.tag_ == "NNS" and is_person_word(token):
            holders = [name for name, record in self.people.items()
                       if record["title"] and lemma in record["title"].lower().split()]
            if len(holders) != 2:  # "the two leaders": the last two people the article named
                holders = self.recent_people(token, 2)
            if len(holders) == 2:  # "the two presidents" of an article that names two presidents
                return self._queue([self._person(name, role, None) for name in holders])

        if token.tag_ == "NN" and lemma in _words("org_nouns") and dets & {"the", "this"} and not poss:
            if any(child.dep_ in ("compound", "amod") and child.ent_type_ for child in token.children):
                return None
            org = self._pronoun_org(token) if token.dep_ in ("nsubj", "nsubjpass") else self.main_org
            return self._org_part(org, role, None) if org is not None else {}
        return None

    def _nationalities(self, token, role: str) -> dict | None:
        """ "talks between Russian and Ukrainian delegates": one party per nationality, named as
        written ("Russian delegates") and also by its country ("Russia")."""
        from transforms.resolution.countries import country_code

        if token.tag_ not in ("NNS", "NNPS") or not (is_person_word(token) or is_group_word(token)):
            return None
        first = next((child for child in children(token, "amod", "compound") if child.ent_type_ in ("NORP", "GPE")), None)
        group = [first, *first.conjuncts] if first is not None else []
        group = [tok for tok in group if tok.ent_type_ in ("NORP", "GPE")]
        if len(group) < 2:
            return None
        _, end = noun_phrase(token)
        rest = self.doc[max(tok.i for tok in group) + 1:end].text
        parts = []
        for tok in group:
            ent = entity_of(tok)
            adjective = clean_name(ent.text) if ent is not None else tok.text
            code = country_code(adjective, scan=False)
            part = self._make(f"{adjective} {rest}", role, "GPE", None, adjective, tok.i, tok.i + 1)
            part["aliases"] = [country_name(code)] if code and country_name(code) else []
            parts.append(part)
        return self._queue(parts)

    def _office_holders(self, token, role: str) -> dict | None:
        """ "the foreign ministers of Chile and the Gambia": one party per country or body, named
        in the singular as written ("foreign minister of Chile", as the hand gold writes such
        parties) and, for a country, also by the country (as _nationalities); the person who
        holds that office when the article names one."""
        bodies = office_bodies(token)
        if not bodies:
            return None
        start, _ = noun_phrase(token)
        word = title_word(token)
        title = " ".join([*(tok.text for tok in self.doc[start:token.i]), word.title() if token.is_title else word,
                          *(tok.text for tok in self.doc[token.i + 1:bodies[0].head.i])])
        parts = []
        for body in bodies:
            ent = entity_of(body) or self.doc[body.i:body.i + 1]
            first = ent.start - 1 if ent.start and self.doc[ent.start - 1].lower_ == "the" else ent.start
            written, hint = " ".join(self.doc[first:ent.end].text.split()), country_hint([body])
            named = self.person_by_title(title, hint) if hint else None
            if named:
                part = self._person(named, role, None)
                part["aliases"] = sorted(set(part["aliases"]) | {f"{title} of {written}"})
            else:
                part = self._make(f"{title} of {written}", role, "PERSON", title, hint, ent.start, ent.end)
                part["aliases"] = [clean_name(written)] if hint else []
            parts.append(part)
        return self._queue(parts)

    def complete(self, candidate, found: list[dict]) -> list[dict]:
        """Implied actors: a facility opened with no opener named ("offices would be
        opened") in a story about one company is that company's."""
        if found or candidate.event_type != "facility_opened" or self.main_org is None:
            return found
        token = candidate.token
        passive = any(child.dep_ == "auxpass" for child in token.children) and not children(token, "agent")
        if passive or candidate.kind == "noun":
            return [self._org_part(self.main_org, "opener", None)]
        return found

    def _body(self, ent, role: str) -> dict:
        org = self._find_org(clean_name(ent.text))
        if org is not None:
            return self._org_part(org, role, ent)
        return self._finish(self._named(ent, role) or {}, role) or {}

    def _group(self, names: list[str], role: str) -> dict:
        """Several actors for one token: the first is returned, the rest queued in ``extra``."""
        parts = [self._make(name, role, "GPE", None, name, None, None) for name in names]
        return self._queue(parts)

    def _orgs(self, orgs: list[dict], role: str) -> dict:
        return self._queue([self._org_part(org, role, None) for org in orgs])

    def _queue(self, parts: list[dict]) -> dict:
        first = dict(parts[0])
        first["_more"] = parts[1:]
        return first


def with_country_forms(part: dict) -> dict:
    """A country party goes by all the country's names ("Britain" is also "the United Kingdom"),
    so that two mentions written differently are one party."""
    from transforms.resolution.countries import country_code, country_forms

    if part["entity_type"] == "GPE":
        forms = country_forms(country_code(part["name"], scan=False))
        part["aliases"] = sorted(set(part["aliases"]) | {form for form in forms if form != part["name"]})
    return part


def expand(part: dict | None) -> list[dict]:
    """A participant and any others it stands for ("the two countries" -> both)."""
    if not part:
        return []
    more = part.pop("_more", [])
    return [part, *more]
