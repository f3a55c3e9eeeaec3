"""The cheap candidate filter before spaCy: only sentences that can report an event are parsed.

Most news sentences report none of the four event types, and spaCy's tagger, parser and
NER cost ~40x its tokenizer. This module (pure Python: regular expressions and word
sets, no spaCy, no Beam) finds the sentences of a text that hold a trigger word form
(every verb and noun of transforms/lexicons/triggers.yaml, inflected) and the context
extraction reads around them, and blanks every other sentence:

    masked = select(text).text      # same length as ``text``; dropped characters -> " "

Newlines are kept and every kept character stays at its offset, so Doc character offsets
of the masked text are offsets of the original text and extraction needs no change; a run
of spaces is a single whitespace token, so spaCy sees a short document.

Context kept with the candidate sentences (chosen by measuring dev detection F1, see
docs/PERFORMANCE.md):
- the first ``LEAD_SENTENCES`` sentences (the lead: the story's main organisation and
  the unnamed official of the lede, read by extraction/people.py);
- the sentence before a candidate that holds a personal or possessive pronoun ("he", "its":
  lexicons/candidates.yaml), where the pronoun's person or organisation was named;
- the first sentence that names each capitalised name of a candidate sentence (where a
  person or organisation is introduced with title, nationality and full name);
- when the text has at least ``SPORTS_MIN_WORDS`` sports words, every sentence with one
  (extraction's sports guard counts them over the whole document).

A text without any trigger word form has no candidate: the caller skips the model.

Work per article is bounded: after ``MAX_CANDIDATE_SENTENCES`` candidate sentences, or
``MAX_ANALYSED_CHARS`` characters of kept sentences, the rest of the text is blanked too
(``Selection.cut``), so a huge article of event sentences costs what a long article does
(the caller flags the article).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from transforms.lexicon import load, word_set
from transforms.words import find_word

LEAD_SENTENCES = 2
MOTION_WINDOW = 5  # "left on Sunday for Moscow": the preposition within this many words
GUEST_WINDOW = 5  # "received the visiting Soviet delegation": the guest within this many words
SPORTS_MIN_WORDS = 3  # also the extraction's bound (transforms/extraction imports it)
# candidate sentences analysed per article (annotated articles have at most 36); extraction
# and merging cost grows faster than linearly in them (mentions compared with each other)
MAX_CANDIDATE_SENTENCES = 100
# characters of kept sentences analysed per article (annotated articles keep at most ~7,500);
# the reading of each mention scans its sentence and the document's entities
MAX_ANALYSED_CHARS = 12_000

_WORD = re.compile(r"[A-Za-z]+")
_NAME = re.compile(r"\b[A-Z][A-Za-z]*[A-Za-z]")  # "Mikulic", "BUE", "OPEC"
# a sentence ends at . ! ? (and closing quotes/brackets) before whitespace and a capital,
# digit or opening quote; a blank line or an indented line starts a paragraph
_END = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*(?:[ \t]+\n?|\n)[ \t]*(?=[\"'\u201c\u2018(\[]?[A-Z0-9])")
_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*|\n[ \t]+(?=\S)")
_ABBREVIATION = re.compile(
    r"(?:\b[A-Za-z]|\b(?:Mr|Mrs|Ms|Dr|St|Sr|Jr|Messrs|Gen|Lt|Col|Capt|Sgt|Gov|Sen|Rep|Rev|Prof|Pres|Co|"
    r"Corp|Inc|Ltd|Bros|No|Nos|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Calif|Fla|Mass|"
    r"Penn|Conn|Ill|Mich|Wash|Tex|Ariz|Colo|Mt|Ft|vs|etc|approx|Dept|Univ|Assn)|[A-Za-z]\.[A-Za-z])\.$"
)


def _regular_forms(word: str) -> set[str]:
    """Generous regular inflections of ``word`` (a form that is no English word never matches)."""
    forms = _plural_forms(word) | {word + "ed", word + "d", word + "ing"}
    if word.endswith("e"):
        forms |= {word[:-1] + "ing", word[:-1] + "ed"}
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        forms.add(word[:-1] + "ied")
    if len(word) > 2 and word[-1] not in "aeiouwxy" and word[-2] in "aeiou" and word[-3] not in "aeiou":
        forms |= {word + word[-1] + "ed", word + word[-1] + "ing"}  # "conferred", "shipping"
    return forms


def _plural_forms(word: str) -> set[str]:
    """A noun's forms: "summit", "summits", "ratifications"."""
    forms = {word, word + "s", word + "es"}
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        forms.add(word[:-1] + "ies")
    return forms


