"""The learned decision: which proposed events are real, and how sure we are.

The rules of triggers.py propose candidates broadly (every trigger sense, strict or
loose); ``mention_features`` describes one proposed mention with what the rules read
around it (finder, trigger lemma and context words, participants, place, date, status
cues, hedges, sports context). After merging, a record's features are the union of its
mentions' (``record_features``). A ``DecisionModel`` (weights trained by
``newsevents train`` on annotated articles, transforms/models/decision.json by default)
turns them into a calibrated probability: records below its threshold are dropped, the
rest carry it as ``confidence``. Its date head reads the same features to say what date an
event its words leave undated has: the publication day, its month, or unknown
(``date_default``; resolution applies it). Status stays the rules' (status.py): a learned status
model scored below them in cross-validation (docs/QUALITY.md).

Pure Python at run time (a sparse dot product per record); scikit-learn only trains.
"""
from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from pathlib import Path

from transforms.resolution.countries import country_code
from transforms.resolution.offices import participant_country, told_country

from .dates import DATE_LABELS
from .finders import lemma_of
from .lexicon import load, triggers, word_set
from .syntax import children, prep_objects

DEFAULT_MODEL = Path(__file__).resolve().parent.parent / "models" / "decision.json"
CONTEXT_WINDOW = 4  # words either side of the trigger whose lemmas are features


class ModelError(ValueError):
    """An extractor model file that cannot be used (named in the message)."""


@lru_cache(maxsize=None)
def _hedges() -> tuple[frozenset, frozenset, tuple[tuple[str, ...], ...]]:
    """Hedge words, hedge modals (only as modal verbs: not "May" the month) and phrases (guards.yaml)."""
    hedges = load("guards")["hedges"]
    words = frozenset(str(word).lower() for word in hedges["words"])
    modals = frozenset(str(word).lower() for word in hedges["modals"])
    phrases = tuple(tuple(str(phrase).lower().split()) for phrase in hedges["phrases"])
    return words, modals, phrases


def is_hedged(tokens) -> bool:
    """The sentence reports the event as unconfirmed: "reportedly", "may", "is said to".

    ``tokens``: spaCy tokens (``.text`` and ``.tag_``) of the sentence.
    """
    words, modals, phrases = _hedges()
    lowered = [tok.text.lower() for tok in tokens]
    for tok, low in zip(tokens, lowered):
        if low in words or (low in modals and tok.tag_ == "MD"):
            return True
    return any(
        tuple(lowered[i : i + len(phrase)]) == phrase
        for phrase in phrases
        for i in range(len(lowered) - len(phrase) + 1)
    )


def _lemma(token) -> str:
    return token.lemma_.lower()


def _content(token) -> bool:
    """A common word worth a feature: names (entities) generalise badly from a few articles."""
    return token.is_alpha and not token.is_stop and len(token) > 2 and not token.ent_type_


DOMAIN_BUCKETS = (1, 3, 7, 15)  # counts of an article's domain words: 0, 1-2, 3-6, 7-14, 15+
_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")


LEISURE_DOMAINS = ("sports", "entertainment")
LEISURE_MIN_WORDS, LEISURE_MIN_SHARE = 5, 0.02  # flags ~90 % of BBC sport/entertainment, ~0.5 % of politics


def domain_counts(text: str) -> tuple[dict[str, int], int]:
    """How many words of each domain list (guards.yaml ``domain_words``) the text has, and its word count."""
    counts = dict.fromkeys(load("guards")["domain_words"], 0)
    found = _WORD.findall(text.lower())
    words = _domain_words()
    for word in found:
        for domain in words.get(word, ()):
            counts[domain] += 1
    return counts, len(found)


def is_leisure_text(counts: dict[str, int], n_words: int) -> bool:
    """A sports or entertainment story: "visit", "meet", "tour" and "signed" mostly mean fixtures,
    matches, concerts and contracts there."""
    return max(counts[domain] for domain in LEISURE_DOMAINS) >= max(LEISURE_MIN_WORDS, LEISURE_MIN_SHARE * n_words)


