"""The facts of an article that extraction and resolution both read, derived once per article:
the day it speaks from, its dateline's place and country, its language and where its body starts.
The article dict keeps the dateline as ingest wrote it ("HELENA, Mont., June 29").
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from transforms.resolution.countries import government_outlet, outlet_country
from transforms.resolution.dates import MONTH_RE, published_date, resolve_date
from transforms.resolution.geo import geocode
from transforms.shapes import DATELINE, make_location


@dataclass(frozen=True)
class ArticleFacts:
    published: dt.date | None  # the day "today" means: the publication day or its dateline's (None: unknown)
    dateline: str | None  # "PLACE, DATE" as ingest wrote it
    dateline_country: str | None  # alpha-3 of the dateline's place, present-day (None: unknown)
    dateline_location: dict | None  # the dateline's city as an event location, its span in the text
    language: str | None
    body_start: int  # where the NLP text starts in article["text"]
    outlet_country: str | None = None  # alpha-3 of the publishing outlet's home (countries.outlet_country)
    government_outlet: bool = False  # published on a government's own site (countries.government_outlet)

    @property
    def voice_country(self) -> str | None:
        """The country a government's own site speaks for ("our country": president.gov.ua is
        Ukraine), or None for any other outlet."""
        return self.outlet_country if self.government_outlet else None


def article_facts(article: dict) -> ArticleFacts:
    """The facts of one normalised article dict (an empty dict has none)."""
    dateline = article.get("dateline") or None
    place = geocode(dateline_place(dateline))
    body_start = article.get("body_start") or 0
    return ArticleFacts(published=_reference_day(article.get("published_at"), dateline), dateline=dateline,
                        dateline_country=place["country"] if place else None,
                        dateline_location=_dateline_location(dateline, article.get("text") or "", body_start),
                        language=article.get("language"), body_start=body_start,
                        outlet_country=outlet_country(article.get("url"), article.get("source")),
                        government_outlet=government_outlet(article.get("url")))


def _published(published_at) -> dt.date | None:
    try:
        return published_date(published_at)
    except Exception:  # an unreadable publication time only loses the rules that need a date
        return None


DATELINE_SLACK_DAYS = 2  # wire copy is stamped in GMT: "TOKYO, April 24" may be published on April 23


def _reference_day(published_at, dateline: str | None) -> dt.date | None:
    """The dateline's day when it names one near publication ("TOKYO, April 24" on a story
    stamped 1987-04-23T19:48 GMT: written on the 24th, local time), else the publication day."""
    published = _published(published_at)
    if published is None or not dateline or not isinstance(dateline, str):
        return published
    stated = dateline.split(",")[-1].strip()
    if not re.search(rf"^{MONTH_RE}\.?\s+\d{{1,2}}$", stated, re.IGNORECASE):
        return published
    value, precision = resolve_date(stated, published.isoformat())
    if precision != "day":
        return published
    day = dt.date.fromisoformat(value)
    return day if abs((day - published).days) <= DATELINE_SLACK_DAYS else published


def dateline_place(dateline: str | None) -> str | None:
    """The place of a dateline, as geocoded: "HELENA, Mont., June 29" -> "HELENA, Mont."."""
    if not dateline or not isinstance(dateline, str):
        return None
    parts = [p.strip() for p in dateline.split(",")]
    while parts and re.search(rf"\d|^{MONTH_RE}\b", parts[-1], re.IGNORECASE):
        parts.pop()
    return ", ".join(parts) or None


def _dateline_location(dateline: str | None, text: str, body_start: int) -> dict | None:
    """The dateline's city as a location ("RABAT, Oct 19" -> Rabat), with its span in ``text``
    when it is written there before the body."""
    if not dateline or not isinstance(dateline, str):
        return None
    place = dateline.split(",")[0].strip()
    start = text.find(place)
    name = place.title() if place.isupper() else place
    if start < 0 or start >= max(body_start, 1):
        return make_location(name, provenance=DATELINE)
    return make_location(name, start, start + len(place), DATELINE)
