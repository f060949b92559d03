"""The API's writes: each through claims.services under the pages' rules, as the token's user; a read-only
token changes nothing; a change to a claim names the version it is based on (If-Match), and a stale one
gets 412 with nothing written."""

import pytest

from claims.models import Claim, EvidenceLink
from tests.api_helpers import ApiClient
from tests.factories import ArticleFactory, ClaimFactory, PassageEvidenceFactory, UserFactory, _passage_of

pytestmark = pytest.mark.django_db


def if_match(claim) -> dict:
    claim.refresh_from_db()
    return {"If-Match": f'"{claim.pk}.{claim.version}"'}


@pytest.fixture
def article():
    return ArticleFactory(body="The council spent 3 million on the bridge. Critics called it a waste.")


def test_an_editor_tags_a_claim_by_quote(editor, article):
    response = ApiClient(editor).post(
        "/claims", {"article": article.pk, "quote": "spent 3 million", "wording": "It cost 3m", "tags": ["Budget"]}
    )
    assert response.status_code == 201
    claim = Claim.objects.get()
    assert (claim.quote, claim.wording, claim.created_by) == ("spent 3 million", "It cost 3m", editor)
    assert [t.name for t in claim.tags.all()] == ["Budget"]
    assert response["ETag"] == f'"{claim.pk}.{claim.version}"'
    assert response["Location"].endswith(f"/api/v1/claims/{claim.pk}")
    assert {record.history_channel for record in claim.history.all()} == {"api"}


def test_an_editor_tags_a_claim_by_offsets(editor, article):
    start = article.body.index("Critics")
    response = ApiClient(editor).post("/claims", {"article": article.pk, "start": start, "end": len(article.body)})
    assert response.status_code == 201
    assert response.json()["quote"] == "Critics called it a waste."


def test_words_that_are_not_in_the_article_are_a_422_on_the_quote(editor, article):
    response = ApiClient(editor).post("/claims", {"article": article.pk, "quote": "the mayor resigned"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "quote", "detail": "These words do not appear in the article. Copy them exactly from the text."}
    ]
    assert not Claim.objects.exists()


