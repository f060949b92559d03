"""The discussion and assignments in a real browser: an editor mentions a reviewer, choosing the name from the
suggestions; the reviewer reads it, replies, and assigns the claim back to the editor with a note."""

import pytest
from playwright.sync_api import expect

from claims.models import Assignment, Comment, Mention
from tests.e2e.conftest import SCREENSHOTS
from tests.factories import ClaimFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def claim(roles, live_server):
    editor = UserFactory(username="edna", role="editor")
    UserFactory(username="reviewer", role="reviewer")
    UserFactory(username="rebecca", role="reviewer")
    UserFactory(username="ricky", role="viewer")
    return ClaimFactory(created_by=editor, wording="The council spent 3 million on roads")


def test_an_editor_mentions_a_reviewer_who_replies_and_assigns_the_claim_back(
    page, live_server, claim, log_in, screenshot
):
    log_in("edna")
    page.goto(f"{live_server.url}{claim.get_absolute_url()}")
    discussion = page.get_by_role("region", name="Discussion")
    box = discussion.get_by_label("Comment")
    box.click()
    box.press_sequentially("Could you judge this, @rev")
    options = page.get_by_role("listbox", name="People to mention")
    expect(options.get_by_role("option")).to_have_text(["@reviewer"])  # not rebecca: "rev" is not "reb"
    box.press("Enter")
    expect(box).to_have_value("Could you judge this, @reviewer ")
    box.press_sequentially("? Source: https://example.org/minutes <b>not bold</b>")
    discussion.get_by_role("button", name="Post comment").click()
    expect(page.locator(".messages")).to_contain_text("Comment posted.")

    comment = Comment.objects.get()
    assert Mention.objects.get().user.username == "reviewer"
    shown = page.locator(f"#comment-{comment.pk}")
    expect(shown.locator(".mention")).to_have_text("@reviewer")
    link = shown.get_by_role("link", name="https://example.org/minutes")
    expect(link).to_have_attribute("rel", "nofollow noopener noreferrer")
    expect(shown).to_contain_text("<b>not bold</b>")
    expect(shown.locator("b")).to_have_count(0)

    page.context.clear_cookies()
    log_in("reviewer")
    page.goto(f"{live_server.url}{claim.get_absolute_url()}")
    discussion = page.get_by_role("region", name="Discussion")
    expect(discussion).to_contain_text("Could you judge this, @reviewer ?")
    discussion.locator("summary", has_text="Reply to edna").click()
    reply_box = discussion.locator(f"#reply-{comment.pk}-body")
    reply_box.fill("Not yet: it needs a second source. @edn")
    expect(page.get_by_role("option", name="@edna")).to_be_visible()
    page.get_by_role("option", name="@edna").click()  # chosen with the mouse this time
    expect(reply_box).to_have_value("Not yet: it needs a second source. @edna ")
    discussion.get_by_role("button", name="Post reply").click()
    expect(page.locator(".messages")).to_contain_text("Reply posted.")
    expect(page.locator(".thread__replies")).to_contain_text("Not yet: it needs a second source. @edna")

    assignments = page.get_by_role("region", name="Assignments")
    assignments.locator("summary", has_text="Assign: find sources").click()
    assignee = assignments.locator("#id_source-assignee")
    assignee.press_sequentially("ed")
    expect(page.locator("#id_source-assignee-options option")).to_have_count(1)
    assignee.fill("edna")
    assignments.locator("#id_source-due").fill("2026-12-10")
    assignments.locator("#id_source-note").fill("Find a second source: the council minutes?")
    assignments.get_by_role("button", name="Assign: find sources").click()
    expect(page.locator(".messages")).to_contain_text("Assigned to edna to find sources.")
    expect(page.get_by_role("region", name="Assignments")).to_contain_text("edna, due 10 Dec 2026")
    assignment = Assignment.objects.get()
    assert (assignment.assignee.username, assignment.assigned_by.username) == ("edna", "reviewer")
    history = page.get_by_role("region", name="History")
    expect(history).to_contain_text("reviewer assigned the claim to edna to find sources, due 10 Dec 2026")
    expect(history).to_contain_text("edna commented")
    page.locator("#discussion").scroll_into_view_if_needed()
    screenshot("claim-discussion")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("claim-discussion-390")
    page.locator("#assignments summary", has_text="Reassign").click()
    page.locator(".comment__actions summary").first.click()
    for region in ("discussion", "assignments"):
        page.locator(f"#{region}").screenshot(path=str(SCREENSHOTS / f"claim-{region}-card-390.png"))
    for region in ("#discussion", "#assignments"):
        assert page.locator(region).evaluate("el => el.scrollWidth <= el.clientWidth"), region

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in("edna")
    page.goto(f"{live_server.url}/claims/?assigned=me")
    expect(page.get_by_role("link", name="The council spent 3 million on roads")).to_be_visible()
