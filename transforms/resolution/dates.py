"""Date expressions -> ISO dates with a precision, relative to the publication time.

News writes "on Monday", "next week", "December", "February 9"; the event date
depends on when the article appeared and on whether the event already happened
(`status`). Rules below cover the news forms that dateparser resolves wrongly
or not at all (a weekday equal to the publication weekday, a bare month in the
current month, "later this month", "last September", "mid-March", "last weekend",
"last summer", "July last year", "March 30 to April 1", "last night", "this past
week"); dateparser remains the fallback for other explicit forms. "since 2014" is
when a period began, not a date of the event. A precision is never finer than
the text: a month stays "YYYY-MM".
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

import dateparser

UNKNOWN = (None, "unknown")
# An occurred event dated a few days after publication is a time-zone or
# dateline artefact, not a date a year earlier; likewise for planned events.
GRACE = dt.timedelta(days=7)

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a few": 3, "several": 3,
}

# the names of the months as news writes them, full or abbreviated (a dateline's "Sept. 4")
MONTH_NAMES = r"Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?"
MONTH_RE = rf"\b(?P<month>{MONTH_NAMES.lower()})(?![a-z])\.?"
DAY_RE = r"(?P<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?:\s*(?:-|–|to|and)\s*\d{1,2}(?:st|nd|rd|th)?)?"
YEAR_RE = r"(?P<year>(?:19|20)\d\d)"
# a clock time of wire copy, alone: "at 1900gmt", "1430 GMT", "at 0900 est", "at 2000 hrs"
CLOCK_TIME = re.compile(r"(?:(?:at|from|until|by|after|before) )?(?:[01]\d|2[0-3])[0-5]\d ?"
                        r"(?:gmt|utc|est|edt|cet|bst|hrs|hours|local(?: time)?)")
# a weekday written before a month and day ("monday, january 31"): the day is the month's
LEADING_WEEKDAY = re.compile(rf"^(?:{'|'.join(WEEKDAYS)}),?\s+(?={MONTH_RE})")
# Words that frame a date without changing it ("on", "early", "the end of", a time of day).
FILLER = re.compile(
    r"^(?:on|in|at|by|from|during|until|till|before|after|around|about|of|for|as of|"
    r"the|early|earlier|late|later|mid|middle|end|beginning|start|first half|second half|"
    r"some time|sometime|weekend of|as early as|as soon as|"
    r"midnight|noon|overnight|dawn|daybreak)\b[\s-]*"  # "midnight Thursday", "before dawn Friday"
)
RELATIVE_DAYS = {"today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
                 "yesterday": -1, "last night": -1, "tomorrow": 1}
# "yesterday afternoon", "tomorrow morning": the part of the day does not change the day
DAY_PART = re.compile(r"\s+(?:morning|afternoon|evening|night)$")
VAGUE_THIS_YEAR = {"soon", "shortly", "recently"}
# what is left of "later this month", "at the end of the month", "later in the day" once the
# fillers are gone: the current period
BARE_PERIODS = {"month": "this month", "week": "this week", "day": "today"}
QUALIFIERS = {"last": "past", "past": "past", "next": "future", "coming": "future"}
# first and last month of each season (northern hemisphere, as in the news corpora)
SEASONS = {"spring": (3, 5), "summer": (6, 8), "fall": (9, 11), "autumn": (9, 11), "winter": (12, 14)}
# a day of a month within this many days of publication is that one, whatever the tense:
# a misread tense is likelier than a date a year away
NEAR_DAYS = 31
# a month or a day of a month that the tense puts more than this many months from publication
# is the nearer one: "will meet May 4" in an April story misread as occurred is not last
# year's May 4, nor is "Talks are expected to begin in July" in March last July
FAR_MONTHS = 7


def published_date(published_at) -> dt.date | None:
    """The publication day from an ISO string (or a datetime); None if absent or unreadable."""
    if isinstance(published_at, dt.datetime):
        return published_at.date()
    if isinstance(published_at, dt.date):
        return published_at
    if not published_at or not isinstance(published_at, str):
        return None
    try:
        return dt.datetime.fromisoformat(published_at.strip()).date()
    except ValueError:
        parsed = dateparser.parse(published_at, languages=["en"])
        return parsed.date() if parsed else None


def _strip_fillers(text: str) -> str:
    previous = None
    while previous != text:
        previous, text = text, FILLER.sub("", text).strip(" ,.")
    return text


def _pick(candidates: list, base, status: str | None, direction: str | None = None):
    """Choose among candidate dates/months around `base`.

    `direction` "past"/"future" is strict (from "last"/"next"); otherwise an
    occurred event takes the latest candidate not after base (+grace), a
    planned one the earliest not before base (-grace), unless that one is more than
    FAR_MONTHS away; anything else the nearest.
    """
    if direction == "past":
        return max((c for c in candidates if c < base), default=None)
    if direction == "future":
        return min((c for c in candidates if c > base), default=None)
    if status in ("occurred", "planned"):
        side = [c for c in candidates if (c <= base if status == "occurred" else c >= base)]
        chosen = (max if status == "occurred" else min)(side, default=None)
        if chosen is not None and _months_apart(chosen, base) <= FAR_MONTHS:
            return chosen
    return min(candidates, key=lambda c: abs(_ordinal(c) - _ordinal(base)))


def _months_apart(value, base) -> float:
    """How far a candidate day (a date) or month (a (year, month) pair) lies from ``base``, in months."""
    if isinstance(value, dt.date):
        return abs((value - base).days) / 30.44
    return abs(_ordinal(value) - _ordinal(base))


def _ordinal(value) -> int:
    return value.toordinal() if isinstance(value, dt.date) else value[0] * 12 + value[1]


def _weekday(text: str, base: dt.date, status: str | None):
    """"Monday", "last Friday", "Tuesday this week"; "weekend" is its Saturday."""
    m = re.fullmatch(rf"(?:(last|past|next|coming|this)\s+)?({'|'.join(WEEKDAYS)}|weekend)"
                     rf"(?:\s+(?:morning|afternoon|evening|night|this week))?", text)
    if not m:
        return None
    target = WEEKDAYS.index("saturday" if m.group(2) == "weekend" else m.group(2))
    candidates = [base + dt.timedelta(days=d) for d in range(-7, 8) if (base.weekday() + d) % 7 == target]
    direction = QUALIFIERS.get(m.group(1))
    if direction is None:  # "on Monday" in a Monday article is that day, not a week away
        candidates = [c for c in candidates if abs((c - base).days) < 7]
    picked = _pick(candidates, base, status, direction)
    return (picked, "day") if picked else None


def _month_of_year(text: str, base: dt.date):
    """"July last year", "November next year", "December 15 this year": that month (or day)
    of the year named relatively."""
    m = re.fullmatch(rf"{MONTH_RE}(?:\s+{DAY_RE})?\s+(?P<which>last|next|this)\s+year", text)
    if not m:
        return None
    year = base.year + {"last": -1, "next": 1, "this": 0}[m.group("which")]
    day = _safe_date(year, MONTHS[m.group("month")[:3]], int(m.group("day"))) if m.group("day") else None
    return (day, "day") if day else (dt.date(year, MONTHS[m.group("month")[:3]], 1), "month")


def _season(text: str, base: dt.date, status: str | None):
    """"last summer", "this spring", "the fall": the year of that season (no finer: a season
    spans months). Bare seasons follow the status like bare months."""
    m = re.fullmatch(rf"(?:(last|past|next|coming|this)\s+)?({'|'.join(SEASONS)})", text)
    if not m:
        return None
    first, last = SEASONS[m.group(2)]
    if m.group(1) == "this":
        return dt.date(base.year, 1, 1), "year"
    spans = {year: (_month_start(year, first), _month_start(year, last + 1) - dt.timedelta(days=1))
             for year in (base.year - 1, base.year, base.year + 1)}
    direction = QUALIFIERS.get(m.group(1))
    if direction == "past" or (direction is None and status == "occurred"):
        years = [y for y, (start, end) in spans.items() if (end if direction else start) <= base]
        year = max(years, default=None)
    elif direction == "future" or status == "planned":
        years = [y for y, (start, end) in spans.items() if (start if direction else end) >= base]
        year = min(years, default=None)
    else:
        year = base.year
    return (dt.date(year, 1, 1), "year") if year else None


def _month_start(year: int, month: int) -> dt.date:
    """First day of ``month`` of ``year``, months past December running into the next year."""
    extra, index = divmod(month - 1, 12)
    return dt.date(year + extra, index + 1, 1)


def date_span(value: str) -> tuple[dt.date, dt.date]:
    """The first and last day of a resolved date ("2025-03-12", "2025-03" or "2025")."""
    year, month, day = (int(part) for part in (value.split("-") + ["0", "0"])[:3])
    if day:
        return dt.date(year, month, day), dt.date(year, month, day)
    if month:
        return _month_start(year, month), _month_start(year, month + 1) - dt.timedelta(days=1)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _relative_period(text: str, base: dt.date):
    """this/last/next week|month|year; weeks are reported at month precision."""
    m = re.fullmatch(r"(this|last|past|next|coming)\s+(week|month|year)(?:'s)?", text)
    if not m:
        return None
    step = {"this": 0, "last": -1, "past": -1, "next": 1, "coming": 1}[m.group(1)]
    unit = m.group(2)
    if unit == "week":
        monday = base - dt.timedelta(days=base.weekday()) + dt.timedelta(weeks=step)
        return monday, "month"
    if unit == "month":
        year, month = divmod(base.year * 12 + base.month - 1 + step, 12)
        return dt.date(year, month + 1, 1), "month"
    return dt.date(base.year + step, 1, 1), "year"


def _offset(text: str, base: dt.date):
    """"(about) six months ago", "in two weeks": days keep day precision, weeks
    and months month, years year. Reads the text before fillers are stripped,
    since "in" marks the future here ("for two weeks" is a duration, not a date)."""
    m = re.search(rf"(?:^|\s)(?:(in|within)\s+)?(\d+|{'|'.join(NUMBERS)})\s+(day|week|month|year)s?"
                  rf"(?:'?s?\s+time)?(\s+ago|\s+later|\s+from now)?$", text)
    if not m or not (m.group(1) or m.group(4)):
        return None
    count = int(m.group(2)) if m.group(2).isdigit() else NUMBERS[m.group(2)]
    sign = -1 if (m.group(4) or "").strip() == "ago" else 1
    unit = m.group(3)
    if unit in ("day", "week"):
        days = count * (1 if unit == "day" else 7)
        return base + dt.timedelta(days=sign * days), "day" if unit == "day" else "month"
    if unit == "month":
        year, month = divmod(base.year * 12 + base.month - 1 + sign * count, 12)
        return dt.date(year, month + 1, 1), "month"
    return dt.date(base.year + sign * count, 1, 1), "year"


def _calendar(text: str, base: dt.date | None, status: str | None):
    """Month names, days and years as written: "February 9, 1987", "9 Feb", "December", "1986";
    a weekday before the month adds nothing ("Monday, January 31")."""
    text = LEADING_WEEKDAY.sub("", text)
    direction = None
    qualifier = re.match(r"(last|past|next|coming|this)\s+", text)
    if qualifier:
        direction = QUALIFIERS.get(qualifier.group(1))
        text = text[qualifier.end():]
    month_m = re.search(MONTH_RE, text)
    year_m = re.search(YEAR_RE, text)
    day_m = None
    if month_m:
        # "Feb 9-10" is dated by its first day.
        day_m = (re.match(rf"\s*{DAY_RE}\b", text[month_m.end():])
                 or re.search(rf"\b{DAY_RE}\s*$", text[:month_m.start()]))
    rest = re.sub(MONTH_RE, "", text)
    rest = re.sub(YEAR_RE, "", rest)
    if day_m:
        rest = rest.replace(day_m.group(0).strip(), "", 1)
    if re.search(r"[a-z]{3,}|\d", rest):
        return None  # other words or numbers ("fiscal", "02/09/1987"): leave it to dateparser
    year = int(year_m.group("year")) if year_m else None
    if not month_m:
        return (dt.date(year, 1, 1), "year") if year else None
    month = MONTHS[month_m.group("month")[:3]]
    day = int(day_m.group("day")) if day_m else None
    if year:
        return _safe_date(year, month, day or 1), "day" if day else "month"
    if base is None:
        return None
    if day:
        candidates = [d for y in (base.year - 1, base.year, base.year + 1) if (d := _safe_date(y, month, day))]
        near = [d for d in candidates if abs((d - base).days) <= NEAR_DAYS]
        if near and direction is None:
            return near[0], "day"
        shifted = base + GRACE if status == "occurred" else base - GRACE if status == "planned" else base
        picked = _pick(candidates, shifted, status, direction)
        return (picked, "day") if picked else None
    months = [(y, month) for y in (base.year - 1, base.year, base.year + 1)]
    if qualifier and qualifier.group(1) == "this":
        return dt.date(base.year, month, 1), "month"
    picked = _pick(months, (base.year, base.month), status, direction)
    return (dt.date(picked[0], picked[1], 1), "month") if picked else None


def _range_start(text: str) -> str:
    """"March 30 to April 1" is dated by its first day ("Feb 9-10" is read by DAY_RE): the
    text before "to"/"until"/"through" when it names a month and a day itself, with the
    year written only at the end of the range."""
    m = re.fullmatch(rf"(.*?{MONTH_RE}.*?\d.*?)\s+(?:to|until|till|through)\s+(.*\d.*)", text)
    if not m:
        return text
    start, year = m.group(1), re.search(YEAR_RE, m.group(3))
    return f"{start} {year.group(0)}" if year and not re.search(YEAR_RE, start) else start


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _dateparser(text: str, base: dt.date | None, status: str | None):
    """Fallback for other explicit forms ("1987-02-09", "02/09/1987").

    Texts without a digit or month name ("two weeks", a duration) are not
    dates; without a base only texts with a year count (never today's date).
    """
    if not re.search(rf"\d|{MONTH_RE}", text) or (base is None and not re.search(YEAR_RE, text)):
        return None
    settings = {"PREFER_DATES_FROM": "future" if status == "planned" else "past", "RETURN_TIME_AS_PERIOD": False}
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime.combine(base, dt.time(12))
    data = dateparser.DateDataParser(languages=["en"], settings=settings).get_date_data(text)
    if not data or not data.date_obj:
        return None
    period = data.period if data.period in ("month", "year") else "day"
    return data.date_obj.date(), period


def _format(value: dt.date, precision: str) -> str:
    return {"day": value.isoformat(), "month": value.strftime("%Y-%m"), "year": f"{value.year:04d}"}[precision]


@lru_cache(maxsize=4096)  # merging asks again for each pair of an article's mentions
def resolve_date(date_text: str | None, published_at=None, status: str | None = None) -> tuple[str | None, str]:
    """(ISO date or None, precision) for a date expression.

    `published_at` is an ISO string (or None); `status` ("occurred", "planned",
    "cancelled") decides the direction of bare weekdays, months and days:
    "on Monday" in an article of Tue 2022-05-31 is 2022-05-30 for an occurred
    event and 2022-06-06 for a planned one. Without a publication date only
    expressions with an explicit year resolve.
    """
    if not date_text or not isinstance(date_text, str):
        return UNKNOWN
    base = published_date(published_at)
    raw = " ".join(date_text.lower().replace("’", "'").split())
    if raw.startswith("since "):
        return UNKNOWN  # "the first meeting since 2014": when a period began, not the event
    text = re.sub(r"^this (past|coming)\b", r"\1", _strip_fillers(raw))  # "this past week"
    if not text:
        return UNKNOWN
    if CLOCK_TIME.fullmatch(text):
        text = "today"  # "convene at 1900 gmt": a time of the day the story speaks from, not the year 1900
    try:
        result = None
        if base is not None:
            text = BARE_PERIODS.get(text, text)
            day = text if text in RELATIVE_DAYS else DAY_PART.sub("", text)
            if day in RELATIVE_DAYS:
                result = base + dt.timedelta(days=RELATIVE_DAYS[day]), "day"
            elif text in VAGUE_THIS_YEAR:
                result = base, "year"
            else:
                result = (_weekday(text, base, status) or _relative_period(text, base) or _offset(raw, base)
                          or _month_of_year(text, base) or _season(text, base, status))
        result = result or _calendar(_range_start(text), base, status) or _dateparser(text, base, status)
    except (ValueError, OverflowError):
        return UNKNOWN
    if not result or result[0] is None:
        return UNKNOWN
    return _format(*result), result[1]
