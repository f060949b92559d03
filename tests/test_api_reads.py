"""The API's reads: articles, claims with the claim list's filters, evidence, tags and claim sets, a page at a
time from an opaque cursor, at the same few queries whatever the page holds; errors as problem details."""

import pytest
from django.urls import reverse

from claims import services
from claims.models import Claim, ClaimSet, Tag
from tests.api_helpers import ApiClient
from tests.factories import ArticleFactory, ClaimFactory, PassageEvidenceFactory, UserFactory
from workbench.api.pagination import MAX_LIMIT

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(viewer):
    return ApiClient(viewer, write=False)


def every_page(api, path: str, **query) -> list[dict]:
    items, cursor = [], None
    while True:
        page = api.get(path, {**query, **({"cursor": cursor} if cursor else {})}).json()
        items += page["items"]
        cursor = page["next"]
        if cursor is None:
            return items


def test_an_article_comes_with_its_provenance_and_passages(api):
    article = ArticleFactory(title="Council budget", origin_file="budget.jsonl", origin_record=3)
    found = api.get(f"/articles/{article.pk}").json()
    assert found["title"] == "Council budget"
    assert found["body"] == article.body
    assert found["provenance"]["origin_file"] == "budget.jsonl"
    assert found["provenance"]["origin_record"] == 3
    assert found["provenance"]["content_hash"] == article.content_hash
    assert found["provenance"]["raw"] == reverse("articles:raw", args=[article.pk])
    assert [p["text"] for p in found["passages"]] == [p.text for p in article.passages.order_by("index")]


def test_articles_are_searched_by_title(api):
    ArticleFactory(title="Council budget rises")
    ArticleFactory(title="Hospital waits")
    assert [a["title"] for a in api.get("/articles", {"q": "budget"}).json()["items"]] == ["Council budget rises"]


def test_pages_follow_each_other_to_the_end_without_repeats_or_gaps(api):
    claims = [ClaimFactory() for _ in range(7)]
    seen = every_page(api, "/claims", limit=3)
    assert [c["id"] for c in seen] == [c.pk for c in reversed(claims)]


def test_a_claim_tagged_meanwhile_does_not_shift_the_next_page(api):
    older = [ClaimFactory() for _ in range(4)]
    first = api.get("/claims", {"limit": 2}).json()
    ClaimFactory()  # newer than every claim listed: it belongs before the first page
    second = api.get("/claims", {"limit": 2, "cursor": first["next"]}).json()
    assert [c["id"] for c in first["items"] + second["items"]] == [c.pk for c in reversed(older)]


def test_a_page_is_at_most_the_largest_size(api):
    response = api.get("/claims", {"limit": MAX_LIMIT + 1})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "limit"


