"""Same claim elsewhere: before saving, the tag box and the words-tagging form say which claims may already
say it, and offer to open them; saving is never refused."""

import json

import pytest
from django.urls import reverse

from claims import semantic, services
from claims.anchoring import anchor_for_quote
from claims.duplicates import OVERLAP, SAME_MEANING_KIND, SAME_QUOTE, SIMILAR, existing_claims, normalised
from tests.factories import ArticleFactory, ClaimFactory

FIGURE_SENTENCE = "The network has helped 40 gay men evacuate the republic so far"


@pytest.fixture
def text_mode(monkeypatch):
    """The workbench without the semantic extra: its model's package cannot be imported."""
    monkeypatch.setattr(semantic, "MODEL_PACKAGE", "gt_no_such_model_package")
    semantic._load.cache_clear()
    yield
    semantic._load.cache_clear()


@pytest.fixture
def model():
    if not semantic.installed():
        pytest.skip("the [semantic] extra is not installed")
    return semantic._model()


def _tag(article, quote, user, wording=""):
    return services.claim_create(
        article=article, user=user, anchor=anchor_for_quote(article.body, quote), wording=wording
    )


def test_quotes_compare_by_their_words_whatever_the_case_spacing_or_punctuation():
    assert normalised("  The “Network”,\nhas   HELPED 40 men. ") == normalised("the network has helped 40 men")
    assert normalised("...") == ""


def test_an_overlapping_claim_in_the_same_article_is_found(seeded, editor):
    article = seeded["001"]
    claim = _tag(article, FIGURE_SENTENCE, editor)
    start = article.body.index("helped 40 gay men")
    found = existing_claims(article=article, quote="helped 40 gay men", start=start, end=start + 17)
    assert [(d.kind, d.claim_id) for d in found] == [(OVERLAP, claim.pk)]
    assert found[0].reason == "overlapping words, in this article"
    assert found[0].url == claim.get_absolute_url()


def test_words_that_only_touch_a_claim_do_not_overlap_it(editor, db):
    article = ArticleFactory(body="First sentence here. Second sentence there.")
    ClaimFactory(article=article, start=0, end=20, created_by=editor)
    assert existing_claims(article=article, quote="Second sentence there.", start=21, end=43) == []


def test_the_same_quote_in_another_article_is_found(editor, db):
    words = "The ministry said 40 men were detained in Grozny."
    first = ArticleFactory(body=f"{words} Then more.")
    second = ArticleFactory(body=f"Syndicated. {words}")
    claim = _tag(first, words, editor)
    found = existing_claims(article=second, quote=words)
    assert [(d.kind, d.claim_id) for d in found] == [(SAME_QUOTE, claim.pk)]
    assert found[0].reason == "the same words, in another article"


def test_the_same_quote_spelled_otherwise_in_another_article_is_found_through_the_search(editor, db):
    first = ArticleFactory(body="Officials say that 40 men were detained in Grozny last week. Other news.")
    second = ArticleFactory(body="Officials say that 40 men were DETAINED in Grozny, last week!")
    claim = _tag(first, "Officials say that 40 men were detained in Grozny last week.", editor)
    found = existing_claims(article=second, quote=second.body)
    assert [(d.kind, d.claim_id) for d in found] == [(SAME_QUOTE, claim.pk)]


def test_a_claim_on_a_passage_much_like_the_words_is_offered_in_text_mode(text_mode, seeded, editor):
    claim = _tag(seeded["001"], FIGURE_SENTENCE, editor)
    article = seeded["003"]
    quote = "says it has helped 40 gay and bisexual men flee from Chechnya"
    found = existing_claims(article=article, quote=quote, wording="The network helped 40 gay men leave Chechnya")
    assert claim.pk in [d.claim_id for d in found]
    match = next(d for d in found if d.claim_id == claim.pk)
    assert match.kind == SIMILAR and match.reason.startswith("a claim on a passage much like these words")


def test_a_claim_with_the_same_meaning_elsewhere_is_found_with_the_sentence_model(model, seeded, editor):
    claim = _tag(
        seeded["003"],
        "says it has helped 40 gay and bisexual men flee from Chechnya",
        editor,
        wording="The Russian LGBT Network has helped 40 gay and bisexual men flee Chechnya",
    )
    article = seeded["001"]
    found = existing_claims(
        article=article, quote=FIGURE_SENTENCE, wording="The network helped 40 gay men leave Chechnya"
    )
    [match] = [d for d in found if d.claim_id == claim.pk]
    assert match.kind == SAME_MEANING_KIND
    assert match.reason.startswith("the same meaning, in another article (similarity 0.")


