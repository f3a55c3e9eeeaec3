"""Status of a trigger: occurred, planned, cancelled, or None for negated/hypothetical.

The cues are read along the trigger's clause chain (the trigger, the verb governing a
noun trigger, and verbs it is an xcomp/advcl/conj of), never across reported speech
("said that ...") so the reporting verb does not colour the event.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from transforms.resolution.dates import MONTHS, WEEKDAYS

from .lexicon import load, word_set
from .syntax import sentence_of

if TYPE_CHECKING:
    from spacy.tokens import Token

PASS_THROUGH = ("xcomp", "advcl", "conj", "prep", "pobj", "dobj", "nsubj", "nsubjpass", "attr",
                "acl", "amod", "compound", "appos", "npadvmod", "pcomp", "poss", "oprd")


def clause_chain(token: Token) -> list[tuple[Token, str]]:
    """(node, dependency that led to it) from ``token`` up to the clause that contains it."""
    chain = [(token, "")]
    current = token
    for _ in range(8):
        if current.dep_ not in PASS_THROUGH or current.head == current:
            break
        chain.append((current.head, current.dep_))
        current = current.head
    return chain


def _first_verb(chain):
    return next((node for node, _ in chain if node.pos_ in ("VERB", "AUX")), None)


def is_negated(token, chain) -> bool:
    """ "did not meet", "no talks", "refused to sign", and questions or "if" clauses."""
    if sentence_of(token).text.rstrip().rstrip('"”\'’').endswith("?"):
        return True
    if any(child.lower_ in ("no", "never") for child in token.children if child.dep_ in ("det", "neg")):
        return True
    first = _first_verb(chain)
    negators = word_set("guards", "negating_verbs")
    marks = word_set("guards", "hypothetical_marks")
    modals = word_set("guards", "hypothetical_modals")
    for node, link in chain:
        if link == "prep":
            break  # the trigger sits in an adjunct ("before next week's summit"): the clause is not about it
        is_clause = node.pos_ in ("VERB", "AUX")
        if is_clause and (node == first or link == "xcomp" or node == token) and any(c.dep_ == "neg" for c in node.children):
            return True
        if is_clause and node != token and node.lemma_.lower() in negators and link != "conj":
            return True  # "refused to sign"; not "failed to agree, and resumed negotiations" (a clause of its own)
        if is_clause and any(c.dep_ == "mark" and c.lower_ in marks for c in node.children):
            return True
        if is_clause and (node == first or node == token or link == "xcomp") and any(
                c.dep_ == "aux" and c.tag_ == "MD" and c.lower_ in modals for c in node.children):
            return True
        if is_clause and (node == first or node == token) and (_denied_by_subject(node) or _counterfactual(node)):
            return True
    return False


def _denied_by_subject(verb) -> bool:
    """ "None of the Gulf States signed the convention", "Neither side signed", "no country signed"."""
    denying = word_set("guards", "negative_subjects")
    determiners = denying | {"no"}
    subjects = [child for child in verb.children if child.dep_ in ("nsubj", "nsubjpass")]
    return any(subject.lower_ in denying or any(det.dep_ == "det" and det.lower_ in determiners for det in subject.children)
               for subject in subjects)


def _counterfactual(verb) -> bool:
    """ "I would have signed a declaration of war": what did not happen."""
    auxes = [child for child in verb.children if child.dep_ == "aux"]
    return (verb.tag_ == "VBN" and any(aux.lower_ in word_set("guards", "counterfactual_modals") for aux in auxes)
            and any(aux.lower_ == "have" for aux in auxes))


def status_of(candidate, date_text: str | None, published=None) -> str | None:
    """The event status, or None when the mention is negated or hypothetical.

    ``published`` (the article's publication date, optional) lets a bare month on an
    event noun decide it ("after the June summit" in an April story is still to come)."""
    token = candidate.token
    chain = clause_chain(token)
    for anchor in candidate.anchors:
        if anchor != token:
            chain += clause_chain(anchor)
    if is_negated(token, chain):
        return None
    if _cancelled(chain):
        return "cancelled"
    if _planned(token, chain, date_text, published):
        return "planned"
    return "occurred"


# "next week's summit", "meets tomorrow": the date alone places the event ahead, whatever
# the tense of the reporting clause; "the next day" / "the following week" are narrative
# (relative to a past event) and do not count.
STRONG_FUTURE_RE = re.compile(r"\btomorrow\b|(?<!\bthe )\b(?:next|coming|upcoming)\b", re.IGNORECASE)
# "meets on Thursday", "opens this month": a present-simple verb with a day or period
# reference (not a full dated caption like "meets Obama, Oct. 15, 2015") is a schedule.
SCHEDULE_DATE_RE = re.compile(r"^(?:on|this|next|later|in|at)\b(?!.*\b(?:19|20)\d\d\b)", re.IGNORECASE)
PRESENT_SIMPLE = ("VBZ", "VBP")


def _scheduled_present(token, date_text) -> bool:
    """ "when its council meets on Thursday": present simple verb trigger with a date."""
    if token.pos_ != "VERB" or token.tag_ not in PRESENT_SIMPLE or not date_text:
        return False
    if any(c.dep_ in ("aux", "auxpass") for c in token.children):
        return False
    return bool(SCHEDULE_DATE_RE.search(date_text.strip()))


def _later_date(token, date_text, published) -> str | None:
    """Whether an event noun (or a present-simple verb: "the board meets here March 30") is dated
    after the publication day, in its year or in the year the date names, so not happened yet:
    "day" for a month and day ("the May 11-13 meeting" in an April story, "the summit of July 4-5,
    1988"), "month" for a bare month ("the June summit"), else None."""
    schedule = token.pos_ == "VERB" and token.tag_ in PRESENT_SIMPLE
    if published is None or not date_text or not (token.pos_ in ("NOUN", "PROPN") or schedule):
        return None
    words = re.findall(r"[a-z]+|\d+", date_text.lower())
    years = [int(w) for w in words if len(w) == 4 and w.isdigit()]
    numbers = [w for w in words if w.isdigit() and len(w) != 4]
    if len(years) > 1 or {"last", "past", "previous", "earlier"} & set(words):
        return None
    year = years[0] if years else published.year  # "July 4-5, 2022": its own year
    months = [MONTHS[w[:3]] for w in words if w[:3] in MONTHS and (len(w) == 3 or w in MONTH_NAMES)]
    days = [int(w) for w in numbers if 1 <= int(w) <= 31]
    if not months or len(days) != len(numbers) or year < published.year:
        return None
    if days:  # the first day of a span counts: "March 30 to April 1"
        return "day" if (year, months[0], days[0]) > (published.year, published.month, published.day) else None
    return "month" if len(months) == 1 and (year, months[0]) > (published.year, published.month) else None


def _awaited(token) -> bool:
    """ "ahead of the G7 meeting", "in preparation for the summit": an event noun still to come
    (guards.yaml ``awaiting_phrases``), whatever the tense of the clause it hangs from."""
    if token.dep_ != "pobj" or token.head.i == 0:
        return False
    prep = token.head
    return f"{token.doc[prep.i - 1].lower_} {prep.lower_}" in word_set("guards", "awaiting_phrases")


def _progressive_weekday(token, date_text, published) -> bool:
    """ "EU finance ministers are meeting on Thursday" in a Monday story: a present progressive
    with a weekday other than the publication day is a schedule."""
    if published is None or not date_text or token.tag_ != "VBG":
        return False
    if not any(c.dep_ == "aux" and c.lower_ in ("is", "are", "am", "'re", "'s") for c in token.children):
        return False
    days = [day for day in WEEKDAYS if re.search(rf"\b{day}\b", date_text.lower())]
    return len(days) == 1 and WEEKDAYS.index(days[0]) != published.weekday()


MONTH_NAMES = frozenset("january february march april may june july august september october november december".split())


def stopped_midway(candidate) -> bool:
    """ "broke off talks", "talks collapsed": an event called off once it was under way, so
    also the event another mention tells as held (mentions.compatible)."""
    stops = word_set("guards", "stop_verbs")
    return any(node.pos_ in ("VERB", "AUX") and node.lemma_.lower() in stops for node, _ in clause_chain(candidate.token)[1:])


def _cancelled(chain) -> bool:
    cancels = word_set("guards", "cancel_verbs") | word_set("guards", "stop_verbs")
    particles = {str(k): str(v) for k, v in load("guards")["cancel_particles"].items()}
    for node, _ in chain[1:]:
        lemma = node.lemma_.lower()
        if node.pos_ in ("VERB", "AUX") and lemma in cancels:
            return True
        if lemma in particles and any(c.dep_ == "prt" and c.lower_ == particles[lemma] for c in node.children):
            return True
    return False


def _planned(token, chain, date_text, published=None) -> bool:
    if date_text and STRONG_FUTURE_RE.search(date_text):
        return True
    if _scheduled_present(token, date_text):
        return True
    if token.tag_ == "VBN" and token.dep_ == "acl" and not any(c.dep_ in ("aux", "auxpass") for c in token.children):
        return False  # "would violate an agreement signed on Sept. 5": a done event named as a thing
    later = _later_date(token, date_text, published)
    if later == "day" and token.pos_ in ("NOUN", "PROPN"):
        return True  # "the May 11-13 meeting has taken on added significance": the noun's own date
    modals = word_set("guards", "future_modals")
    plans = word_set("guards", "plan_verbs")
    if any(c.dep_ == "amod" and c.lemma_.lower() in word_set("guards", "plan_modifiers") for c in token.children):
        return True
    if _awaited(token) or _progressive_weekday(token, date_text, published):
        return True
    past = False
    for node, link in chain:
        if node.pos_ not in ("VERB", "AUX", "ADJ"):
            continue
        auxes = [c for c in node.children if c.dep_ in ("aux", "auxpass")]
        if any(c.lower_ in modals or c.lemma_.lower() in modals for c in auxes):
            return True
        if any(c.lower_ == "going" for c in auxes):
            return True
        planning = node.lemma_.lower() in plans or node.lower_ in plans  # "are going to meet": lemma "go"
        if link == "xcomp" and (planning or node.lemma_.lower() == "be"):
            return True
        if link == "nsubjpass" and planning:
            return True  # "the meeting is scheduled for July", "talks are expected in Geneva"
        if node.tag_ == "VBD" or any(c.tag_ == "VBD" or c.lemma_ == "have" for c in auxes):
            past = True
    if date_text and not past:
        words = set(date_text.lower().replace("'s", "").split())
        if words & word_set("guards", "future_date_words"):
            return True
    return not past and later is not None
