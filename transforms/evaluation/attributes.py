"""Judging the attributes of one matched (prediction, gold) pair (pure Python, no Beam).

Attributes, over matched pairs
  Participants: names are normalised (case, punctuation, a leading "the", leading
  honorifics such as "President", "Ayatollah", "Mr"); gold ``aliases`` and predicted
  ``aliases`` all count; equal token lists score 1, one token set containing the other
  ("Khamenei" / "Ali Khamenei") scores 0.5, except that the head of an "X of Y" name must
  be kept ("Iran" is not "the president of Iran").  Pairs are assigned greedily, best
  score first.  Participant P/R/F1 counts name matches; "with role" also requires equal roles.
  Participant country: over matched participants with a gold country; right when the
  predicted country is the gold one or in ``country_acceptable``.
  Location: over pairs whose gold has a location; the name matches like participant
  names; the country like participant countries.
  Date: a gold ``event_date`` is matched when the predicted date, at a precision in
  ``date_acceptable_precision`` (default: the gold precision), agrees with the gold date
  down to the coarser of the two precisions, or when the predicted date's whole interval
  lies inside ``date_range``; a null prediction is right only if "unknown" is
  acceptable.  A null gold date with precision "unknown" is scored only in hand gold,
  where the annotator judged the text gives no date: there only a null prediction is
  right.  Public gold leaves relative dates unresolved, so its null dates are not scored.
  Status: over pairs whose gold status is set, equality.

Full record
  A TP is full when every gold participant is found by name (extra predicted
  participants are tolerated), the location name matches (if gold has one) and the date
  is right (where it is scored); status is reported apart.
"""
from __future__ import annotations

import re

from transforms.resolution.dates import date_span

PRECISION_CHARS = {"year": 4, "month": 7, "day": 10}
PRECISION_BY_LENGTH = {length: name for name, length in PRECISION_CHARS.items()}
HONORIFICS = frozenset(
    "mr mrs ms dr sir madam president premier prime vice crown king queen prince princess emir "
    "sheikh ayatollah general gen minister chancellor senator sen secretary pope lord".split()
)
ATTRIBUTES = ("participant_country", "location_name", "location_country", "date", "status")


def name_tokens(name: str | None) -> tuple[str, ...]:
    """Comparable tokens of a name: lower case, no punctuation, no leading 'the'/honorifics."""
    tokens = re.sub(r"[^\w\s]", " ", re.sub(r"['\u2019]s\b", "", (name or "").lower())).split()
    while tokens and tokens[0] == "the":
        tokens = tokens[1:]
    # "President Rahmon" -> "rahmon", but "president of Iran" keeps its head word
    while len(tokens) > 1 and tokens[0] in HONORIFICS and tokens[1] != "of":
        tokens = tokens[1:]
    return tuple(tokens)


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    """Token containment that keeps the head of an "X of Y" name.

    "Khamenei" is in "Ali Khamenei" and "Chief of Staff" in "Chief of Staff of the Army",
    but "Iran" is not "president of Iran".
    """
    head = longer[: longer.index("of")] if "of" in longer else ()
    return set(shorter) <= set(longer) and set(head) <= set(shorter)


def name_score(predicted_names: list[str], gold_names: list[str]) -> float:
    """1 for equal normalised names, 0.5 when one contains the other, else 0."""
    best = 0.0
    for predicted in map(name_tokens, predicted_names):
        for gold in map(name_tokens, gold_names):
            if not predicted or not gold:
                continue
            if predicted == gold:
                return 1.0
            if _contains(gold, predicted) or _contains(predicted, gold):
                best = 0.5
    return best


def _names(entity: dict | None) -> list[str]:
    """Every name an entity goes by: its name and its aliases (gold or predicted)."""
    if not entity:
        return []
    return [entity.get("name") or ""] + list(entity.get("aliases") or [])


def match_participants(predicted: list[dict], gold: list[dict]) -> list[tuple[dict, dict]]:
    """One-to-one (predicted, gold) participant pairs with matching names, best first."""
    candidates = sorted(
        (
            (name_score(_names(p), _names(g)), -i, -j, i, j)
            for i, p in enumerate(predicted)
            for j, g in enumerate(gold)
        ),
        reverse=True,
    )
    used_p, used_g, pairs = set(), set(), []
    for score, _, _, i, j in candidates:
        if score > 0 and i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            pairs.append((predicted[i], gold[j]))
    return pairs


