"""The claim list and the reader shorten wordings in Python (claims.display), as the template filter would."""

import pytest
from django.template.defaultfilters import truncatechars

from claims.display import truncated

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
