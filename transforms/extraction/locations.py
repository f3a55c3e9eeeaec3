"""Where the event happened: a place in the event's clause, else the article dateline."""
from __future__ import annotations

from transforms.lexicon import load
from transforms.resolution.countries import capital_of, country_code, country_name
from transforms.resolution.geo import geocode, is_venue
from transforms.shapes import CLAUSE, DATELINE, INFERRED, make_location, span_location

from .lexicon import trigger_set, triggers
from .syntax import (also_objects, children, ent_label, entity_of, governing_verb, is_calendar_word, is_country_name,
                     is_place, prep_objects)


def place_span(token):
    """The whole place name around ``token`` ("Saudi Arabia", "Hong Kong") as a Span."""
    ent = entity_of(token)
    if ent is None:
        return _venue_phrase(token) or token.doc[token.i:token.i + 1]
    start = ent.start + (1 if ent[0].lower_ == "the" else 0)
    return token.doc[start:ent.end]


def _venue_phrase(token):
    """The untagged name a known venue is written as ("at Mar-a-Lago"), or None."""
    start = token.left_edge.i + (1 if token.left_edge.lower_ == "the" else 0)
    phrase = token.doc[start:token.i + 1]
    return phrase if start <= token.i and is_venue(phrase.text) else None


def _place(token) -> bool:
    """A place name after a place preposition ("in", "at", "to"): a place entity, or a name the
    small model tagged as a person, organisation or nationality, or left untagged after "to" or
    "in", that the gazetteer knows ("a visit to Kyiv" read as PERSON)."""
    if is_place(token):
        return True
    ent = entity_of(token)
    if ent is None and token.head.lower_ == "at" and _venue_phrase(token) is not None:
        return True  # "met at Mar-a-Lago", which the small model leaves untagged
    if ent is None:  # "a visit to Kyiv", "visited Kyiv" with no entity; not after "at" ("chief executive at Lanark", a surname)
        governed = (token.head.lower_ in ("to", "in")
                    or token.dep_ == "dobj" and token.head.lemma_.lower() in trigger_set("state_visit", "verbs"))
        return token.pos_ == "PROPN" and governed and geocode(token.text) is not None
    return ent.label_ in ("PERSON", "ORG", "NORP") and geocode(ent.text) is not None


def _known_place(token) -> bool:
    """A place name the gazetteer knows, not a country: what a name-modifier must be to place an
    event ("the Venice summit", "a White House meeting"), unlike "the G20 summit", "the US-China
    summit" or "the Iran talks" (a country modifying talks names a party)."""
    return (ent_label(token) in ("GPE", "LOC", "FAC", "ORG") and not is_country_name(token)
            and geocode(place_span(token).text) is not None)


def clause_place(candidate, role_tokens):
    """The first place found in the trigger's clause: "in Tehran", "where ...", "a London office"."""
    trip = _trip_for(candidate.token)
    destinations = _destinations(trip) if trip is not None else []
    if destinations:
        return destinations[0]  # "a visit to Lisbon for a summit", "will go on to Madrid for talks"
    sources = list(candidate.anchors)
    if candidate.token.pos_ in ("NOUN", "PROPN"):
        verb = governing_verb(candidate.token, 3)
        if verb is not None:
            sources.append(verb)
        # "a summit held in California", "talks taking place at the palace in Lausanne"
        sources += [clause for clause in children(candidate.token, "acl") if clause.tag_ in ("VBN", "VBG")]
        sources += _venue_clauses(candidate.token)
    if candidate.obj is not None:
        sources.append(candidate.obj)
    if candidate.token.dep_ == "conj":
        sources.append(candidate.token.head)  # "the visit of X to Tajikistan and the opening of ..."
    for source in sources:
        heads_trigger = source == candidate.token.head and source != candidate.token
        visit_noun = source == candidate.token and candidate.event_type == "state_visit"  # "a visit to Kyiv"
        preps = ("to", "in") if heads_trigger or visit_noun else ("in", "at")
        places = [tok for tok in prep_objects(source, preps) if _place(tok)]
        if visit_noun:
            places += _destinations(source)  # "the visit of X to Kyiv"
        if places:
            return places[0]
        nested = _nested_place(prep_objects(source, preps)) or _nested_place(_time_phrases(source))
        if nested is not None:
            return nested
        where = _relative_place(source)
        if where is not None:
            return where
        talks = _talks_place(source)
        if talks is not None:
            return talks
    if candidate.event_type != "state_visit":
        # "met at the Kremlin": a building the small model reads as an organisation is the venue
        venues = [tok for source in sources for tok in prep_objects(source, ("at",)) if ent_label(tok) == "ORG"]
        if venues:
            return venues[0]
    if candidate.event_type == "state_visit" and candidate.kind == "verb":
        # "visited Kyiv"; also when the parser hung the name on a later verb ("visited Tokyo hoping")
        finite = candidate.token.tag_ in ("VBD", "VBZ", "VBP")  # not "visiting U.S. officials"
        following = candidate.token.doc[candidate.token.i + 1:candidate.token.i + 2] if finite else []
        visited = [tok for tok in children(candidate.token, "dobj") + list(following) if _place(tok)]
        if visited:
            return visited[0]
    if candidate.obj is not None:
        named = [tok for tok in children(candidate.obj, "compound", "amod") if is_place(tok)]
        if named:
            return named[0]
    if candidate.kind == "noun" and candidate.event_type == "meeting":
        # "the Venice summit", "a White House meeting": a place naming the meeting is its venue
        named = [tok for tok in children(candidate.token, "compound") if _known_place(tok)]
        if named:
            return named[0]
    for token, _ in role_tokens:
        places = [tok for tok in prep_objects(token, ("in", "at")) if _place(tok)]
        if places:
            return places[0]
    for token, _ in role_tokens:
        place = _visitor_place(token)
        if place is not None:
            return place
    return None


