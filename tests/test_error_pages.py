"""The pages a user meets when something is missing, forbidden or broken: the workbench's own, styled, with a
way back, never Django's plain or debug page; and the 500 page needs neither a request nor the database."""

import pytest
from django.template import loader
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from tests.factories import ClaimFactory

STYLESHEET = "/static/css/workbench.css"


@pytest.fixture(autouse=True)
def _debug_off(settings):
    settings.DEBUG = False  # as in production: Django's debug pages are what DEBUG shows instead


def test_a_missing_claim_shows_the_workbench_404_with_a_way_back(editor_client):
    response = editor_client.get(reverse("claims:detail", args=[987654]))
    assert response.status_code == 404
    assert "404.html" in [template.name for template in response.templates]
    page = response.content.decode()
    assert STYLESHEET in page and "This page is not here" in page
    assert f'href="{reverse("claims:list")}"' in page and f'href="{reverse("articles:list")}"' in page
    assert "<code>/claims/987654/</code>" in page


def test_a_missing_claim_shows_the_workbench_404_under_debug_too(editor_client, settings):
    settings.DEBUG = True  # as `make run` serves: an editor following an old link meets no debug page
    response = editor_client.get(reverse("claims:detail", args=[987654]))
    assert response.status_code == 404
    page = response.content.decode()
    assert "This page is not here" in page and STYLESHEET in page
    assert "Raised by:" not in page and "DEBUG = True" not in page


def test_an_address_that_is_nowhere_shows_the_404_escaped_to_anyone(client):
    response = client.get("/nowhere/<b>bold</b>/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "This page is not here" in page and "<b>bold</b>" not in page
    assert f'href="{reverse("login")}"' in page  # the way back for someone not logged in


def test_a_forbidden_action_shows_the_workbench_403(client, viewer):
    claim = ClaimFactory()
    client.force_login(viewer)
    response = client.post(reverse("claims:edit", args=[claim.pk]), {"wording": "Changed", "version": claim.version})
    assert response.status_code == 403
    page = response.content.decode()
    assert STYLESHEET in page and "Your role does not allow this" in page and "Nothing was changed" in page
    claim.refresh_from_db()
    assert claim.wording != "Changed"


def test_the_500_page_renders_without_a_request_or_the_database():
    # No database fixture: pytest-django makes any query here an error.
    assert "Something went wrong on our side" in loader.get_template("500.html").render()
    response = server_error(RequestFactory().get("/claims/1/"))
    assert response.status_code == 500
    page = response.content.decode()
    assert STYLESHEET in page and 'href="/"' in page


@pytest.mark.parametrize("name", ["403.html", "404.html", "500.html"])
def test_the_error_pages_keep_to_the_content_security_policy(name, rf, admin_user):
    request = rf.get("/")
    request.user = admin_user
    page = loader.get_template(name).render({"request": request, "user": admin_user}, request)
    assert "<script>" not in page and "<style" not in page and "style=" not in page and " onclick" not in page


def test_the_admin_wears_the_workbench_name_and_colours(admin_client):
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert 'id="site-name"' in page and "Workbench</span> admin" in page and "Django administration" not in page
    assert "/static/css/admin.css" in page
    assert "| Workbench admin</title>" in page