def test_a_claim_on_the_same_story_but_saying_something_else_is_not_the_same_meaning(model, seeded, editor):
    _tag(seeded["002"], "The international organization All Out united to rescue Chechen gays", editor)
    found = existing_claims(
        article=seeded["001"], quote=FIGURE_SENTENCE, wording="The network helped 40 gay men leave Chechnya"
    )
    assert found == []


def test_an_unrelated_sentence_finds_nothing(seeded, editor):
    _tag(seeded["001"], FIGURE_SENTENCE, editor)
    article = seeded["000"]
    quote = "Another raised more than $20,000 in five days."
    assert existing_claims(article=article, quote=quote) == []


def test_the_tag_box_asks_before_saving_and_gets_json(editor_client, seeded, editor):
    claim = _tag(seeded["001"], FIGURE_SENTENCE, editor)
    article = seeded["001"]
    start = article.body.index(FIGURE_SENTENCE)
    response = editor_client.post(
        reverse("claims:duplicates"),
        {"article": article.pk, "start": start, "end": start + len(FIGURE_SENTENCE), "wording": "40 men"},
        headers={"X-Requested-With": "fetch"},
    )
    assert response.status_code == 200
    [found] = json.loads(response.content)["claims"]
    assert found == {
        "kind": OVERLAP,
        "reason": "the same words, in this article",
        "id": claim.pk,
        "url": claim.get_absolute_url(),
        "wording": claim.wording,
        "article": article.title,
        "publisher": article.publisher,
    }
    # Asking wrote nothing.
    assert article.claims.count() == 1


def test_without_a_script_the_check_shows_the_form_as_filled_in_with_links_to_open(editor_client, seeded, editor):
    claim = _tag(seeded["001"], FIGURE_SENTENCE, editor)
    article = seeded["001"]
    response = editor_client.post(
        reverse("claims:duplicates"), {"article": article.pk, "quote": FIGURE_SENTENCE, "wording": "Mine"}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Already tagged?" in content and f'href="{claim.get_absolute_url()}"' in content
    assert response.context["tag_form"].initial["wording"] == "Mine"
    assert 'id="tag-by-quote" open' in content
    # Saving a duplicate anyway is the editor's choice, and allowed.
    editor_client.post(reverse("claims:create"), {"article": article.pk, "quote": FIGURE_SENTENCE, "wording": "Mine"})
    assert article.claims.count() == 2


def test_the_check_says_so_when_nothing_is_tagged_yet(editor_client, seeded):
    article = seeded["000"]
    response = editor_client.post(
        reverse("claims:duplicates"), {"article": article.pk, "quote": "Another raised more than $20,000 in five days."}
    )
    assert "No claim found that already says this." in response.content.decode()


def test_a_candidates_link_shows_the_claims_that_may_already_say_it(editor_client, seeded, editor):
    claim = _tag(seeded["001"], FIGURE_SENTENCE, editor)
    response = editor_client.get(seeded["001"].get_absolute_url(), {"candidates": "1", "quote": FIGURE_SENTENCE})
    assert [d.claim_id for d in response.context["duplicates"]] == [claim.pk]


def test_only_those_who_tag_may_ask(client, viewer, seeded):
    client.force_login(viewer)
    response = client.post(reverse("claims:duplicates"), {"article": seeded["000"].pk, "quote": "Two online"})
    assert response.status_code == 403


def test_the_check_costs_the_same_queries_however_many_claims_there_are(
    editor_client, seeded, editor, django_assert_max_num_queries
):
    article = seeded["001"]
    counts = []
    for extra in (1, 30):
        for _ in range(extra):
            ClaimFactory(article=ArticleFactory(), created_by=editor)
        with django_assert_max_num_queries(20) as captured:
            editor_client.post(
                reverse("claims:duplicates"),
                {"article": article.pk, "quote": FIGURE_SENTENCE},
                headers={"X-Requested-With": "fetch"},
            )
        counts.append(len(captured))
    assert counts[0] == counts[1]
