"""Turning raw input records into normalised article dicts (no Beam, no NLP).

An article dict is the unit every later stage works on:

    article_id    str, from the input or a sha1 of url/text
    text          str, the article body as given (every character span points into it)
    body_start    int, where the NLP text starts (after a wire dateline)
    title, published_at (ISO 8601 or None), url, source, language, dateline,
    source_file, story_code

Parsers raise ``ArticleError`` with a readable message; the Beam layer turns that into a
dead-letter row.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime

from transforms.resolution.dates import MONTH_NAMES

# "TOKYO, April 27 - ", "SAN JOSE, Calif., June 1 - ", "Toronto, March 17 - ",
# "GYŐR, May 8 (Reuters) - ": place, optional region parts, month and day, an optional
# agency in brackets, then a dash.  Anchored at the start of the body only.
_LETTER = r"[^\W\d_]"  # any script's letter: "GYŐR", "SÃO PAULO"
_PLACE_PART = _LETTER + r"[\w.'\- ]{1,40}?"
_PLACE = r"^\s*(?P<place>" + _PLACE_PART + r"(?:,\s*" + _PLACE_PART + r"){0,2})"
_AGENCY = r"\((?P<agency>[^()\n]{1,40})\)"
_DASH = r"\s*(?:-|--|\u2013|\u2014)\s*"
DATELINE_RE = re.compile(
    _PLACE + r",\s+(?P<date>(?:" + MONTH_NAMES + r")\.?\s+\d{1,2})(?:\s*" + _AGENCY + r")?" + _DASH
)
# "WASHINGTON (Reuters) - ", "PAHOA, Hawaii (Reuters) - ", "KYIV (AP) — ": a modern wire dateline,
# an agency in brackets and no date; the place's first part in capitals (split_dateline checks)
AGENCY_DATELINE_RE = re.compile(_PLACE + r"\s*" + _AGENCY + _DASH)
# "Tuesday 31 May 2022 - 09:13" (weekday optional, time optional)
PUBLICATION_LINE_RE = re.compile(
    r"^(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?(?P<day>\d{1,2})\s+(?P<month>[A-Za-z]+)\s+"
    r"(?P<year>\d{4})(?:\s*-\s*(?P<time>\d{1,2}:\d{2}))?\s*$"
)
STORY_CODE_RE = re.compile(r"^Story Code\s*:\s*(?P<code>\S+)\s*$", re.IGNORECASE)
# Reuters-21578 style "11-MAR-1987 03:10:16.08"
REUTERS_DATE_RE = re.compile(r"^\d{1,2}-[A-Z]{3}-\d{4}\s+\d{2}:\d{2}:\d{2}(?:\.\d+)?$")

OPTIONAL_FIELDS = ("title", "url", "source", "language")
HINT_MIN_CHARS = 200  # a string field this long is likely the article body: name it in the hint
MAX_ID_CHARS = 1024  # an article id is a key (a URL at most), not content: a longer one is a dead letter


class ArticleError(ValueError):
    """A record that cannot become an article; the message says why."""


def article_id_for(url: str | None, text: str) -> str:
    """Deterministic id for inputs without one: sha1 of the url, else of the text."""
    basis = url if url else text
    return "sha1-" + hashlib.sha1(basis.encode("utf-8")).hexdigest()[:20]


def normalise_timestamp(value) -> str | None:
    """ISO 8601 string for a publication time, or None; raises ArticleError if unreadable."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ArticleError(f"published_at must be a string, got {type(value).__name__}")
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        if REUTERS_DATE_RE.match(text):
            parsed = datetime.strptime(" ".join(text.split(".")[0].split()), "%d-%b-%Y %H:%M:%S")
        else:
            raise ArticleError(f"published_at is not ISO 8601: {text[:60]!r}") from None
    return parsed.isoformat()


