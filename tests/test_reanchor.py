"""Re-anchoring: a claim is found again in a corrected version of its article, or said to be lost."""

import pytest
from rapidfuzz import fuzz

from articles.text import clean_article, split_passages
from claims import reanchor as reanchor_module
from claims.anchoring import anchor_at, anchor_for_quote
from claims.reanchor import NOT_FOUND_BELOW, reanchor
from tests.conftest import SEEDS_DIR

BODY = clean_article((SEEDS_DIR / "004_8a22aefb1f4567f5.txt").read_text()).body
TORTURED = "at least 100 men have been detained and violently tortured"
REPORTS = (
    "According to multiple reports by independent Russian media and human rights groups, at least 100 men have "
    "been detained and violently tortured “in connection with their non-traditional sexual orientation, or "
    "suspicion of such” in at least one secret prison in Chechnya, with three men reportedly dead."
)
FIRST_WORDS = "A Canadian charity ‘Rainbow Railroad’ helping gay men"
LAST_WORDS = "we are preparing for their evacuation from the country.”"


def _edit(old: str, new: str, body: str = BODY) -> str:
    assert body.count(old) == 1, old
    return body.replace(old, new)


def _reanchor(old_body, new_body, quote, *, occurrence=0):
    """Anchor the claim in the old body as the editor did, re-anchor it, and check what always holds."""
    at = [i for i in range(len(old_body)) if old_body.startswith(quote, i)][occurrence]
    old = anchor_at(old_body, at, at + len(quote))
    result = reanchor(
        new_body, quote=old.quote, prefix=old.prefix, suffix=old.suffix, start=old.start, old_body_length=len(old_body)
    )
    assert 0.0 <= result.confidence <= 1.0
    assert result.method in {"exact", "exact-context", "fuzzy", "not-found"}
    assert (result.anchor is None) == (result.method == "not-found")
    if result.anchor:
        assert result.anchor.quote == new_body[result.anchor.start : result.anchor.end]
        assert result.anchor == anchor_at(new_body, result.anchor.start, result.anchor.end)
        assert result.confidence >= NOT_FOUND_BELOW
    return result


def test_it_finds_the_claim_where_it_was_in_unchanged_text():
    result = _reanchor(BODY, BODY, TORTURED)
    assert result.anchor == anchor_for_quote(BODY, TORTURED)
    assert (result.method, result.confidence, result.quote_changed) == ("exact", 1.0, False)


def test_it_follows_the_claim_when_a_paragraph_is_inserted_before_it():
    update = "Update, 14 April: this article now includes the response of the Chechen authorities.\n\n"
    new_body = update + BODY
    result = _reanchor(BODY, new_body, TORTURED)
    assert result.anchor.start == BODY.index(TORTURED) + len(update)
    assert (result.method, result.confidence, result.quote_changed) == ("exact", 1.0, False)


@pytest.mark.parametrize(
    "original, old_words, new_words, quote, new_quote",
    [
        (
            "at least 100 men",
            "100 men",
            "more than 100 men",
            "human rights groups, 100 men have been detained",
            "human rights groups, more than 100 men have been detained",
        ),
        ("at least 100", "at least 100", "more than 100", TORTURED, TORTURED.replace("at least", "more than")),
        ("tortured", "torturd", "tortured", TORTURED.replace("tortured", "torturd"), TORTURED),
        ("tortured", "torture", "tortured", TORTURED.replace("tortured", "torture"), TORTURED),
        (
            "“no reason to doubt the denials”",
            "“no reason to doubt the denials”",
            '"no reason to doubt the denials"',
            "Putin has “no reason to doubt the denials”",
            'Putin has "no reason to doubt the denials"',
        ),
    ],
    ids=["100 becomes more than 100", "at least becomes more than", "typo fixed", "word completed", "straight quotes"],
)
def test_it_finds_a_lightly_corrected_claim_and_says_its_words_changed(
    original, old_words, new_words, quote, new_quote
):
    old_body, new_body = _edit(original, old_words), _edit(original, new_words)
    result = _reanchor(old_body, new_body, quote)
    assert result.anchor.quote == new_quote
    assert result.method == "fuzzy" and result.quote_changed
    assert 0.8 <= result.confidence < 1.0


def test_words_added_just_before_the_quote_leave_it_exact():
    old_body = _edit("at least 100 men", "100 men")
    new_body = _edit("at least 100 men", "more than 100 men")
    result = _reanchor(old_body, new_body, "100 men have been detained")
    assert result.anchor.prefix.endswith("groups, more than ")
    assert (result.method, result.confidence, result.quote_changed) == ("exact", 1.0, False)


def test_it_finds_the_claim_whose_words_changed_a_lot_by_its_context_with_low_confidence():
    new_body = _edit(TORTURED, "at least 100 men were held and tortured")
    result = _reanchor(BODY, new_body, TORTURED)
    assert result.anchor.quote == "at least 100 men were held and tortured"
    assert result.method == "fuzzy" and result.quote_changed
    assert NOT_FOUND_BELOW <= result.confidence < 0.9