def test_a_cursor_the_api_did_not_give_is_a_400_problem(api):
    response = api.get("/claims", {"cursor": "bm90IGEgY3Vyc29y"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Bad Request"


def test_claims_are_filtered_as_the_claim_list_filters_them(api, reviewer):
    health = ClaimFactory(wording="Waiting lists grew")
    health.tags.add(Tag.objects.create(name="health"))
    ClaimFactory(wording="The bridge cost more")
    assert [c["id"] for c in api.get("/claims", {"tag": "health"}).json()["items"]] == [health.pk]
    assert [c["id"] for c in api.get("/claims", {"q": "bridge"}).json()["items"]] != [health.pk]
    assert api.get("/claims", {"status": "verified"}).json()["items"] == []
    mine = ClaimFactory(created_by=UserFactory(username="desk-one", role="editor"))
    assert [c["id"] for c in api.get("/claims", {"created_by": "desk-one"}).json()["items"]] == [mine.pk]


def test_a_filter_value_the_claim_list_refuses_is_a_422_with_the_field(api):
    response = api.get("/claims", {"status": "maybe"})
    assert response.status_code == 422
    problem = response.json()
    assert problem["errors"][0]["field"] == "status"
    assert "maybe is not one of the available choices" in problem["detail"]


def test_a_claim_carries_its_version_as_etag(api):
    claim = ClaimFactory()
    response = api.get(f"/claims/{claim.pk}")
    assert response["ETag"] == f'"{claim.pk}.{claim.version}"'
    assert response.json()["version"] == claim.version


def test_a_missing_claim_is_a_404_problem(api):
    response = api.get("/claims/999999")
    assert response.status_code == 404
    assert response.json() == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": "There is no such object, or not one you may see.",
    }


@pytest.mark.parametrize("path", ["/nothing/here", "/claims/false/evidence/%17%C3%B7%0A%C2%9A"])
def test_an_address_the_api_does_not_have_is_a_404_problem(api, path):
    response = api.get(path)  # a newline in the address included (Schemathesis found it)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_a_method_an_address_does_not_take_is_a_405_problem_with_allow(api):
    response = api.client.put("/api/v1/tags", headers=api._headers({}))
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert response.json()["status"] == 405


def test_a_claims_evidence_lists_passages_and_external_sources(api, editor):
    claim = ClaimFactory(created_by=editor)
    passage_link = PassageEvidenceFactory(claim=claim)
    services.evidence_add_external(claim=claim, user=editor, url="https://example.org/report", stance="context")
    links = api.get(f"/claims/{claim.pk}/evidence").json()
    assert [link["stance"] for link in links] == ["supports", "context"]
    assert links[0]["passage"]["article"] == passage_link.passage.article_id
    assert links[1]["passage"] is None and links[1]["url"] == "https://example.org/report"


def test_claim_sets_are_their_owners_and_admins_only(viewer, admin_user):
    own = ClaimSet.objects.create(name="Mine", owner=viewer)
    other = ClaimSet.objects.create(name="Theirs", owner=UserFactory(username="set-owner", role="editor"))
    api = ApiClient(viewer, write=False)
    assert [s["name"] for s in api.get("/claim-sets").json()["items"]] == ["Mine"]
    assert api.get(f"/claim-sets/{own.pk}").status_code == 200
    assert api.get(f"/claim-sets/{other.pk}").status_code == 403
    assert api.get(f"/claim-sets/{other.pk}/claims").status_code == 403
    admin = ApiClient(admin_user, write=False)
    assert {s["name"] for s in admin.get("/claim-sets").json()["items"]} == {"Mine", "Theirs"}


def test_a_claim_sets_claims_are_listed_by_status(viewer, reviewer):
    claim_set = ClaimSet.objects.create(name="Budget", owner=viewer)
    verified, still_open = ClaimFactory(status=Claim.Status.VERIFIED), ClaimFactory()
    ClaimFactory()  # not in the set
    claim_set.claims.add(verified, still_open)
    api = ApiClient(viewer, write=False)
    assert {c["id"] for c in every_page(api, f"/claim-sets/{claim_set.pk}/claims")} == {verified.pk, still_open.pk}
    listed = api.get(f"/claim-sets/{claim_set.pk}/claims", {"status": "verified"}).json()["items"]
    assert [c["id"] for c in listed] == [verified.pk]


def test_tags_are_found_by_the_start_of_their_name(api):
    Tag.objects.create(name="Health")
    Tag.objects.create(name="Housing")
    Tag.objects.create(name="Budget")
    assert {t["name"] for t in api.get("/tags", {"q": "h"}).json()["items"]} == {"Health", "Housing"}


def many_claims(n: int) -> None:
    editor = UserFactory(username="prolific", role="editor")
    for i in range(n):
        claim = ClaimFactory(created_by=editor)
        claim.tags.add(Tag.objects.get_or_create(name=f"tag{i % 3}")[0])
        PassageEvidenceFactory(claim=claim)


@pytest.mark.parametrize(
    "path", ["/claims", "/claims?tag=tag1", "/articles", "/tags", "/claim-sets", "/claims/{claim}/evidence"]
)
def test_a_page_costs_the_same_queries_small_or_large(api, path, django_assert_max_num_queries):
    many_claims(2)
    claim = Claim.objects.first()
    with django_assert_max_num_queries(8) as small:
        assert api.get(path.format(claim=claim.pk)).status_code == 200
    many_claims(30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert api.get(path.format(claim=claim.pk), {"limit": 40} if "?" not in path else None).status_code == 200


def test_a_claim_set_page_costs_the_same_queries_small_or_large(viewer, django_assert_max_num_queries):
    claim_set = ClaimSet.objects.create(name="Big", owner=viewer)
    api = ApiClient(viewer, write=False)
    claim_set.claims.add(ClaimFactory())
    with django_assert_max_num_queries(8) as small:
        api.get(f"/claim-sets/{claim_set.pk}/claims")
    claim_set.claims.add(*[ClaimFactory() for _ in range(25)])
    with django_assert_max_num_queries(len(small.captured_queries)):
        api.get(f"/claim-sets/{claim_set.pk}/claims")


def test_an_id_larger_than_any_the_database_holds_is_refused_as_invalid(api):
    """Schemathesis found it: SQLite cannot even compare a column with so large a number (a 500 before)."""
    response = api.get("/claims/83258918677538702417199104")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