def split_dateline(text: str) -> tuple[str | None, int]:
    """Return (dateline, body_start) for a wire dateline at the start of ``text``: "PLACE, DATE"
    ("TOKYO, April 27 - "), or the place alone when the agency stands for the date
    ("WASHINGTON (Reuters) - "; not "Sen. Jane Doe (R-Ariz.) - ", whose first part is no
    capitalised place)."""
    match = DATELINE_RE.match(text)
    if match:
        return f"{match.group('place')}, {match.group('date')}", match.end()
    match = AGENCY_DATELINE_RE.match(text)
    if match and match.group("place").split(",")[0].strip().isupper():
        return match.group("place").strip(), match.end()
    return None, 0


def _article_id(fields: dict, text: str) -> str:
    """The given ``id`` (or ``article_id``): a string, or an integer as its decimal digits, at
    most MAX_ID_CHARS long; else a sha1 of url/text when none is given."""
    given = fields.get("id", fields.get("article_id"))
    if given in (None, ""):
        return article_id_for(fields.get("url"), text)
    if isinstance(given, bool) or not isinstance(given, (str, int)):
        raise ArticleError(f"id must be a string or an integer, got {type(given).__name__}")
    given = str(given)
    if len(given) > MAX_ID_CHARS:
        raise ArticleError(f"id is {len(given):,} characters long, more than {MAX_ID_CHARS}")
    return given


@dataclass(frozen=True)
class JsonFields:
    """The JSONL keys that hold an article's text, id, title and publication date
    (--text-field, --id-field, --title-field, --date-field): corpora name them otherwise,
    e.g. the raw Reuters-21578 file has body, newid and date."""

    text: str = "text"
    id: str = "id"
    title: str = "title"
    date: str = "published_at"

    def standard(self, record: dict) -> dict:
        """``record`` with the mapped keys under the names ``make_article`` reads; a record's
        own key of a mapped name (its ``text`` when --text-field body) is not read."""
        mapping = {"text": self.text, "id": self.id, "title": self.title, "published_at": self.date}
        moved = {name: key for name, key in mapping.items() if name != key}
        if not moved:
            return record
        dropped = set(moved) | ({"article_id"} if "id" in moved else set())
        standard = {key: value for key, value in record.items() if key not in dropped}
        standard.update({name: record.get(key) for name, key in moved.items()})
        return standard

    def missing_text(self, record: dict) -> str:
        """Why ``record`` has no text, with its field names and, when one of them holds a
        long string, the --text-field that reads it (named first)."""
        strings = {key: len(value) for key, value in record.items() if isinstance(value, str)}
        best = max(strings, key=strings.get, default=None)
        if best is None or best == self.text or strings[best] < HINT_MIN_CHARS:
            best = None
        keys = sorted(record, key=lambda key: key != best)  # stable: the record's order after ``best``
        listing = ", ".join(keys[:8]) + (", ..." if len(keys) > 8 else "") or "none"
        message = f"missing required field '{self.text}' (a string); the record's fields are {listing}"
        return message + (f": try --text-field {best}" if best else "")


DEFAULT_FIELDS = JsonFields()


def make_article(fields: dict, source_file: str | None = None) -> dict:
    """Validate and complete one article from already-parsed fields."""
    text = fields.get("text")
    if not isinstance(text, str):
        raise ArticleError("missing required field 'text' (a string)")
    if not text.strip():
        raise ArticleError("field 'text' is empty")
    article = {
        "article_id": _article_id(fields, text),
        "text": text,
        "published_at": normalise_timestamp(fields.get("published_at")),
        "source_file": source_file,
        "story_code": fields.get("story_code"),
    }
    for name in OPTIONAL_FIELDS:
        value = fields.get(name)
        article[name] = None if value is None else str(value)
    dateline, body_start = split_dateline(text)
    article["dateline"] = fields.get("dateline") or dateline
    article["body_start"] = body_start
    return article


