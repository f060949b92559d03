"""A token made on the page, its secret shown once and used at once by a script; revoked from the same page;
the API's documentation page works under the strict Content-Security-Policy, from the workbench's own files."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.factories import ClaimFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_editor_makes_a_token_uses_it_and_revokes_it(page, live_server, roles, log_in, screenshot):
    UserFactory(username="editor", role="editor")
    claim = ClaimFactory()
    log_in("editor")
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My API tokens")
    page.get_by_label("Name").fill("CMS sync")
    page.get_by_label("Read only").check()
    page.get_by_label("Expires after").select_option(label="90 days")
    page.get_by_role("button", name="Make token").click()
    secret = page.get_by_label("Your new token").input_value()
    assert secret.startswith("wb_")
    screenshot("api-token-made-1280")

    answer = Client().get(f"/api/v1/claims/{claim.pk}", headers={"Authorization": f"Bearer {secret}"})
    assert answer.status_code == 200 and answer.json()["wording"] == claim.wording

    page.reload()
    expect(page.get_by_label("Your new token")).to_have_count(0)  # shown once
    row = page.get_by_role("row").filter(has_text="CMS sync")
    expect(row).to_contain_text("Read only")
    row.get_by_role("button", name="Revoke CMS sync").click()
    expect(page.get_by_role("status")).to_contain_text("revoked")
    expect(page.get_by_role("row").filter(has_text="CMS sync")).to_contain_text("Revoked")
    assert Client().get("/api/v1/claims", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


def test_the_documentation_page_shows_the_operations_under_the_policy(page, live_server, roles, log_in, screenshot):
    UserFactory(username="editor", role="editor")
    log_in("editor")
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.get_by_text("Workbench API").first).to_be_visible()
    expect(page.locator(".opblock-summary-path").filter(has_text="/api/v1/claims/{pk}/verdict")).to_be_visible()
    screenshot("api-docs-1280")
    assert all(url.startswith(live_server.url) or url.startswith("data:") for url in requested), requested
