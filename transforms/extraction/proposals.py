"""Proposing and deciding the events of one article over its spaCy Doc.

``propose_events(doc, article)`` finds trigger candidates broadly (triggers.py), drops
negated and hypothetical ones (status.py), reads roles, location, date expression and
object, splits one trigger into one event per destination ("a tour to Iraq, Kuwait and
Qatar") or per partner met or signed with apart ("bilateral meetings with A and B"),
describes each mention for the learned decision and merges mentions of the same event
(merge.py). ``extract_events`` then lets the decision model (decision.py) keep the
real events, re-read their status and give each its calibrated confidence. Every span is
an offset into ``article["text"]``: Doc offsets plus ``article["body_start"]``.
"""
from __future__ import annotations

import re

from transforms.candidates import SPORTS_MIN_WORDS
from transforms.resolution.facts import ArticleFacts, article_facts
from transforms.shapes import CLAUSE, INFERRED, make_event

from .dates import date_text, sole_date
from .decision import (DecisionModel, article_features, decide, domain_counts, event_countries, is_leisure_text,
                       load_model, mention_features, party_features, timing_features)
from .lexicon import trigger_set, word_set
from .locations import home_location, location_for, says_here
from .mentions import Draft
from .merge import merge
from .objects import object_text
from .party_head import party_candidates, word_counts
from .actors import ActorTable, with_country_forms
from .descriptions import expand
from .finders import Candidate
from .roles import role_tokens, separate_partners
from .status import status_of, stopped_midway
from .syntax import sentence_of
from .triggers import find_candidates


def extract_events(doc, article: dict, model: DecisionModel | None = None, facts: ArticleFacts | None = None) -> list[dict]:
    """Events found in ``doc`` (the NLP text of ``article``); spans point into article['text'].
    ``model``: the decision model (default: the one shipped with the package); ``facts``: the
    article's (built when not given)."""
    return decide(propose_events(doc, article, facts), model or load_model())


def propose_events(doc, article: dict, facts: ArticleFacts | None = None) -> list[Draft]:
    """Every proposed event of ``doc``, mentions merged, with the features the decision reads."""
    facts = facts or article_facts(article)
    offset = facts.body_start
    people = ActorTable(doc, offset, article, facts)
    sports = is_sports_text(doc)
    counts, n_words = domain_counts(article.get("text") or "")
    published = facts.published
    leisure, topics = is_leisure_text(counts, n_words), article_features(counts)
    drafts = []
    for candidate in find_candidates(doc):
        when = date_text(candidate)
        status = status_of(candidate, when, published)
        if status is None:
            continue
        partners = separate_partners(candidate)
        for destination in candidate.destinations or [None]:
            for partner in partners or [None]:
                apart = frozenset(tok.i for tok in partners if tok is not partner)
                draft = _draft(candidate, destination, apart, status, when, people, article, offset, sports, topics,
                               facts)
                if draft is not None and not (leisure and not _official_party(draft.event)):
                    drafts.append(draft)
    merged = merge(drafts, article.get("text") or "", published)
    words = word_counts(doc)
    for draft in merged:  # after merging, which compares names as the article wrote them
        for part in draft.event["participants"]:
            with_country_forms(part)
        countries = event_countries(draft.event, article.get("text"))  # read once: the decision's and the party head's
        draft.features[0] = {**draft.features[0], **party_features(draft.event, countries)}
        if draft.event["date_text"] is None:
            draft.event["date_text"] = draft.sole_date
        draft.parties = party_candidates(draft, doc, people, offset, words, countries)
    return merged


def _span(span, offset: int, article_text: str) -> dict:
    """Text and offsets of ``span`` in the article: its text is the article's, line breaks
    included, which spaCy read as spaces in unwrapped wire copy."""
    start, end = span.start_char + offset, span.end_char + offset
    return {"text": article_text[start:end], "start": start, "end": end}


def _participants(candidate: Candidate, destination, apart: frozenset, people: ActorTable):
    pairs = role_tokens(candidate, destination, apart)
    found, seen = [], set()
    for token, role in pairs:
        for part in expand(people.participant(token, role)):
            if (part["name"], role) not in seen:
                seen.add((part["name"], role))
                found.append(part)
    return pairs, people.complete(candidate, found)


