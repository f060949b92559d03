"""Claim sets: a saved filter of the claim list or claims picked by hand, their owner's and admins'."""

import json

import pytest
from django.urls import reverse

from claims.models import Claim, ClaimSet
from tests.factories import ClaimFactory, UserFactory

pytestmark = pytest.mark.django_db


def exported_ids(client, claim_set, statuses=("verified", "disputed", "open")) -> list[int]:
    response = client.post(
        f"{reverse('claims:export')}?set={claim_set.pk}", {"format": "json", "statuses": list(statuses)}
    )
    assert response.status_code == 200
    return sorted(c["id"] for c in json.loads(b"".join(response.streaming_content))["claims"])


def test_a_set_of_picked_claims_is_made_filled_from_the_list_and_the_claim_page(client, viewer, every_kind_of_claim):
    client.force_login(viewer)
    response = client.post(
        reverse("claims:set-create"), {"selection": "picked", "name": "For  partners", "description": "Q1"}
    )
    claim_set = ClaimSet.objects.get()
    assert response.url == claim_set.get_absolute_url()
    assert (claim_set.name, claim_set.owner, claim_set.selection) == ("For partners", viewer, "picked")

    verified, disputed = every_kind_of_claim["verified"], every_kind_of_claim["disputed"]
    response = client.post(
        reverse("claims:set-add"),
        {
            "claim_set": claim_set.pk,
            "claims": [verified.pk, disputed.pk],
            "next": reverse("claims:list") + "?tag=health",
        },
    )
    assert response.url == reverse("claims:list") + "?tag=health"
    client.post(
        reverse("claims:set-add"),
        {"claim_set": claim_set.pk, "claims": [verified.pk], "next": verified.get_absolute_url()},
    )
    assert sorted(claim_set.claims.values_list("pk", flat=True)) == sorted([verified.pk, disputed.pk])

    assert exported_ids(client, claim_set) == sorted([verified.pk, disputed.pk])
    assert exported_ids(client, claim_set, statuses=["verified"]) == [verified.pk]

    client.post(reverse("claims:set-remove", args=[claim_set.pk, disputed.pk]))
    assert list(claim_set.claims.values_list("pk", flat=True)) == [verified.pk]
    history = claim_set.history.order_by("history_id")
    assert [record.history_user for record in history] == [viewer] * history.count()


def test_a_saved_filter_is_found_again_at_each_export(client, viewer, every_kind_of_claim):
    client.force_login(viewer)
    client.post(reverse("claims:set-create"), {"selection": "filter", "name": "Health", "query": "tag=health&page=3"})
    claim_set = ClaimSet.objects.get()
    assert claim_set.query == "tag=health"
    assert exported_ids(client, claim_set) == sorted(
        [every_kind_of_claim["verified"].pk, every_kind_of_claim["disputed"].pk]
    )

    later = ClaimFactory(status=Claim.Status.DISPUTED)
    later.tags.add(every_kind_of_claim["verified"].tags.get(name="health"))
    assert later.pk in exported_ids(client, claim_set)


def test_saving_the_claim_list_filters_keeps_them_and_the_status(client, viewer, every_kind_of_claim):
    client.force_login(viewer)
    page = client.get(reverse("claims:list"), {"tag": "health", "status": "disputed", "page": "1", "sort": "-created"})
    assert 'name="query" value="tag=health&amp;status=disputed"' in page.content.decode()


def test_a_bad_saved_filter_or_a_taken_name_is_shown_on_the_form(client, viewer, db):
    client.force_login(viewer)
    response = client.post(
        reverse("claims:set-create"), {"selection": "filter", "name": "Dates", "query": "created_after=someday"}
    )
    assert response.status_code == 400 and "These filters are not valid" in response.content.decode()
    ClaimSet.objects.create(name="Health", owner=UserFactory())
    response = client.post(reverse("claims:set-create"), {"selection": "picked", "name": "health"})
    assert response.status_code == 400 and "There is already a claim set with this name." in response.content.decode()
    assert ClaimSet.objects.count() == 1


def test_sets_are_their_owners_and_admins(client, viewer, admin_user, every_kind_of_claim):
    mine = ClaimSet.objects.create(name="Mine", owner=viewer)
    theirs = ClaimSet.objects.create(name="Theirs", owner=UserFactory(role="editor"))
    client.force_login(viewer)
    listed = client.get(reverse("claims:sets")).content.decode()
    assert "Mine" in listed and "Theirs" not in listed
    for response in (
        client.get(theirs.get_absolute_url()),
        client.get(f"{reverse('claims:export')}?set={theirs.pk}"),
        client.post(reverse("claims:set-edit", args=[theirs.pk]), {"name": "Renamed"}),
        client.post(reverse("claims:set-delete", args=[theirs.pk])),
    ):
        assert response.status_code == 403
    client.post(reverse("claims:set-add"), {"claim_set": theirs.pk, "claims": [every_kind_of_claim["open"].pk]})
    assert not theirs.claims.exists()
    theirs.refresh_from_db()
    assert theirs.name == "Theirs"

    client.force_login(admin_user)
    assert "Theirs" in client.get(reverse("claims:sets")).content.decode()
    client.post(reverse("claims:set-edit", args=[theirs.pk]), {"name": "Renamed by admin", "description": ""})
    theirs.refresh_from_db()
    assert theirs.name == "Renamed by admin"
    client.post(reverse("claims:set-delete", args=[mine.pk]))
    assert not ClaimSet.objects.filter(pk=mine.pk).exists()


def test_an_anonymous_visitor_sees_no_sets(client, db):
    assert "/login/" in client.get(reverse("claims:sets")).url


def test_set_pages_cost_the_same_queries_however_many_claims(client, viewer, django_assert_max_num_queries):
    claim_set = ClaimSet.objects.create(name="Many", owner=viewer)
    client.force_login(viewer)
    claim_set.claims.add(*ClaimFactory.create_batch(2))
    with django_assert_max_num_queries(10):
        assert client.get(claim_set.get_absolute_url()).status_code == 200
    claim_set.claims.add(*ClaimFactory.create_batch(25))
    with django_assert_max_num_queries(10):
        assert client.get(claim_set.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("claims:sets")).status_code == 200


def test_claim_set_changes_are_in_the_activity_feed(client, viewer, every_kind_of_claim):
    client.force_login(viewer)
    client.post(reverse("claims:set-create"), {"selection": "picked", "name": "Partners"})
    claim_set = ClaimSet.objects.get()
    client.post(reverse("claims:set-add"), {"claim_set": claim_set.pk, "claims": [every_kind_of_claim["verified"].pk]})
    page = client.get(reverse("activity") + "?kind=claimset").content.decode()
    assert "created claim set" in page and "“Partners”" in page
    assert "changed claim set" in page and "=SUM(A1:A2) hospital waiting times fell by 12%" in page
