"""The admin site: useful lists for articles, claims, evidence and tags; anchors and verdicts read-only."""

import pytest
from django.urls import reverse

from claims.models import Claim
from tests.factories import ClaimFactory, PassageEvidenceFactory


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


def test_editors_cannot_enter_the_admin(client, editor):
    client.force_login(editor)
    assert client.get(reverse("admin:index")).status_code == 302
