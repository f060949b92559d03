"""Publication dates as sources write them: zone abbreviations mean the offsets they name."""

from datetime import UTC, date, datetime, timedelta

import pytest

from articles.dates import parse_published

HOUR = timedelta(hours=1)


def offset(value: str) -> timedelta:
    return parse_published(value).utcoffset()


@pytest.mark.parametrize(
    "value, hours",
    [
        ("Jul 4 2024, 5:06 pm EST", -5),
        ("Jul 4 2024, 5:06 pm CST", -6),
        ("Jul 4 2024, 5:06 pm MST", -7),
        ("Jul 4 2024, 5:06 pm PST", -8),
        ("Jan 4 2024, 5:06 pm EDT", -4),
        ("Jan 4 2024, 5:06 pm CDT", -5),
        ("Jan 4 2024, 5:06 pm MDT", -6),
        ("Jan 4 2024, 5:06 pm PDT", -7),
        ("Jan 4 2024, 5:06 pm BST", 1),
        ("Jul 4 2024, 5:06 pm CET", 1),
        ("Jan 4 2024, 5:06 pm CEST", 2),
    ],
)
def test_a_standard_or_daylight_abbreviation_is_its_fixed_offset_whatever_the_season(value, hours):
    assert offset(value) == hours * HOUR


def test_est_in_july_is_five_hours_behind_utc():
    assert parse_published("Jul 4 2024, 5:06 pm EST") == datetime(2024, 7, 4, 22, 6, tzinfo=UTC)


@pytest.mark.parametrize(
    "zone, winter, summer",
    [("ET", -5, -4), ("CT", -6, -5), ("MT", -7, -6), ("PT", -8, -7)],
)
def test_a_generic_us_zone_follows_daylight_saving_time_on_every_day_of_a_year(zone, winter, summer):
    # US daylight saving time in 2024 ran from March 10 to November 3 (its changes at 2 am local time).
    day = date(2024, 1, 1)
    while day.year == 2024:
        hours = summer if date(2024, 3, 10) < day < date(2024, 11, 3) else winter
        if day not in (date(2024, 3, 10), date(2024, 11, 3)):
            assert offset(f"{day:%b %d %Y}, 5:06 pm {zone}") == hours * HOUR, day
        day += timedelta(days=1)


def test_a_date_without_a_zone_is_taken_as_utc():
    assert parse_published("Apr 28 2017, 5:06 pm") == datetime(2017, 4, 28, 17, 6, tzinfo=UTC)


def test_apr_28_2017_5_06_pm_et_is_eastern_daylight_time():
    assert parse_published("Apr 28 2017, 5:06 pm ET") == datetime(2017, 4, 28, 21, 6, tzinfo=UTC)
