"""A claim's discussion: comments and replies, editing and deleting one's own, mentions, links made safe."""

import html as htmllib
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from claims import comments, services
from claims.assignments import assigned_to
from claims.comments import mentions_of
from claims.history import timeline
from claims.models import Comment, Mention
from tests.factories import ClaimFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(editor):
    return ClaimFactory(created_by=editor)


def post(client, claim, body, **extra):
    return client.post(reverse("claims:comment", args=[claim.pk]), {"body": body, **extra})


def thread_text(client, claim) -> str:
    content = client.get(claim.get_absolute_url()).content.decode()
    return content.split('id="discussion"', 1)[1].split("</section>", 1)[0]


# --- Posting, replying -------------------------------------------------------------------------------


def test_an_editor_posts_a_comment_and_sees_it_in_the_thread(editor_client, claim):
    response = post(editor_client, claim, "Found a second source?")
    comment = Comment.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#comment-{comment.pk}")
    assert "Found a second source?" in thread_text(editor_client, claim)
    assert comment.author.username == "editor-user" and comment.history.get().history_type == "+"


def test_a_reply_joins_the_thread_of_the_comment_it_answers(editor_client, claim, reviewer):
    first = services.comment_post(claim=claim, user=reviewer, body="Which report is this?")
    reply = services.comment_post(claim=claim, user=reviewer, body="The council's.", parent=first)
    response = post(editor_client, claim, "Thanks, found it.", parent=reply.pk)  # a reply to a reply
    assert response.status_code == 302
    answer = Comment.objects.latest("id")
    assert answer.parent_id == first.pk and reply.parent_id == first.pk
    thread = thread_text(editor_client, claim)
    assert thread.index("Which report is this?") < thread.index("The council&#x27;s.") < thread.index("Thanks")
    assert thread.count('class="thread__replies"') == 1


def test_a_reply_to_a_comment_of_another_claim_is_not_found_and_writes_nothing(editor_client, claim, reviewer):
    elsewhere = services.comment_post(claim=ClaimFactory(), user=reviewer, body="Elsewhere")
    assert post(editor_client, claim, "Misplaced", parent=elsewhere.pk).status_code == 404
    assert Comment.objects.count() == 1


def test_a_viewer_reads_the_discussion_but_may_not_post(client, viewer, claim, reviewer):
    services.comment_post(claim=claim, user=reviewer, body="Visible to all")
    client.force_login(viewer)
    thread = thread_text(client, claim)
    assert "Visible to all" in thread and "Post comment" not in thread and "Reply" not in thread
    assert post(client, claim, "Let me in").status_code == 403
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("", "Write something before posting."),
        ("   \n\n  ", "Write something before posting."),
        ("x" * 5001, "A comment can have at most 5000 characters (this one has 5001)."),
    ],
)
def test_an_empty_or_too_long_comment_gets_a_field_error_and_writes_nothing(editor_client, claim, body, error):
    response = post(editor_client, claim, body)
    assert response.status_code == 400
    content = response.content.decode()
    field = content.split('id="new-comment-body"', 1)[1].split("</div>", 1)[0]
    assert f'<div class="field__error" id="new-comment-body_error"><p>{error}</p>' in field
    assert 'aria-describedby="new-comment-body_helptext new-comment-body_error"' in content
    assert Comment.objects.count() == 0 and Comment.history.count() == 0


def test_a_comment_of_exactly_the_limit_is_taken(editor_client, claim):
    assert post(editor_client, claim, "x" * 5000).status_code == 302


# --- Editing and deleting --------------------------------------------------------------------------


def test_the_author_edits_their_comment_and_the_earlier_words_stay_in_the_history(editor_client, editor, claim):
    comment = services.comment_post(claim=claim, user=editor, body="First thought")
    url = reverse("claims:comment-edit", args=[claim.pk, comment.pk])
    assert editor_client.post(url, {"body": "Second thought"}).status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Second thought" and comment.edited_at is not None
    assert [r.body for r in comment.history.order_by("history_date", "history_id")] == [
        "First thought",
        "Second thought",
    ]
    thread = thread_text(editor_client, claim)
    assert "Second thought" in thread and "edited" in thread


