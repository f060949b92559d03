"""Anchors: offsets and quote agree on every seed; bad anchors are refused; highlights cover overlaps."""

import pytest

from articles.text import split_passages
from claims.anchoring import AnchorError, anchor_at, anchor_for_quote, check_anchor, highlighted_blocks
from claims.services import claim_create
from tests.factories import ClaimFactory


def test_claims_anchor_exactly_on_every_seed(seeded, editor):
    for article in seeded.values():
        for start, end, text in split_passages(article.body)[::5]:
            claim = claim_create(article=article, user=editor, anchor=anchor_at(article.body, start, end))
            claim.refresh_from_db()
            assert article.body[claim.start : claim.end] == claim.quote == text
            assert article.body[: claim.start].endswith(claim.prefix) and len(claim.prefix) <= 32
            assert article.body[claim.end :].startswith(claim.suffix) and len(claim.suffix) <= 32


def test_the_seed_000_claim_of_the_browser_flow_anchors_by_its_words(seeded):
    body = seeded["000"].body
    anchor = anchor_for_quote(body, "as many as 100 LGBTQ men had been\n arrested, detained and tortured")
    assert anchor.quote == "as many as 100 LGBTQ men had been arrested, detained and tortured"
    assert anchor.prefix == "vaya Gazeta first reported that "
    assert anchor.suffix == ", with three confirmed deaths an"


def test_a_selection_is_trimmed_of_surrounding_space():
    anchor = anchor_at("One two. Three four.", 8, 15)
    assert (anchor.start, anchor.end, anchor.quote, anchor.prefix) == (9, 14, "Three", "One two. ")


@pytest.mark.parametrize(
    "start, end, message",
    [(5, 5, "outside"), (10, 400, "outside"), (3, 4, "no words")],
)
def test_impossible_selections_are_refused(start, end, message):
    with pytest.raises(AnchorError, match=message):
        anchor_at("One two three.", start, end)


def test_a_bad_anchor_is_rejected_on_save(seeded, editor):
    article = seeded["001"]
    good = anchor_at(article.body, 0, 20)
    forged = type(good)(start=good.start, end=good.end, quote="Something else entir", prefix="", suffix="")
    with pytest.raises(AnchorError, match="do not slice the article"):
        claim_create(article=article, user=editor, anchor=forged)
    assert not article.claims.exists()


def test_check_anchor_accepts_only_the_exact_slice():
    check_anchor("abc def", start=4, end=7, quote="def")
    with pytest.raises(AnchorError):
        check_anchor("abc def", start=4, end=7, quote="deF")


@pytest.mark.parametrize(
    "quote, message",
    [("", "Enter the words"), ("not in the text at all", "do not appear"), ("the", "appear 2 times")],
)
def test_pasted_words_must_appear_once(quote, message):
    with pytest.raises(AnchorError, match=message):
        anchor_for_quote("This is the start. And the end.", quote)


def test_overlapping_claims_each_stay_visible_in_the_highlights(db):
    claim = ClaimFactory(start=0, end=10)
    article = claim.article
    inner = ClaimFactory(article=article, start=5, end=20)
    [(kind, [item])] = highlighted_blocks(article.body, [claim, inner])
    assert "".join(segment.text for segment in item.segments) == article.body
    covered = [[c.pk for c in segment.claims] for segment in item.segments]
    assert covered == [[claim.pk], [claim.pk, inner.pk], [inner.pk], []]