def _draft(candidate, destination, apart: frozenset, status, when, people, article, offset, sports: bool, topics: dict,
           facts: ArticleFacts) -> Draft | None:
    """One event for ``candidate`` (and ``destination``; without the partners ``apart``, which
    are its sibling splits'), or None if it stands on nothing."""
    dateline = facts.dateline_location
    pairs, participants = _participants(candidate, destination, apart, people)
    if says_here(candidate) and destination is None:
        location = dateline  # "here": the dateline's place, when there is one
        place = CLAUSE if location is not None else None
    else:
        location, place = location_for(candidate, destination, pairs, offset, facts)
    if location is None and candidate.event_type == "facility_opened":
        location = home_location(people.home_of(participants), offset)  # "Dublin's laboratory ... its opening"
        place = INFERRED if location is not None else None
    explicit = place == CLAUSE
    anaphoric = candidate.kind == "noun" and not participants and not explicit and candidate.obj is None
    bare = candidate.kind == "noun" and not (participants or explicit or when or _definite(candidate.token))
    if bare or (candidate.event_type == "state_visit" and candidate.kind == "noun" and not (participants or explicit)):
        anaphoric = True  # "this visit", "a meeting": another mention of an event told elsewhere, or a vague one
    if candidate.event_type == "facility_opened" and candidate.obj is not None and _definite(candidate.obj) and not explicit:
        anaphoric = True  # "the president opened the plant": the opening told before, whoever cuts the ribbon
    sentence = _span(sentence_of(candidate.token), offset, article["text"])
    trigger = _span(candidate.token.doc[candidate.token.i:candidate.token.i + 1], offset, article["text"])
    event = make_event(candidate.event_type, status, trigger, sentence, participants, location, when,
                       object_text(candidate.obj))
    features = mention_features(candidate, participants, explicit, when, status, sports, topics)
    features[f"bare:{candidate.event_type}:{bare}"] = 1.0
    if apart:
        features[f"separate:{candidate.event_type}"] = 1.0
    features.update(timing_features(candidate, sentence, article, location, explicit, dateline))
    return Draft(event, place, anaphoric, _time_anchor(candidate.token, candidate.event_type), [features], candidate.strict,
                 other=_other(candidate.token), stopped=status == "cancelled" and stopped_midway(candidate),
                 sole_date=None if when else sole_date(candidate.token), apart=apart,
                 tensed=candidate.token.tag_.startswith("VB"))


def is_sports_text(doc) -> bool:
    """Several sports words: the document reports games, where "meeting" means a match."""
    words = word_set("guards", "sports_words")
    return sum(1 for token in doc if token.lower_ in words) >= SPORTS_MIN_WORDS


def _official_party(event: dict) -> bool:
    """A person holding a public office takes part: what keeps an event of a sports or
    entertainment story ("the Crown Prince visited New York"), where clubs, players, bands,
    countries (national teams: "England face a trip to Ireland") and the clubs' and studios'
    own bosses ("Blues boss", "sporting director", "club chairman") do not."""
    offices, leisure = word_set("guards", "public_offices"), word_set("guards", "leisure_title_words")
    for part in event["participants"]:
        words = set(re.findall(r"[a-z]+", (part["title"] or "").lower()))
        if part["entity_type"] == "PERSON" and words & offices and not words & leisure:
            return True
    return False


def _definite(token) -> bool:
    """ "the meeting", "this visit", "his talks": a reference to an event told elsewhere."""
    return any(child.dep_ in ("det", "poss") and child.lower_ in ("the", "this", "that", "his", "her", "their", "its") for child in token.children)


# "during" too: "hosts a meeting ... during a summit" reports two events (the summit frames it)
TIME_PREPS = frozenset({"before", "after", "since", "until", "till", "following", "ahead", "prior", "during"})


def _other(token) -> bool:
    """ "his only other trip to Paris", "a previous meeting", "an earlier summit": an event told
    apart from the one the article reports."""
    return any(child.dep_ in ("amod", "det") and child.lower_ in word_set("guards", "other_event_words")
               for child in token.children)


def _time_anchor(token, event_type: str) -> bool:
    """A noun trigger that serves as a point in time for something else ("before the
    Venice summit", "ahead of next week's talks", "prior to the meeting"). A trip framing a
    visit ("a visit to Iraq ... during his first trip to the city") is that visit: the places
    then decide (mentions.compatible)."""
    if token.pos_ not in ("NOUN", "PROPN") or token.dep_ != "pobj":
        return False
    prep = token.head
    if prep.lower_ == "of" and prep.head.lower_ in ("ahead", "prior"):
        prep = prep.head
    if prep.lower_ == "to" and prep.head.lower_ == "prior":
        prep = prep.head
    if prep.lower_ == "during" and event_type == "state_visit":
        return False
    return prep.lower_ in TIME_PREPS or _framing_meeting(prep)


def _framing_meeting(prep) -> bool:
    """ "met Putin at the G-20 summit", "talks with X on the sidelines of the summit": a meeting
    with a partner held within a larger one, which is an event of its own (spec/ANNOTATION.md);
    "leaders met at a summit" tells the summit only."""
    if prep.lower_ == "of" and prep.head.lower_ == "sidelines":
        return True
    head = prep.head
    words = trigger_set("meeting", "verbs") | trigger_set("meeting", "nouns")
    partners = any(child.dep_ == "dobj" or (child.dep_ == "prep" and child.lower_ in ("with", "between"))
                   for child in head.children)
    return prep.lower_ == "at" and partners and (head.lemma_.lower() in words or head.lower_ in words)
