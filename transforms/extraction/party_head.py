"""Parties the rules left out: named entities of an event's own sentences that the decision
model's party head may add.

The role rules (roles.py) read a party only where the syntax ties it to the trigger, so about
four in ten gold parties are missed, many of them named in the event's sentences ("Shultz
will visit Moscow for talks with Gorbachev", "the accord was signed ... by Okongwu and French
Treasury officials after talks with CoFACE"). ``party_candidates`` lists every person,
organisation, country or nationality named in the sentences of a merged event that is not yet
one of its parties or its place, with features of how it stands to the trigger; the learned
head (decision.DecisionModel.added_parties) keeps those it judges parties.
"""
from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from transforms.resolution.countries import country_code
from transforms.resolution.offices import participant_country

from .actors import with_country_forms
from .descriptions import expand
from .lexicon import word_set

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from .actors import ActorTable
    from .mentions import Draft

PARTY_LABELS = ("PERSON", "ORG", "GPE", "NORP")
DISTANCE_STEP, DISTANCE_BUCKETS = 4, 4  # token distance to the trigger in steps of 4, the last open
# the role of a kept candidate for the types whose parties all have one role (EVENTS.md); the
# others are decided by _role
ROLES = {"meeting": "participant", "agreement_signed": "signatory"}


def word_counts(doc: Doc) -> Counter:
    """How often each lower-case word occurs in the article: read once per article, for how
    often it names each candidate."""
    return Counter(token.lower_ for token in doc)


def party_candidates(draft: Draft, doc: Doc, people: ActorTable, offset: int, words: Counter,
                     countries: set[str]) -> list[tuple[dict, dict]]:
    """(participant dict, features) for each entity of ``draft``'s sentences the rules did not
    make a party: one per name, the occurrence nearest the trigger first (``words``: the
    article's ``word_counts``; ``countries``: decision.event_countries of the draft's event)."""
    event = draft.event
    trigger = _token_at(doc, event["trigger"]["start"] - offset)
    if trigger is None:
        return []
    sentences = {sent.start for sent in _sentences(doc, event, offset)}
    taken = _party_tokens(doc, event, offset)
    known = {name for part in event["participants"] for name in _names(part)}
    place = (event.get("location") or {}).get("name")
    if place:
        known |= {place.lower()}
    thing = (event.get("object") or "").lower()  # "the North American Free Trade Agreement" is what is signed
    skipped = taken | draft.apart  # its parties, and the partners of its sibling splits
    entities = [ent for ent in doc.ents if ent.label_ in PARTY_LABELS and ent.sent.start in sentences
                and not any(token.i in skipped for token in ent) and not (thing and ent.text.lower() in thing)]
    entities.sort(key=lambda ent: (ent.sent.start != trigger.sent.start, abs(ent.root.i - trigger.i)))
    found = []
    for ent in entities:
        role = _role(event["event_type"], ent)
        for part in expand(people.participant(ent.root, role)):
            names = _names(part)
            if not names or names & known:
                continue
            known |= names
            feats = _features(ent, trigger, event, taken)
            feats.update(_party_facts(part, event["event_type"], countries, words))
            found.append((with_country_forms(part), feats))
    return found


