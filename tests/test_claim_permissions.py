"""Each role against each claim view and action, checked on the server (forged POSTs included)."""

import pytest
from django.urls import reverse

from claims.models import Claim, EvidenceLink
from tests.factories import ArticleFactory, ClaimFactory, PassageEvidenceFactory, UserFactory, _passage_of

ROLES = ["anonymous", "viewer", "owner", "other_editor", "reviewer", "admin"]


def matrix(expected: list[bool]) -> list[tuple[str, bool]]:
    return list(zip(ROLES, expected, strict=True))


@pytest.fixture
def people(viewer, editor, reviewer, admin_user):
    other = UserFactory(username="other-editor", role="editor")
    return {"viewer": viewer, "owner": editor, "other_editor": other, "reviewer": reviewer, "admin": admin_user}


@pytest.fixture
def claim(editor):
    return ClaimFactory(created_by=editor)


def act_as(client, people, role):
    if role != "anonymous":
        client.force_login(people[role])
    return client


def allowed(response) -> bool:
    assert response.status_code in (200, 201, 302, 403), response.status_code
    if response.status_code == 302:
        return "/accounts/login/" not in response["Location"]
    return response.status_code != 403


@pytest.mark.parametrize("role", ROLES)
def test_everyone_logged_in_reads_the_claim_list_and_page(client, people, claim, role):
    act_as(client, people, role)
    for url in (reverse("claims:list"), claim.get_absolute_url()):
        assert allowed(client.get(url)) == (role != "anonymous")


@pytest.mark.parametrize("role, expected", matrix([False, False, True, True, True, True]))
def test_who_may_tag_a_claim(client, people, role, expected):
    article = ArticleFactory()
    act_as(client, people, role)
    response = client.post(reverse("claims:create"), {"article": article.pk, "start": 0, "end": 12})
    assert allowed(response) == expected
    assert Claim.objects.filter(article=article).exists() == expected


@pytest.mark.parametrize("role, expected", matrix([False, False, True, False, True, True]))
def test_who_may_edit_a_claim(client, people, claim, role, expected):
    act_as(client, people, role)
    response = client.post(
        reverse("claims:edit", args=[claim.pk]), {"wording": "Rewritten", "tags": "", "version": claim.version}
    )
    assert allowed(response) == expected
    assert (Claim.objects.get(pk=claim.pk).wording == "Rewritten") == expected


@pytest.mark.parametrize("role, expected", matrix([False, False, True, False, False, True]))
def test_who_may_delete_an_open_claim(client, people, claim, role, expected):
    act_as(client, people, role)
    allowed(client.post(reverse("claims:delete", args=[claim.pk])))
    assert Claim.objects.filter(pk=claim.pk).exists() != expected


def test_an_editor_cannot_delete_their_claim_once_it_has_a_verdict(client, editor, claim):
    claim.status = Claim.Status.DISPUTED
    claim.save()
    client.force_login(editor)
    assert client.post(reverse("claims:delete", args=[claim.pk])).status_code == 403
    assert Claim.objects.filter(pk=claim.pk).exists()


@pytest.mark.parametrize("role, expected", matrix([False, False, True, True, True, True]))
def test_who_may_link_a_source(client, people, claim, role, expected):
    passage = _passage_of(ArticleFactory())
    act_as(client, people, role)
    response = client.post(
        reverse("claims:link-passage", args=[claim.pk]), {"passage": passage.pk, "stance": "supports"}
    )
    assert allowed(response) == expected
    assert claim.evidence.exists() == expected


@pytest.mark.parametrize("role, expected", matrix([False, False, True, False, True, True]))
def test_who_may_remove_a_link_someone_else_added(client, people, claim, reviewer, role, expected):
    link = PassageEvidenceFactory(claim=claim, added_by=reviewer)
    act_as(client, people, role)
    allowed(client.post(reverse("claims:unlink", args=[claim.pk, link.pk])))
    assert EvidenceLink.objects.filter(pk=link.pk).exists() != expected


def test_an_editor_may_remove_a_link_they_added_to_another_editors_claim(client, people, claim):
    link = PassageEvidenceFactory(claim=claim, added_by=people["other_editor"])
    client.force_login(people["other_editor"])
    client.post(reverse("claims:unlink", args=[claim.pk, link.pk]))
    assert not EvidenceLink.objects.filter(pk=link.pk).exists()


@pytest.mark.parametrize("role, expected", matrix([False, False, False, False, True, True]))
def test_who_may_set_a_verdict(client, people, claim, role, expected):
    PassageEvidenceFactory(claim=claim, stance="contradicts")
    act_as(client, people, role)
    response = client.post(
        reverse("claims:verdict", args=[claim.pk]),
        {"status": "disputed", "rationale": "The numbers do not add up.", "version": claim.version},
    )
    assert allowed(response) == expected
    assert (Claim.objects.get(pk=claim.pk).status == "disputed") == expected


@pytest.mark.parametrize("role", ["viewer", "owner", "reviewer"])
def test_buttons_follow_the_rights(client, people, claim, role):
    act_as(client, people, role)
    content = client.get(claim.get_absolute_url()).content.decode()
    assert ("Record verdict" in content) == (role == "reviewer")
    assert ("Delete claim" in content) == (role == "owner")
    assert ("Link an external source" in content) == (role != "viewer")
