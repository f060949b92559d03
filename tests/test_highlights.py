"""The reader's highlights: every claim marked where it sits, overlaps and nesting included, at a cost
that grows with the claims and the text, not with their product."""

import random
from dataclasses import dataclass
from itertools import pairwise

import pytest

from articles.text import blocks
from claims.anchoring import highlighted_blocks

BODY = "One two three four.\n\nShort label\n\n- first item here\n- second item\n\nLast paragraph ends."


@dataclass(frozen=True)
class Span:
    pk: int
    start: int
    end: int


def marks(body: str, claims) -> list:
    """(kind, item start, [(text, [claim pks, innermost first])]) for every item of every block."""
    return [
        (kind, item.start, [(segment.text, [c.pk for c in segment.claims]) for segment in item.segments])
        for kind, items in highlighted_blocks(body, claims)
        for item in items
    ]


def test_overlapping_nested_and_adjacent_claims_and_claims_across_blocks_are_all_marked():
    claims = [Span(1, 4, 13), Span(2, 8, 13), Span(3, 0, 4), Span(4, 14, 45), Span(5, 8, 13), Span(6, 40, 70)]
    assert marks(BODY, claims) == [
        ("p", 0, [("One ", [3]), ("two ", [1]), ("three", [2, 5, 1]), (" ", []), ("four.", [4])]),
        ("h", 21, [("Short label", [4])]),
        ("ul", 36, [("firs", [4]), ("t ite", [6, 4]), ("m here", [6])]),
        ("ul", 54, [("second item", [6])]),
        ("p", 67, [("Las", [6]), ("t paragraph ends.", [])]),
    ]


def test_a_claim_over_the_space_between_blocks_only_marks_nothing_and_an_article_without_claims_is_plain():
    assert (
        marks(BODY, [Span(1, 19, 21)])
        == marks(BODY, [])
        == [
            ("p", 0, [("One two three four.", [])]),
            ("h", 21, [("Short label", [])]),
            ("ul", 36, [("first item here", [])]),
            ("ul", 54, [("second item", [])]),
            ("p", 67, [("Last paragraph ends.", [])]),
        ]
    )


def test_claims_of_the_same_length_are_listed_by_number_whatever_order_they_come_in():
    forward = marks(BODY, [Span(7, 0, 3), Span(2, 0, 3), Span(9, 4, 7)])
    assert forward == marks(BODY, [Span(9, 4, 7), Span(2, 0, 3), Span(7, 0, 3)])
    assert forward[0][2][:3] == [("One", [2, 7]), (" ", []), ("two", [9])]


def test_an_empty_paragraph_has_no_segments():
    [first, empty, last] = highlighted_blocks("One.\n\n\n\nTwo.", [Span(1, 0, 12)])
    assert empty[1][0].segments == [] and [s.text for s in last[1][0].segments] == ["Two."]


def _every_claim_against_every_item(body: str, claims) -> list:
    """The reader's first way of marking: each item compared with every claim (kept as the reference)."""
    claims = sorted(claims, key=lambda c: (c.end - c.start, c.pk))
    result = []
    for kind, items in blocks(body):
        for start, text in items:
            end = start + len(text)
            inside = [c for c in claims if c.start < end and c.end > start]
            cuts = sorted({start, end, *(max(c.start, start) for c in inside), *(min(c.end, end) for c in inside)})
            segments = []
            for left, right in pairwise(cuts):
                covering = [c.pk for c in inside if c.start <= left and c.end >= right]
                segments.append((text[left - start : right - start], covering))
            result.append((kind, start, segments))
    return result


@pytest.mark.parametrize("seed", range(40))
def test_random_claims_are_marked_as_comparing_every_claim_with_every_item_marks_them(seed):
    rng = random.Random(seed)
    paragraphs = ["- a b\n- c d e" if rng.random() < 0.2 else "word " * rng.randint(0, 12) for _ in range(8)]
    body = "\n\n".join(p.strip() for p in paragraphs)
    claims = []
    for pk in rng.sample(range(1, 500), rng.randint(0, 30)):
        start = rng.randrange(len(body))
        claims.append(Span(pk, start, rng.randint(start + 1, min(len(body), start + rng.choice([3, 10, 80])))))
    assert marks(body, claims) == _every_claim_against_every_item(body, claims)


class CountedSpan:
    """A claim that counts how often the highlighting reads its offsets."""

    reads = 0

    def __init__(self, pk, start, end):
        self.pk, self._start, self._end = pk, start, end

    @property
    def start(self):
        CountedSpan.reads += 1
        return self._start

    @property
    def end(self):
        CountedSpan.reads += 1
        return self._end


def test_highlighting_reads_each_claim_a_few_times_however_many_paragraphs_there_are():
    body = "\n\n".join(f"Paragraph {n} says one checkable thing." for n in range(400))
    offsets = [item[0] for _, items in blocks(body) for item in items]
    claims = [CountedSpan(n, offsets[n * 2] + 10, offsets[n * 2] + 30) for n in range(200)]
    CountedSpan.reads = 0
    highlighted = highlighted_blocks(body, claims)
    assert sum(len(items[0].segments) > 1 for _, items in highlighted) == 200
    # Comparing every claim with each of the 400 paragraphs would read offsets 160,000 times.
    assert CountedSpan.reads <= 30 * len(claims)
