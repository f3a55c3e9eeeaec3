"""Date expressions against the publication date (transforms.resolution.dates)."""
import pytest

from transforms.resolution.dates import resolve_date

TUE = "2022-05-31T09:13:00"
MAR_1987 = "1987-03-11T03:10:16"


@pytest.mark.parametrize(
    "text, published, status, expected",
    [
        ("on Monday", TUE, "occurred", ("2022-05-30", "day")),
        ("on Monday", TUE, "planned", ("2022-06-06", "day")),
        ("yesterday", TUE, None, ("2022-05-30", "day")),
        ("tomorrow", TUE, "planned", ("2022-06-01", "day")),
        ("next week", "1987-04-23T19:48:47", "planned", ("1987-04", "month")),
        ("last week", MAR_1987, "occurred", ("1987-03", "month")),
        ("this year", MAR_1987, "planned", ("1987", "year")),
        ("last year", MAR_1987, "occurred", ("1986", "year")),
        ("next year", MAR_1987, "planned", ("1988", "year")),
        ("February 9", "1987-03-20T10:48:38", "occurred", ("1987-02-09", "day")),
        ("December 28", "1988-01-05", "occurred", ("1987-12-28", "day")),
        ("February 9, 1987", None, "occurred", ("1987-02-09", "day")),
        ("9 February 1987", None, None, ("1987-02-09", "day")),
        ("in June", "1987-04-23", "planned", ("1987-06", "month")),
        ("December", MAR_1987, "occurred", ("1986-12", "month")),
        ("1986", None, None, ("1986", "year")),
        ("March 1987", None, None, ("1987-03", "month")),
        ("about six months ago", "1987-03-17", "occurred", ("1986-09", "month")),
        ("1987-02-09", None, None, ("1987-02-09", "day")),
    ],
)
def test_resolve_date(text, published, status, expected):
    assert resolve_date(text, published, status) == expected


# Cases dateparser gets wrong (or cannot parse) that the rules fix.
@pytest.mark.parametrize(
    "text, published, status, expected",
    [
        # dateparser goes back a week; a Reuters story of Monday means that Monday
        ("on Monday", "1987-10-19T10:49:52", "occurred", ("1987-10-19", "day")),
        # dateparser (future) jumps to March of next year
        ("in March", MAR_1987, "planned", ("1987-03", "month")),
        # dateparser returns nothing
        ("later this month", MAR_1987, "planned", ("1987-03", "month")),
        ("last September", "1987-03-17", "occurred", ("1986-09", "month")),
        ("mid-March", "1987-04-02", "occurred", ("1987-03", "month")),
        ("the end of October", "1987-04-02", "planned", ("1987-10", "month")),
        ("the first half of 1987", "1987-04-02", "planned", ("1987", "year")),
        # dateparser reads "9-10" as the year 1910
        ("Feb 9-10", "1987-03-01", "occurred", ("1987-02-09", "day")),
        # a duration is not a date (dateparser: two weeks ago)
        ("for two weeks", "1987-03-01", "occurred", (None, "unknown")),
    ],
)
def test_fixes_over_dateparser(text, published, status, expected):
    assert resolve_date(text, published, status) == expected


@pytest.mark.parametrize("text", ["at 1900gmt", "at 1500 GMT", "1430 GMT", "at 0900 est", "at 2000 hrs"])
def test_a_clock_time_is_the_day_of_the_story_not_a_year(text):
    assert resolve_date(text, MAR_1987, "planned") == ("1987-03-11", "day")
    assert resolve_date(text, None, "planned") == (None, "unknown")


@pytest.mark.parametrize("text", ["on Monday", "today", "next week", "December", "February 9"])
def test_relative_without_published_at_is_unknown(text):
    assert resolve_date(text, None, "occurred") == (None, "unknown")


@pytest.mark.parametrize("text, published", [(None, TUE), ("", TUE), ("gibberish words", TUE),
                                             ("February 30", TUE), ("on Monday", "not a date"), (5, TUE)])
def test_odd_input_is_unknown(text, published):
    assert resolve_date(text, published, "occurred") == (None, "unknown")


@pytest.mark.parametrize(
    "text, published, status, expected",
    [
        # the part of the day does not change the day
        ("last night", "2024-02-14T08:00:00", "occurred", ("2024-02-13", "day")),
        ("yesterday afternoon", "2024-02-14T08:00:00", "occurred", ("2024-02-13", "day")),
        ("tomorrow morning", "2024-02-14T08:00:00", "planned", ("2024-02-15", "day")),
        ("this evening", "2024-02-14T08:00:00", "planned", ("2024-02-14", "day")),
        # "this past" / "this coming" are "past" / "coming"
        ("this past week", "2024-02-14T08:00:00", "occurred", ("2024-02", "month")),
        ("this coming week", "2024-02-26T08:00:00", "planned", ("2024-03", "month")),
        ("as early as Friday", "2024-02-14T08:00:00", "planned", ("2024-02-16", "day")),
        # a day of a month of a year named relatively
        ("on October 2 this year", "2024-02-14T08:00:00", "planned", ("2024-10-02", "day")),
        ("May 6 last year", "2024-02-14T08:00:00", "occurred", ("2023-05-06", "day")),
        # when a period began is not when the event happened
        ("since 2015", "2024-02-14T08:00:00", "occurred", (None, "unknown")),
        ("since March", "2024-04-14T08:00:00", "occurred", (None, "unknown")),
    ],
)
def test_parts_of_days_relative_years_and_starting_points(text, published, status, expected):
    assert resolve_date(text, published, status) == expected


@pytest.mark.parametrize(
    "text, published, status, expected",
    [
        # a tense read wrongly must not move a near month or day a year away
        ("May 4", "1987-04-02", "occurred", ("1987-05-04", "day")),
        ("July", "1987-03-19", "occurred", ("1987-07", "month")),
        ("in December", "2021-11-25", "occurred", ("2021-12", "month")),
        ("in February", "1987-06-01", "planned", ("1987-02", "month")),
        # within seven months the tense still decides
        ("in September", "1987-03-20", "occurred", ("1986-09", "month")),
        ("in September", "1987-03-20", "planned", ("1987-09", "month")),
        ("December 28", "1988-01-05", "occurred", ("1987-12-28", "day")),
        # a weekday before the month adds nothing
        ("Monday, January 31", "2022-01-31", "planned", ("2022-01-31", "day")),
        ("on Thursday, Dec. 11", "2015-12-07", "planned", ("2015-12-11", "day")),
    ],
)
def test_a_month_the_tense_puts_far_away_is_the_nearer_one(text, published, status, expected):
    assert resolve_date(text, published, status) == expected


@pytest.mark.parametrize("text, expected", [
    ("midnight Thursday", "2018-02-08"), ("noon Friday", "2018-02-09"),
    ("before dawn Friday", "2018-02-09"), ("overnight Thursday", "2018-02-08"),
])
def test_a_time_of_day_before_a_weekday_is_that_day(text, expected):
    assert resolve_date(text, "2018-02-09T12:00:00", "occurred") == (expected, "day")
