"""Figures match across the forms they are written in; different figures on one subject are a possible conflict."""

from decimal import Decimal

import pytest

from claims.numbers import UNITS, agree, conflict, figures

ONES = {value: word for word, value in UNITS.items()}
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def in_words(n: int) -> str:
    """How a reporter spells out n (1 to 999,999), written independently of the parser under test."""
    if n >= 1000:
        return f"{in_words(n // 1000)} thousand" + (f" {in_words(n % 1000)}" if n % 1000 else "")
    if n >= 100:
        return f"{ONES[n // 100]} hundred" + (f" and {in_words(n % 100)}" if n % 100 else "")
    if n >= 20:
        return TENS[n // 10] + (f"-{ONES[n % 10]}" if n % 10 else "")
    return ONES[n]


def values(text: str) -> list[tuple[Decimal, str]]:
    return [(figure.value, figure.kind) for figure in figures(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("three confirmed deaths", [(3, "count")]),
        ("3 confirmed deaths", [(3, "count")]),
        ("one hundred men", [(100, "count")]),
        ("100 men", [(100, "count")]),
        ("75.000 people", [(75000, "count")]),
        ("75,000 people", [(75000, "count")]),
        ("it raised $93,499 in just six days", [(93499, "money"), (6, "count")]),
        ("5.5 percent of them", [(Decimal("5.5"), "percent")]),
        ("12% of them", [(12, "percent")]),
        ("$1.2 million", [(1200000, "money")]),
        ("twenty-five men", [(25, "count")]),
        ("since 2006", [(2006, "year")]),
        ("One of the fundraisers", []),
        ("no figure at all", []),
    ],
)
def test_figures_are_read_whatever_form_they_are_written_in(text, expected):
    assert values(text) == [(Decimal(value), kind) for value, kind in expected]


def test_every_number_spelt_out_reads_as_its_digits():
    for n in [*range(2, 1000), 1001, 2020, 12_345, 75_000, 100_000, 999_999]:
        spelt, digits = figures(f"they counted {in_words(n)} people"), figures(f"they counted {n:,} people")
        assert [f.value for f in spelt] == [Decimal(n)], in_words(n)
        assert agree(spelt, digits)


def test_a_figure_knows_where_it_sits_in_the_text():
    text = "Donors gave $93,499 in six days."
    assert [text[f.start : f.end] for f in figures(text)] == ["$93,499", "six"]
    assert [f.text for f in figures(text)] == ["$93,499", "six"]


def test_a_different_figure_of_the_same_kind_is_a_possible_conflict():
    assert conflict(figures("40 rescued"), figures("30 assisted")) == "different figure: 30 here, 40 in the claim"
    assert conflict(figures("forty rescued"), figures("40 were helped")) == ""
    assert conflict(figures("$100"), figures("100 people")) == ""  # a sum of money and a count: not comparable
    assert conflict(figures("in 2017"), figures("since 2006")) == ""  # years date events in many ways
    assert conflict(figures("no figure"), figures("40 people")) == ""
    assert conflict(figures("40 people and 3 deaths"), figures("3 deaths")) == ""  # one figure in common agrees
