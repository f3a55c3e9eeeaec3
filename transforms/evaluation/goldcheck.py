"""Checks of a gold line against ../shared/spec/ANNOTATION.md: types, statuses, roles, ISO-3
codes, dates, and that each evidence is in the article text (whitespace-normalised).

``problems(line, text)`` lists what is wrong with one gold line; scripts/validate_gold.py
runs it over a file, tests/test_annotations.py over the repository's annotations.
"""
import re

import pycountry

from transforms.lexicon import load

ROLES = {
    "state_visit": {"guest", "host"},
    "meeting": {"participant", "attendee"},
    "agreement_signed": {"signatory"},
    "facility_opened": {"opener", "owner"},
}
STATUSES = {"occurred", "planned", "cancelled"}
ENTITY_TYPES = {"PERSON", "ORG", "GPE", "NORP"}
PRECISIONS = {"day": r"\d{4}-\d{2}-\d{2}", "month": r"\d{4}-\d{2}", "year": r"\d{4}"}
EXTRA_CODES = {"XKX"}  # Kosovo: user-assigned, used by the shared gold


def _country_ok(code) -> bool:
    """ISO 3166-1 alpha-3, or a historic state's ISO 3166-3 code (lexicons/historic_states.yaml)."""
    historic = load("historic_states")["states"]
    return code is None or code in EXTRA_CODES or code in historic or pycountry.countries.get(alpha_3=code) is not None


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def problems(gold: dict, text: str) -> list[str]:
    out = []
    for key in ("article_id", "events", "borderline"):
        if key not in gold:
            out.append(f"missing {key}")
    squashed = _squash(text)
    for n, event in enumerate(gold.get("events", []) + gold.get("borderline", [])):
        where = f"event {n} ({event.get('event_type')})"
        roles = ROLES.get(event.get("event_type"))
        if roles is None:
            out.append(f"{where}: unknown event_type")
            continue
        if event.get("status") not in STATUSES:
            out.append(f"{where}: status {event.get('status')!r}")
        for p in event.get("participants", []):
            if p.get("role") not in roles:
                out.append(f"{where}: role {p.get('role')!r} for {p.get('name')!r}")
            if p.get("entity_type") not in ENTITY_TYPES:
                out.append(f"{where}: entity_type {p.get('entity_type')!r}")
            if not _country_ok(p.get("country")):
                out.append(f"{where}: country {p.get('country')!r}")
            if not p.get("name"):
                out.append(f"{where}: participant without a name")
        loc = event.get("location")
        if loc is not None and (not loc.get("name") or not _country_ok(loc.get("country"))):
            out.append(f"{where}: location {loc!r}")
        precision, value = event.get("date_precision"), event.get("event_date")
        if precision == "unknown" or precision is None:
            if value is not None:
                out.append(f"{where}: event_date {value!r} with precision {precision!r}")
        elif precision not in PRECISIONS or not isinstance(value, str) or not re.fullmatch(PRECISIONS[precision], value):
            out.append(f"{where}: event_date {value!r} does not fit precision {precision!r}")
        evidence = event.get("evidence") or ""
        if not evidence or _squash(evidence) not in squashed:
            out.append(f"{where}: evidence not found in the text: {evidence[:60]!r}")
    return out


