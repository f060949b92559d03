"""Bulk actions on the claim list in a browser: a reviewer ticks a whole page of 50 claims with the keyboard
and tags them, and is told what was done; an editor on a phone deletes some of the ticked claims after a
confirmation that says which would be refused and why. Screenshots at 1280 and 390 px."""

import pytest
from playwright.sync_api import expect

from claims.models import Claim
from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.test_accessibility import violations
from tests.factories import ClaimFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_a_reviewer_tags_a_page_of_50_claims_with_the_keyboard(page, live_server, roles, log_in, screenshot):
    editor = UserFactory(username="editor", role="editor")
    UserFactory(username="reviewer", role="reviewer")
    claims = [ClaimFactory(created_by=editor, wording=f"Council claim {n:02}") for n in range(50)]
    page.set_viewport_size(DESKTOP)
    log_in("reviewer")
    page.goto(f"{live_server.url}/claims/")
    # Only the chosen action's fields are shown.
    expect(page.get_by_label("Tag to add or remove")).to_be_visible()
    expect(page.get_by_label("Assign to")).to_be_hidden()

    select_all = page.get_by_label("Select all on this page")
    select_all.focus()
    page.keyboard.press("Space")
    expect(page.locator("#bulk-count")).to_have_text("50 claims ticked")
    page.get_by_label("Select “Council claim 07”").focus()
    page.keyboard.press("Space")  # one unticked: the box says some are
    expect(page.locator("#bulk-count")).to_have_text("49 claims ticked")
    assert select_all.evaluate("box => box.indeterminate")
    page.keyboard.press("Space")
    expect(select_all).to_be_checked()

    page.get_by_label("Tag to add or remove").focus()
    page.keyboard.type("council")
    screenshot("bulk-tag-1280")
    page.screenshot(path=str(SCREENSHOTS / "bulk-tag-1280-top.png"))  # the form, as large as it is seen
    page.keyboard.press("Enter")
    message = page.get_by_role("status")
    expect(message).to_contain_text("Tagged 50 claims “council”: #")
    expect(message).to_be_focused()
    screenshot("bulk-tagged-1280")
    assert all(
        claim.tags.filter(name="council").exists() for claim in Claim.objects.filter(pk__in=[c.pk for c in claims])
    )

    page.get_by_label("With the ticked claims").select_option("Assign")
    expect(page.get_by_label("Assign to")).to_be_visible()
    expect(page.get_by_label("Tag to add or remove")).to_be_hidden()


def test_an_editor_on_a_phone_deletes_ticked_claims_after_a_confirmation(page, live_server, roles, log_in, screenshot):
    editor = UserFactory(username="editor", role="editor")
    reviewer = UserFactory(username="reviewer", role="reviewer")
    ClaimFactory(created_by=editor, wording="Draft claim to drop")
    ClaimFactory(created_by=editor, wording="Second draft to drop")
    ClaimFactory(created_by=editor, wording="Judged claim to keep", status=Claim.Status.VERIFIED)
    ClaimFactory(created_by=reviewer, wording="The reviewer's claim")
    page.set_viewport_size(PHONE)
    log_in("editor")
    page.goto(f"{live_server.url}/claims/")
    assert page_width(page) == PHONE["width"]
    for wording in ("Draft claim to drop", "Second draft to drop", "Judged claim to keep"):
        page.get_by_label(f"Select “{wording}”").check()
    page.get_by_label("With the ticked claims").select_option("Delete…")
    screenshot("bulk-delete-390")
    page.get_by_role("button", name="Apply to the ticked claims").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Delete 2 claims?")
    expect(
        page.get_by_text("It is verified: a verdict is a reviewer's work, so only admins delete it.")
    ).to_be_visible()
    assert page_width(page) == PHONE["width"]
    assert violations(page) == []
    screenshot("bulk-delete-confirm-390")
    assert Claim.objects.count() == 4  # nothing gone before the confirmation

    page.get_by_role("button", name="Delete 2 claims").click()
    message = page.get_by_role("status")
    expect(message).to_contain_text("Deleted 2 claims")
    expect(message).to_contain_text("Refused 1")
    screenshot("bulk-deleted-390")
    assert sorted(Claim.objects.values_list("wording", flat=True)) == ["Judged claim to keep", "The reviewer's claim"]


def test_the_confirmation_is_accessible_at_a_desktops_width(page, live_server, roles, log_in, screenshot):
    editor = UserFactory(username="editor", role="editor")
    ClaimFactory(created_by=editor, wording="Draft claim to drop")
    page.set_viewport_size(DESKTOP)
    log_in("editor")
    page.goto(f"{live_server.url}/claims/")
    page.get_by_label("Select “Draft claim to drop”").check()
    page.get_by_label("With the ticked claims").select_option("Delete…")
    page.get_by_role("button", name="Apply to the ticked claims").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete 1 claim?")
    assert violations(page) == []
    screenshot("bulk-delete-confirm-1280")
    page.get_by_role("link", name="Cancel: keep them").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Claims")
    assert Claim.objects.count() == 1


def test_without_a_script_every_field_shows_and_select_all_is_a_link(browser, live_server, roles):
    editor = UserFactory(username="editor", role="editor")
    for n in range(3):
        ClaimFactory(created_by=editor, wording=f"Claim {n}")
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/claims/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/claims/")
    expect(page.get_by_label("Select all on this page")).to_be_hidden()
    page.get_by_role("link", name="Select all on this page").click()
    for n in range(3):
        expect(page.get_by_label(f"Select “Claim {n}”")).to_be_checked()
    page.get_by_label("Tag to add or remove").fill("budget")  # shown whatever the action
    page.get_by_role("button", name="Apply to the ticked claims").click()
    expect(page.get_by_role("status")).to_contain_text("Tagged 3 claims “budget”")
    assert page.evaluate("document.documentElement.scrollWidth") == PHONE["width"]
    page.screenshot(path=str(SCREENSHOTS / "bulk-no-script-390.png"), full_page=True)
    context.close()