class Need(NamedTuple):
    """What else a trigger form's sentence must hold: one word of ``anywhere`` in it (an
    agreement noun for signing words, a facility noun for opening words: extraction requires
    one as object), or one word of ``after`` later in it before a capitalised word or "the"
    (a destination preposition for motion verbs: "left for", "arrived in"), or, within
    GUEST_WINDOW words after the trigger, a capitalised word or one word of ``guests`` (host
    verbs: extraction requires a person, an official or a delegation as object)."""

    anywhere: frozenset = frozenset()
    after: frozenset = frozenset()
    guests: frozenset = frozenset()

    def merged(self, other: "Need") -> "Need":
        """A form in two classes needs what either class needs."""
        return Need(*(mine | theirs for mine, theirs in zip(self, other)))


@lru_cache(maxsize=1)
def trigger_rules() -> dict:
    """Lower-case word form -> its ``Need``, or None when it needs nothing (meeting and visit
    words). A form in several classes takes the loosest rule. Verbs come with their regular
    and irregular inflections; nouns with their plurals only ("stayed" is no visit).
    """
    irregular = load("candidates")["irregular"]
    lexicon = load("triggers")

    def verb_forms(word) -> set[str]:
        word = str(word).lower()
        return _regular_forms(word) | {str(form).lower() for form in irregular.get(word, ())}

    def noun_forms(word) -> set[str]:
        return _plural_forms(str(word).lower())

    def objects(words) -> frozenset:
        """Forms of each word of the object nouns ("letter of intent": letter, intent)."""
        return frozenset(form for word in words for part in str(word).lower().split() if part != "of"
                         for form in _plural_forms(part))

    rules: dict[str, Need | None] = {}

    def add(words, forms, need: Need | None) -> None:
        for word in words or ():
            for form in forms(word):
                if form not in rules:
                    rules[form] = need
                elif rules[form] is not None:
                    rules[form] = None if need is None else rules[form].merged(need)

    visit, meeting = lexicon["state_visit"], lexicon["meeting"]
    add(visit.get("verbs"), verb_forms, None)
    add(visit.get("nouns"), noun_forms, None)
    guests = frozenset(form for word in word_set("titles", "person_titles") | {"delegation"}
                       for form in _plural_forms(word))
    add(visit.get("host_verbs"), verb_forms, Need(guests=guests))
    for verb, preps in (visit.get("motion_verbs") or {}).items():
        add([verb], verb_forms, Need(after=frozenset(str(p).lower() for p in preps)))
    add(visit.get("greeting_verbs"), verb_forms, Need(anywhere=frozenset({"here"})))  # "thank you for coming here"
    add(meeting.get("verbs"), verb_forms, None)
    add(meeting.get("partner_verbs"), verb_forms, Need(anywhere=frozenset({"with"})))  # "huddled with"
    for key in ("nouns", "support_only_nouns"):
        add(meeting.get(key), noun_forms, None)
    signing, opening = lexicon["agreement_signed"], lexicon["facility_opened"]
    agreement = Need(anywhere=objects(signing.get("objects") or ()))
    # "QPR have signed Rossi", "the loans were signed in 1985": a signing verb is proposed even
    # without an agreement noun (triggers.loose_candidates) and the decision model judges it;
    # a form that is also a plural noun ("signs of recovery", "seals") still needs the noun
    for verb in signing.get("verbs") or ():
        for form in verb_forms(verb):
            add([form], lambda word: {word}, agreement if form.endswith("s") else None)
    add(signing.get("nouns"), noun_forms, agreement)
    need = Need(anywhere=objects(opening.get("objects") or ()))  # "opened fire", "markets opened": no facility
    add(opening.get("verbs"), verb_forms, need)
    add(opening.get("nouns"), noun_forms, need)
    return rules


