"""The admin in chromium under the Content-Security-Policy: every page of every model, and the widgets whose
scripts build more of the page (the tag autocomplete, the calendar, the actions bar). Any violation fails
the test that met it (tests/e2e/conftest.py); tests/test_security_headers.py reads the same pages' HTML."""

import pytest
from django.contrib import admin
from django.urls import reverse
from playwright.sync_api import expect

from claims.models import ClaimSet, Story
from tests.export_data import claims_of_every_kind
from tests.factories import UserFactory
from tests.test_security_headers import every_admin_page

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def admin_site(roles, seeded, live_server, page):
    claim = claims_of_every_kind()["verified"]
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    ClaimSet.objects.create(name="Health checks", owner=root).claims.add(claim)
    Story.objects.create(name="Chechnya", created_by=root).articles.add(seeded["000"])
    page.goto(f"{live_server.url}{reverse('admin:login')}")
    page.get_by_label("Username").fill("root")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    return {"claim": claim, "article": seeded["000"]}


def test_every_admin_page_of_every_model_loads_without_a_violation(page, live_server, admin_site):
    shown = 0
    for url in every_admin_page(admin_site["claim"]):
        response = page.goto(f"{live_server.url}{url}")
        if response.status == 403:  # an add page a model does not have (articles come by import)
            continue
        assert response.ok, url
        shown += 1
    assert shown > 3 * len(admin.site._registry)


def test_the_claim_form_tag_autocomplete_and_the_list_actions_build_nothing_the_policy_refuses(
    page, live_server, admin_site
):
    page.goto(f"{live_server.url}{reverse('admin:claims_claim_change', args=[admin_site['claim'].pk])}")
    page.locator(".field-tags .select2-selection").click()
    page.locator(".select2-search__field").fill("heal")
    expect(page.get_by_role("option", name="health")).to_be_visible()

    page.goto(f"{live_server.url}{reverse('admin:claims_claim_changelist')}")
    page.get_by_role("checkbox", name="Select all objects on this page for an action").check()
    expect(page.locator(".action-counter")).to_contain_text("selected")


def test_the_article_form_calendar_and_clock_build_nothing_the_policy_refuses(page, live_server, admin_site):
    page.goto(f"{live_server.url}{reverse('admin:articles_article_change', args=[admin_site['article'].pk])}")
    page.get_by_role("link", name="Choose a Date").click()
    expect(page.locator(".calendarbox")).to_be_visible()
    page.locator(".calendarbox").get_by_role("link", name="Today").click()
    page.get_by_role("link", name="Choose a Time").click()
    expect(page.locator(".clockbox")).to_be_visible()
