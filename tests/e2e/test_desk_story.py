"""Issue 15's story, end to end in a real browser: an editor mentions a reviewer in a comment; the reviewer
sees it on their desk and in the notification count, gets an e-mail, opens the claim from it and assigns
it back to the editor with a note; the editor finds it on their own desk."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from claims.models import Assignment, NotificationPreferences
from tests.factories import ClaimFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_mention_reaches_the_reviewer_s_desk_and_inbox_and_the_claim_comes_back_assigned(
    page, live_server, roles, log_in, screenshot
):
    editor = UserFactory(username="edna", role="editor")
    reviewer = UserFactory(username="reviewer", role="reviewer", email="reviewer@newsroom.example")
    NotificationPreferences.objects.create(user=reviewer, channels={"mention": "both"})
    claim = ClaimFactory(created_by=editor, wording="The council spent 3 million on roads")

    log_in("edna")
    page.goto(f"{live_server.url}{claim.get_absolute_url()}")
    discussion = page.get_by_role("region", name="Discussion")
    discussion.get_by_label("Comment").fill("@reviewer could you judge this before the evening edition?")
    discussion.get_by_role("button", name="Post comment").click()
    expect(page.locator(".messages")).to_contain_text("Comment posted.")

    [email] = mail.outbox  # sent by the worker once the comment was saved (the tests run it at once)
    assert email.to == ["reviewer@newsroom.example"] and "edna mentioned you" in email.subject
    [link] = re.findall(r"https?://\S+/claims/\d+/\S*", email.body)

    page.context.clear_cookies()
    log_in("reviewer")
    expect(page.get_by_role("heading", level=1)).to_have_text("My desk")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Notifications 1 unread")).to_be_visible()
    expect(page.get_by_role("region", name="Mentions")).to_contain_text("could you judge this before the evening")
    screenshot("story-reviewer-desk")

    page.goto(live_server.url + urlsplit(link).path)  # the e-mail links to where the workbench is served
    expect(page).to_have_url(re.compile(rf"{live_server.url}{claim.get_absolute_url()}"))
    assignments = page.get_by_role("region", name="Assignments")
    assignments.locator("summary", has_text="Assign: find sources").click()
    assignments.locator("#id_source-assignee").fill("edna")
    assignments.locator("#id_source-note").fill("Needs a second source: the council minutes?")
    assignments.get_by_role("button", name="Assign: find sources").click()
    expect(page.locator(".messages")).to_contain_text("Assigned to edna to find sources.")
    assignment = Assignment.objects.get()
    assert (assignment.assignee, assignment.assigned_by, assignment.note) == (
        editor,
        reviewer,
        "Needs a second source: the council minutes?",
    )

    page.context.clear_cookies()
    log_in("edna")
    assigned = page.get_by_role("region", name="Assigned to me")
    expect(assigned).to_contain_text("The council spent 3 million on roads")
    expect(assigned).to_contain_text("from reviewer: Needs a second source: the council minutes?")
    expect(nav.get_by_role("link", name=re.compile(r"^My desk 1 waiting"))).to_be_visible()
    screenshot("story-editor-desk")