def _relative_clauses(person) -> list:
    """Relative clauses on a participant's noun phrase: on the head, or on a name inside it
    ("Prime Minister of Pakistan Imran Khan, who ...")."""
    found, stack = [], [person]
    while stack:
        token = stack.pop()
        for child in token.children:
            if child.dep_ == "relcl":
                found.append(child)
            elif child.dep_ in ("prep", "pobj", "appos") and (child.dep_ != "prep" or child.lower_ == "of"):
                stack.append(child)
    return found


def _visitor_place(person):
    """ "met X, who is on a visit to Kyiv", "... Y, who arrived in Kyiv", "... Z, who is in Moscow":
    the participant is met where their relative clause says they came or are."""
    motions = triggers("state_visit")["motion_verbs"]
    for clause in _relative_clauses(person):
        lemma = clause.lemma_.lower()
        if lemma in motions or lemma in trigger_set("state_visit", "verbs"):
            preps = tuple(motions.get(lemma, ("to", "in")))
        elif lemma == "be" or lemma in trigger_set("state_visit", "support_verbs"):
            preps = ("in", "at")
        else:
            continue
        places = [tok for tok in prep_objects(clause, preps) + children(clause, "dobj") if _place(tok)]
        visits = [tok for tok in prep_objects(clause, ("on",)) + children(clause, "dobj")
                  if tok.lemma_.lower() in trigger_set("state_visit", "nouns")]
        places += [tok for visit in visits for tok in prep_objects(visit, ("to", "in")) if _place(tok)]
        if places:
            return places[0]
    return None


def _talks_place(source):
    """ "sealed after talks in New Delhi", "signed during a summit in Lima", "met on the sidelines
    of a conference in Glasgow": an event framed by a meeting took place where the meeting did;
    "talks during the visit to Bogota": where the visit went."""
    meetings = trigger_set("meeting", "nouns")
    for frame in prep_objects(source, ("after", "following", "during", "at", "on")):
        if frame.lemma_.lower() in ("sideline", "sidelines", "margin", "margins"):
            frame = next(iter(prep_objects(frame, ("of",))), frame)
        if frame.lemma_.lower() in meetings or frame.lower_ in meetings:
            places = [tok for tok in prep_objects(frame, ("in", "at")) if _place(tok)]
        else:
            places = _destinations(frame) if _is_trip(frame) else []
        if places:
            return places[0]
    return None


def _is_trip(token) -> bool:
    """A word that tells a trip: "visit", "tour" (noun or verb), "travel", "fly", "go"."""
    lemma = token.lemma_.lower()
    if token.pos_ in ("NOUN", "PROPN"):
        return lemma in trigger_set("state_visit", "nouns")
    return lemma in trigger_set("state_visit", "verbs") or lemma in triggers("state_visit")["motion_verbs"]


def _destinations(trip) -> list:
    """Where a trip goes: "a visit to Kyiv", "the visit of X to Kyiv", "visited Kyiv", "flew to
    Kyiv", "left for Kyiv" (each motion verb with its own prepositions)."""
    lemma = trip.lemma_.lower()
    found = prep_objects(trip, tuple(triggers("state_visit")["motion_verbs"].get(lemma, ("to", "in"))))
    found += [tok for agent in prep_objects(trip, ("of", "by")) for tok in prep_objects(agent, ("to",))]
    if trip.pos_ == "VERB" and lemma in trigger_set("state_visit", "verbs"):
        found += children(trip, "dobj") + also_objects(trip)
    return [tok for tok in found if _place(tok)]


def _trip_for(token):
    """The trip whose purpose ``token`` is: "a visit to Lisbon for a summit", "will go on to
    Madrid for talks", "visits Chile for trade talks": the talks take place where the trip goes."""
    if token.dep_ != "pobj" or token.head.lower_ != "for":
        return None
    trip = token.head.head
    return trip if _is_trip(trip) else None


def _venue_clauses(noun) -> list:
    """Relative clauses telling where a meeting is held, on its noun or on the body it is a
    session of: "the summit, which will be held in Lyon", "the session of the assembly, which
    will take place in Lyon"."""
    verbs = trigger_set("meeting", "venue_verbs")
    owners = [noun] + prep_objects(noun, ("of",))
    return [clause for owner in owners for clause in children(owner, "relcl") if clause.lemma_.lower() in verbs]


