"""Claim pages as editors and reviewers use them: tagging, the reader, the list, the claim page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.text import split_passages
from claims.models import Claim
from claims.services import claim_update, evidence_remove
from tests.factories import ArticleFactory, ClaimFactory, PassageEvidenceFactory, UserFactory, _passage_of

QUOTE = "as many as 100 LGBTQ men had been arrested, detained and tortured"


def test_tagging_by_selection_answers_the_script_with_json(editor_client, seeded):
    article = seeded["000"]
    start = article.body.index(QUOTE)
    response = editor_client.post(
        reverse("claims:create"),
        {
            "article": article.pk,
            "start": start,
            "end": start + len(QUOTE),
            "wording": "",
            "tags": "Arrests, arrests, police",
        },
        headers={"X-Requested-With": "fetch"},
    )
    assert response.status_code == 201
    claim = Claim.objects.get(pk=response.json()["id"])
    assert (claim.quote, claim.wording) == (QUOTE, QUOTE)
    assert sorted(t.name for t in claim.tags.all()) == ["Arrests", "police"]


def test_tags_are_reused_ignoring_case(editor_client, seeded):
    article = seeded["000"]
    for start, tags in ((0, "Funding"), (40, "funding")):
        editor_client.post(
            reverse("claims:create"), {"article": article.pk, "start": start, "end": start + 10, "tags": tags}
        )
    assert [list(c.tags.values_list("name", flat=True)) for c in Claim.objects.all()] == [["Funding"], ["Funding"]]


def test_a_bad_selection_answers_the_script_with_field_errors(editor_client, seeded):
    article = seeded["000"]
    response = editor_client.post(
        reverse("claims:create"),
        {"article": article.pk, "start": 10, "end": 999999},
        headers={"X-Requested-With": "fetch"},
    )
    assert response.status_code == 400
    assert "outside the article text" in response.json()["errors"]["__all__"][0]
    assert not Claim.objects.exists()


@pytest.mark.parametrize("article", ["", "abc", "99999"])
def test_tagging_a_missing_or_forged_article_is_not_found(editor_client, db, article):
    response = editor_client.post(reverse("claims:create"), {"article": article, "start": 0, "end": 5})
    assert response.status_code == 404


def test_without_javascript_a_claim_is_tagged_by_pasting_its_words(editor_client, seeded):
    article = seeded["000"]
    response = editor_client.post(
        reverse("claims:create"), {"article": article.pk, "quote": QUOTE, "wording": "100 men were held"}
    )
    claim = Claim.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#claim-item-{claim.pk}")
    assert claim.wording == "100 men were held" and claim.quote == QUOTE


def test_pasted_words_that_are_not_in_the_article_show_a_field_error(editor_client, seeded):
    response = editor_client.post(reverse("claims:create"), {"article": seeded["000"].pk, "quote": "no such words"})
    assert response.status_code == 400
    assert "These words do not appear in the article" in response.content.decode()


def test_the_reader_highlights_claims_by_status_and_lists_them(editor_client, seeded, editor):
    article = seeded["000"]
    start = article.body.index(QUOTE)
    claim = ClaimFactory(article=article, created_by=editor, start=start, end=start + len(QUOTE), status="verified")
    content = editor_client.get(article.get_absolute_url()).content.decode()
    assert f'class="claim-mark claim-mark--verified" href="/claims/{claim.pk}/"' in content
    assert f">{QUOTE}</a>" in content
    assert f'id="claim-item-{claim.pk}"' in content and "✓</span> Verified" in content


def test_the_reader_runs_a_constant_number_of_queries_with_200_claims(
    editor_client, seeded, editor, django_assert_max_num_queries
):
    article = seeded["002"]
    passages = split_passages(article.body)
    for n in range(200):
        start, end, _ = passages[n % len(passages)]
        ClaimFactory(article=article, created_by=editor, start=start, end=end)
    with django_assert_max_num_queries(8):
        response = editor_client.get(article.get_absolute_url())
    assert response.content.decode().count('class="claim-mark') >= len(passages)


def test_the_claim_list_filters_counts_and_sorts(editor_client, editor, reviewer):
    other = UserFactory(username="someone-else", role="editor")
    ClaimFactory(created_by=editor, wording="Aid reached the border", status="verified", reviewed_by=reviewer)
    ClaimFactory(created_by=editor, wording="Ten men were released", status="disputed")
    ClaimFactory(created_by=other, wording="The hotline got calls")
    content = editor_client.get(reverse("claims:list"), {"created_by": editor.pk}).content.decode()
    assert "2 claims" in content and "The hotline got calls" not in content
    assert "Verified <span" not in content  # counts are numbers next to badges, not stray markup
    content = editor_client.get(reverse("claims:list"), {"q": "men released", "sort": "wording"}).content.decode()
    assert "1 claim" in content and "Ten men were released" in content
    content = editor_client.get(reverse("claims:list"), {"reviewer": reviewer.pk}).content.decode()
    assert "1 claim" in content and "Aid reached the border" in content


def test_status_counts_follow_the_other_filters(editor_client, editor):
    for status in ("open", "open", "verified"):
        ClaimFactory(created_by=editor, status=status)
    response = editor_client.get(reverse("claims:list"), {"status": "verified"})
    assert response.context["status_counts"] == {"open": 2, "verified": 1, "disputed": 0, "review": 0}
    assert response.context["page"].paginator.count == 1


def test_status_counts_follow_a_text_search(editor_client, editor):
    ClaimFactory(created_by=editor, wording="Aid convoy arrived", status="verified")
    ClaimFactory(created_by=editor, wording="Aid convoy delayed")
    ClaimFactory(created_by=editor, wording="Unrelated")
    response = editor_client.get(reverse("claims:list"), {"q": "convoy", "status": "open"})
    assert response.context["status_counts"] == {"open": 1, "verified": 1, "disputed": 0, "review": 0}


def test_has_contradicting_source_filter(editor_client, editor):
    contradicted = ClaimFactory(created_by=editor, wording="Contradicted one")
    PassageEvidenceFactory(claim=contradicted, stance="contradicts")
    ClaimFactory(created_by=editor, wording="Plain one")
    content = editor_client.get(reverse("claims:list"), {"has_contradicting": "true"}).content.decode()
    assert "Contradicted one" in content and "Plain one" not in content


def test_the_claim_list_runs_a_constant_number_of_queries(editor_client, editor, django_assert_max_num_queries):
    for n in range(60):
        claim = ClaimFactory(created_by=editor)
        if n % 3 == 0:
            PassageEvidenceFactory(claim=claim, stance="contradicts")
    with django_assert_max_num_queries(13):
        editor_client.get(reverse("claims:list"), {"sort": "-created"})


def test_the_claim_page_shows_context_sources_by_stance_and_what_the_verdict_needs(client, editor, reviewer):
    claim = ClaimFactory(created_by=editor)
    PassageEvidenceFactory(claim=claim, stance="supports", passage=_passage_of(ArticleFactory(title="Backing report")))
    client.force_login(reviewer)
    content = client.get(claim.get_absolute_url()).content.decode()
    assert f"<mark>{claim.quote}</mark>" in content
    assert "Backing report" in content and "1 of 2 independent supporting sources" in content
    assert "Needs one more independent supporting source" in content


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_only_those_who_may_judge_are_told_what_a_verdict_needs(client, request, editor, role):
    claim = ClaimFactory(created_by=editor)
    client.force_login(request.getfixturevalue(role))
    content = client.get(claim.get_absolute_url()).content.decode()
    assert "0 of 2 independent supporting sources" in content
    for offer in ("allowed with a rationale", "Needs one more", "Reopen", "Record verdict"):
        assert offer not in content


def test_the_claim_page_runs_a_constant_number_of_queries(client, reviewer, editor):
    def queries_for(links: int) -> int:
        claim = ClaimFactory(created_by=editor)
        for n in range(links):
            link = PassageEvidenceFactory(claim=claim, stance=["supports", "contradicts"][n % 2])
            if n % 3 == 0:
                evidence_remove(link=link, user=editor)
        claim.refresh_from_db()
        claim_update(claim=claim, user=editor, expected_version=claim.version, wording="Reworded", tags="a, b")
        ArticleFactory(body=f"An article found by the search, with {links} links.")
        with CaptureQueriesContext(connection) as captured:
            assert client.get(claim.get_absolute_url(), {"q": f"found by the search with {links}"}).status_code == 200
        return len(captured)

    client.force_login(reviewer)
    small, large = queries_for(2), queries_for(30)
    # The search (claims.suggestions): word counts, candidates, texts, embeddings, results (PostgreSQL counts
    # common words in two queries); the suggested sources are fetched by the page's script. The discussion
    # and assignments add four, and a fifth for mentions once a comment has an "@" (tests/test_discussion.py).
    assert small == large <= (23 if connection.vendor == "postgresql" else 22)


def test_passage_search_offers_other_articles_passages_only(editor_client, editor):
    claim = ClaimFactory(created_by=editor, article=ArticleFactory(body="The dam burst at noon. Nobody was hurt."))
    ArticleFactory(title="Other paper", body="Witnesses say the dam burst before noon.")
    content = editor_client.get(claim.get_absolute_url(), {"q": "dam burst"}).content.decode()
    assert "<blockquote>Witnesses say the <mark>dam burst</mark> before noon.</blockquote>" in content
    assert "The dam burst at noon.</blockquote>" not in content and "<mark>dam burst</mark> at noon" not in content


def test_an_editor_reads_another_articles_passages_to_pick_one(editor_client, editor):
    claim = ClaimFactory(created_by=editor)
    other = ArticleFactory(title="Wire copy", body="First fact here. Second fact there.")
    response = editor_client.get(claim.get_absolute_url(), {"source": other.pk})
    content = response.content.decode()
    assert (
        "<blockquote>First fact here.</blockquote>" in content
        and "<blockquote>Second fact there.</blockquote>" in content
    )
    own = editor_client.get(claim.get_absolute_url(), {"source": claim.article_id}).context["search"]
    assert "source" in own.errors  # the claim's own article is not offered


def test_a_stale_edit_is_refused_and_shows_what_changed(client, editor, reviewer):
    claim = ClaimFactory(created_by=editor, wording="Original wording")
    seen = claim.version
    claim_update(claim=claim, user=reviewer, expected_version=seen, wording="Reviewer's wording", tags="")
    client.force_login(editor)
    response = client.post(
        reverse("claims:edit", args=[claim.pk]), {"wording": "Editor's wording", "tags": "x", "version": seen}
    )
    content = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this claim since you opened it" in content
    assert "Reviewer&#x27;s wording" in content and "Editor&#x27;s wording" in content
    assert f"last changed by {reviewer.username}" in content
    assert Claim.objects.get(pk=claim.pk).wording == "Reviewer's wording"


def test_an_external_source_with_a_bad_url_shows_the_field_error(editor_client, editor):
    claim = ClaimFactory(created_by=editor)
    response = editor_client.post(
        reverse("claims:link-external", args=[claim.pk]), {"url": "ftp://files.example/x", "stance": "supports"}
    )
    assert response.status_code == 400 and "Enter a valid URL." in response.content.decode()
    assert not claim.evidence.exists()


def test_removing_a_link_is_recorded_with_who_removed_it(editor_client, editor):
    claim = ClaimFactory(created_by=editor)
    link = PassageEvidenceFactory(claim=claim)
    editor_client.post(reverse("claims:unlink", args=[claim.pk, link.pk]))
    removal = link.history.model.objects.filter(id=link.pk, history_type="-").get()
    assert removal.history_user == editor


@pytest.mark.parametrize("name", ["claims:list", "claims:detail"])
def test_claim_pages_send_anonymous_visitors_to_login(client, db, name):
    url = reverse(name, args=[ClaimFactory().pk] if name == "claims:detail" else [])
    assert client.get(url)["Location"].startswith(reverse("login"))


def test_a_passage_already_linked_shows_as_linked_without_buttons_to_link_it_again(editor_client, editor):
    claim = ClaimFactory(created_by=editor)
    linked = PassageEvidenceFactory(claim=claim, stance="contradicts", added_by=editor).passage
    ArticleFactory(body=f"{linked.text} Then more.")  # another article holding the same words, not linked
    content = editor_client.get(claim.get_absolute_url(), {"q": linked.text}).content.decode()
    assert "Linked already: contradicts." in content
    found = content.split('id="suggestions"')[0]  # the suggested sources below leave linked passages out
    assert f'name="passage" value="{linked.pk}"' not in content
    assert found.count('name="passage" value=') == 1