def test_a_missing_article_is_a_422_on_the_article(editor):
    response = ApiClient(editor).post("/claims", {"article": 999999, "quote": "x"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "article"


def test_a_viewer_may_not_tag_even_with_a_read_write_token(viewer, article):
    response = ApiClient(viewer).post("/claims", {"article": article.pk, "quote": "spent 3 million"})
    assert response.status_code == 403
    assert response.json()["detail"] == "Only editors, reviewers and admins tag claims."
    assert not Claim.objects.exists()


def test_a_read_only_token_gets_403_on_every_write(editor, article):
    claim = ClaimFactory(created_by=editor, article=article)
    link = PassageEvidenceFactory(claim=claim)
    api = ApiClient(editor, write=False)
    writes = [
        api.post("/claims", {"article": article.pk, "quote": "spent 3 million"}),
        api.patch(f"/claims/{claim.pk}", {"wording": "Changed"}, **if_match(claim)),
        api.post(f"/claims/{claim.pk}/verdict", {"status": "disputed", "rationale": "No"}, **if_match(claim)),
        api.post(f"/claims/{claim.pk}/reviewed", **if_match(claim)),
        api.post(f"/claims/{claim.pk}/evidence/external", {"url": "https://example.org/", "stance": "context"}),
        api.delete(f"/claims/{claim.pk}/evidence/{link.pk}"),
    ]
    assert [w.status_code for w in writes] == [403] * 6
    assert "read-only" in writes[0].json()["detail"]
    claim.refresh_from_db()
    assert (claim.version, Claim.objects.count(), EvidenceLink.objects.count()) == (1, 1, 1)


def test_an_update_needs_if_match(editor):
    claim = ClaimFactory(created_by=editor)
    response = ApiClient(editor).patch(f"/claims/{claim.pk}", {"wording": "Changed"})
    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]
    claim.refresh_from_db()
    assert claim.wording != "Changed"


def test_an_update_with_the_current_etag_changes_the_claim_and_gives_the_next_etag(editor):
    claim = ClaimFactory(created_by=editor)
    response = ApiClient(editor).patch(f"/claims/{claim.pk}", {"wording": "Changed", "tags": ["a"]}, **if_match(claim))
    assert response.status_code == 200
    claim.refresh_from_db()
    assert (claim.wording, claim.version) == ("Changed", 2)
    assert response["ETag"] == f'"{claim.pk}.2"'
    assert response.json()["tags"] == ["a"]


def test_a_stale_etag_gets_412_and_the_other_change_is_not_lost(editor, admin_user):
    claim = ClaimFactory(created_by=editor)
    seen = if_match(claim)
    first = ApiClient(admin_user).patch(f"/claims/{claim.pk}", {"wording": "The admin's words"}, **seen)
    assert first.status_code == 200
    second = ApiClient(editor).patch(f"/claims/{claim.pk}", {"wording": "The editor's words"}, **seen)
    assert second.status_code == 412
    assert second.json()["version"] == 2
    assert second["ETag"] == f'"{claim.pk}.2"'
    claim.refresh_from_db()
    assert claim.wording == "The admin's words"


@pytest.mark.parametrize(
    "tag, status", [("*", 428), ('W/"{pk}.1"', 412), ('"999999.1"', 412), ("1", 412), ('"{pk}.one"', 412)]
)
def test_an_if_match_that_names_no_version_of_this_claim_is_refused(editor, tag, status):
    claim = ClaimFactory(created_by=editor)
    response = ApiClient(editor).patch(
        f"/claims/{claim.pk}", {"wording": "Changed"}, **{"If-Match": tag.format(pk=claim.pk)}
    )
    assert response.status_code == status
    claim.refresh_from_db()
    assert claim.wording != "Changed"


def test_an_editor_may_not_change_another_editors_claim(editor):
    claim = ClaimFactory(created_by=UserFactory(username="another", role="editor"))
    response = ApiClient(editor).patch(f"/claims/{claim.pk}", {"wording": "Changed"}, **if_match(claim))
    assert response.status_code == 403


def test_a_reviewer_verifies_with_two_sources_and_is_told_why_not_with_one(editor, reviewer):
    claim = ClaimFactory(created_by=editor, article=ArticleFactory(publisher="Origin"))
    PassageEvidenceFactory(claim=claim, passage=_passage_of(ArticleFactory(publisher="Daily One")))
    api = ApiClient(reviewer)
    refused = api.post(
        f"/claims/{claim.pk}/verdict", {"status": "verified", "rationale": "Two say so"}, **if_match(claim)
    )
    assert refused.status_code == 409
    assert refused.json()["reasons"]
    PassageEvidenceFactory(claim=claim, passage=_passage_of(ArticleFactory(publisher="Daily Two")))
    response = api.post(
        f"/claims/{claim.pk}/verdict", {"status": "verified", "rationale": "Two say so"}, **if_match(claim)
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "verified"
    assert response.json()["reviewed_by"] == "reviewer-user"


def test_an_editor_may_not_give_a_verdict(editor):
    claim = ClaimFactory(created_by=UserFactory(username="another", role="editor"))
    response = ApiClient(editor).post(
        f"/claims/{claim.pk}/verdict", {"status": "disputed", "rationale": "No"}, **if_match(claim)
    )
    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.status == Claim.Status.OPEN


def test_an_unknown_verdict_is_a_422_on_the_status(reviewer):
    claim = ClaimFactory()
    response = ApiClient(reviewer).post(f"/claims/{claim.pk}/verdict", {"status": "maybe"}, **if_match(claim))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "status"


def test_the_editor_clears_a_review_flag(editor):
    claim = ClaimFactory(created_by=editor, needs_review=True, review_reason="Check the quote.")
    response = ApiClient(editor).post(f"/claims/{claim.pk}/reviewed", **if_match(claim))
    assert response.status_code == 200
    claim.refresh_from_db()
    assert not claim.needs_review


def test_an_editor_links_and_unlinks_sources_and_each_moves_the_etag(editor):
    claim = ClaimFactory(created_by=editor)
    api = ApiClient(editor)
    passage = _passage_of(ArticleFactory())
    linked = api.post(f"/claims/{claim.pk}/evidence/passage", {"passage": passage.pk, "stance": "supports"})
    assert linked.status_code == 201
    assert linked.json()["passage"]["id"] == passage.pk
    assert linked["ETag"] == f'"{claim.pk}.2"'
    external = api.post(
        f"/claims/{claim.pk}/evidence/external",
        {"url": "https://example.org/report", "stance": "contradicts", "title": "The report"},
    )
    assert external.status_code == 201
    assert (
        api.post(f"/claims/{claim.pk}/evidence/passage", {"passage": passage.pk, "stance": "supports"}).status_code
        == 422
    )
    removed = api.delete(f"/claims/{claim.pk}/evidence/{linked.json()['id']}")
    assert removed.status_code == 204
    assert [link.title for link in claim.evidence.all()] == ["The report"]


def test_a_claims_own_article_is_never_its_evidence(editor):
    claim = ClaimFactory(created_by=editor)
    own = claim.article.passages.first()
    response = ApiClient(editor).post(f"/claims/{claim.pk}/evidence/passage", {"passage": own.pk, "stance": "supports"})
    assert response.status_code == 422
    assert not claim.evidence.exists()


def test_a_stance_that_does_not_exist_is_a_422(editor):
    claim = ClaimFactory(created_by=editor)
    response = ApiClient(editor).post(
        f"/claims/{claim.pk}/evidence/external", {"url": "https://example.org/", "stance": "loves"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "stance"


def test_a_viewer_may_not_unlink(viewer, editor):
    link = PassageEvidenceFactory(claim=ClaimFactory(created_by=editor))
    response = ApiClient(viewer).delete(f"/claims/{link.claim_id}/evidence/{link.pk}")
    assert response.status_code == 403
    assert EvidenceLink.objects.filter(pk=link.pk).exists()