@lru_cache(maxsize=1)
def noun_guards() -> dict[str, frozenset]:
    """Noun trigger form -> modifiers that make it no event right before it ("news
    conference", "shareholders meeting", "family visit": the guards of extraction/triggers.py)."""
    lexicon = load("triggers")
    meeting = frozenset(word_set("guards", "non_meeting_modifiers") | word_set("guards", "non_meeting_event_modifiers"))
    visit = frozenset(word_set("guards", "non_official_visit_modifiers"))
    guards: dict[str, frozenset] = {}
    for modifiers, words in ((meeting, lexicon["meeting"].get("nouns")), (visit, lexicon["state_visit"].get("nouns"))):
        for word in words or ():
            for form in _plural_forms(str(word).lower()):
                guards[form] = guards.get(form, frozenset()) | modifiers
    return guards


def trigger_forms() -> frozenset:
    """Every lower-case trigger word form the filter looks for."""
    return frozenset(trigger_rules())


def is_candidate(words: list[str], sentence: str | None = None) -> bool:
    """Do the ``words`` of one sentence hold a trigger form with what it needs?

    A form with a requirement (signing, opening and motion verbs) counts in lower case
    only, or first in the sentence: a capitalised "Commission" or "Open" inside a sentence
    is a name, never the verb extraction looks for.
    """
    rules, guards = trigger_rules(), noun_guards()
    lower = [word.lower() for word in words]
    for index, word in enumerate(lower):
        if word not in rules:
            continue
        if index and lower[index - 1] in guards.get(word, ()) and _adjacent(lower[index - 1], word, sentence):
            continue  # "a news conference": extraction's modifier guard
        need = rules[word]
        if need is None:
            return True
        if index and not words[index].islower():
            continue
        if any(other in need.anywhere for other in lower):
            return True
        for at in range(index + 1, min(len(words) - 1, index + 1 + MOTION_WINDOW)):
            # "left for Moscow", "went to the United States"; not "going to raise"
            if lower[at] in need.after and (words[at + 1][:1].isupper() or lower[at + 1] == "the"):
                return True
        if need.guests and any(later[:1].isupper() or later.lower() in need.guests
                               for later in words[index + 1:index + 1 + GUEST_WINDOW]):
            return True  # "received Soviet Foreign Minister", "welcomed a trade delegation"
    return False


