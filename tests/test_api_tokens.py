"""API tokens: made and revoked on the user's own page, kept only as a hash, each read-only or read-write,
with an expiry; a revoked or expired token, or a session, opens nothing."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.api_helpers import ApiClient
from tests.factories import ClaimFactory, UserFactory
from workbench.api import tokens
from workbench.api.models import ApiToken

pytestmark = pytest.mark.django_db


def test_a_new_token_is_shown_once_and_only_its_prefix_afterwards(editor_client, editor):
    response = editor_client.post("/account/tokens/", {"name": "CMS sync", "access": "read", "days": "30"}, follow=True)
    assert response.redirect_chain == [("/account/tokens/", 302)]
    token = ApiToken.objects.get(user=editor)
    secret = response.context["created"]["secret"]
    assert secret.startswith(f"wb_{token.prefix}_")
    assert secret in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert secret not in (token.digest, token.prefix) and len(token.digest) == 64
    again = editor_client.get("/account/tokens/").content.decode()  # a reload: made once, shown once
    assert "CMS sync" in again and f"wb_{token.prefix}_…" in again and secret not in again
    assert ApiToken.objects.count() == 1


def test_a_token_says_its_access_and_expiry(editor_client, editor):
    editor_client.post("/account/tokens/", {"name": "Desk script", "access": "write", "days": "7"})
    token = ApiToken.objects.get(user=editor)
    assert token.can_write
    assert timedelta(days=6, hours=23) < token.expires_at - timezone.now() <= timedelta(days=7)
    page = editor_client.get("/account/tokens/").content.decode()
    assert "Read and write" in page


def test_a_token_without_a_name_is_refused_with_the_fields_error(editor_client, editor):
    response = editor_client.post("/account/tokens/", {"name": " ", "access": "read", "days": "30"})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_lifetime_not_offered_is_refused(editor_client):
    response = editor_client.post("/account/tokens/", {"name": "Forever", "access": "read", "days": "100000"})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_a_revoked_token_gets_401(editor_client, editor):
    api = ApiClient(editor)
    assert api.get("/claims").status_code == 200
    response = editor_client.post(f"/account/tokens/{api.token.pk}/revoke/", follow=True)
    assert "revoked" in response.content.decode()
    refused = api.get("/claims")
    assert refused.status_code == 401
    assert refused["Content-Type"] == "application/problem+json"
    assert refused["WWW-Authenticate"].startswith("Bearer")


def test_no_one_revokes_another_users_token(client, editor):
    api = ApiClient(editor)
    client.force_login(UserFactory(username="someone-else", role="editor"))
    assert client.post(f"/account/tokens/{api.token.pk}/revoke/").status_code == 404
    assert api.get("/claims").status_code == 200


def test_an_expired_token_gets_401(editor):
    api = ApiClient(editor)
    api.token.expires_at = timezone.now() - timedelta(seconds=1)
    api.token.save()
    assert api.get("/claims").status_code == 401


def test_the_token_of_a_deactivated_user_gets_401(editor):
    api = ApiClient(editor)
    editor.is_active = False
    editor.save()
    assert api.get("/claims").status_code == 401


@pytest.mark.parametrize(
    "header",
    [
        "",
        "Bearer",
        "Bearer wb_nothing",
        "Bearer wb_0000000_x",
        "Token {secret}",
        "Bearer {secret}x",
        "Basic Zm9vOmJhcg==",
    ],
)
def test_anything_but_a_whole_valid_token_gets_401(editor, header):
    api = ApiClient(editor)
    headers = {"Authorization": header.format(secret=api.secret)} if header else {}
    response = Client().get("/api/v1/claims", headers=headers)
    assert response.status_code == 401
    assert response.json()["status"] == 401


def test_a_session_opens_no_api_call_not_even_a_read(editor_client):
    claim = ClaimFactory()
    assert editor_client.get(f"/api/v1/claims/{claim.pk}").status_code == 401
    response = editor_client.post("/api/v1/claims", {"article": claim.article_id, "quote": "x"}, "application/json")
    assert response.status_code == 401


def test_the_token_page_lists_only_ones_own_tokens(editor_client, editor):
    tokens.token_create(user=UserFactory(username="other", role="editor"), name="Not mine", can_write=False, days=7)
    tokens.token_create(user=editor, name="Mine", can_write=False, days=7)
    page = editor_client.get("/account/tokens/").content.decode()
    assert "Mine" in page and "Not mine" not in page


def test_the_token_page_costs_the_same_queries_with_many_tokens(editor_client, editor, django_assert_max_num_queries):
    tokens.token_create(user=editor, name="One", can_write=False, days=7)
    with django_assert_max_num_queries(8) as small:
        editor_client.get("/account/tokens/")
    for n in range(20):
        tokens.token_create(user=editor, name=f"Token {n}", can_write=n % 2 == 0, days=7)
    with django_assert_max_num_queries(len(small.captured_queries)):
        editor_client.get("/account/tokens/")