def article_features(counts: dict[str, int]) -> dict[str, float]:
    """What the whole article says about its domain (sport, entertainment, business), once per
    article: a "visit" in a story full of league and goal words is a fixture, not a trip."""
    return {f"domain:{domain}:{sum(count >= b for b in DOMAIN_BUCKETS)}": 1.0 for domain, count in counts.items()}


@lru_cache(maxsize=1)
def _domain_words() -> dict[str, tuple[str, ...]]:
    """word -> the domains whose list holds it."""
    found: dict[str, list[str]] = {}
    for domain, words in load("guards")["domain_words"].items():
        for word in words:
            found.setdefault(str(word).lower(), []).append(domain)
    return {word: tuple(domains) for word, domains in found.items()}


def mention_features(candidate, participants: list, explicit_location: bool, when, status: str,
                     sports_text: bool, article: dict[str, float]) -> dict[str, float]:
    """Sparse features of one proposed mention (names are type-prefixed where meaning differs by
    type); ``article``: the article's own features (``article_features``), shared by its mentions."""
    token, kind = candidate.token, candidate.event_type
    feats = {
        **article,
        **{f"{name}:{kind}": value for name, value in article.items()},
        f"type:{kind}": 1.0,
        f"finder:{candidate.finder}": 1.0,
        f"strict:{kind}:{candidate.strict}": 1.0,
        f"lemma:{kind}:{_lemma(token)}": 1.0,
        f"form:{kind}:{token.tag_}": 1.0,
        f"dep:{kind}:{token.dep_}": 1.0,
        f"head:{kind}:{_lemma(token.head)}": 1.0,
        f"status:{kind}:{status}": 1.0,
        f"named:{kind}:{min(sum(1 for p in participants if p.get('start') is not None), 3)}": 1.0,
        f"location:{kind}:{bool(explicit_location)}": 1.0,
        f"date:{kind}:{bool(when)}": 1.0,
        f"object:{kind}:{candidate.obj is not None}": 1.0,
        f"sports_text:{kind}:{sports_text}": 1.0,
    }
    if candidate.obj is not None:
        feats[f"objlemma:{kind}:{_lemma(candidate.obj)}"] = 1.0
    for part in participants:
        feats[f"role:{kind}:{part['role']}:{part['entity_type']}"] = 1.0
        if part.get("title"):
            feats[f"titled:{kind}:{part['role']}"] = 1.0
    verb = next((node for node in (token, token.head, token.head.head) if node.pos_ in ("VERB", "AUX")), None)
    if verb is not None:  # the tense of the clause that tells the event
        feats[f"tense:{kind}:{verb.tag_}"] = 1.0
        for aux in verb.children:
            if aux.dep_ in ("aux", "auxpass"):
                feats[f"aux:{kind}:{aux.lower_}"] = 1.0
    for child in token.children:
        if child.is_alpha and not child.ent_type_:
            feats[f"child:{kind}:{child.dep_}:{_lemma(child)}"] = 1.0
    sent = token.sent
    lo, hi = max(sent.start, token.i - CONTEXT_WINDOW), min(sent.end, token.i + CONTEXT_WINDOW + 1)
    for near in token.doc[lo:hi]:
        if near.i != token.i and _content(near):
            feats[f"near:{kind}:{_lemma(near)}"] = 1.0
    for ent in sent.ents:
        feats[f"ent:{kind}:{ent.label_}"] = 1.0
    cues = word_set("guards", "decision_cue_words")
    for word in sent:
        lemma = _lemma(word)
        if lemma in cues or word.lower_ in cues:
            feats[f"cue:{kind}:{lemma}"] = 1.0
        elif word.lower_ in word_set("guards", "sports_words"):
            feats["sports_word"] = 1.0
    if is_hedged(list(sent)):
        feats["hedged"] = 1.0
    if any(ch in sent.text for ch in '"“”'):
        feats["quoted"] = 1.0
    feats.update(sense_features(token, kind))
    if kind == "state_visit":
        feats.update(destination_features(participants))
    return feats


def event_countries(event: dict, text: str | None = None) -> set[str]:
    """The countries an event's parties come from: each party's own, else the one the article's
    title phrases tell (``text``: the article's)."""
    return {participant_country(part) or told_country(part, text) for part in event["participants"]} - {None}