def test_it_picks_the_occurrence_whose_context_matches_when_the_quote_appears_twice():
    quote = "Russian LGBT Network said"
    assert BODY.count(quote) == 2
    new_body = "Updated with the charity's latest figures.\n\n" + BODY
    result = _reanchor(BODY, new_body, quote, occurrence=1)
    assert result.anchor.suffix.startswith(" earlier this week.")
    assert (result.method, result.confidence, result.quote_changed) == ("exact-context", 1.0, False)


def test_it_is_less_sure_when_the_quote_appears_twice_in_identical_context():
    # A syndicated copy that repeats a paragraph: context cannot tell the two copies apart.
    new_body = _edit(REPORTS, REPORTS + "\n\n" + REPORTS)
    result = _reanchor(BODY, new_body, TORTURED)
    assert result.method == "exact-context" and not result.quote_changed
    assert NOT_FOUND_BELOW <= result.confidence < 0.8
    assert result.anchor.start == BODY.index(TORTURED), "the copy nearer the old position"


def test_it_does_not_find_a_claim_whose_sentence_was_deleted():
    new_body = _edit(REPORTS + "\n\n", "")
    result = _reanchor(BODY, new_body, TORTURED)
    assert (result.anchor, result.method, result.quote_changed) == (None, "not-found", True)
    assert result.confidence < NOT_FOUND_BELOW


def test_it_finds_the_claim_exactly_when_only_white_space_and_line_breaks_changed():
    rewrapped = "at least 100 men have been\ndetained and  violently tortured"
    new_body = _edit("groups, " + TORTURED + " “in", "groups,\n  " + rewrapped + "\n“in").replace("\n\n", "\n")
    result = _reanchor(BODY, new_body, TORTURED)
    assert result.anchor.quote == rewrapped
    assert (result.method, result.confidence, result.quote_changed) == ("exact", 1.0, False)


@pytest.mark.parametrize(
    "quote, corrected",
    [
        (FIRST_WORDS, "A Canadian charity, Rainbow Railroad, is helping gay men"),
        (LAST_WORDS, "we are preparing their evacuation from the country.”"),
    ],
    ids=["first words", "last words"],
)
def test_it_finds_a_claim_at_either_end_of_the_body(quote, corrected):
    exact = _reanchor(BODY, BODY, quote)
    assert (exact.method, exact.confidence) == ("exact", 1.0)
    assert exact.anchor.prefix == "" or exact.anchor.suffix == ""

    result = _reanchor(BODY, _edit(quote, corrected), quote)
    assert result.anchor.quote == corrected
    assert result.method == "fuzzy" and result.quote_changed and result.confidence >= 0.8


def test_it_does_not_find_words_that_are_not_there():
    result = reanchor(BODY, quote="   ", prefix="", suffix="", start=0)
    assert (result.anchor, result.method) == (None, "not-found")


def _long_article() -> str:
    # 100 KB from the five seeds; every third word carries its copy's number, so that no claim of ten
    # words occurs in two copies.
    seeds = [clean_article(path.read_text()).body for path in sorted(SEEDS_DIR.iterdir())]
    copies = []
    for number in range(8):
        for seed in seeds:
            words = seed.split(" ")
            copies.append(" ".join(w + str(number) if i % 3 == 0 else w for i, w in enumerate(words)))
    return "\n\n".join(copies)[:100_000]


class CountingFuzz:
    """rapidfuzz's fuzz, counting the characters of text the approximate alignments search through."""

    def __init__(self):
        self.searched = 0

    def partial_ratio_alignment(self, needle, text):
        self.searched += len(text)
        return fuzz.partial_ratio_alignment(needle, text)

    def __getattr__(self, name):
        return getattr(fuzz, name)


def test_it_reanchors_200_claims_in_a_100_kb_article_searching_near_each_old_place(monkeypatch):
    body = _long_article()
    passages = [p for p in split_passages(body) if len(p[2].split()) >= 8][::2][:200]
    claims = [anchor_at(body, start, start + len(" ".join(text.split()[:10]))) for start, _, text in passages]
    assert len(claims) == 200
    new_body = body
    for claim in sorted(claims[::2], key=lambda c: -c.start):  # every other claim is corrected
        new_body = new_body[: claim.start] + claim.quote.replace(" ", " more than ", 1) + new_body[claim.end :]
    new_body = "An editor's note opens the corrected version.\n\n" + new_body

    counting = CountingFuzz()
    monkeypatch.setattr(reanchor_module, "fuzz", counting)
    results = [
        reanchor(new_body, quote=c.quote, prefix=c.prefix, suffix=c.suffix, start=c.start, old_body_length=len(body))
        for c in claims
    ]

    corrected = {c.start for c in claims[::2]}
    for claim, result in zip(claims, results, strict=True):
        words = claim.quote.replace(" ", " more than ", 1) if claim.start in corrected else claim.quote
        assert result.anchor.quote == words
        assert result.quote_changed == (claim.start in corrected)
    # Searching the whole article for each of the 100 corrected claims would be 100 article lengths; each is
    # looked for near its old place first (only the first claim, whose prefix the editor's note changed,
    # goes on to the whole article). How long it takes: benchmarks/reanchor_speed.py.
    assert counting.searched < 5 * len(new_body)