def _adjacent(modifier: str, noun: str, sentence: str | None) -> bool:
    """Are the two words written next to each other in ``sentence`` (when given)? A
    possessive is no modifier: "shareholders' meeting" may be an event."""
    return sentence is None or find_word(" ".join(sentence.lower().split()), f"{modifier} {noun}") >= 0


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of rough sentences covering ``text`` end to end.

    Errs towards long sentences: an abbreviation ("Mr.", "U.S.", "Jan.") never ends one.
    """
    cuts = set()
    for match in _END.finditer(text):
        head = text[max(0, match.start() - 12):match.start() + 1]
        if _ABBREVIATION.search(head):
            continue
        cuts.add(match.end())
    cuts.update(match.end() for match in _PARAGRAPH.finditer(text))
    bounds = [0] + sorted(cut for cut in cuts if 0 < cut < len(text)) + [len(text)]
    return [(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]


@dataclass(frozen=True)
class Selection:
    """The masked text and what the filter kept."""

    text: str  # same length as the input; characters of dropped sentences are spaces
    sentences: int  # sentences found
    candidates: int  # sentences with a trigger word form, in the kept text
    kept: int  # sentences kept (candidates plus context)
    kept_chars: int
    cut: int | None = None  # offset from which the text is left out: over MAX_CANDIDATE_SENTENCES or MAX_ANALYSED_CHARS

    @property
    def has_candidates(self) -> bool:
        return self.candidates > 0


def select(text: str, max_candidates: int = MAX_CANDIDATE_SENTENCES, max_chars: int = MAX_ANALYSED_CHARS) -> Selection:
    """Keep candidate sentences and their context; blank the rest (offsets unchanged). The
    kept text stops before the (``max_candidates`` + 1)-th candidate sentence and before the
    kept sentence that would bring it over ``max_chars``: from there on all is blanked."""
    all_spans = split_sentences(text)
    words = [_WORD.findall(text[a:b]) for a, b in all_spans]
    candidates = [i for i, ws in enumerate(words) if is_candidate(ws, text[all_spans[i][0]:all_spans[i][1]])]
    if not candidates:
        return Selection(_blank(text, all_spans, set()), len(all_spans), 0, 0, 0)
    spans = all_spans[:candidates[max_candidates]] if len(candidates) > max_candidates else all_spans
    candidates = candidates[:max_candidates]
    keep = set(range(min(LEAD_SENTENCES, len(spans))))
    pronouns = word_set("candidates", "pronouns")  # cached by transforms.lexicon
    keep.update(candidates)
    keep.update(i - 1 for i in candidates if i and any(w.lower() in pronouns for w in words[i]))
    keep.update(_introductions(text, spans, candidates))
    sports = word_set("guards", "sports_words")
    if sum(1 for ws in words[:len(spans)] for w in ws if w.lower() in sports) >= SPORTS_MIN_WORDS:
        keep.update(i for i, ws in enumerate(words[:len(spans)]) if any(w.lower() in sports for w in ws))
    spans = spans[:_within(spans, keep, max_chars)]
    keep = {i for i in keep if i < len(spans)}
    cut = all_spans[len(spans)][0] if len(spans) < len(all_spans) else len(text)
    masked = _blank(text[:cut], spans, keep) + blank(text[cut:])
    kept_chars = sum(b - a for i, (a, b) in enumerate(spans) if i in keep)
    return Selection(masked, len(all_spans), sum(1 for i in candidates if i in keep), len(keep), kept_chars,
                     cut if cut < len(text) else None)


def _within(spans, keep: set[int], max_chars: int) -> int:
    """How many of ``spans`` come before the kept one that brings the kept text over ``max_chars``."""
    total = 0
    for i, (a, b) in enumerate(spans):
        total += b - a if i in keep else 0
        if total > max_chars:
            return i
    return len(spans)


def _introductions(text: str, spans, candidates) -> set[int]:
    """The first sentence naming each capitalised name of a candidate sentence."""
    lowercase = {w for w in _WORD.findall(text) if w.islower()}
    names = set()
    for i in candidates:
        a, b = spans[i]
        names.update(n for n in _NAME.findall(text[a:b]) if n.lower() not in lowercase)
    found = set()
    for name in names:
        at = find_word(text, name)
        if at >= 0:
            found.add(_index_of(spans, at))
    return found


def _index_of(spans, offset: int) -> int:
    lo, hi = 0, len(spans) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if spans[mid][0] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _blank(text: str, spans, keep: set[int]) -> str:
    """``text`` with every sentence not in ``keep`` turned into spaces (newlines kept)."""
    if len(keep) == len(spans):
        return text
    parts = []
    for i, (a, b) in enumerate(spans):
        chunk = text[a:b]
        parts.append(chunk if i in keep else blank(chunk))
    return "".join(parts)


def blank(text: str) -> str:
    """``text`` as spaces, its newlines kept."""
    return "\n".join(" " * len(line) for line in text.split("\n"))