def party_features(event: dict, countries: set[str]) -> dict[str, float]:
    """Who takes part in a merged event: how many parties, of how many countries (``countries``:
    ``event_countries``), and whether a public office holder is among them (talks between two
    states' officials are rarely an everyday sense of the word)."""
    kind, parts = event["event_type"], event["participants"]
    offices = word_set("guards", "public_offices")
    official = any(part["entity_type"] == "PERSON" and set(re.findall(r"[a-z]+", (part.get("title") or "").lower())) & offices
                   for part in parts)
    return {f"parties:{kind}:{min(len(parts), 3)}": 1.0, f"countries:{kind}:{min(len(countries), 2)}": 1.0,
            f"official:{kind}:{official}": 1.0}


def destination_features(participants: list) -> dict[str, float]:
    """Where a visit goes (EVENTS.md: a trip to another country; a leader's trip inside his own is
    none): whether its host is a country ("the visit of the army chief to Peru") or a lesser place
    ("the governor's trip to Little Creek, Ohio"), and whether that country is the guest's own, when
    the text gives the guest's ("Chilean", "of Chile"). A noun visit told in passing, with the guest
    named by office, has few other cues."""
    hosts = {country_code(part.get("country") or part["name"], scan=False)
             for part in participants if part["role"] == "host"}
    countries = hosts - {None}
    feats = {f"host:state_visit:{'country' if countries else 'place' if hosts else 'none'}": 1.0}
    homes = {country_code(part.get("country"), scan=False) for part in participants if part["role"] == "guest"} - {None}
    if countries and homes:
        feats[f"abroad:state_visit:{not countries & homes}"] = 1.0
    return feats


# the types a mention held by video or phone vetoes (a document signed by video link is still signed)
REMOTE_VETO = ("meeting", "state_visit")
# a photo caption or video teaser: galleries retell old events ("Hide Caption 4 of 8 Photos: ...")
CAPTION = re.compile(r"\b(?:hide caption|image caption|image copyright|photos?\s*:|file photo|just watched|must watch)",
                     re.IGNORECASE)


def sense_features(token, kind: str) -> dict[str, float]:
    """What tells an everyday use of a trigger word from an event: the trigger inside a name
    ("Summit Petroleum", "Meet the Press"), a meeting held at a distance ("talks via
    videoconference", "by telephone") and a photo caption or video teaser."""
    feats: dict[str, float] = {}
    sent = token.sent
    if token.ent_type_:
        feats[f"in_name:{kind}:{token.ent_type_}"] = 1.0
    if {word.lower_ for word in sent} & word_set("guards", "remote_words"):
        feats[f"remote:{kind}"] = 1.0
        if held_at_a_distance(token):
            feats[f"remote_mode:{kind}"] = 1.0
    if CAPTION.search(sent.text):
        feats[f"caption:{kind}"] = 1.0
    if everyday_idiom(token):
        feats[f"idiom:{kind}"] = 1.0
    return feats


def held_at_a_distance(token) -> bool:
    """The event itself is told as held by video or phone, not a remote word elsewhere in its
    sentence: "talks via videoconference", "held a meeting by video link", "a summit held via
    videoconference", "a virtual summit" (not "took part, via videoconference, in a meeting",
    which may be held in person)."""
    remote = word_set("guards", "remote_words")
    clauses = [token] + children(token, "acl", "relcl")
    if token.dep_ in ("dobj", "nsubjpass"):
        clauses.append(token.head)  # "held talks via ...", "the summit will be held via ..."
    for clause in clauses:  # "by" is the parser's "agent" after a verb ("met by video link")
        modes = [obj for prep in children(clause, "prep", "agent") if prep.lower_ in ("via", "by", "over", "through")
                 for obj in children(prep, "pobj")]
        for mode in modes:
            if mode.lower_ in remote or any(part.lower_ in remote for part in children(mode, "compound", "amod")):
                return True
    return any(part.lower_ in remote for part in children(token, "amod", "compound"))


