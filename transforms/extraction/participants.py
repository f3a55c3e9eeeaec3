"""Who took part: participant dicts with names, titles, country hints and spans.

``PeopleIndex`` is built once per article; it links short names to the fullest form
("Herrington" -> "John Herrington"), reads titles from compounds and appositions,
links title phrases to named people ("the president of Iran" -> "Ebrahim Raisi", "the
prime minister" -> the one Prime Minister the article named, or the one it is about),
resolves "he"/"his" to the most recent person subject (a named one, or a title that stands
for one: "The queen received ... she hosted") and "the two leaders" to the last two people
named.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from spacy.tokens import Span

from transforms.resolution.countries import country_code
from transforms.shapes import make_participant

from .lexicon import word_set
from .syntax import AGENT_ENTS, children, country_word, entity_of, is_group_word, is_person_word, noun_phrase, title_word
from .titles import country_hint, demonym, ends_title_body, office_noun, split_title, titled_names

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

PERSON_PRONOUNS = frozenset({"he", "she", "his", "her", "him"})
ORG_PRONOUNS = frozenset({"it", "its"})
# how far back "the two leaders" looks for the people it stands for
RECENT_SENTENCES = 3
# words that make a title a reference to someone already named: "the President", "our minister"
REFERRING_WORDS = frozenset({"the", "this", "that", "his", "her", "its", "their", "our", "my", "your"})


def strip_the(text: str) -> str:
    return text[4:] if text.lower().startswith("the ") else text


def _same_country(a: str | None, b: str | None) -> bool:
    """Country hints match on their country ("the Republic of Belarus" ~ "Belarus"), else on
    their stem ("Iranian" ~ "Iran", "U.S." ~ "US")."""
    if not a or not b:
        return False
    code_a, code_b = country_code(a), country_code(b)
    if code_a and code_b:
        return code_a == code_b
    norm_a, norm_b = a.lower().replace(".", ""), b.lower().replace(".", "")
    return norm_a[:4] == norm_b[:4]


def _misread_name(ent: Span) -> bool:
    """A person's name the small model took for a place or body: an entity in apposition to an
    office noun ("his Tajik counterpart Dilshod Rahimov", "Rahimov" tagged GPE) that is no
    country, in capitalised proper nouns."""
    root = ent.root
    return (ent.label_ in ("GPE", "ORG", "NORP") and root.dep_ == "appos" and office_noun(root.head)
            and all(tok.pos_ == "PROPN" and tok.is_title for tok in ent) and not country_word(ent.text))


def _name_part(token: Token) -> bool:
    """A capitalised proper noun that can continue a person's name: untagged, tagged PERSON or
    an entity of its own ("Houngbedji" tagged ORG), no title, country or body word ("Biden
    White House" is no name)."""
    ent = entity_of(token)
    return (token.pos_ == "PROPN" and token.is_title and (ent is None or ent.label_ == "PERSON" or len(ent) == 1)
            and not ends_title_body(token))


def person_spans(doc: Doc) -> list[Span]:
    """The people named in ``doc`` as PERSON spans, repaired where the small model splits or
    mislabels a name: a name runs to the end of the proper-noun compound chain it starts
    ("Amadou Sy Faye" tagged "Amadou" and "Faye", "Moussa Kone Diarra" tagged "Moussa
    Kone"), and a name apposed to an office noun is a person whatever its label (_misread_name)."""
    spans = []
    for ent in doc.ents:
        if not (ent.label_ == "PERSON" or _misread_name(ent)) or (spans and ent.start < spans[-1].end):
            continue
        end = ent.end
        while end < len(doc) and doc[end - 1].dep_ == "compound" and doc[end - 1].head.i >= end and _name_part(doc[end]):
            end += 1
        spans.append(ent if (end, ent.label_) == (ent.end, "PERSON") else Span(doc, ent.start, end, label="PERSON"))
    return spans


class PeopleIndex:
    """Per-article knowledge about people: full names, aliases, titles, subjects."""

    def __init__(self, doc: Doc, offset: int, voice: str | None = None):
        self.doc = doc
        self.offset = offset
        self.voice = voice  # the country a government's own site speaks for (ArticleFacts.voice_country)
        self.people: dict[str, dict] = {}  # canonical name -> {aliases, title, country}
        self.subject_mentions: list[tuple[int, str]] = []
        self.org_subjects: list[tuple[int, Span]] = []
        self.persons = persons = person_spans(doc)
        titled, self.titled = titled_names(doc)
        # in order of first mention, so that of two full names sharing a family name ("Donald
        # Trump", "Melania Trump") "Trump" means the one the article introduced first
        mentioned = sorted([(ent.start, self.bare_name(ent)) for ent in persons]
                           + [(start, doc[start:end].text) for _, start, end in titled])
        bare = dict.fromkeys(name for _, name in mentioned if name)
        self.full_names = sorted(bare, key=lambda n: -len(n.split()))
        self._register_titled(titled)
        # every mention of a named person, in text order: who is salient, who was named last
        self.person_mentions = [(start, self.canonical(name)) for start, name in mentioned if name]
        for ent in persons:
            name = self.canonical(self.bare_name(ent))
            record = self.people.setdefault(name, {"aliases": set(), "title": None, "country": None})
            record["aliases"].add(strip_the(ent.text))
            if record["title"] is None:
                record["title"], record["country"] = self.title_of(ent)
            if ent.root.dep_ in ("nsubj", "nsubjpass"):
                self.subject_mentions.append((ent.root.i, name))
        for ent in doc.ents:
            if ent.root.dep_ not in ("nsubj", "nsubjpass"):
                continue
            if ent.label_ == "ORG" and self.is_person_name(ent.text):
                self.subject_mentions.append((ent.root.i, self.canonical(ent.text)))
            elif ent.label_ == "ORG" and ent.root.i not in self.titled:
                self.org_subjects.append((ent.root.i, ent))
        self.subject_mentions.sort()

    # --- names -------------------------------------------------------------------

    def bare_name(self, ent: Span) -> str:
        """A PERSON entity without honorifics, and without a leading title when two words remain;
        the name of a titled name that the entity ends ("Austria Karl Nehammer" -> "Karl Nehammer")."""
        start, end = self.titled.get(ent.end - 1, (None, None))
        if end == ent.end:
            return self.doc[start:end].text
        words = [tok for tok in self._first_names(ent) + list(ent) if not tok.is_punct or tok.text in (".", "-")]
        honorifics = word_set("titles", "honorifics")
        while len(words) > 1 and words[0].lower_.rstrip(".") in honorifics | {w.rstrip(".") for w in honorifics}:
            words = words[1:]
        # a title goes when two words remain ("Prime Minister Narendra Modi", but "Pope Francis"),
        # a plural one always ("Ministers Rahimov and Karimov")
        while len(words) > 1 and is_person_word(words[0]) and (len(words) > 2 or title_word(words[0]) != words[0].lower_):
            words = words[1:]
        # hyphens stay ("Salim Al-Harthy"); other punctuation goes
        text = "".join(tok.text + (tok.whitespace_ and " ") for tok in words).strip()
        return " ".join(text.split()).replace(" ’s", "").replace(" 's", "")

    def _first_names(self, ent: Span) -> list:
        """Capitalised words the tagger left out in front of a PERSON entity that they modify
        ("Karim" of "Presidents Karim Haddad"): no title, honorific or other entity."""
        found = []
        index = ent.start - 1
        while index >= 0:
            token = self.doc[index]
            if (token.pos_ != "PROPN" or token.dep_ != "compound" or token.head.i not in range(ent.start, ent.end)
                    or is_person_word(token.head)  # "Prime" of "Prime Ministers Modi" (tagged "Ministers Modi")
                    or token.ent_type_ or not token.is_title or is_person_word(token)
                    or token.lower_.rstrip(".") in word_set("titles", "honorifics")):
                break
            found.insert(0, token)
            index -= 1
        return found

    def canonical(self, name: str) -> str:
        """The longest person name in the article whose words end with ``name``'s last word;
        else, for one word, the only full name that starts with it (a family name written
        first: "Xi" -> "Xi Jinping", but not when two people share it)."""
        words = name.split()
        if not words:
            return name
        for full in self.full_names:
            full_words = full.split()
            if full_words[-1] == words[-1] and set(words) <= set(full_words) and full_words != words:
                return full
        return self._family_name_first(words) or name

    def _family_name_first(self, words: list[str]) -> str | None:
        if len(words) != 1:
            return None
        starting = {full for full in self.full_names if len(full.split()) > 1 and full.split()[0] == words[0]}
        return starting.pop() if len(starting) == 1 else None

    def is_person_name(self, text: str) -> bool:
        """Does ``text`` name a person mentioned elsewhere (spaCy sometimes tags it ORG)?"""
        return bool(text) and (any(text.split()[-1] == full.split()[-1] for full in self.full_names)
                               or self._family_name_first(text.split()) is not None)

    # --- titled names ------------------------------------------------------------

    def _register_titled(self, titled) -> None:
        """Titled names are people of the article, with the phrase's title and country."""
        for title_start, start, end in titled:
            name = self.canonical(self.doc[start:end].text)
            record = self.people.setdefault(name, {"aliases": set(), "title": None, "country": None})
            body = list(self.doc[title_start:start])
            if record["title"] is None:
                record["title"] = self.doc[title_start:start].text.strip(" ,") or None
            record["country"] = record["country"] or country_hint(body) or demonym(body)
            record["aliases"].add(self.doc[title_start:end].text)

    def titled_person(self, token: Token, role: str) -> dict | None:
        """The holder of the title phrase ``token`` belongs to, as a participant."""
        span = self.titled.get(token.i)
        if span is None:
            return None
        start, end = span
        part = self.person_part(self.canonical(self.doc[start:end].text), role, None)
        part["start"], part["end"] = self._span(start, end)
        return part

    # --- titles ------------------------------------------------------------------

    def title_of(self, ent: Span) -> tuple[str | None, str | None]:
        """(title, country hint) from "U.S. Energy Secretary X", "X, the president of Y", "King X"."""
        root = ent.root
        left = sorted(
            (tok for child in children(root, "compound", "amod", "nmod") if child.i < ent.start
             for tok in child.subtree),
            key=lambda t: t.i,
        )
        leading = [tok for tok in ent if is_person_word(tok) and tok.i < root.i]
        if leading and leading[0].i == ent.start:
            left = left + leading
        title = country = None
        if any(is_person_word(tok) for tok in left):
            title, country = split_title(left)
        else:
            for appos in children(root, "appos"):
                if appos.pos_ == "NOUN" or is_person_word(appos):
                    start, end = noun_phrase(appos)
                    title, country = split_title(list(self.doc[start:end]), keep_country=True)
                    break
        # "North Korean dictator X" (a nationality without an office), "President X of Peru"
        return title, country or country_hint(left) or self._of_country(root)

    @staticmethod
    def _of_country(root: Token) -> str | None:
        """ "President Musharraf of Pakistan": a country the name is "of"."""
        for prep in children(root, "prep"):
            if prep.lower_ == "of":
                hint = country_hint(children(prep, "pobj"))
                if hint:
                    return hint
        return None

    def person_by_title(self, title: str, country: str | None) -> str | None:
        """The one named person whose title has every word of ``title`` and whose country matches:
        "the prime minister" -> the Prime Minister the article named, "the Iranian president" ->
        the president of Iran, but "the foreign minister" is not the Prime Minister."""
        nationality = set(re.findall(r"[\w-]+", (country or "").lower()))
        words = [word for word in re.findall(r"[\w-]+", title.lower()) if word not in REFERRING_WORDS | nationality]
        core = [word for word in (words[:words.index("of")] if "of" in words else words)
                if not country_code(word, scan=False)]  # "president" of "president of Iran", "Iranian president"
        matches = {
            name for name, rec in self.people.items()
            if core and rec["title"] and set(core) <= set(rec["title"].lower().split())
            and (country is None or _same_country(rec["country"], country) or _same_country(rec["title"].split()[-1], country))
        }
        if len(matches) == 1:
            return matches.pop()
        return self._most_mentioned(matches) or self._voice_leader(words, core, country)

    def _voice_leader(self, words: list[str], core: list[str], country: str | None) -> str | None:
        """ "the President", "the President of Russia" on a government's own site: its head of
        state, the person the article is about (titles.yaml ``voice_titles``) when it gives
        that person no other country or title."""
        office = " ".join(words[:-1] if words[-1:] == ["of"] else words)  # "President of [Russia]"
        if self.voice is None or office not in word_set("titles", "voice_titles"):
            return None
        if country is not None and country_code(country) != self.voice:
            return None
        names = {name for name, rec in self.people.items()
                 if country_code(rec["country"] or "") in (None, self.voice)
                 and (rec["title"] is None or set(core) <= set(rec["title"].lower().split()))}
        return next(iter(names)) if len(names) == 1 else self._most_mentioned(names)

    def _most_mentioned(self, names: set) -> str | None:
        """The one of ``names`` the article is about, mentioned more than twice as often as any
        other: "the president" of a story about one president that names others too."""
        counts = Counter(name for _, name in self.person_mentions if name in names).most_common(2)
        if len(counts) == 2 and counts[0][1] > 2 * counts[1][1]:
            return counts[0][0]
        return None

    # --- pronouns ----------------------------------------------------------------

    def recent_people(self, token: Token, count: int) -> list[str]:
        """The last ``count`` different people named before ``token``, within its sentence and
        the RECENT_SENTENCES before it ("X met Y ... the two leaders"); fewer if no more are."""
        sents = [sent.start for sent in self.doc.sents if sent.start <= token.i]
        since = sents[-1 - RECENT_SENTENCES] if len(sents) > RECENT_SENTENCES else 0
        found: list[str] = []
        for index, name in reversed(self.person_mentions):
            if since <= index < token.i and name not in found:
                found.append(name)
        return found[:count]

    def resolve_pronoun(self, token: Token) -> str | None:
        """The most recent person subject before ``token`` (he/his -> that person)."""
        earlier = [name for index, name in self.subject_mentions if index < token.i]
        return earlier[-1] if earlier else None

    # --- participants ------------------------------------------------------------

    def participant(self, token: Token, role: str) -> dict | None:
        """A participant dict for ``token`` in ``role``, or None if it names no actor."""
        titled = self.titled_person(token, role)
        if titled is not None:
            return titled
        if token.lower_ in PERSON_PRONOUNS:
            name = self.resolve_pronoun(token)
            return self.person_part(name, role, None) if name else None
        if token.lower_ in ORG_PRONOUNS:
            earlier = [ent for index, ent in self.org_subjects if index < token.i]
            return self.named_part(earlier[-1], role) if earlier else None
        ent = self.person_span(token) or entity_of(token)
        if ent is not None and (ent.label_ in AGENT_ENTS or country_word(ent.text)):
            return self.named_part(ent, role)
        if is_person_word(token):
            return self._title_phrase(token, role)
        if is_group_word(token):
            modifier = next((child for child in token.children if child.dep_ in ("compound", "amod", "poss") and entity_of(child) is not None), None)
            return self.named_part(entity_of(modifier), role) if modifier is not None else None
        if token.pos_ == "PROPN":
            start, end = noun_phrase(token)
            return self.make_part(self.doc[start:end].text, role, "ORG", None, None, start, end)
        return None

    def person_span(self, token: Token) -> Span | None:
        """The person's name (see person_spans) that ``token`` is part of, or None."""
        return next((span for span in self.persons if span.start <= token.i < span.end), None)

    def named_part(self, ent: Span, role: str) -> dict | None:
        text = strip_the(ent.text).replace("’s", "").replace("'s", "").strip()
        label = ent.label_
        if label != "PERSON" and self.is_person_name(text) and not country_word(text):
            return self.person_part(self.canonical(text), role, ent)
        if label == "PERSON":
            return self.person_part(self.canonical(self.bare_name(ent)), role, ent)
        if country_word(text):
            label = "GPE"
        if label not in AGENT_ENTS:
            return None
        country = text if label in ("GPE", "NORP") else None
        start = ent.start + (1 if ent[0].lower_ == "the" else 0)
        return self.make_part(text, role, label, None, country, start, ent.end)

    def person_part(self, name: str, role: str, ent: Span | None) -> dict:
        record = self.people.get(name, {"aliases": set(), "title": None, "country": None})
        start, end = (ent.start, ent.end) if ent is not None else (None, None)
        part = self.make_part(name, role, "PERSON", record["title"], record["country"], start, end)
        part["aliases"] = sorted(alias for alias in record["aliases"] if alias != name)
        return part

    def title_holder(self, token: Token):
        """(noun phrase, title, country hint, the named person it stands for or None) of an
        official named only by title ("the Iranian president")."""
        start, end = noun_phrase(token)
        span = self.doc[start:end]
        title, _ = split_title(list(span), keep_country=True)
        hint = country_hint(span)
        return span, title, hint, self.person_by_title(title or "", hint)

    def _title_phrase(self, token: Token, role: str) -> dict:
        """An official named only by title: linked to a named person when unambiguous."""
        span, title, hint, named = self.title_holder(token)
        start, end = span.start, span.end
        if named:
            part = self.person_part(named, role, None)
            part["aliases"] = sorted(set(part["aliases"]) | {span.text})
            part["start"], part["end"] = self._span(start, end)
            return part
        return self.make_part(span.text, role, "PERSON", title, hint, start, end)

    def _span(self, start, end):
        if start is None:
            return None, None
        return self.doc[start].idx + self.offset, self.doc[end - 1].idx + len(self.doc[end - 1]) + self.offset

    def make_part(self, name, role, entity_type, title, country, start, end) -> dict:
        char_start, char_end = self._span(start, end)
        return make_participant(name, role, entity_type, title, country, char_start, char_end)
