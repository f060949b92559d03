"""API tokens in the admin: listed and found by prefix or user, read without their digest, revoked by an action;
never made nor edited there. And the system check that a throttle rate is one the API can read."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse

from tests.api_helpers import ApiClient
from tests.factories import UserFactory
from workbench.api.checks import api_rate_setting
from workbench.api.models import ApiToken

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def leaked(editor):
    return ApiClient(editor)


def test_tokens_are_found_by_prefix_and_by_username(admin_client, leaked, viewer):
    ApiClient(viewer, write=False)
    changelist = reverse("admin:api_apitoken_changelist")
    by_prefix = admin_client.get(changelist, {"q": leaked.token.prefix}).content.decode()
    assert leaked.token.prefix in by_prefix and "viewer-user" not in by_prefix
    by_user = admin_client.get(changelist, {"q": "viewer-user"}).content.decode()
    assert "viewer-user" in by_user and leaked.token.prefix not in by_user


def test_a_tokens_page_shows_no_digest_and_saves_nothing(admin_client, leaked):
    token = leaked.token
    page = admin_client.get(reverse("admin:api_apitoken_change", args=[token.pk])).content.decode()
    assert token.prefix in page and token.digest not in page and "digest" not in page.lower()
    assert admin_client.post(reverse("admin:api_apitoken_change", args=[token.pk]), {"name": "x"}).status_code == 403
    token.refresh_from_db()
    assert token.name == "tests"


def test_no_token_is_made_in_the_admin(admin_client):
    assert admin_client.get(reverse("admin:api_apitoken_add")).status_code == 403


def test_an_admin_revokes_a_leaked_token_and_it_opens_nothing_any_more(admin_client, leaked):
    assert leaked.get("/claims").status_code == 200
    response = admin_client.post(
        reverse("admin:api_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [leaked.token.pk]},
        follow=True,
    )
    assert f"Revoked {leaked.token.prefix}" in response.content.decode()
    leaked.token.refresh_from_db()
    assert leaked.token.revoked_at is not None and ApiToken.objects.count() == 1  # revoked, still listed
    assert leaked.get("/claims").status_code == 401


def test_the_admin_is_closed_to_everyone_but_admins(client, leaked):
    client.force_login(UserFactory(username="desk", role="reviewer", is_staff=True))
    assert client.get(reverse("admin:api_apitoken_changelist")).status_code == 403


@pytest.mark.parametrize("rate", ["600/min", "10/s", "5/10min", "1000/day", "100/h", ""])
def test_a_rate_the_throttle_reads_passes_the_check(settings, rate):
    settings.WORKBENCH_API_RATE = rate
    assert api_rate_setting() == []


@pytest.mark.parametrize("rate", ["600", "600/minute", "fast", "0/min", "-5/min", "600 / min", "1.5/s"])
def test_a_malformed_rate_stops_the_start_with_what_to_write(settings, rate):
    settings.WORKBENCH_API_RATE = rate
    [error] = api_rate_setting()
    assert error.id == "workbench.E001"
    assert repr(rate) in error.msg and "600/min" in error.msg


def test_manage_py_check_refuses_a_malformed_rate(settings):
    settings.WORKBENCH_API_RATE = "lots"
    with pytest.raises(SystemCheckError, match=r"workbench\.E001.*'lots'"):
        call_command("check")
