"""The admin site: useful lists for articles, claims, evidence and tags; anchors and verdicts read-only."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.signals import metadata_changed
from claims.models import Claim
from tests.factories import ArticleFactory, ClaimFactory, PassageEvidenceFactory


@pytest.fixture
def admin_client_(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize("name", ["articles_article", "claims_claim", "claims_evidencelink", "claims_tag"])
def test_the_admin_lists_load_with_search(admin_client_, seeded, name):
    claim = ClaimFactory(article=seeded["000"])
    PassageEvidenceFactory(claim=claim)
    response = admin_client_.get(reverse(f"admin:{name}_changelist"), {"q": "a"})
    assert response.status_code == 200


def test_an_admin_edit_of_the_wording_bumps_the_version_and_keeps_the_anchor(admin_client_, db):
    claim = ClaimFactory()
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    response = admin_client_.post(
        url,
        {
            "wording": "Admin wording",
            "tags": [],
            "expected_version": claim.version,
            "evidence-TOTAL_FORMS": 0,
            "evidence-INITIAL_FORMS": 0,
            "start": 3,
            "quote": "forged",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = Claim.objects.get(pk=claim.pk)
    assert (saved.wording, saved.version, saved.start, saved.quote) == ("Admin wording", 2, claim.start, claim.quote)


def test_the_article_body_and_provenance_are_read_only_in_the_admin(admin_client_, seeded):
    article = seeded["001"]
    content = admin_client_.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert 'name="body"' not in content and 'name="content_hash"' not in content
    assert 'name="title"' in content
    assert "BidVertiser ClickADu HilltopAds" in content  # the raw input is shown as received


@pytest.fixture
def heard_metadata_changes():
    heard = []

    def listener(sender, *, article, fields, user, **kwargs):
        heard.append((article.pk, fields, user))

    metadata_changed.connect(listener)
    yield heard
    metadata_changed.disconnect(listener)


def _metadata_form(article, **changes) -> dict:
    published = timezone.localtime(article.published_at)
    data = {
        "title": article.title,
        "title_inferred": "on" if article.title_inferred else "",
        "url": article.url,
        "publisher": article.publisher,
        "published_at_0": published.date().isoformat(),
        "published_at_1": published.strftime("%H:%M:%S"),
    }
    return data | changes


def test_an_admin_metadata_edit_announces_the_fields_it_changed_and_who_changed_them(
    admin_client_, admin_user, heard_metadata_changes
):
    article = ArticleFactory(url="https://news.example/a", published_at=datetime(2017, 4, 28, 21, 6, tzinfo=UTC))
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = admin_client_.post(url, _metadata_form(article, title="Corrected headline", publisher="Wire"))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert heard_metadata_changes == [(article.pk, ["title", "publisher"], admin_user)]


def test_saving_an_article_in_the_admin_without_changes_announces_nothing(admin_client_, heard_metadata_changes):
    article = ArticleFactory(url="https://news.example/a", published_at=datetime(2017, 4, 28, 21, 6, tzinfo=UTC))
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = admin_client_.post(url, _metadata_form(article))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert heard_metadata_changes == []


def test_editors_cannot_enter_the_admin(client, editor):
    client.force_login(editor)
    assert client.get(reverse("admin:index")).status_code == 302