def _time_phrases(source) -> list:
    """Time expressions of a clause ("for two hours", "on Monday"), where the parser often hangs
    the place that follows ("met for three hours in Vienna")."""
    times = children(source, "npadvmod") + [tok for prep in children(source, "prep") for tok in children(prep, "pobj")]
    return [tok for tok in times if ent_label(tok) in ("DATE", "TIME")]


def _relative_place(clause):
    """ "Denver, where he plans to meet the families", "Kyiv, which he visited": a relative
    clause on a place, the trigger's own or the one its verb complements; or a "where" clause on
    the date or the verb of a trip ("flew to Paris last week, where he held talks")."""
    for _ in range(3):
        if clause.dep_ == "relcl":
            return clause.head if is_place(clause.head) else _where_clause_place(clause)
        if clause.dep_ == "advcl":
            return _where_clause_place(clause)
        if clause.dep_ not in ("xcomp", "ccomp", "conj"):
            return None
        clause = clause.head
    return None


def _where_clause_place(clause):
    """ "visited Kyiv on Monday, where she met ...", "flew to Paris last week, where he held
    talks": the parser hangs "where" on the date, or on the travel verb itself; the place is the
    one that verb went to or took place in."""
    if not any(child.lower_ == "where" for child in clause.children):
        return None
    verb = clause.head
    if verb.pos_ not in ("VERB", "AUX"):
        if ent_label(verb) not in ("DATE", "TIME") and not is_calendar_word(verb):
            return None
        while verb.dep_ in ("pobj", "prep", "npadvmod") and verb.head is not verb:
            verb = verb.head
    places = [tok for tok in children(verb, "dobj") + prep_objects(verb, ("in", "to", "at")) if _place(tok)]
    return places[0] if places else None


def _nested_place(venues, depth: int = 3):
    """ "at the IAEA headquarters in Vienna", "in the Swiss city of Lausanne", "in the Danish
    capital Copenhagen", "at the main clubhouse at Trump National Golf Club in Bedminster": the
    place named inside a venue."""
    for _ in range(depth):
        following = []
        for venue in venues:
            inner = prep_objects(venue, ("in", "at", "of", "outside", "near")) + children(venue, "appos")
            places = [tok for tok in inner if _place(tok)]
            if places:
                return places[0]
            following += inner
        venues = following
        if not venues:
            return None
    return None


def says_here(candidate) -> bool:
    """ "his visit here": the place is the dateline city."""
    return any(child.lower_ == "here" for anchor in candidate.anchors for child in anchor.children)


def home_location(span, offset: int) -> dict | None:
    """An organisation's home city as the place of its facility, flagged as inferred."""
    if span is None:
        return None
    start = span.start_char + offset
    return span_location(span.text, start, INFERRED)


def location_for(candidate, destination, role_tokens, offset: int, facts) -> tuple[dict | None, str | None]:
    """(location dict, its provenance: shapes.CLAUSE) for one event; else the dateline's
    place (ArticleFacts.dateline_location, shapes.DATELINE)."""
    home = _home_place(candidate, facts.voice_country, offset) if destination is None else None
    if home is not None:
        return home
    place = destination if destination is not None else clause_place(candidate, role_tokens)
    if place is not None:
        span = place_span(place)
        if candidate.event_type != "state_visit":
            span = _only_city_of(span) or span
        start = span.start_char + offset
        return span_location(span.text, start), CLAUSE
    dateline = facts.dateline_location
    return (dict(dateline), DATELINE) if dateline else (None, None)


def _home_place(candidate, voice: str | None, offset: int) -> tuple[dict, str] | None:
    """ "a visit to our country" on a government's own site (``voice``: its country): that
    country, or its capital for "our capital" (places.yaml ``home_nouns``), at the words' span."""
    if voice is None:
        return None
    nouns = load("places").get("home_nouns") or {}
    for token in (tok for anchor in candidate.anchors for tok in prep_objects(anchor, ("to", "in"))):
        our = next((child for child in children(token, "poss") if child.lower_ == "our"), None)
        if token.lower_ in nouns and our is not None:
            name = country_name(voice) if nouns[token.lower_] == "country" else capital_of(voice)
            if name:  # at the span of "our country"
                return make_location(name, our.idx + offset, token.idx + len(token) + offset), CLAUSE
    return None


def _only_city_of(span):
    """A meeting or signing placed only "in Turkey" took place in a city: the one city of
    that country the article names ("... in Ankara"), if it names exactly one. A visit goes
    to the country itself."""
    code = country_code(span.text, scan=False) if is_country_name(span.root) else None
    if not code:
        return None
    cities = {}
    for ent in span.doc.ents:
        place = geocode(ent.text, (code,)) if ent.label_ == "GPE" else None
        if place and place["feature_class"] == "P" and place["country"] == code:
            cities.setdefault(ent.text, ent)
    return next(iter(cities.values())) if len(cities) == 1 else None
