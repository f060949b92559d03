"""A claim's suggestions are kept in the cache (claims.suggestion_cache) and are never stale: asked again,
they cost no search; after a passage is written, a source linked, the claim reworded, an article given a
title, a new version or deleted, the page shows what a fresh search shows."""

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, Passage, PassagesRevision
from claims.models import Claim, PassageEmbedding
from claims.services import claim_update
from claims.suggestions import suggestions_for_claim
from tests.test_admin import _metadata_form
from tests.test_suggestions import tag

PASSAGE = re.compile(r'data-passage="(\d+)"')
NEW_REPORT = "Officials said there were three confirmed deaths after the raids, and more feared."


def suggested(client, claim) -> list[int]:
    content = client.get(reverse("claims:suggestions", args=[claim.pk])).content.decode()
    return [int(pk) for pk in PASSAGE.findall(content)]


def fresh(claim) -> list[int]:
    """What a search made now, with no cache, suggests."""
    claim = Claim.objects.select_related("article").get(pk=claim.pk)
    return [s.passage.pk for s in suggestions_for_claim(claim, limit=8)]


@pytest.fixture
def claim(seeded, editor):
    made = tag(seeded["000"], "three confirmed deaths")
    made.created_by = editor
    made.save()
    return made


def test_suggestions_asked_again_are_read_from_the_cache_without_a_search(editor_client, claim):
    first = suggested(editor_client, claim)
    assert first == fresh(claim) and first
    with CaptureQueriesContext(connection) as queries:
        again = suggested(editor_client, claim)
    assert again == first
    assert not any("articles_passage_fts" in q["sql"] or "to_tsquery" in q["sql"] for q in queries)


def test_a_passage_imported_since_is_suggested(editor_client, claim, tmp_path):
    before = suggested(editor_client, claim)
    report = tmp_path / "report.txt"
    report.write_text(f"Raids in the capital\n\n{NEW_REPORT}\n", encoding="utf-8")
    call_command("import_articles", str(report))
    new = Passage.objects.get(text__startswith="Officials said there were three confirmed deaths")
    after = suggested(editor_client, claim)
    assert new.pk in after and after != before and after == fresh(claim)


def test_a_passage_linked_through_the_page_is_no_longer_suggested(editor_client, claim):
    best = suggested(editor_client, claim)[0]
    editor_client.post(reverse("claims:link-passage", args=[claim.pk]), {"passage": best, "stance": "supports"})
    after = suggested(editor_client, claim)
    assert best not in after and after == fresh(claim)


def test_a_claim_reworded_gets_the_suggestions_of_its_new_words(editor_client, claim, editor):
    before = suggested(editor_client, claim)
    editor_client.post(
        reverse("claims:edit", args=[claim.pk]),
        {"wording": "Rainbow Railroad is a registered Canadian charity", "tags": "", "version": claim.version},
    )
    after = suggested(editor_client, claim)
    assert after != before and after == fresh(claim)


def test_an_article_retitled_in_the_admin_shows_its_new_title(client, claim, admin_user, editor):
    client.force_login(editor)
    first = Passage.objects.select_related("article").get(pk=suggested(client, claim)[0])
    client.force_login(admin_user)
    url = reverse("admin:articles_article_change", args=[first.article.pk])
    client.post(url, _metadata_form(first.article, title="A title given in the admin"))
    client.force_login(editor)
    content = client.get(reverse("claims:suggestions", args=[claim.pk])).content.decode()
    assert "A title given in the admin" in content


def test_an_article_deleted_in_the_admin_is_no_longer_suggested(client, claim, admin_user, editor):
    client.force_login(editor)
    first = Passage.objects.get(pk=suggested(client, claim)[0])
    client.force_login(admin_user)
    response = client.post(reverse("admin:articles_article_delete", args=[first.article_id]), {"post": "yes"})
    assert not Article.objects.filter(pk=first.article_id).exists(), response.content.decode()[:500]
    client.force_login(editor)
    after = suggested(client, claim)
    assert first.pk not in after and after == fresh(claim)


def test_every_change_to_what_a_search_can_find_moves_the_revision_on(claim, editor):
    seen = [PassagesRevision.current()]

    def moved() -> bool:
        seen.append(PassagesRevision.current())
        return seen[-1] > seen[-2]

    article = Article.objects.create(title="New", body="A body of one sentence.", content_hash="x" * 64)
    assert moved()
    passage = Passage.objects.create(article=article, index=0, start=0, end=5, text="A body")
    assert moved()
    PassageEmbedding.objects.create(passage=passage, model="m", vector=b"\0" * 8)
    assert moved()
    PassageEmbedding.objects.filter(passage=passage).delete()
    assert moved()
    Article.objects.filter(pk=article.pk).delete()  # its passages with it
    assert moved()
    claim_update(claim=claim, user=editor, expected_version=claim.version, wording="Other words", tags="")
    assert not moved()  # a claim's own changes move its version on instead