def test_nobody_edits_anothers_comment_not_even_an_admin(client, editor, reviewer, admin_user, claim):
    comment = services.comment_post(claim=claim, user=editor, body="Mine")
    url = reverse("claims:comment-edit", args=[claim.pk, comment.pk])
    for user in (reviewer, admin_user):
        client.force_login(user)
        assert client.post(url, {"body": "Not yours"}).status_code == 403
    comment.refresh_from_db()
    assert comment.body == "Mine" and comment.history.count() == 1


def test_an_edit_that_empties_the_comment_is_refused_beside_its_box(editor_client, editor, claim):
    comment = services.comment_post(claim=claim, user=editor, body="Keep me")
    response = editor_client.post(reverse("claims:comment-edit", args=[claim.pk, comment.pk]), {"body": " "})
    assert response.status_code == 400
    box = response.content.decode().split(f'id="edit-{comment.pk}-body"', 1)[1].split("</div>", 1)[0]
    assert "Write something before posting." in box
    comment.refresh_from_db()
    assert comment.body == "Keep me" and comment.history.count() == 1


def test_deleting_ones_comment_keeps_its_place_and_its_text_in_the_history(editor_client, editor, claim, reviewer):
    comment = services.comment_post(claim=claim, user=editor, body="Regrettable words")
    services.comment_post(claim=claim, user=reviewer, body="A reply stays", parent=comment)
    response = editor_client.post(reverse("claims:comment-delete", args=[claim.pk, comment.pk]))
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.is_deleted and comment.body == "" and comment.deleted_by == editor
    assert comment.history.filter(body="Regrettable words").exists()
    thread = thread_text(editor_client, claim)
    assert "Regrettable words" not in thread and "Deleted by editor-user" in thread and "A reply stays" in thread
    # Deleted is deleted: no edit, no second deletion, no reply to it.
    assert (
        editor_client.post(reverse("claims:comment-edit", args=[claim.pk, comment.pk]), {"body": "x"}).status_code
        == 403
    )
    assert editor_client.post(reverse("claims:comment-delete", args=[claim.pk, comment.pk])).status_code == 403
    assert post(editor_client, claim, "Late reply", parent=comment.pk).status_code == 400
    assert comment.history.count() == 2


def test_an_admin_deletes_anyones_comment_a_reviewer_does_not(client, editor, reviewer, admin_user, claim):
    comment = services.comment_post(claim=claim, user=editor, body="Off topic")
    url = reverse("claims:comment-delete", args=[claim.pk, comment.pk])
    client.force_login(reviewer)
    assert client.post(url).status_code == 403
    assert not Comment.objects.get().is_deleted
    client.force_login(admin_user)
    assert client.post(url).status_code == 302
    assert Comment.objects.get().deleted_by == admin_user
    assert comment.history.latest("history_date", "history_id").history_change_reason == "deleted by admin-user"


def test_only_admins_read_what_a_deleted_comment_said(client, editor, reviewer, admin_user, claim):
    comment = services.comment_post(claim=claim, user=editor, body="First <draft>")
    services.comment_edit(comment=comment, user=editor, body="Second <draft>")
    services.comment_delete(comment=comment, user=editor)
    for user, shown in ((editor, False), (reviewer, False), (admin_user, True)):
        client.force_login(user)
        thread = thread_text(client, claim)
        assert ("Second &lt;draft&gt;" in thread) is shown and "First" not in thread
        assert ("What it said (shown to admins)" in thread) is shown