def everyday_idiom(token) -> bool:
    """A trigger word in an idiom that tells no event of any type (guards.yaml ``idiom_*``),
    a feature the decision weighs:
    "when it comes to Jerusalem", "signed up to", "was met with protests", "met with success"."""
    lemma = lemma_of(token)
    if lemma in triggers("state_visit")["motion_verbs"]:
        return any(subj.lower_ in word_set("guards", "idiom_motion_subjects") for subj in children(token, "nsubj"))
    if lemma == "sign":
        return any(part.lower_ in word_set("guards", "idiom_sign_particles") for part in children(token, "prt"))
    if lemma == "meet" and token.pos_ == "VERB":
        partners = prep_objects(token, ("with",))
        return bool(partners) and (bool(children(token, "auxpass"))
                                   or all(lemma_of(tok) in word_set("guards", "idiom_meet_with_objects") for tok in partners))
    return False


# Cues to when an event the text does not date took place (read by the model's date head):
# a lead sentence telling the event in the writer's voice is the day's news; reported speech,
# a perfect ("has signed") or "the coming summit" before the trigger point elsewhere in time.
REPORTED = re.compile(r"\b(?:said|says|say|told|tells|according to|reported|reports|announced|announces)\b",
                      re.IGNORECASE)
NOT_TODAY = re.compile(r"\b(?:(?:has|have|had|'ve)\s+(?!(?:a|an|the|his|her|their|its|our|no)\s)|"
                       r"(?:coming|upcoming|forthcoming|next|future|planned|proposed)\s+)(?:[\w-]+\s+){0,3}$",
                       re.IGNORECASE)
# The date head's classes: what an undated event's date most likely is (resolved against the
# publication time by transforms/resolution), or "none" for unknown.
DATE_DEFAULTS = {"day": "today", "month": "this month"}
DEPTH_BUCKETS = (300, 1000, 3000)  # characters between the body's start and the sentence


def timing_features(candidate, sentence: dict, article: dict, location: dict | None, explicit: bool,
                    dateline: dict | None) -> dict[str, float]:
    """What tells the date of an event its words leave undated ("X met Y"; "the talks"): how early
    in the story it is told, in whose voice and tense, dates in the sentence or the one before it,
    and whether it is placed at the dateline (the reporter's own news of the day).
    ``sentence``: the mention's sentence span in the article text; ``dateline``: the article's
    dateline place (ArticleFacts.dateline_location), read once per article."""
    kind, token = candidate.event_type, candidate.token
    text, body = article.get("text") or "", article.get("body_start") or 0
    trigger = token.idx + body
    depth = len(text[body:sentence["start"]].strip())
    feats = {f"depth:{kind}:{sum(depth > b for b in DEPTH_BUCKETS) if depth else 'lead'}": 1.0}
    if REPORTED.search(sentence["text"]):
        feats[f"reported:{kind}"] = 1.0
    if NOT_TODAY.search(text[sentence["start"]:trigger]):
        feats[f"not_today:{kind}"] = 1.0
    sent = token.sent
    if any(ent.label_ in DATE_LABELS for ent in sent.ents):
        feats[f"sentence_date:{kind}"] = 1.0
    if sent.start > 0 and any(ent.label_ in DATE_LABELS for ent in token.doc[sent.start - 1].sent.ents):
        feats[f"previous_date:{kind}"] = 1.0
    if dateline is not None:
        here = bool(location and location.get("name") and location["name"].lower() == dateline["name"].lower())
        feats[f"dateline:{kind}:{'here' if here else 'elsewhere'}:{explicit}"] = 1.0
    return feats


def record_features(mentions: list[dict[str, float]]) -> dict[str, float]:
    """A record's features: the union of its mentions' (a cue in any mention counts), their count."""
    feats: dict[str, float] = {}
    for mention in mentions:
        for name, value in mention.items():
            feats[name] = max(value, feats.get(name, 0.0))
    kind = next((name.split(":", 1)[1] for name in feats if name.startswith("type:")), "")
    feats[f"mentions:{kind}:{min(len(mentions), 3)}"] = 1.0
    return feats


