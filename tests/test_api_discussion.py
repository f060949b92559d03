"""A claim's discussion and assignments through the API: the thread as the claim page shows it, comments posted,
reworded and deleted under the page's rules, mentions that tell people as on the page, assignments made and ended
by desk heads only; a read-only token changes nothing; bad input is a 422 problem that writes nothing."""

import pytest

from claims import services
from claims.models import Assignment, Comment, Mention, Notification
from tests.api_helpers import ApiClient
from tests.factories import ClaimFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(editor):
    return ClaimFactory(created_by=editor)


def test_an_editor_posts_a_comment_and_a_reply_and_reads_them_as_a_thread(editor, reviewer, claim):
    api = ApiClient(editor)
    first = api.post(f"/claims/{claim.pk}/comments", {"body": "Is the figure yearly?"})
    assert first.status_code == 201
    assert first.json()["author"] == "editor-user" and first.json()["may_edit"] is True
    reply = ApiClient(reviewer).post(f"/claims/{claim.pk}/comments", {"body": "Yes.", "parent": first.json()["id"]})
    again = api.post(f"/claims/{claim.pk}/comments", {"body": "Thanks", "parent": reply.json()["id"]})
    assert again.json()["parent"] == first.json()["id"]  # a reply to a reply joins the thread
    [thread] = api.get(f"/claims/{claim.pk}/comments").json()
    assert thread["body"] == "Is the figure yearly?"
    assert [(r["author"], r["body"]) for r in thread["replies"]] == [
        ("reviewer-user", "Yes."),
        ("editor-user", "Thanks"),
    ]
    assert [r["may_edit"] for r in thread["replies"]] == [False, True]
    assert {record.history_channel for record in Comment.history.all()} == {"api"}


def test_a_mention_tells_the_person_as_on_the_page(editor, reviewer, claim):
    response = ApiClient(editor).post(f"/claims/{claim.pk}/comments", {"body": "@reviewer-user can you judge this?"})
    assert response.status_code == 201
    assert '<span class="mention">@reviewer-user</span>' in response.json()["html"]
    assert Mention.objects.get().user == reviewer
    assert Notification.objects.get(recipient=reviewer).kind == Notification.Kind.MENTION


def test_text_is_escaped_in_the_html_and_kept_as_typed_in_the_body(editor, claim):
    body = "<script>alert(1)</script> see https://example.org/a."
    shown = ApiClient(editor).post(f"/claims/{claim.pk}/comments", {"body": body}).json()
    assert shown["body"] == body
    assert "<script>" not in shown["html"] and "&lt;script&gt;" in shown["html"]
    assert 'href="https://example.org/a"' in shown["html"]


def test_a_viewer_reads_the_discussion_but_may_not_post(viewer, editor, claim):
    services.comment_post(claim=claim, user=editor, body="A question")
    api = ApiClient(viewer)
    assert [c["body"] for c in api.get(f"/claims/{claim.pk}/comments").json()] == ["A question"]
    response = api.post(f"/claims/{claim.pk}/comments", {"body": "Me too"})
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert Comment.objects.count() == 1


def test_a_read_only_token_posts_nothing_whatever_its_user_may_do(editor, claim):
    response = ApiClient(editor, write=False).post(f"/claims/{claim.pk}/comments", {"body": "Hello"})
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "body, error", [("   ", "Write something before posting."), ("x" * 5001, "at most 5000 characters")]
)
def test_an_empty_or_too_long_comment_is_a_422_on_the_body_and_writes_nothing(editor, claim, body, error):
    response = ApiClient(editor).post(f"/claims/{claim.pk}/comments", {"body": body})
    assert response.status_code == 422
    [problem] = response.json()["errors"]
    assert problem["field"] == "body" and error in problem["detail"]
    assert not Comment.objects.exists()


def test_a_reply_to_a_comment_of_another_claim_is_a_422_on_the_parent(editor, claim):
    elsewhere = services.comment_post(claim=ClaimFactory(), user=editor, body="Elsewhere")
    response = ApiClient(editor).post(f"/claims/{claim.pk}/comments", {"body": "Hi", "parent": elsewhere.pk})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "parent"
    assert Comment.objects.count() == 1


def test_only_the_author_rewords_a_comment_not_even_an_admin(editor, admin_user, claim):
    comment = services.comment_post(claim=claim, user=editor, body="Frist")
    path = f"/claims/{claim.pk}/comments/{comment.pk}"
    assert ApiClient(admin_user).patch(path, {"body": "Admin's words"}).status_code == 403
    edited = ApiClient(editor).patch(path, {"body": "First"})
    assert edited.status_code == 200
    assert edited.json()["body"] == "First" and edited.json()["edited_at"]
    assert list(Comment.history.filter(id=comment.pk).values_list("body", flat=True)) == ["First", "Frist"]