def test_comments_change_nothing_of_the_claim(editor, reviewer, claim):
    version = claim.version
    comment = services.comment_post(claim=claim, user=reviewer, body="No version moves")
    services.comment_edit(comment=comment, user=reviewer, body="Still none")
    services.comment_delete(comment=comment, user=reviewer)
    claim.refresh_from_db()
    assert claim.version == version and claim.history.count() == 1


# --- Mentions ----------------------------------------------------------------------------------------


def test_mentions_are_rows_of_who_which_claim_and_when(editor, reviewer, claim):
    UserFactory(username="gone", is_active=False)
    comment = services.comment_post(
        claim=claim, user=editor, body="@reviewer-user please look; cc @nobody-here, @gone and me@example.com."
    )
    mention = Mention.objects.get()
    assert (mention.user, mention.claim, mention.comment) == (reviewer, claim, comment)
    assert mention.created_at == Mention.objects.filter(user=reviewer).values_list("created_at", flat=True).get()


def test_a_desk_finds_a_persons_mentions_and_assignments_newest_first(editor, reviewer, claim):
    other = ClaimFactory(wording="Another claim")
    older = services.comment_post(claim=claim, user=editor, body="@reviewer-user first")
    newer = services.comment_post(claim=other, user=editor, body="@reviewer-user second")
    assert [(m.comment, m.claim) for m in mentions_of(reviewer)] == [(newer, other), (older, claim)]
    services.claim_assign(claim=claim, user=reviewer, task="review", assignee=reviewer)
    services.claim_assign(claim=other, user=reviewer, task="review", assignee=reviewer)
    assert [a.claim for a in assigned_to(reviewer)] == [other, claim]
    assert list(mentions_of(editor)) == [] and list(assigned_to(editor)) == []


def test_mentioning_oneself_makes_no_mention(editor, claim):
    services.comment_post(claim=claim, user=editor, body="Note to self, @editor-user")
    assert not Mention.objects.exists()


def test_hostile_text_is_shown_as_typed_on_the_claim_page(editor_client, editor, claim):
    body = '<script>alert(1)</script> <img src=x onerror=alert(2)> javascript:alert(3) "><b>x</b> https://ok.test/"onclick="y'
    assert post(editor_client, claim, body).status_code == 302
    thread = thread_text(editor_client, claim)
    assert "<script>alert" not in thread and "<img" not in thread and "<b>x" not in thread
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in thread and "javascript:alert(3)" in thread
    assert re.findall(r'<a href="([^"]*)"', thread) == ["https://ok.test/"]


def test_an_edit_adds_and_removes_mentions_and_keeps_the_rest(editor, reviewer, admin_user, claim):
    comment = services.comment_post(claim=claim, user=editor, body="@reviewer-user, a look?")
    first = Mention.objects.get()
    services.comment_edit(comment=comment, user=editor, body="@reviewer-user and @admin-user, a look?")
    assert Mention.objects.get(user=reviewer).pk == first.pk
    assert set(Mention.objects.values_list("user__username", flat=True)) == {"reviewer-user", "admin-user"}
    services.comment_edit(comment=comment, user=editor, body="@admin-user alone")
    assert list(Mention.objects.values_list("user__username", flat=True)) == ["admin-user"]
    services.comment_delete(comment=comment, user=editor)
    assert not Mention.objects.exists()


def test_a_mention_is_marked_in_the_thread_and_an_unknown_name_is_text(editor_client, editor, reviewer, claim):
    services.comment_post(claim=claim, user=editor, body="Ask @reviewer-user, not @nobody.")
    thread = thread_text(editor_client, claim)
    assert '<span class="mention">@reviewer-user</span>' in thread and "@nobody." in thread
    assert '<span class="mention">@nobody' not in thread


def test_the_mention_box_suggests_at_most_ten_people_starting_with_the_letters(editor_client):
    for n in range(12):
        UserFactory(username=f"rev{n:02}")
    UserFactory(username="other")
    names = [r["value"] for r in editor_client.get(reverse("people"), {"q": "rev"}).json()["results"]]
    assert names == [f"rev{n:02}" for n in range(10)]
    assert editor_client.get(reverse("people"), {"q": ""}).json()["results"] == []


