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


def date_text(candidate) -> str | None:
    """The DATE/TIME expression attached to the trigger, else to its clause, else None."""
    anchors = list(candidate.anchors)
    if candidate.token.pos_ in ("NOUN", "PROPN"):
        verb = governing_verb(candidate.token, 3)
        if verb is not None:
            anchors.append(verb)
    for anchor in anchors:
        found = _attached_date(anchor)
        if found:
            return found
    return None


def _attached_date(anchor) -> str | None:
    doc = anchor.doc
    for ent in sentence_of(anchor).ents:
        if ent.label_ not in DATE_LABELS or DURATION_RE.search(ent.text):
            continue
        root = ent.root
        if root.head == anchor and root.dep_ not in ("pobj", "nummod", "amod", "conj"):
            return ent.text
        prep = root.head
        if root.dep_ == "pobj" and prep.dep_ == "prep" and prep.head == anchor and prep.lower_ in TEMPORAL_PREPS:
            return doc[prep.i:ent.end].text
    return None
