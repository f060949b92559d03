"""The activity feed tells the discussion and the assignments, in the same few queries per page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import services
from tests.factories import ClaimFactory, UserFactory
from tests.test_activity import feed

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer_client(client, viewer):
    client.force_login(viewer)
    return client


def discussion_rows(client, **params) -> list[str]:
    return [row for row in feed(client, **params) if " user “" not in row and "tagged claim" not in row]


def test_the_feed_tells_comments_replies_edits_and_deletions_without_deleted_words(viewer_client, editor, reviewer):
    claim = ClaimFactory(created_by=editor, wording="Roads cost 3 million")
    first = services.comment_post(claim=claim, user=reviewer, body="Where is the second source?")
    services.comment_edit(comment=first, user=reviewer, body="Where is the second source, please?")
    reply = services.comment_post(claim=claim, user=editor, body="Withdrawn", parent=first)
    services.comment_delete(comment=reply, user=editor)
    assert discussion_rows(viewer_client, type="comment") == [
        "editor-user deleted a comment on claim “Roads cost 3 million” — deleted",
        "editor-user replied (the comment was deleted since) on claim “Roads cost 3 million”",
        "reviewer-user edited a comment on claim “Roads cost 3 million”",
        "reviewer-user commented “Where is the second source?” on claim “Roads cost 3 million”",
    ]
    assert discussion_rows(viewer_client, type="comment", action="deleted") == [
        "editor-user deleted a comment on claim “Roads cost 3 million” — deleted"
    ]
    assert len(discussion_rows(viewer_client, type="comment", action="changed")) == 1
    content = viewer_client.get(reverse("activity")).content.decode()
    assert f'href="/claims/{claim.pk}/#comment-{first.pk}"' in content and "Withdrawn" not in content


def test_the_feed_tells_assignments(viewer_client, editor, reviewer, admin_user):
    claim = ClaimFactory(created_by=editor, wording="Roads cost 3 million")
    other = UserFactory(username="second-editor", role="editor")
    services.claim_assign(claim=claim, user=reviewer, task="source", assignee=editor)
    services.claim_assign(claim=claim, user=reviewer, task="source", assignee=other)
    services.claim_unassign(claim=claim, user=admin_user, task="source")
    assert discussion_rows(viewer_client, type="assignment") == [
        "admin-user unassigned “second-editor” from claim “Roads cost 3 million” (to find sources)",
        "reviewer-user reassigned “second-editor” to claim “Roads cost 3 million” (to find sources): "
        "to editor-user → second-editor",
        "reviewer-user assigned “editor-user” to claim “Roads cost 3 million” (to find sources)",
    ]


def test_a_page_of_discussion_costs_one_query_per_source_however_many_rows(viewer_client, editor, reviewer):
    def page_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert viewer_client.get(reverse("activity")).status_code == 200
        return len(queries)

    def discuss(times: int) -> None:
        claim = ClaimFactory(created_by=editor)
        for n in range(times):
            comment = services.comment_post(claim=claim, user=reviewer, body=f"Comment {n}")
            reply = services.comment_post(claim=claim, user=editor, body=f"Reply {n}", parent=comment)
            services.comment_edit(comment=reply, user=editor, body=f"Reply {n}, edited")
            services.comment_delete(comment=comment, user=reviewer)
            services.claim_assign(claim=claim, user=reviewer, task="source", assignee=editor)
            services.claim_assign(claim=claim, user=reviewer, task="source", assignee=reviewer, note=f"{n}")
            services.claim_unassign(claim=claim, user=reviewer, task="source")

    # The session, the user, the page of the union, the comments' records, the assignments' records, the names.
    discuss(10)
    assert len(feed(viewer_client)) == 50
    assert page_queries() == 6
    discuss(30)
    assert page_queries() == 6


def test_comments_deleted_and_restored_with_their_claim_are_told_so(viewer_client, editor, admin_user):
    claim = ClaimFactory(created_by=editor, wording="Roads cost 3 million")
    services.comment_post(claim=claim, user=editor, body="Before the deletion")
    services.claim_delete(claim=claim, user=editor)
    services.claim_restore(claim_id=claim.pk, user=admin_user)
    assert discussion_rows(viewer_client, type="comment") == [
        f"admin-user restored a comment on claim “Roads cost 3 million” — restored with claim #{claim.pk}",
        f"editor-user deleted a comment on claim “Roads cost 3 million” — deleted with claim #{claim.pk}",
        "editor-user commented “Before the deletion” on claim “Roads cost 3 million”",
    ]