# --- Links made safe -----------------------------------------------------------------------------------


def links(html: str) -> list[str]:
    return re.findall(r"<a [^>]*>", html)


def test_web_addresses_become_links_that_pass_on_nothing():
    html = comments.render("See https://example.org/report?a=1&b=2, and http://x.test/(a).")
    assert links(html) == [
        '<a href="https://example.org/report?a=1&amp;b=2" rel="nofollow noopener noreferrer" target="_blank">',
        '<a href="http://x.test/(a)" rel="nofollow noopener noreferrer" target="_blank">',
    ]
    assert html.endswith("</a>.")
    assert "report?a=1&amp;b=2</a>, and" in html


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "javascript:alert(1)",
        "JaVaScRiPt:alert(document.cookie)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        '<a href="javascript:alert(1)">click</a>',
        "www.example.org",
        "ftp://example.org/file",
        "mailto:someone@example.org",
        "//evil.example/path",
    ],
)
def test_nothing_but_http_addresses_is_ever_a_link_and_markup_is_shown_as_typed(hostile):
    html = comments.render(hostile)
    assert links(html) == [] and "<" not in html.replace("&lt;", "")
    assert html == hostile.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace(
        '"', "&quot;"
    ).replace("'", "&#x27;")


@pytest.mark.parametrize(
    ("text", "href"),
    [
        ('https://example.org/"onmouseover="alert(1)', "https://example.org/"),
        ("https://example.org/'onmouseover='alert(1)", "https://example.org/"),
        ("https://example.org/<script>alert(1)</script>", "https://example.org/"),
        ("https://example.org/`x`", "https://example.org/"),
        ("https://example.org/a%22b", "https://example.org/a%22b"),
        ("(https://example.org/page)", "https://example.org/page"),
        ("xhttps://example.org", None),
        ("https://", None),
        ("See https://.", None),
        ("https://)", None),
    ],
)
def test_a_quote_or_bracket_ends_an_address_and_can_never_leave_the_attribute(text, href):
    html = comments.render(text)
    found = re.findall(r'<a href="([^"]*)"', html)
    assert found == ([href] if href else [])
    assert "onmouseover=" not in "".join(links(html)) and "<script" not in html


def test_mentions_are_marked_only_for_the_people_mentioned_and_escaped():
    html = comments.render("@ann and @bob<b>", {"ann", "bob"})
    assert html == '<span class="mention">@ann</span> and <span class="mention">@bob</span>&lt;b&gt;'


# --- Cost ----------------------------------------------------------------------------------------------


def test_the_claim_page_costs_the_same_queries_with_20_comments_as_with_2(client, editor, reviewer, admin_user):
    def queries_for(n: int) -> int:
        claim = ClaimFactory(created_by=editor)
        top = None
        for i in range(n):
            author = [editor, reviewer][i % 2]
            body = f"Comment {i} for @reviewer-user and @editor-user, see https://example.org/{i}"
            comment = services.comment_post(claim=claim, user=author, body=body, parent=top if i % 3 else None)
            top = top if i % 3 else comment
            if i % 5 == 4:
                services.comment_edit(comment=comment, user=author, body=f"Edited {i}")
            if i % 7 == 6:
                services.comment_delete(comment=comment, user=author)
        services.claim_assign(claim=claim, user=reviewer, task="source", assignee=editor, note=f"{n} comments")
        services.claim_assign(claim=claim, user=reviewer, task="review", assignee=admin_user)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(claim.get_absolute_url())
        assert response.status_code == 200
        assert response.content.decode().count('class="comment') >= n
        return len(captured)

    client.force_login(reviewer)
    small, large = queries_for(2), queries_for(20)
    # The page's own (session, user, claim, tags, sources, permissions, history, sets) and five for the
    # discussion: its comments, their mentions, the assignments, and the history of both.
    assert small == large <= 16


