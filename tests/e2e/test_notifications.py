"""Notifications in a real browser: the count in the top bar, the list, marking read, choosing e-mail."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from claims.anchoring import anchor_for_quote
from claims.models import NotificationPreferences
from claims.services import comment_post
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reviewer_mentioned_in_a_comment_sees_the_count_opens_the_claim_and_is_emailed(
    page, live_server, roles, seeded, log_in, screenshot, settings
):
    from claims.services import claim_create

    editor = UserFactory(username="editor", role="editor")
    reviewer = UserFactory(username="reviewer", role="reviewer", email="reviewer@newsroom.example")
    NotificationPreferences.objects.create(user=reviewer, channels={"mention": "both"})
    article = seeded["000"]
    claim = claim_create(article=article, user=editor, anchor=anchor_for_quote(article.body, "three confirmed deaths"))
    comment_post(claim=claim, user=editor, body="@reviewer can you judge this one today?")
    assert [message.to for message in mail.outbox] == [["reviewer@newsroom.example"]]
    assert f"/claims/{claim.pk}/" in mail.outbox[0].body

    log_in("reviewer")
    link = page.get_by_role("navigation", name="Main").get_by_role("link", name="Notifications")
    expect(link).to_contain_text("1")
    expect(link).to_have_accessible_name("Notifications 1 unread")
    page.goto(f"{live_server.url}/notifications/")
    entry = page.get_by_role("listitem").filter(has_text="editor mentioned you")
    expect(entry).to_contain_text("@reviewer can you judge this one today?")
    screenshot("notifications")
    entry.get_by_role("button", name="Mark read").click()
    expect(page.get_by_role("status").first).to_contain_text("Nothing unread")
    page.get_by_role("link", name="editor mentioned you").click()
    expect(page).to_have_url(f"{live_server.url}{claim.get_absolute_url()}")

    page.goto(f"{live_server.url}/notifications/settings/")
    page.get_by_role("group", name="A verdict on my claim").get_by_label("By e-mail").check()
    page.get_by_label("Send my e-mails as one daily digest").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_contain_text("Saved")
    screenshot("notification-settings")
    preferences = NotificationPreferences.objects.get(user=reviewer)
    assert preferences.channel("verdict") == "email" and preferences.daily_digest