def test_deleting_keeps_the_comment_in_its_thread_and_only_admins_read_its_last_words(
    editor, reviewer, admin_user, claim
):
    comment = services.comment_post(claim=claim, user=editor, body="Wrong claim, sorry")
    path = f"/claims/{claim.pk}/comments/{comment.pk}"
    assert ApiClient(reviewer).delete(path).status_code == 403  # reviewers do not moderate
    assert ApiClient(editor).delete(path).status_code == 204
    [shown] = ApiClient(reviewer).get(f"/claims/{claim.pk}/comments").json()
    assert (shown["deleted"], shown["deleted_by"], shown["body"], shown["deleted_words"]) == (
        True,
        "editor-user",
        "",
        "",
    )
    [moderated] = ApiClient(admin_user).get(f"/claims/{claim.pk}/comments").json()
    assert moderated["deleted_words"] == "Wrong claim, sorry"
    assert ApiClient(editor).patch(path, {"body": "Back"}).status_code == 403


def test_a_comment_of_another_claim_is_not_found(editor, claim):
    comment = services.comment_post(claim=ClaimFactory(), user=editor, body="Elsewhere")
    response = ApiClient(editor).patch(f"/claims/{claim.pk}/comments/{comment.pk}", {"body": "x"})
    assert response.status_code == 404


def test_comments_move_no_claim_version(editor, claim):
    before = claim.version
    ApiClient(editor).post(f"/claims/{claim.pk}/comments", {"body": "Noted"})
    claim.refresh_from_db()
    assert claim.version == before


def test_the_thread_costs_the_same_queries_with_two_comments_or_twenty(
    editor, reviewer, claim, django_assert_max_num_queries
):
    api = ApiClient(reviewer, write=False)
    counts = []
    for n in (2, 20):
        for i in range(n - Comment.objects.filter(claim=claim).count()):
            services.comment_post(claim=claim, user=editor, body=f"Point {i} for @reviewer-user")
        with django_assert_max_num_queries(8) as context:
            assert len(api.get(f"/claims/{claim.pk}/comments").json()) == n
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1]


def test_a_desk_head_assigns_an_editor_who_is_told_and_unassigns(reviewer, claim):
    other = UserFactory(username="sourcer", role="editor")
    api = ApiClient(reviewer)
    response = api.put(
        f"/claims/{claim.pk}/assignments/source",
        {"assignee": "sourcer", "due": "2027-01-15", "note": "Ask the council"},
    )
    assert response.status_code == 200
    assert response.json() == {
        **response.json(),
        "task": "source",
        "assignee": "sourcer",
        "assigned_by": "reviewer-user",
        "due": "2027-01-15",
        "note": "Ask the council",
    }
    assert Notification.objects.get(recipient=other).kind == Notification.Kind.ASSIGNMENT
    assert [a["assignee"] for a in api.get(f"/claims/{claim.pk}/assignments").json()] == ["sourcer"]
    assert api.delete(f"/claims/{claim.pk}/assignments/source").status_code == 204
    assert not Assignment.objects.exists()
    assert api.delete(f"/claims/{claim.pk}/assignments/source").status_code == 404


def test_an_editor_may_not_assign(editor, claim):
    response = ApiClient(editor).put(f"/claims/{claim.pk}/assignments/source", {"assignee": "editor-user"})
    assert response.status_code == 403
    assert not Assignment.objects.exists()


def test_a_judgement_goes_only_to_a_reviewer_and_nobody_unknown(reviewer, editor, claim):
    api = ApiClient(reviewer)
    response = api.put(f"/claims/{claim.pk}/assignments/review", {"assignee": "editor-user"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "assignee"
    assert "choose a reviewer" in response.json()["errors"][0]["detail"]
    unknown = api.put(f"/claims/{claim.pk}/assignments/review", {"assignee": "nobody-here"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["detail"] == "Nobody is called “nobody-here”."
    assert api.put(f"/claims/{claim.pk}/assignments/sleep", {"assignee": "reviewer-user"}).status_code == 422
    assert not Assignment.objects.exists()


def test_an_assignment_decided_on_a_stale_version_is_a_412_and_writes_nothing(reviewer, claim):
    stale = f'"{claim.pk}.{claim.version}"'
    services.claim_update(claim=claim, user=reviewer, expected_version=claim.version, wording="Changed", tags="")
    response = ApiClient(reviewer).put(
        f"/claims/{claim.pk}/assignments/review", {"assignee": "reviewer-user"}, **{"If-Match": stale}
    )
    assert response.status_code == 412
    assert not Assignment.objects.exists()


def test_a_null_character_is_a_422_on_the_field_and_writes_nothing(editor, claim):
    response = ApiClient(editor).post(f"/claims/{claim.pk}/comments", {"body": "Hidden\x00text"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "body", "location": "body", "detail": "Value error, Null characters are not allowed."}
    ]
    assert not Comment.objects.exists()
