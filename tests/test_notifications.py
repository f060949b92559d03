"""Notifications: the people whose work it is hear of a verdict, a reopening or a claim needing review, in the
workbench and by e-mail as they chose; a mail server that is down never holds up the change."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from claims import notifications
from claims.models import Claim, Notification, NotificationPreferences
from claims.services import verdict_record
from tests.factories import UserFactory
from tests.test_activity import fresh, link, reword, tag


def verified_claim(editor, reviewer) -> Claim:
    claim = tag(editor)
    link(claim, editor, "Daily One", "First report")
    link(claim, editor, "Daily Two", "Second report")
    return verdict(claim, reviewer, "verified")


def verdict(claim, reviewer, status) -> Claim:
    claim = fresh(claim)
    return verdict_record(
        claim=claim, user=reviewer, status=status, rationale="Two reports agree.", expected_version=claim.version
    )


def told(user) -> list[str]:
    return [n.text for n in Notification.objects.filter(recipient=user, shown=True)]


def choose(user, channel, *, digest=False):
    NotificationPreferences.objects.update_or_create(
        user=user, defaults={"channels": {kind: channel for kind in Notification.Kind.values}, "daily_digest": digest}
    )


@pytest.fixture
def editor(db):
    return UserFactory(username="editor-user", role="editor", email="editor@newsroom.example")


@pytest.fixture
def reviewer(db):
    return UserFactory(username="reviewer-user", role="reviewer", email="reviewer@newsroom.example")


def test_a_verdict_is_told_to_the_claims_author_and_not_to_the_reviewer(editor, reviewer):
    verified_claim(editor, reviewer)
    assert told(editor) == ["reviewer-user marked your claim verified: “The council spent 3 million on roads.”"]
    assert told(reviewer) == []
    assert mail.outbox == []  # in the workbench only, until the editor chooses e-mail


def test_a_suspended_verdict_is_told_to_the_author_and_to_the_reviewer_whose_verdict_it_was(editor, reviewer):
    admin = UserFactory(username="desk-admin", role="admin")
    claim = verified_claim(editor, reviewer)
    reword(claim, admin, "The council spent 4 million on roads.", "budget")
    for user in (editor, reviewer):
        assert told(user)[0].startswith("A claim needs review: “The council spent 4 million on roads.” (")
    assert told(admin) == []


def test_the_editor_who_changed_a_verified_claim_is_not_told_of_it_but_the_reviewer_is(editor, reviewer):
    claim = verified_claim(editor, reviewer)
    reword(claim, editor, "The council spent 4 million on roads.", "budget")
    assert len(told(editor)) == 1  # the verdict only
    assert told(reviewer)[0].startswith("A claim needs review")


def test_a_reopened_claim_is_told_to_its_author(editor, reviewer):
    claim = verified_claim(editor, reviewer)
    verdict(claim, reviewer, "open")
    assert told(editor)[0] == "reviewer-user reopened your claim: “The council spent 3 million on roads.”"


def test_an_email_goes_once_the_change_is_committed(editor, reviewer, django_capture_on_commit_callbacks):
    choose(editor, NotificationPreferences.BOTH)
    with django_capture_on_commit_callbacks(execute=True):
        claim = verified_claim(editor, reviewer)
    assert [message.to for message in mail.outbox] == [["editor@newsroom.example"]]
    assert "marked your claim verified" in mail.outbox[0].subject
    assert f"/claims/{claim.pk}/" in mail.outbox[0].body
    assert Notification.objects.get(recipient=editor).emailed_at is not None


def test_email_only_is_not_listed_in_the_workbench(editor, reviewer, django_capture_on_commit_callbacks):
    choose(editor, NotificationPreferences.EMAIL)
    with django_capture_on_commit_callbacks(execute=True):
        verified_claim(editor, reviewer)
    assert told(editor) == [] and len(mail.outbox) == 1


def test_a_mail_server_that_is_down_never_holds_up_the_verdict_and_is_tried_again(
    editor, reviewer, settings, django_capture_on_commit_callbacks
):
    choose(editor, NotificationPreferences.EMAIL)
    settings.EMAIL_BACKEND = "tests.mail_backends.DownBackend"
    with django_capture_on_commit_callbacks(execute=True):
        claim = verified_claim(editor, reviewer)
    assert fresh(claim).status == Claim.Status.VERIFIED
    notification = Notification.objects.get(recipient=editor)
    assert (notification.email_attempts, notification.emailed_at) == (1, None)
    call_command("send_notifications")  # too soon: the pause is not over
    assert Notification.objects.get(pk=notification.pk).email_attempts == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Notification.objects.filter(pk=notification.pk).update(created_at=timezone.now() - timedelta(minutes=2))
    call_command("send_notifications")
    assert len(mail.outbox) == 1
    assert Notification.objects.get(pk=notification.pk).emailed_at is not None
    call_command("send_notifications")
    assert len(mail.outbox) == 1  # sent once


def test_after_the_last_attempt_the_email_is_given_up(editor, reviewer, settings, django_capture_on_commit_callbacks):
    choose(editor, NotificationPreferences.EMAIL)
    settings.EMAIL_BACKEND = "tests.mail_backends.DownBackend"
    with django_capture_on_commit_callbacks(execute=True):
        verified_claim(editor, reviewer)
    notification = Notification.objects.get(recipient=editor)
    for _ in range(notifications.EMAIL_ATTEMPTS + 2):
        Notification.objects.filter(pk=notification.pk).update(created_at=timezone.now() - timedelta(days=2))
        notifications.retry_emails()
    assert Notification.objects.get(pk=notification.pk).email_attempts == notifications.EMAIL_ATTEMPTS


def test_the_daily_digest_sends_one_email_a_day(editor, reviewer, django_capture_on_commit_callbacks):
    choose(editor, NotificationPreferences.EMAIL, digest=True)
    with django_capture_on_commit_callbacks(execute=True):
        claim = verified_claim(editor, reviewer)
        verdict(claim, reviewer, "open")
    assert mail.outbox == []
    assert notifications.send_digests() == 1
    assert len(mail.outbox) == 1 and "2 notifications" in mail.outbox[0].subject
    assert "reopened your claim" in mail.outbox[0].body and "marked your claim verified" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        verdict(claim, reviewer, "verified")
    assert notifications.send_digests() == 0  # once a day
    assert notifications.send_digests(now=timezone.now() + timedelta(days=1, minutes=1)) == 1
    assert "1 notification since" in mail.outbox[1].subject


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def test_the_list_shows_mine_newest_first_and_marks_them_read(editor_client, editor, reviewer):
    claim = verified_claim(editor, reviewer)
    verdict(claim, reviewer, "open")
    other = UserFactory(username="someone-else", role="editor")
    theirs = notifications.notify([other.pk], kind="verdict", claim_id=claim.pk, actor_id=None, text="Not yours")[0]
    page = editor_client.get(reverse("notifications")).content.decode()
    assert page.index("reopened your claim") < page.index("marked your claim verified")
    assert "Not yours" not in page and "2 unread." in page
    assert editor_client.get(reverse("notifications-unread")).json() == {"unread": 2, "shown": "2"}
    newest = Notification.objects.filter(recipient=editor).first()
    editor_client.post(reverse("notifications-read"), {"id": newest.pk})
    editor_client.post(reverse("notifications-read"), {"id": theirs.pk})  # another user's: untouched
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert editor_client.get(reverse("notifications-unread")).json()["unread"] == 1
    editor_client.post(reverse("notifications-read"), {"all": "1"})
    assert editor_client.get(reverse("notifications-unread")).json()["unread"] == 0
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_the_count_stops_at_99(editor_client, editor):
    notifications.notify([editor.pk], kind="verdict", claim_id=None, actor_id=None, text="x")
    Notification.objects.bulk_create([Notification(recipient=editor, kind="verdict", text="x") for _ in range(120)])
    assert editor_client.get(reverse("notifications-unread")).json() == {"unread": 100, "shown": "99+"}


@pytest.mark.parametrize("many", [False, True])
def test_the_list_costs_the_same_queries_however_many(editor_client, editor, django_assert_max_num_queries, many):
    Notification.objects.bulk_create(
        [Notification(recipient=editor, kind="verdict", text=f"Note {n}") for n in range(120 if many else 2)]
    )
    with django_assert_max_num_queries(6):
        response = editor_client.get(reverse("notifications"))
    assert response.content.decode().count('class="notification ') == (50 if many else 2)
    assert ("Older notifications" in response.content.decode()) == many


def test_choosing_how_to_hear_of_each_kind(editor_client, editor):
    page = editor_client.get(reverse("notification-settings")).content.decode()
    assert "<legend>A verdict on my claim</legend>" in page and "editor@newsroom.example" in page
    data = {kind: "web" for kind in Notification.Kind.values} | {"verdict": "both", "review": "email"}
    assert editor_client.post(reverse("notification-settings"), {**data, "daily_digest": "on"}).status_code == 302
    preferences = NotificationPreferences.objects.get(user=editor)
    assert preferences.channels == data
    assert preferences.daily_digest
    response = editor_client.post(reverse("notification-settings"), {**data, "verdict": "pigeon"})
    assert response.status_code == 400
    assert NotificationPreferences.objects.get(user=editor).channels["verdict"] == "both"


# --- The discussion and assignments ---------------------------------------------------------------


def test_a_mention_a_reply_and_an_assignment_are_told_once_each(editor, reviewer, django_capture_on_commit_callbacks):
    from claims import services

    choose(reviewer, NotificationPreferences.BOTH)
    claim = tag(editor)
    with django_capture_on_commit_callbacks(execute=True):
        question = services.comment_post(claim=fresh(claim), user=editor, body="@reviewer-user is this the council's?")
    assert told(reviewer) == ["editor-user mentioned you: “@reviewer-user is this the council's?”"]
    assert [message.to for message in mail.outbox] == [["reviewer@newsroom.example"]]
    services.comment_edit(comment=question, user=editor, body="@reviewer-user is this the council's own figure?")
    assert len(told(reviewer)) == 1  # still the same mention: not told again
    services.comment_post(claim=fresh(claim), user=reviewer, body="It is.", parent=question)
    assert told(editor) == ["reviewer-user replied to your comment: “It is.”"]
    services.comment_post(claim=fresh(claim), user=reviewer, body="@editor-user see above", parent=question)
    assert len(told(editor)) == 2  # the mention, not a reply as well
    services.claim_assign(claim=fresh(claim), user=reviewer, task="source", assignee=editor, note="Find a second one")
    assert told(editor)[0] == (
        "reviewer-user asked you to find sources for “The council spent 3 million on roads.”: Find a second one"
    )
    services.claim_assign(claim=fresh(claim), user=reviewer, task="source", assignee=editor, note="Today please")
    assert len(told(editor)) == 3  # a changed note is not a new assignment