def parse_json_line(line: str | bytes, source_file: str | None = None, fields: JsonFields = DEFAULT_FIELDS) -> dict:
    """One JSONL line -> article dict, its keys named by ``fields``."""
    if isinstance(line, bytes):
        line = line.decode("utf-8")
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ArticleError(f"invalid JSON: {exc.msg} at column {exc.colno}") from None
    if not isinstance(record, dict):
        raise ArticleError(f"a JSON line must hold an object, got {type(record).__name__}")
    if not isinstance(record.get(fields.text), str):
        raise ArticleError(fields.missing_text(record))
    return make_article(fields.standard(record), source_file)


def parse_story_text(content: str, source_file: str | None = None) -> dict:
    """A plain-text story with an optional header (publication line, headline, Story Code).

    The header becomes fields; ``text`` is only the body, so the headline is never parsed
    as a sentence.  A file without a recognised header is all body.
    """
    lines = content.replace("\r\n", "\n").split("\n")
    fields: dict = {}
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index < len(lines):
        pub = PUBLICATION_LINE_RE.match(lines[index].strip())
        if pub:
            time = pub.group("time") or "00:00"
            try:
                stamp = datetime.strptime(
                    f"{pub.group('day')} {pub.group('month')} {pub.group('year')} {time}", "%d %B %Y %H:%M"
                )
            except ValueError:
                raise ArticleError(f"unreadable publication line: {lines[index].strip()!r}") from None
            fields["published_at"] = stamp.isoformat()
            index += 1
            header_end = None
            # headline, "Story Code : N" and a repeated headline; at most a few lines
            for probe in range(index, min(index + 8, len(lines))):
                code = STORY_CODE_RE.match(lines[probe].strip())
                if code:
                    fields["story_code"] = code.group("code")
                    header_end = probe + 1
                    break
            heading = [ln.strip() for ln in lines[index:header_end or index + 3] if ln.strip()]
            heading = [ln for ln in heading if not STORY_CODE_RE.match(ln)]
            if heading:
                fields["title"] = heading[0]
            if header_end is None:
                header_end = index
                while header_end < len(lines) and lines[header_end].strip():
                    header_end += 1
            elif header_end < len(lines) and lines[header_end].strip() == fields.get("title"):
                header_end += 1
            index = header_end
    body = "\n".join(lines[index:]).strip("\n")
    fields["text"] = body
    if source_file:
        # the file name is the readable, stable id of a story file
        fields.setdefault("id", re.sub(r"\.txt$", "", source_file.rsplit("/", 1)[-1]))
    return make_article(fields, source_file)


def nlp_text(article: dict) -> str:
    """The part of the article that goes to spaCy (the body after any dateline)."""
    return article["text"][article["body_start"]:]


def hard_wrapped(text: str) -> bool:
    """Most lines (all but the last) are 30-80 characters long: fixed-width wire copy."""
    lines = [line.strip() for line in text.split("\n")][:-1]
    lines = [line for line in lines if line]
    if not lines:
        return False
    wrapped = sum(1 for line in lines if 30 <= len(line) <= 80)
    return wrapped >= 0.7 * len(lines)


_SOFT_WRAP = re.compile(r"(?<=\S)\n(?=\S)")


def unwrap(text: str) -> str:
    """``text`` with the line breaks inside paragraphs of fixed-width wire copy ("Penn\nTraffic")
    turned into spaces; same length, so every offset still points into the article.

    spaCy's models read a mid-sentence line break as a token of its own and split names
    and phrases on it; without them they parse the prose they were trained on (dev
    detection F1 +1.0, docs/QUALITY.md) and ~8 % fewer tokens. Paragraph breaks (a blank
    line, an indented line) stay, and text that is not hard-wrapped is returned as is:
    there a line break may end a sentence or a caption.
    """
    return unwrap_like(text, text)


def unwrap_like(text: str, original: str) -> str:
    """``unwrap`` of ``text`` (a masked copy of ``original``) when ``original`` is hard-wrapped:
    a masked text's blank lines say nothing about its line lengths."""
    return _SOFT_WRAP.sub(" ", text) if hard_wrapped(original) else text

