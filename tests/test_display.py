"""Pages with many rows shorten texts and write dates in Python (workbench.display), as the template filters would."""

from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.template.defaultfilters import truncatechars

from workbench.display import day, minute, truncated

TEXTS = [
    "",
    "Short.",
    "x" * 59,
    "x" * 60,
    "x" * 61,
    "Police said “three” people — not 30 — were detained in the raid on Tuesday night, officials confirmed.",
    "Cafe\u0301 owners said the fund-raising total was 75.000 euros, a figure no one else has reported so far.",
    "e\u0301" * 70,
    "Ünïcödé wörds ånd ëmoji 🎉 " * 4,
]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("length", [1, 2, 20, 60])
def test_it_shortens_as_the_truncatechars_filter_does(text, length):
    assert truncated(text, length) == truncatechars(text, length)


@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin", "America/New_York"])
def test_it_writes_dates_as_the_date_filter_does_in_the_current_time_zone(settings, zone):
    settings.TIME_ZONE = zone
    moments = [datetime(2026, 1, 4, 23, 30, 5, tzinfo=UTC), datetime(2025, 7, 31, 3, 7, tzinfo=UTC)]
    for moment in moments:
        filtered = Template('{{ m|date:"j M Y" }}/{{ m|date:"j M Y, H:i" }}').render(Context({"m": moment}))
        assert f"{day(moment)}/{minute(moment)}" == filtered