def _features(ent: Span, trigger: Token, event: dict, taken: set) -> dict[str, float]:
    """How an entity stands to the trigger: its label, dependency and head, the preposition it
    hangs from, distance and side, whether the trigger governs it, a conjunct of a party, a
    title before it, a speaker, and how many parties the event has."""
    kind, root = event["event_type"], ent.root
    feats = {
        f"plabel:{ent.label_}": 1.0,
        f"plabel:{kind}:{ent.label_}": 1.0,
        f"pdep:{kind}:{root.dep_}": 1.0,
        f"phead:{kind}:{root.dep_}:{root.head.lemma_.lower()}": 1.0,
        f"pparties:{kind}:{min(len(event['participants']), 3)}": 1.0,
        f"pcountry:{kind}:{ent.label_}:{country_code(ent.text, scan=False) is not None}": 1.0,
        f"pconj:{any(token.i in taken for token in root.conjuncts)}": 1.0,
        f"ptitled:{ent.start > 0 and ent.doc[ent.start - 1].lemma_.lower() in word_set('titles', 'person_titles')}": 1.0,
    }
    if root.dep_ == "pobj":
        prep = root.head
        feats[f"pprep:{kind}:{prep.lower_}"] = 1.0
        feats[f"pprep:{kind}:{prep.lower_}:{'trigger' if prep.head.i == trigger.i else prep.head.pos_}"] = 1.0
    same = ent.sent.start == trigger.sent.start
    feats[f"psame_sentence:{kind}:{same}"] = 1.0
    if same:
        gap = root.i - trigger.i
        feats[f"pdistance:{kind}:{'before' if gap < 0 else 'after'}{min(abs(gap) // DISTANCE_STEP, DISTANCE_BUCKETS)}"] = 1.0
        feats[f"pgoverned:{kind}:{any(a.i == trigger.i for a in root.ancestors)}"] = 1.0
        feats[f"pgoverns:{kind}:{any(a.i == root.i for a in trigger.ancestors)}"] = 1.0
    if root.dep_ in ("nsubj", "nsubjpass") and root.head.lemma_.lower() in word_set("guards", "report_verbs"):
        feats[f"pspeaker:{kind}"] = 1.0
    if root.dep_ in ("poss", "compound", "amod"):
        feats[f"pmodifier:{kind}:{ent.label_}:{root.dep_}"] = 1.0
    for token in ent.doc[max(ent.start - 2, ent.sent.start):ent.start]:
        feats[f"pbefore:{token.lower_}"] = 1.0
    return feats


def _party_facts(part: dict, kind: str, represented: set[str], words: Counter) -> dict[str, float]:
    """What the candidate is: titled or not, a country its event's parties already come from
    (``represented``: decision.event_countries; "Russia" beside "Russian President Putin"), and
    how often the article names it."""
    code = participant_country(part) if part["entity_type"] in ("GPE", "NORP") else None
    mentions = words[part["name"].split()[-1].lower()]
    return {f"ptitle:{kind}:{bool(part.get('title'))}": 1.0,
            f"prepresented:{kind}:{code in represented}": 1.0,
            f"pmentions:{kind}:{min(mentions, 4)}": 1.0}


def _role(event_type: str, ent: Span) -> str:
    """The role a kept candidate takes: a visit's country or city is its host, as is a party met
    ("talks with", "received by"); everyone else the guest. A facility's person is its opener."""
    if event_type in ROLES:
        return ROLES[event_type]
    if event_type == "facility_opened":
        return "opener" if ent.label_ == "PERSON" else "owner"
    root = ent.root
    met = root.dep_ == "pobj" and root.head.lower_ in ("with", "by")
    return "host" if ent.label_ == "GPE" or met else "guest"


def _token_at(doc: Doc, char: int) -> Token | None:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def _sentences(doc: Doc, event: dict, offset: int) -> list:
    """The spaCy sentences of the event's mentions."""
    found = []
    for mention in [event["sentence"], *event["mentions"]]:
        token = _token_at(doc, mention["start"] - offset)
        if token is not None:
            found.append(token.sent)
    return found


def _party_tokens(doc: Doc, event: dict, offset: int) -> set[int]:
    """Token indices of the parties the rules read (spans they were read from)."""
    taken = set()
    for part in event["participants"]:
        if part.get("start") is not None:
            span = doc.char_span(part["start"] - offset, part["end"] - offset, alignment_mode="expand")
            taken.update(token.i for token in span or ())
    return taken


def _names(part: dict) -> set[str]:
    return {name.lower() for name in [part["name"], *part.get("aliases", [])] if name}