# --- History ------------------------------------------------------------------------------------------


def test_the_claims_timeline_tells_the_discussion_without_deleted_words(editor_client, editor, reviewer, claim):
    kept = services.comment_post(claim=claim, user=reviewer, body="Kept words")
    services.comment_edit(comment=kept, user=reviewer, body="Kept words, edited")
    gone = services.comment_post(claim=claim, user=editor, body="Withdrawn words", parent=kept)
    services.comment_delete(comment=gone, user=editor)
    content = editor_client.get(claim.get_absolute_url()).content.decode()
    history = content.split('id="history"', 1)[1]
    assert 'reviewer-user commented — <span class="timeline__detail">Kept words</span>' in history
    assert "reviewer-user edited a comment" in history
    assert "editor-user replied in the discussion" in history and "editor-user deleted a comment" in history
    assert "Withdrawn words" not in content


# --- A deleted claim --------------------------------------------------------------------------------------


def test_a_deleted_claim_takes_its_discussion_and_assignments_along_and_brings_them_back(editor, reviewer, admin_user):
    claim = ClaimFactory(created_by=editor)
    first = services.comment_post(claim=claim, user=reviewer, body="Ask @editor-user")
    services.comment_post(claim=claim, user=editor, body="Asked.", parent=first)
    withdrawn = services.comment_post(claim=claim, user=editor, body="Withdrawn")
    services.comment_delete(comment=withdrawn, user=editor)
    services.claim_assign(claim=claim, user=reviewer, task="source", assignee=editor, note="Sources, please")
    services.claim_delete(claim=claim, user=editor)
    assert not Comment.objects.exists() and not Mention.objects.exists()
    assert Comment.history.filter(history_type="-", history_user=editor).count() == 3

    restored = services.claim_restore(claim_id=claim.pk, user=admin_user)
    thread = comments.thread(restored, reviewer)
    assert [(c.body, [r.body for r in c.thread_replies]) for c in thread] == [
        ("Ask @editor-user", ["Asked."]),
        ("", []),
    ]
    assert thread[1].is_deleted and thread[1].deleted_by == editor
    assert Mention.objects.get().user == editor
    assert restored.assignments.get().note == "Sources, please"
    history = [entry.sentence for entry in timeline(claim.pk) if entry.kind == "comment"]
    assert history[-3:] == [f"admin-user restored a comment (restored with claim #{claim.pk})"] * 3
    assert "editor-user deleted a comment (deleted with claim" in history[-4]
    assert [e.detail for e in timeline(claim.pk) if e.sentence.startswith("reviewer-user commented")] == [
        "Ask @editor-user"
    ]


# --- Whatever anyone types ---------------------------------------------------------------------------------

TAG = re.compile(r"<(/?)([a-z]+)([^>]*)>")
ALLOWED_OPENING = re.compile(
    r'^ href="(?i:https?)://[^"\s<>`\']+" rel="nofollow noopener noreferrer" target="_blank"$|^ class="mention"$'
)
# Pieces that make addresses, mentions and markup, in any order.
typed = st.lists(
    st.sampled_from([*"ab @.:/<>\"'&`()=;\n", "https://", "http://", "javascript:", "@ann", "www."]), max_size=40
).map("".join)


@given(text=st.one_of(st.text(max_size=200), typed))
@example(text='https://a"onmouseover="x')
@example(text="@ann.<b>")
@example(text="HTTP://.")  # found by it: punctuation alone once made an empty link
def test_whatever_is_typed_reads_back_as_typed_and_only_safe_links_and_marks_are_added(text):
    html = comments.render(text, {"ann"})
    assert htmllib.unescape(TAG.sub("", html)) == text
    for closing, name, attributes in TAG.findall(html):
        assert name in ("a", "span")
        assert (closing and not attributes) or ALLOWED_OPENING.match(attributes), attributes
