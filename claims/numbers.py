"""Figures in text, in whatever form they are written: "three" and "3", "one hundred" and "100",
"75.000" and "75,000", "$93,499", "1.2 million", "12 percent".

Two texts on one subject that give different figures of the same kind (counts, sums of money,
percentages) are a possible conflict that an editor should look at.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
WORDS_BY_VALUE = {value: word for word, value in UNITS.items()}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
SHORT_SCALES = {"k": 1_000, "m": 1_000_000, "bn": 1_000_000_000}
CURRENCIES = "$€£"

_WORD = "|".join(sorted([*UNITS, *TENS, *SCALES], key=len, reverse=True))
_DIGITS = (
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?"  # 75,000 and 1,234.5
    r"|\d{1,3}(?:\.\d{3})+(?![.,]?\d)"  # 75.000: a full stop between thousands, as much of Europe writes it
    r"|\d+(?:\.\d+)?"
)
_SCALE = "|".join([*SCALES, *SHORT_SCALES])
_PERCENT = r"\s?(?:%|percent\b|per\s+cent\b)"
FIGURE = re.compile(
    rf"(?P<currency>[{CURRENCIES}])?\s?(?P<digits>{_DIGITS})(?:\s?(?P<scale>{_SCALE})\b)?(?P<percent>{_PERCENT})?"
    rf"|\b(?P<words>(?:{_WORD})(?:(?:\s+|-)(?:and\s+)?(?:{_WORD}))*)\b(?P<word_percent>{_PERCENT})?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Figure:
    value: Decimal
    kind: str  # "money", "percent", "year" or "count"
    start: int
    end: int
    text: str

    def same_as(self, other: "Figure") -> bool:
        return self.kind == other.kind and self.value == other.value


def figures(text: str) -> list[Figure]:
    """Every figure in `text`, in order, with its value whatever form it is written in."""
    found = []
    for match in FIGURE.finditer(text):
        if match["digits"]:
            value = _digits_value(match["digits"])
            if value is None:
                continue
            if match["scale"]:
                scale = match["scale"].lower()
                value *= SCALES.get(scale) or SHORT_SCALES[scale]
            percent, money = bool(match["percent"]), bool(match["currency"])
            bare = not (percent or money or match["scale"]) and match["digits"].isdigit()
            year = bare and len(match["digits"]) == 4 and 1800 <= value <= 2100
        else:
            words = re.split(r"[\s-]+", match["words"].lower())
            if words in (["one"], ["zero"]):
                continue  # "one of them" is seldom a figure
            value = Decimal(_words_value(words))
            percent, money, year = bool(match["word_percent"]), False, False
        kind = "money" if money else "percent" if percent else "year" if year else "count"
        start = match.start() + (len(match[0]) - len(match[0].lstrip()))
        found.append(Figure(value=value, kind=kind, start=start, end=match.end(), text=text[start : match.end()]))
    return found


def _digits_value(digits: str) -> Decimal | None:
    if "," in digits:
        digits = digits.replace(",", "")
    elif re.fullmatch(r"\d{1,3}(?:\.\d{3})+", digits):
        digits = digits.replace(".", "")
    try:
        return Decimal(digits)
    except InvalidOperation:
        return None


def _words_value(words: list[str]) -> int:
    total = current = 0
    for word in words:
        if word == "and":
            continue
        if word in UNITS:
            current += UNITS[word]
        elif word in TENS:
            current += TENS[word]
        elif word == "hundred":
            current = (current or 1) * 100
        else:
            total += (current or 1) * SCALES[word]
            current = 0
    return total + current


def conflict(claim_figures: list[Figure], passage_figures: list[Figure]) -> str:
    """A short text naming the first figure of the passage that differs from every figure of the same
    kind in the claim; "" when they agree or have no kind in common. Years are left out: a passage
    dates the events it reports in many ways."""
    for kind in ("count", "money", "percent"):
        ours = [figure for figure in claim_figures if figure.kind == kind]
        theirs = [figure for figure in passage_figures if figure.kind == kind]
        if ours and theirs and not any(a.same_as(b) for a in ours for b in theirs):
            return f"different figure: {theirs[0].text} here, {ours[0].text} in the claim"
    return ""


def agree(claim_figures: list[Figure], passage_figures: list[Figure]) -> bool:
    """Whether the passage gives one of the claim's figures."""
    return any(a.same_as(b) for a in claim_figures for b in passage_figures)
