"""Identity of one real-world event across articles: ``event_id`` (pure Python).

The rule, stateless so that batch and streaming, and any two runs, agree:

    event_id = hash(event_type, actors, week)

- ``actors``: the countries involved (participants' countries plus the location's country)
  when any is known: "A's leader visited B", "A and B held talks in B" and "the leaders
  of A and B met" all give {A, B}. Events without any country (company news) use the
  principal participants' organisation names without legal forms plus the location name.
- ``week``: the ISO week of the event day when the date is known to the day, else of the
  publication day (news reports an event within days).

Failure modes (measured in docs/QUALITY.md): two events of one type between the same
countries in one week share an id (two meetings of A and B on Monday and Friday); reports
straddling a week boundary with different day readings split; a report that misses every
country of the event (or names an extra one) splits; an announcement of a planned event
published weeks before gets the week of publication unless it gives the day.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

LEXICON = Path(__file__).resolve().parent / "lexicons" / "identity.yaml"
_NON_WORD = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=1)
def _lexicon() -> dict:
    return yaml.safe_load(LEXICON.read_text(encoding="utf-8"))


def digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:24]


def normalise_name(name: str) -> str:
    """Lower-case ASCII words joined by single spaces: 'Emomali  Rahmon,' -> 'emomali rahmon'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return _NON_WORD.sub(" ", ascii_name.lower()).strip()


def organisation_key(name: str) -> str:
    """'Nordvik Motors AB' and 'the Nordvik Motors group' -> 'nordvik motors'."""
    suffixes = set(_lexicon()["organisation_suffixes"])
    return " ".join(w for w in normalise_name(name).split() if w not in suffixes)


def actors(event: dict) -> list[str]:
    """The countries of the event, else its principal organisations and place."""
    location = event.get("location") or {}
    countries = {p["country"] for p in event["participants"] if p.get("country")}
    if location.get("country"):
        countries.add(location["country"])
    if countries:
        return sorted(countries)
    principal = set(_lexicon()["principal_roles"])
    names = {organisation_key(p["name"]) for p in event["participants"] if p.get("role") in principal}
    return sorted(names - {""}) + [normalise_name(location.get("name") or "")]


def week(event: dict, published_at: str | None) -> str:
    """ISO week ("2025-W11") of the event day, else of the publication day, else 'undated'."""
    day = event.get("event_date") if event.get("date_precision") == "day" else None
    day = day or (published_at or "")[:10]
    try:
        year, number, _weekday = date.fromisoformat(day).isocalendar()
    except ValueError:
        return "undated"
    return f"{year}-W{number:02d}"


def event_id(event: dict, published_at: str | None) -> str:
    return "e-" + digest(event["event_type"], "|".join(actors(event)), week(event, published_at))
