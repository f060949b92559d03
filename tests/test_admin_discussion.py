"""Comments and assignments in the admin: admins read and moderate them, and every write goes through the
services the claim page uses, so the history, the mentions and the notifications are the same."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import services
from claims.admin import AssignmentAdmin
from claims.models import Assignment, Comment, Mention, Notification
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def claim(editor):
    return ClaimFactory(created_by=editor, wording="The council spent 4 million")


def url(kind: str, obj) -> str:
    return reverse(f"admin:claims_{obj._meta.model_name}_{kind}", args=[obj.pk])


def messages_of(response) -> str:
    return " ".join(str(message) for message in response.context["messages"])


def test_the_lists_find_comments_and_assignments(admin_client_, claim, editor, reviewer):
    services.comment_post(claim=claim, user=editor, body="Where is the 4 million from?")
    services.claim_assign(claim=claim, user=reviewer, task="source", assignee=editor)
    comments = admin_client_.get(reverse("admin:claims_comment_changelist"), {"q": "million"})
    assert "Where is the 4 million from?" in comments.content.decode()
    assignments = admin_client_.get(reverse("admin:claims_assignment_changelist"), {"q": "editor-user"})
    assert "The council spent 4 million" in assignments.content.decode()


def test_the_lists_cost_the_same_queries_however_many(admin_client_, claim, editor, reviewer):
    def cost(name: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin_client_.get(reverse(f"admin:claims_{name}_changelist")).status_code == 200
        return len(captured.captured_queries)

    services.comment_post(claim=claim, user=editor, body="First")
    services.claim_assign(claim=claim, user=reviewer, task="source", assignee=editor)
    few = {name: cost(name) for name in ("comment", "assignment")}
    for n in range(15):
        other = ClaimFactory(created_by=editor)
        services.comment_post(claim=other, user=reviewer, body=f"Comment {n}")
        services.comment_delete(comment=services.comment_post(claim=other, user=editor, body="x"), user=editor)
        services.claim_assign(claim=other, user=reviewer, task="review", assignee=reviewer)
    assert {name: cost(name) for name in few} == few


def test_an_admin_rewords_their_own_comment_and_the_mention_is_told(admin_client_, admin_user, claim, editor):
    comment = services.comment_post(claim=claim, user=admin_user, body="Checking this.")
    response = admin_client_.post(url("change", comment), {"body": "Checking this, @editor-user."})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Checking this, @editor-user." and comment.edited_at is not None
    assert Mention.objects.filter(comment=comment, user=editor).exists()
    assert Notification.objects.filter(recipient=editor, kind="mention").count() == 1
    record = comment.history.first()
    assert (record.history_user, record.history_channel) == (admin_user, "admin")


def test_an_empty_comment_is_refused_and_nothing_saved(admin_client_, admin_user, claim):
    comment = services.comment_post(claim=claim, user=admin_user, body="Checking this.")
    response = admin_client_.post(url("change", comment), {"body": "   "}, follow=True)
    assert "Nothing was saved:" in messages_of(response)
    comment.refresh_from_db()
    assert comment.body == "Checking this." and comment.history.count() == 1


def test_another_persons_comment_is_read_only_even_for_an_admin(admin_client_, claim, editor):
    comment = services.comment_post(claim=claim, user=editor, body="My words.")
    page = admin_client_.get(url("change", comment))
    assert page.status_code == 200 and not page.context["has_change_permission"]
    assert admin_client_.post(url("change", comment), {"body": "Put in their mouth"}).status_code == 403
    comment.refresh_from_db()
    assert comment.body == "My words."


def test_an_admin_deletes_anyones_comment_softly_as_on_the_claim_page(
    admin_client_, admin_user, claim, editor, reviewer
):
    comment = services.comment_post(claim=claim, user=editor, body="Ask @reviewer-user about it.")
    reply = services.comment_post(claim=claim, user=reviewer, body="Will do.", parent=comment)
    confirm = admin_client_.get(url("delete", comment)).content.decode()
    assert "Will do." not in confirm  # its reply stays: only the comment's text goes
    admin_client_.post(url("delete", comment), {"post": "yes"})
    comment.refresh_from_db()
    assert comment.is_deleted and comment.body == "" and comment.deleted_by == admin_user
    assert Comment.objects.filter(pk=reply.pk).exists()
    assert not Mention.objects.filter(comment=comment).exists()
    record = comment.history.first()
    assert record.history_change_reason == "deleted by admin-user" and record.history_user == admin_user
    assert comment.history.last().body == "Ask @reviewer-user about it."  # what it said is kept
    # Deleted already: not to be deleted again.
    assert admin_client_.post(url("delete", comment), {"post": "yes"}).status_code == 403


def test_deleting_ticked_comments_from_the_list_deletes_each_softly(admin_client_, claim, editor):
    ticked = [services.comment_post(claim=claim, user=editor, body=f"Comment {n}") for n in range(2)]
    admin_client_.post(
        reverse("admin:claims_comment_changelist"),
        {"action": "delete_selected", "_selected_action": [c.pk for c in ticked], "post": "yes"},
    )
    assert Comment.objects.filter(deleted_at__isnull=False).count() == 2


def test_an_admin_reassigns_a_claim_and_the_new_assignee_is_told(admin_client_, admin_user, claim, editor, reviewer):
    assignment = services.claim_assign(claim=claim, user=reviewer, task="review", assignee=reviewer)
    elsewhere = services.claim_assign(claim=ClaimFactory(), user=reviewer, task="review", assignee=reviewer)
    response = admin_client_.post(
        url("change", assignment), {"assignee": admin_user.pk, "due": "2026-12-20", "note": "Over to you."}
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert (assignment.assignee, assignment.assigned_by, assignment.note) == (admin_user, admin_user, "Over to you.")
    assert assignment.history.first().history_user == admin_user
    elsewhere.refresh_from_db()
    assert elsewhere.assignee == reviewer  # another claim's untouched
    # The admin is not told of what they did themselves; the earlier assignee was told when first assigned.
    assert not Notification.objects.filter(recipient=admin_user).exists()


def test_an_assignee_without_the_tasks_role_is_refused_and_nothing_saved(
    admin_client_, claim, editor, reviewer, viewer
):
    assignment = services.claim_assign(claim=claim, user=reviewer, task="review", assignee=reviewer)
    response = admin_client_.post(
        url("change", assignment), {"assignee": editor.pk, "due": "", "note": ""}, follow=True
    )
    assert "Nothing was saved: editor-user cannot be assigned to judge: choose a reviewer." in messages_of(response)
    assignment.refresh_from_db()
    assert assignment.assignee == reviewer and assignment.history.count() == 1


def test_deleting_an_assignment_in_the_admin_unassigns_it_in_the_history(
    admin_client_, admin_user, claim, reviewer, editor
):
    assignment = services.claim_assign(claim=claim, user=reviewer, task="source", assignee=editor)
    admin_client_.post(url("delete", assignment), {"post": "yes"})
    assert not Assignment.objects.exists()
    record = Assignment.history.filter(id=assignment.pk).latest("history_date", "history_id")
    assert (record.history_type, record.history_user) == ("-", admin_user)


def test_only_desk_heads_could_change_assignments_in_the_admin(rf, reviewer, editor, claim):
    model_admin = AssignmentAdmin(Assignment, admin.site)
    assignment = services.claim_assign(claim=claim, user=reviewer, task="source", assignee=editor)
    for user, allowed in ((reviewer, True), (editor, False)):
        request = rf.get("/")
        request.user = user
        assert model_admin.has_change_permission(request, assignment) is allowed
        assert model_admin.has_delete_permission(request, assignment) is allowed
