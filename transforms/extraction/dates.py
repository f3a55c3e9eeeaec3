"""The date expression tied to an event ("on Monday", "next week", "later this month").

Only the expression is found here; resolving it against the publication date is the
job of transforms/resolution.
"""
from __future__ import annotations

import re

from .syntax import governing_verb, sentence_of

TEMPORAL_PREPS = frozenset({"on", "in", "at", "during", "since", "until", "by", "from", "before", "after", "over", "through", "within", "of"})
# "24-hour", "two days": lengths, not points in time
DURATION_RE = re.compile(r"-(?:hour|day|week|month|year)\b|^(?:\w+ )?(?:hours|days|weeks|months|years)$", re.IGNORECASE)
DATE_LABELS = ("DATE", "TIME")


# clauses that share the time of the clause they hang from: "planned to open" (xcomp),
# "arrived on Monday and held talks" (conj), "when the deal was signed" (advcl); not a
# reported clause (ccomp), whose governing verb is dated by the report, not the event
SAME_TIME_DEPS = frozenset({"xcomp", "conj", "advcl"})
CLIMB = 2


def date_text(candidate) -> str | None:
    """The DATE/TIME expression attached to the trigger, else to its clause, else to the
    clauses it shares its time with (SAME_TIME_DEPS, up to CLIMB levels), else None."""
    anchors = list(candidate.anchors)
    if candidate.token.pos_ in ("NOUN", "PROPN"):
        verb = governing_verb(candidate.token, 3)
        if verb is not None:
            anchors.append(verb)
    for anchor in anchors + _time_sharing_heads(anchors):
        found = _attached_date(anchor)
        if found:
            return found
    return None


def _time_sharing_heads(anchors) -> list:
    """Governing clauses that share the anchors' time; "travelled to Austin on Tuesday,
    where he met officials": a "where" clause on a place shares the time of the clause
    that reached the place."""
    heads = []
    for anchor in anchors:
        token = anchor
        for _ in range(CLIMB):
            if token.dep_ == "relcl" and any(child.lower_ == "where" for child in token.children):
                token = governing_verb(token.head, 3)
            elif token.dep_ in SAME_TIME_DEPS and token.head != token:
                token = token.head
            else:
                break
            if token is None:
                break
            heads.append(token)
    return heads


def _attached_date(anchor) -> str | None:
    doc = anchor.doc
    for ent in sentence_of(anchor).ents:
        if ent.label_ not in DATE_LABELS or DURATION_RE.search(ent.text):
            continue
        root = ent.root
        if root.head == anchor and root.dep_ not in ("pobj", "nummod", "amod", "conj"):
            return ent.text
        if root.dep_ == "appos" and root.head.dep_ == "pobj" and root.head.head.head == anchor:
            return ent.text  # a caption: "... summit in Bergen, Norway, Sept. 14, 2021"
        prep = root.head
        if root.dep_ == "pobj" and prep.dep_ == "prep" and prep.head == anchor and prep.lower_ in TEMPORAL_PREPS:
            return doc[prep.i:ent.end].text
    return None