def country_ok(predicted: str | None, gold: dict) -> bool:
    """The predicted country is the gold one or an acceptable alternative."""
    return predicted is not None and predicted in ({gold.get("country")} | set(gold.get("country_acceptable") or []))


def _date_value(event: dict) -> str | None:
    """The predicted date as an ISO string cut to its precision (Parquet may hold a date)."""
    value = event.get("event_date")
    if value is None:
        return None
    value = value if isinstance(value, str) else value.isoformat()
    return value[: PRECISION_CHARS.get(event.get("date_precision"), len(value))]


def date_ok(gold: dict, predicted: dict, null_dates_scored: bool) -> bool | None:
    """Whether the predicted date is right; None where the gold date is not scored."""
    gold_date, precision = gold.get("event_date"), gold.get("date_precision") or "unknown"
    value = _date_value(predicted)
    if gold_date is None:
        return (value is None) if null_dates_scored and precision == "unknown" else None
    acceptable = gold.get("date_acceptable_precision") or [precision]
    if value is None:
        return "unknown" in acceptable
    date_range = gold.get("date_range")
    if date_range and _within(value, date_range):
        return True
    common = min(len(value), len(gold_date))
    return PRECISION_BY_LENGTH.get(len(value)) in acceptable and value[:common] == gold_date[:common]


def _within(value: str, date_range: list[str]) -> bool:
    """Every day of a reduced-precision ISO date ('2030-05') lies in [first, last] (ISO days)."""
    first, last = (day.isoformat() for day in date_span(value))
    return date_range[0] <= first and last <= date_range[1]


def pair_report(gold: dict, predicted: dict, null_dates_scored: bool) -> dict:
    """Participant counts, attribute checks and the full-record verdict of one matched pair."""
    gold_people, predicted_people = gold.get("participants") or [], predicted.get("participants") or []
    pairs = match_participants(predicted_people, gold_people)
    location, predicted_location = gold.get("location"), predicted.get("location") or {}
    with_country = [(p, g) for p, g in pairs if g.get("country")]
    checks = {
        "participant_country": [country_ok(p.get("country"), g) for p, g in with_country],
        "location_name": [name_score(_names(predicted_location), _names(location)) > 0] if location else [],
        "location_country": (
            [country_ok(predicted_location.get("country"), location)] if location and location.get("country") else []
        ),
        "date": [ok] if (ok := date_ok(gold, predicted, null_dates_scored)) is not None else [],
        "status": [predicted.get("status") == gold["status"]] if gold.get("status") else [],
    }
    found = {id(g) for _, g in pairs}
    missing = [g["name"] for g in gold_people if id(g) not in found]
    extra = [p.get("name") for p in predicted_people if all(p is not q for q, _ in pairs)]
    full = not missing and all(checks["location_name"]) and all(checks["date"])
    problems = []
    if missing:
        problems.append(f"participants missing: {', '.join(missing)}")
    if extra:
        problems.append(f"participants extra: {', '.join(map(str, extra))}")
    for name, results in checks.items():
        if not all(results):
            problems.append(f"{name}: {_describe(name, gold, predicted, with_country)}")
    return {
        "participants": (len(pairs), len(predicted_people) - len(pairs), len(gold_people) - len(pairs)),
        "with_role": sum(p.get("role") == g.get("role") for p, g in pairs),
        "checks": checks,
        "full": full,
        "problems": problems,
    }


def _describe(check: str, gold: dict, predicted: dict, with_country: list[tuple[dict, dict]]) -> str:
    """'predicted X, gold Y' for one failed attribute check (for the error listing)."""
    if check == "date":
        return f"predicted {_date_value(predicted)}, gold {gold.get('event_date')} ({gold.get('date_precision')})"
    if check == "status":
        return f"predicted {predicted.get('status')}, gold {gold.get('status')}"
    if check.startswith("location"):
        return f"predicted {predicted.get('location')}, gold {gold.get('location')}"
    return "; ".join(
        f"{p.get('name')}: predicted {p.get('country')}, gold {g['country']}"
        for p, g in with_country
        if not country_ok(p.get("country"), g)
    )
