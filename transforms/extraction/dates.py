"""The date expression tied to an event ("on Monday", "next week", "later this month").

Only the expression is found here; resolving it against the publication date is the
job of transforms/resolution.
"""
from __future__ import annotations

import re

from .lexicon import trigger_set
from .syntax import governing_verb, prep_objects, sentence_of

# "for" as in "scheduled for July" (a length, "for three hours", is left out by DURATION_RE)
TEMPORAL_PREPS = frozenset({"on", "in", "at", "during", "since", "until", "by", "from", "before", "after", "over",
                            "through", "within", "of", "for"})
# "24-hour", "two days", "more than two hours", "a 50 year contract": lengths, not points in
# time ("90-minute talks" are not of 1990); "last year", "next week" keep their singular unit
DURATION_RE = re.compile(r"-(?:second|minute|hour|day|week|month|year)\b|^\d+ (?:second|minute|hour|day|week|month|year)$"
                         r"|^(?:[\w.]+ )*(?:seconds|minutes|hours|days|weeks|months|years|decades)$", re.IGNORECASE)
DATE_LABELS = ("DATE", "TIME")
CAPTION_YEAR = re.compile(r"\b(?:19|20)\d\d$")
# a year or a month name modifying an event noun dates it: "the 2016 summit", "the June summit"
CALENDAR = re.compile(r"^(?:19|20)\d\d$|^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?$", re.IGNORECASE)


# clauses that share the time of the clause they hang from: "planned to open" (xcomp),
# "arrived on Monday and held talks" (conj), "when the deal was signed" (advcl); not a
# reported clause (ccomp), whose governing verb is dated by the report, not the event
SAME_TIME_DEPS = frozenset({"xcomp", "conj", "advcl"})
CLIMB = 2
# steps from a participant's name up to its clause's verb ("with the President of X, Jane Doe, who")
NAME_DEPTH = 6


def date_text(candidate) -> str | None:
    """The DATE/TIME expression attached to the trigger, else to its own clauses ("talks, which
    took place on Monday") or to the event framing it ("met during today's visit"), else to its
    clause, else to the clauses it shares its time with (SAME_TIME_DEPS, up to CLIMB levels),
    else None."""
    anchors = list(candidate.anchors)
    if candidate.token.pos_ in ("NOUN", "PROPN"):
        anchors += [clause for clause in candidate.token.children if clause.dep_ in ("relcl", "acl")]
    anchors += _frames(anchors)
    if candidate.token.pos_ in ("NOUN", "PROPN"):
        verb = governing_verb(candidate.token, 3)
        if verb is not None:
            anchors.append(verb)
    for anchor in anchors + _time_sharing_heads(anchors, candidate.event_type == "state_visit"):
        found = _attached_date(anchor)
        if found:
            return found
    return _caption_date(candidate.token)


def sole_date(token) -> str | None:
    """The one point in time a sentence names, where the parser tied it to no clause of the
    trigger ("during their meeting Monday on the sidelines"): the time of what it tells, for an
    event no mention dates (read after merging and status, which it does not decide)."""
    dates = [ent for ent in sentence_of(token).ents if ent.label_ in DATE_LABELS and not DURATION_RE.search(ent.text)]
    return dates[0].text if len(dates) == 1 else None


def _frames(anchors) -> list:
    """A meeting or visit an event is told as part of ("talks during today's visit", "signed at
    the summit on Friday") is at the same time."""
    nouns = trigger_set("meeting", "nouns") | trigger_set("state_visit", "nouns")
    return [frame for anchor in anchors for frame in prep_objects(anchor, ("during", "at"))
            if frame.lemma_.lower() in nouns]


def _caption_date(token) -> str | None:
    """A photo caption ends on its full date after a comma: "Leaders at the summit in Oslo,
    June 8, 2018." dates what the caption shows."""
    sentence = sentence_of(token)
    ents = [ent for ent in sentence.ents if ent.label_ == "DATE"]
    if not ents or not CAPTION_YEAR.search(ents[-1].text):
        return None
    date = ents[-1]
    before = token.doc[date.start - 1] if date.start > sentence.start else None
    after = [tok for tok in token.doc[date.end:sentence.end] if not tok.is_space]
    if before is None or before.text != "," or any(not tok.is_punct for tok in after):
        return None
    return date.text


def _time_sharing_heads(anchors, visit: bool = False) -> list:
    """Governing clauses that share the anchors' time; "travelled to Austin on Tuesday,
    where he met officials": a "where" clause on a place shares the time of the clause
    that reached the place; "talks on May 3 with X, who will be in Paris on a visit": a visit
    told in a relative clause on a participant is under way when the main clause happens."""
    heads = []
    for anchor in anchors:
        token = anchor
        for _ in range(CLIMB):
            if token.dep_ == "relcl" and any(child.lower_ == "where" for child in token.children):
                token = governing_verb(token.head, 3)
            elif token.dep_ == "relcl" and visit and token.head.pos_ == "PROPN":
                token = governing_verb(token.head, NAME_DEPTH)
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
        ent = _with_year(ent)
        root = ent.root
        calendar = root.dep_ in ("nummod", "amod") and CALENDAR.search(ent.text)  # "the 2016 summit"
        if root.head == anchor and (root.dep_ not in ("pobj", "nummod", "amod", "conj") or calendar):
            return ent.text
        if root.dep_ == "appos" and root.head.dep_ == "pobj" and root.head.head.head == anchor:
            return ent.text  # a caption: "... summit in Bergen, Norway, Sept. 14, 2021"
        prep = root.head
        if root.dep_ == "pobj" and prep.dep_ == "prep" and prep.head == anchor and prep.lower_ in TEMPORAL_PREPS:
            return doc[prep.i:ent.end].text
    return None


def _with_year(ent):
    """A day told with its year, which the tagger made an entity apart ("July 4-5" + ", 2022",
    the year hanging from the day): one date."""
    doc, end = ent.doc, ent.end
    year = doc[end + 1] if end + 1 < len(doc) and doc[end].text == "," else None
    if year is not None and CAPTION_YEAR.fullmatch(year.text) and ent.start <= year.head.i < end:
        return doc[ent.start:end + 2]
    return ent