class DecisionModel:
    """A linear score over sparse features, calibrated into P(real event)."""

    def __init__(self, data: dict, source: str = ""):
        try:
            self.weights: dict[str, float] = data["event"]["weights"]
            self.bias = float(data["event"]["bias"])
            self.scale, self.shift = (float(v) for v in data["event"]["calibration"])
            self.threshold = float(data["event"]["threshold"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(f"{source or 'extractor model'} is not a newsevents decision model ({exc!r}); "
                             "make one with `newsevents train`") from exc
        try:
            head = data["date"]
            self.date_classes = tuple(head["classes"])
            self.date_weights = {name: head["weights"].get(name, {}) for name in self.date_classes}
            self.date_bias = {name: float(head["bias"][name]) for name in self.date_classes}
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(f"{source or 'extractor model'} has no date head ({exc!r}): it was made by an older "
                             "`newsevents train`; train it again") from exc
        party = data.get("party") or {}  # absent from models trained before the party head: nothing added
        self.party_weights: dict[str, float] = party.get("weights", {})
        self.party_bias = float(party.get("bias", 0.0))
        threshold = party.get("threshold")  # None: the head adds no party
        self.party_threshold = math.inf if threshold is None else float(threshold)
        if set(self.date_classes) - set(DATE_DEFAULTS) - {"none"}:
            raise ModelError(f"{source or 'extractor model'} has unknown date classes {self.date_classes}")
        self.version = str(data.get("version", "unknown"))
        self.data = data  # what a launcher ships to its workers

    @classmethod
    def load(cls, path: str | Path) -> "DecisionModel":
        """A model folder (holding decision.json) or file, as written by ``newsevents train``."""
        path = Path(path)
        if path.is_dir():
            path = path / "decision.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelError(f"cannot read extractor model {path}: {exc}") from exc
        return cls(data, str(path))

    def probability(self, feats: dict[str, float]) -> float:
        raw = _linear(self.weights, self.bias, feats)
        return 1.0 / (1.0 + math.exp(-(self.scale * raw + self.shift)))

    def party_probability(self, feats: dict[str, float]) -> float:
        return 1.0 / (1.0 + math.exp(-_linear(self.party_weights, self.party_bias, feats)))

    def added_parties(self, candidates: list[tuple[dict, dict]]) -> list[dict]:
        """The candidate parties (party_head.party_candidates) the party head judges parties."""
        return [dict(part) for part, feats in candidates if self.party_probability(feats) >= self.party_threshold]

    def date_default(self, feats: dict[str, float]) -> str | None:
        """The date expression an event its words leave undated most likely has ("today",
        "this month"), or None to leave it unknown: the date head's most probable class."""
        def score(name: str) -> float:
            return _linear(self.date_weights[name], self.date_bias[name], feats)

        return DATE_DEFAULTS.get(max(self.date_classes, key=score))


def decide(drafts: list, model: DecisionModel) -> list[dict]:
    """The events of merged ``drafts`` (mentions.Draft) that ``model`` keeps, with its confidence."""
    events = []
    for draft in drafts:
        feats = record_features(draft.features)
        probability = model.probability(feats)
        if probability >= model.threshold and not _vetoed(draft):
            event = {**draft.event, "confidence": round(probability, 3), "date_default": model.date_default(feats)}
            event["participants"] = [*event["participants"], *model.added_parties(draft.parties)]
            events.append(event)
    return events


def _linear(weights: dict[str, float], bias: float, feats: dict[str, float]) -> float:
    """A head's raw score: its bias plus its weights over the sparse features."""
    return bias + sum(weights.get(name, 0.0) * value for name, value in feats.items())


def _vetoed(draft) -> bool:
    """Every mention is an everyday idiom ("when it comes to Jerusalem"), or a mention tells a
    meeting or visit held by video or phone (EVENTS.md: a call is no meeting; the other mentions
    of those talks are the same talks): no event, whatever the weights say. The model still
    learns from these proposals; the veto holds where its few examples leave it unsure."""
    kind = draft.event["event_type"]
    if kind in REMOTE_VETO and any(mention.get(f"remote_mode:{kind}") for mention in draft.features):
        return True
    return all(mention.get(f"idiom:{kind}") for mention in draft.features)


@lru_cache(maxsize=4)
def load_model(path: str | None = None) -> DecisionModel:
    """The decision model at ``path`` (default: the one shipped with the package), once per process."""
    return DecisionModel.load(path or DEFAULT_MODEL)
