"""Event confidence: a small logistic model over a few features, weights in data.

``features`` reads what the extractor knows about one mention (trigger kind, named
participants, explicit place, date expression, status, a governing verb, hedges in the
sentence); ``score`` turns them into a probability with the weights of
``transforms/lexicons/confidence.yaml``.  ``merged_confidence`` combines the mentions of
one event: every further mention of the same event adds to the log-odds.

The weights were fitted on dev + seed + GENEVA gold and checked on the other public
sets (the fitting notes are in the YAML file).  Keep them few and round: the gold is small.
"""
from __future__ import annotations

import math
from functools import lru_cache

from .lexicon import load

VERB_KINDS = ("verb", "motion", "host", "copula")


@lru_cache(maxsize=None)
def model() -> dict:
    """The parsed weights (``transforms/lexicons/confidence.yaml``)."""
    return load("confidence")


@lru_cache(maxsize=None)
def _hedges() -> tuple[frozenset, frozenset, tuple[tuple[str, ...], ...]]:
    """Hedge words, hedge modals (only as modal verbs: not "May" the month) and phrases."""
    hedges = model()["hedges"]
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


def features(candidate, participants: list, explicit_location: bool, when, status: str | None = None) -> dict:
    """The facts about one mention that ``score`` weighs."""
    anchors = getattr(candidate, "anchors", None) or []
    token = candidate.token
    return {
        "kind": candidate.kind,
        # participants named in the text (not only implied, e.g. by a dateline)
        "named": sum(1 for part in participants if part.get("start") is not None),
        "explicit_location": bool(explicit_location),
        "date": bool(when),
        "status": status or "occurred",
        # a verb trigger, or a noun held up by a verb ("held talks", "paid a visit") or an object
        "confirmed": candidate.kind in VERB_KINDS or len(anchors) > 1 or candidate.obj is not None,
        "hedged": is_hedged(list(token.sent)),
    }


def log_odds(feats: dict) -> float:
    """Log-odds of one mention being a right event, from the model weights."""
    weights = model()["weights"]
    value = weights["bias"]
    value += weights["kind"].get(feats["kind"], 0.0)
    value += weights["named_participant"] * min(feats["named"], weights["named_cap"])
    value += weights["explicit_location"] * feats["explicit_location"]
    value += weights["date"] * feats["date"]
    value += weights["status"].get(feats["status"], 0.0)
    value += weights["confirmed"] * feats["confirmed"]
    value += weights["hedged"] * feats["hedged"]
    return value


def _probability(value: float) -> float:
    low, high = model()["bounds"]
    return round(min(high, max(low, 1.0 / (1.0 + math.exp(-value)))), 3)


def score(feats: dict, mentions: int = 1) -> float:
    """Confidence of an event from its best mention's features and its mention count."""
    extra = min(max(mentions, 1) - 1, model()["weights"]["mentions_cap"])
    return _probability(log_odds(feats) + model()["weights"]["further_mention"] * extra)


def draft_confidence(candidate, participants: list, explicit_location: bool, when, status: str | None = None) -> float:
    """Confidence of one mention (a draft before merging)."""
    return score(features(candidate, participants, explicit_location, when, status))


def merged_confidence(confidences: list[float]) -> float:
    """Confidence of an event told by several mentions: the best one, plus the others' support."""
    if not confidences:
        raise ValueError("no mentions")
    best = min(max(max(confidences), 1e-6), 1 - 1e-6)
    value = math.log(best / (1 - best))
    extra = min(len(confidences) - 1, model()["weights"]["mentions_cap"])
    return _probability(value + model()["weights"]["further_mention"] * extra)
