"""Property tests of anchoring: a claim's anchor slices the body to its quote, resolves back to the same span,
and follows the words to their new place when the text around them is edited."""

import re

from hypothesis import assume, given
from hypothesis import strategies as st

from claims.anchoring import anchor_at
from claims.models import PREFIX_SUFFIX_LENGTH
from claims.reanchor import reanchor

# Few words, so quotes often occur more than once and context must tell them apart.
FEW = st.sampled_from(["the", "dam", "burst", "at", "noon", "“Nobody”", "was", "hurt.", "U.S.", "100", "—", "it's"])
MANY = st.text(st.characters(codec="utf-8", categories=["L", "N", "P"]), min_size=1, max_size=8)
GAPS = st.sampled_from([" ", " ", " ", "  ", "\n", "\n\n", ", ", ". "])


@st.composite
def bodies(draw, words=FEW | MANY):
    tokens = draw(st.lists(words, min_size=1, max_size=50))
    gaps = draw(st.lists(GAPS, min_size=len(tokens), max_size=len(tokens)))
    return "".join(token + gap for token, gap in zip(tokens, gaps, strict=True)).strip()


@st.composite
def claims(draw):
    """A body and the anchor of a selection in it: whole words or not, as a mouse selects."""
    body = draw(bodies())
    start = draw(st.integers(0, len(body) - 1))
    end = draw(st.integers(start + 1, len(body)))
    assume(body[start:end].strip())
    return body, anchor_at(body, start, end)


@st.composite
def edited(draw):
    """A claim, and its body with one stretch of text outside the quote (and the character either side of
    it) replaced by other text: (old body, anchor, new body, where the quote now starts)."""
    body, anchor = draw(claims())
    # Keeping the characters next to the quote keeps its word boundaries: "first" stays a word of its own.
    before, after = (0, anchor.start - 1), (anchor.end + 1, len(body))
    sides = [side for side in (before, after) if side[0] <= side[1]]
    assume(sides)
    lo, hi = draw(st.sampled_from(sides))
    cut_from = draw(st.integers(lo, hi))
    cut_to = draw(st.integers(cut_from, hi))
    inserted = draw(st.lists(FEW | MANY | GAPS, max_size=6).map("".join))
    new_body = body[:cut_from] + inserted + body[cut_to:]
    shift = len(inserted) - (cut_to - cut_from) if (lo, hi) == before else 0
    assume(new_body.strip() and new_body != body)
    return body, anchor, new_body, anchor.start + shift


def found_again(new_body, anchor, old_body):
    return reanchor(
        new_body,
        quote=anchor.quote,
        prefix=anchor.prefix,
        suffix=anchor.suffix,
        start=anchor.start,
        old_body_length=len(old_body),
    )


def places(body: str, quote: str) -> int:
    """How many places the quote's words start at, in order, whatever the white space between them."""
    pattern = re.compile(r"\s+".join(map(re.escape, quote.split())))
    return sum(1 for at in range(len(body)) if pattern.match(body, at))


@given(claim=claims())
def test_an_anchor_slices_the_body_to_its_quote_and_its_context(claim):
    body, anchor = claim
    assert body[anchor.start : anchor.end] == anchor.quote == anchor.quote.strip() != ""
    assert anchor.prefix == body[max(0, anchor.start - PREFIX_SUFFIX_LENGTH) : anchor.start]
    assert anchor.suffix == body[anchor.end : anchor.end + PREFIX_SUFFIX_LENGTH]
    assert anchor_at(body, anchor.start, anchor.end) == anchor


@given(claim=claims())
def test_an_anchor_resolves_back_to_the_same_span_in_the_same_body(claim):
    body, anchor = claim
    result = found_again(body, anchor, body)
    assert result.anchor == anchor
    assert not result.quote_changed
    if places(body, anchor.quote) == 1:
        assert (result.method, result.confidence) == ("exact", 1.0)


@given(edit=edited())
def test_a_quote_found_once_is_followed_to_its_new_place_after_edits_around_it(edit):
    old_body, anchor, new_body, new_start = edit
    assume(places(new_body, anchor.quote) == 1)
    result = found_again(new_body, anchor, old_body)
    assert result.anchor == anchor_at(new_body, new_start, new_start + len(anchor.quote))
    assert (result.method, result.confidence, result.quote_changed) == ("exact", 1.0, False)


@given(edit=edited())
def test_a_quote_found_several_times_after_edits_around_it_lands_on_the_same_words(edit):
    old_body, anchor, new_body, _ = edit
    result = found_again(new_body, anchor, old_body)
    assert result.anchor is not None and result.anchor.quote.split() == anchor.quote.split()
    assert not result.quote_changed and result.confidence >= 0.7
