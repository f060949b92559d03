"""Conditional GETs of a claim: the ETag a client holds, sent back in If-None-Match, gets 304 and no body while
the claim is at that version, and the claim itself once it has moved on."""

import pytest

from claims import services
from tests.api_helpers import ApiClient
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


def test_a_claim_still_at_the_version_held_is_a_304_with_no_body(viewer, django_assert_max_num_queries):
    claim = ClaimFactory()
    api = ApiClient(viewer, write=False)
    tag = api.get(f"/claims/{claim.pk}")["ETag"]
    with django_assert_max_num_queries(3):  # the token, its throttle's count (in the cache), the version
        response = api.get(f"/claims/{claim.pk}", **{"If-None-Match": tag})
    assert response.status_code == 304
    assert response.content == b"" and response["ETag"] == tag


@pytest.mark.parametrize("held", ['W/"{tag}"', '"1.999", "{tag}"', "*"])
def test_weak_listed_and_any_tags_match_as_if_none_match_compares_them(viewer, held):
    claim = ClaimFactory()
    tag = f"{claim.pk}.{claim.version}"
    response = ApiClient(viewer).get(f"/claims/{claim.pk}", **{"If-None-Match": held.format(tag=tag)})
    assert response.status_code == 304


def test_a_claim_changed_since_comes_whole_with_its_new_etag(viewer, reviewer):
    claim = ClaimFactory()
    api = ApiClient(viewer)
    tag = api.get(f"/claims/{claim.pk}")["ETag"]
    services.claim_update(claim=claim, user=reviewer, expected_version=claim.version, wording="Reworded", tags="")
    response = api.get(f"/claims/{claim.pk}", **{"If-None-Match": tag})
    assert response.status_code == 200
    assert response.json()["wording"] == "Reworded"
    assert response["ETag"] == f'"{claim.pk}.{claim.version + 1}"' != tag


def test_a_missing_claim_is_a_404_whatever_tag_is_held(viewer):
    assert ApiClient(viewer).get("/claims/999999", **{"If-None-Match": "*"}).status_code == 404
