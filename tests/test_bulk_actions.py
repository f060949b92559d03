"""The claim list's bulk actions: tick claims on a page, then tag or untag them, add them to a claim set,
assign them or delete them. Each claim is held to the rule its own page applies, and the message says what
was done and what was refused and why, claim by claim."""

import re
from datetime import date
from html import unescape

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import services
from claims.models import Assignment, Claim, ClaimSet, Comment, Notification
from tests.factories import ClaimFactory, PassageEvidenceFactory

pytestmark = pytest.mark.django_db


def ticked(*claims) -> list[str]:
    """The boxes of these claims as the list shows them: id and the version shown."""
    return [f"{claim.pk}:{claim.version}" for claim in claims]


def act(client, action: str, claims, query: str = "", confirmed: bool = False, **fields):
    data = {"bulk-action": action, "bulk-claims": ticked(*claims), **{f"bulk-{k}": v for k, v in fields.items()}}
    if confirmed:
        data["confirmed"] = "yes"
    return client.post(f"{reverse('claims:bulk')}{query}", data)


def said(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def fresh(claim) -> Claim:
    return Claim.objects.get(pk=claim.pk)


def tags_of(claim) -> list[str]:
    return sorted(fresh(claim).tags.values_list("name", flat=True))


@pytest.fixture
def mine(editor):
    return [ClaimFactory(created_by=editor, wording=f"My claim {n}") for n in range(3)]


@pytest.fixture
def theirs(reviewer):
    return ClaimFactory(created_by=reviewer, wording="The reviewer's own claim")


def test_the_list_offers_each_role_only_the_actions_it_may_take(client, viewer, editor, reviewer, mine):
    ClaimSet.objects.create(name="Viewer's picks", owner=viewer)
    offered = {}
    for user in (viewer, editor, reviewer):
        client.force_login(user)
        content = client.get(reverse("claims:list")).content.decode()
        select = content.split('name="bulk-action"', 1)[1].split("</select>", 1)[0]
        offered[user.username] = re.findall(r'<option value="(\w+)"', select)
    assert offered == {
        "viewer-user": ["set"],
        "editor-user": ["tag", "untag", "delete"],
        "reviewer-user": ["tag", "untag", "assign", "delete"],
    }


def test_a_viewer_without_a_claim_set_gets_no_boxes_to_tick(client, viewer, mine):
    client.force_login(viewer)
    content = client.get(reverse("claims:list")).content.decode()
    assert 'name="bulk-claims"' not in content and 'id="bulk"' not in content
    assert "first <a href" in content and "create a claim set" in content


def test_each_row_has_a_box_named_for_its_claim_holding_the_version_shown(editor_client, mine):
    content = editor_client.get(reverse("claims:list")).content.decode()
    box = f'value="{mine[0].pk}:1" form="bulk" aria-label="Select “My claim 0”"'
    assert box in content


def test_select_all_ticks_every_box_on_the_page_without_a_script(editor_client, mine):
    content = editor_client.get(reverse("claims:list"), {"select": "all", "sort": "wording"}).content.decode()
    assert content.count(" checked></td>") == 3
    assert "Select none" in content
    # What the form posts to keeps the list's filters, not the "select all".
    assert f'action="{reverse("claims:bulk")}?sort=wording"' in content


def test_an_editor_tags_the_ticked_claims_and_is_told_which_were_tagged_and_which_refused(
    editor_client, editor, mine, theirs
):
    mine[2].tags.add(*services.tags_named(["Health"], editor))
    records = fresh(mine[2]).history.count()
    response = act(editor_client, "tag", [*mine, theirs], query="?status=open", tag=" health ")
    assert response.status_code == 302 and response.url == reverse("claims:list") + "?status=open"
    assert said(response) == [
        f"Tagged 2 claims “health”: #{mine[0].pk}, #{mine[1].pk}.",
        f"1 claim already had it: #{mine[2].pk}.",
        f"Refused 1: #{theirs.pk} — You may edit only the claims you tagged.",
    ]
    # The tag box's rules: one tag of a name, ignoring case.
    assert [tags_of(claim) for claim in mine] == [["Health"]] * 3
    assert tags_of(theirs) == []
    # Each tagged claim is a new version, in its history, by the editor; the others are untouched.
    assert [fresh(claim).version for claim in (*mine, theirs)] == [2, 2, 1, 1]
    assert fresh(mine[0]).history.first().history_user == editor
    assert fresh(mine[2]).history.count() == records


def test_removing_a_tag_takes_it_off_only_the_claims_that_have_it(editor_client, editor, mine):
    health, budget = services.tags_named(["health", "budget"], editor)
    mine[0].tags.add(health, budget)
    mine[1].tags.add(health)
    response = act(editor_client, "untag", mine, tag="HEALTH")
    assert said(response) == [
        f"Took the tag “HEALTH” off 2 claims: #{mine[0].pk}, #{mine[1].pk}.",
        f"1 claim did not have it: #{mine[2].pk}.",
    ]
    assert [tags_of(claim) for claim in mine] == [["budget"], [], []]


@pytest.mark.parametrize(
    ("tag", "error"),
    [("", "Type one tag, without commas."), ("a, b", "Type one tag, without commas."), ("x" * 51, "at most 50")],
)
def test_a_tag_that_is_not_one_tag_is_a_field_error_and_nothing_is_written(editor_client, mine, tag, error):
    response = act(editor_client, "tag", mine, tag=tag)
    assert response.status_code == 400
    content = unescape(response.content.decode())
    assert 'id="id_bulk-tag_error"' in content and error in content
    # The list comes back with the same claims ticked.
    assert content.count(" checked></td>") == 3
    assert all(fresh(claim).version == 1 for claim in mine)


def test_nothing_ticked_is_said_beside_the_form(editor_client, mine):
    response = editor_client.post(reverse("claims:bulk"), {"bulk-action": "tag", "bulk-tag": "x"})
    assert response.status_code == 400
    assert "Tick the claims first: the box at the start of each row." in response.content.decode()


def test_no_more_than_a_page_of_claims_at_a_time(editor_client, mine, settings):
    settings.WORKBENCH_CLAIMS_PER_PAGE = 2
    response = act(editor_client, "tag", mine, tag="x")
    assert response.status_code == 400
    assert "At most 2 claims at a time (a page of the list)." in response.content.decode()
    assert not Claim.tags.through.objects.exists()


def test_a_selection_the_list_did_not_make_is_refused(editor_client, mine):
    response = editor_client.post(
        reverse("claims:bulk"), {"bulk-action": "tag", "bulk-tag": "x", "bulk-claims": [str(mine[0].pk)]}
    )
    assert response.status_code == 400
    assert "That selection is not one the claim list made" in response.content.decode()


def test_claims_changed_or_deleted_since_the_list_was_shown_are_refused_and_the_others_done(
    editor_client, editor, mine
):
    shown = ticked(*mine)
    edited = services.claim_update(claim=mine[1], user=editor, expected_version=1, wording="Reworded", tags="")
    services.claim_delete(claim=mine[2], user=editor)
    response = editor_client.post(
        reverse("claims:bulk"), {"bulk-action": "tag", "bulk-tag": "health", "bulk-claims": shown}
    )
    assert said(response) == [
        f"Tagged 1 claim “health”: #{mine[0].pk}.",
        f"Refused 2: #{mine[1].pk} — Changed by someone else since the list was shown: look at it again. "
        f"#{mine[2].pk} — Deleted meanwhile.",
    ]
    assert tags_of(mine[1]) == [] and fresh(mine[1]).version == edited.version  # nothing of it written


def test_a_reviewer_assigns_the_ticked_claims_to_an_editor_who_is_told(client, reviewer, editor, mine):
    services.claim_assign(claim=mine[0], user=reviewer, task="source", assignee=editor)
    client.force_login(reviewer)
    response = act(client, "assign", mine, task="source", assignee="editor-user")
    assert said(response) == [
        f"Assigned 2 claims to editor-user to find sources: #{mine[1].pk}, #{mine[2].pk}.",
        f"1 claim already in editor-user's hands: #{mine[0].pk}.",
    ]
    assigned = Assignment.objects.filter(task="source", assignee=editor)
    assert sorted(assigned.values_list("claim_id", flat=True)) == sorted(claim.pk for claim in mine)
    assert Assignment.history.filter(history_user=reviewer).count() == 3
    assert Notification.objects.filter(recipient=editor, kind="assignment").count() == 3
    # An assignment is no change of the claim: its version stays.
    assert all(fresh(claim).version == 1 for claim in mine)


def test_a_claim_reassigned_in_bulk_keeps_its_due_date_and_note(client, reviewer, admin_user, editor, mine):
    services.claim_assign(
        claim=mine[0], user=reviewer, task="review", assignee=reviewer, due=date(2026, 12, 24), note="Before Friday."
    )
    client.force_login(reviewer)
    act(client, "assign", mine[:1], task="review", assignee="admin-user")
    assignment = Assignment.objects.get()
    assert (assignment.assignee, assignment.due, assignment.note) == (admin_user, date(2026, 12, 24), "Before Friday.")
    assert Notification.objects.filter(recipient=admin_user, kind="assignment").count() == 1


def test_assigning_someone_without_the_tasks_role_is_a_field_error(client, reviewer, viewer, mine):
    client.force_login(reviewer)
    response = act(client, "assign", mine, task="review", assignee="viewer-user")
    assert response.status_code == 400
    assert "viewer-user cannot be assigned to judge: choose a reviewer." in response.content.decode()
    response = act(client, "assign", mine, task="source", assignee="nobody")
    assert response.status_code == 400 and "Nobody is called “nobody”." in response.content.decode()
    assert not Assignment.objects.exists()


def test_anyone_adds_the_ticked_claims_to_their_own_set_in_one_change_of_it(client, viewer, mine):
    claim_set = ClaimSet.objects.create(name="Weekly", owner=viewer)
    claim_set.claims.add(mine[0])
    client.force_login(viewer)
    response = act(client, "set", mine, claim_set=claim_set.pk)
    assert said(response) == [
        f"Added 2 claims to “Weekly”: #{mine[1].pk}, #{mine[2].pk}.",
        f"1 claim already in it: #{mine[0].pk}.",
    ]
    assert sorted(claim_set.claims.values_list("pk", flat=True)) == sorted(claim.pk for claim in mine)
    assert claim_set.history.filter(history_user=viewer).count() == 1


def test_another_persons_set_is_not_a_choice(client, viewer, editor, mine):
    theirs = ClaimSet.objects.create(name="Editor's", owner=editor)
    ClaimSet.objects.create(name="Mine", owner=viewer)
    client.force_login(viewer)
    response = act(client, "set", mine, claim_set=theirs.pk)
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    assert not theirs.claims.exists()


def test_a_delete_first_asks_listing_what_would_go_and_what_would_be_refused(editor_client, editor, reviewer, mine):
    judged = ClaimFactory(created_by=editor, wording="My judged claim", status=Claim.Status.VERIFIED)
    others = ClaimFactory(created_by=reviewer, wording="Someone else's claim")
    response = act(editor_client, "delete", [mine[0], mine[1], judged, others], query="?page=1")
    assert response.status_code == 200
    content = unescape(response.content.decode())
    assert "<h1>Delete 2 claims?</h1>" in content
    assert "My claim 0" in content and "My claim 1" in content
    assert f"#{judged.pk}: It is verified: a verdict is a reviewer's work, so only admins delete it." in content
    assert f"#{others.pk}: Someone else tagged it: you may delete only your own claims." in content
    assert 'name="confirmed" value="yes"' in content and f'action="{reverse("claims:bulk")}?page=1"' in content
    assert Claim.objects.count() == 5  # nothing deleted yet

    confirm = dict(re.findall(r'name="([\w-]+)" value="([^"]*)"', content))
    values = re.findall(r'name="bulk-claims" value="([^"]*)"', content)
    response = editor_client.post(
        f"{reverse('claims:bulk')}?page=1", {**confirm, "bulk-claims": values, "confirmed": "yes"}
    )
    assert response.url == reverse("claims:list") + "?page=1"
    assert said(response) == [
        f"Deleted 2 claims: #{mine[0].pk}, #{mine[1].pk}.",
        f"Refused 2: #{judged.pk} — It is verified: a verdict is a reviewer's work, so only admins delete it. "
        f"#{others.pk} — Someone else tagged it: you may delete only your own claims.",
    ]
    assert sorted(Claim.objects.values_list("pk", flat=True)) == sorted([mine[2].pk, judged.pk, others.pk])


def test_a_bulk_delete_goes_through_the_claims_own_delete_and_can_be_restored(
    client, editor, admin_user, reviewer, mine
):
    PassageEvidenceFactory(claim=mine[0])
    services.comment_post(claim=mine[0], user=editor, body="Checking this one.")
    client.force_login(admin_user)
    response = act(client, "delete", mine[:1], confirmed=True)
    assert said(response) == [f"Deleted 1 claim: #{mine[0].pk}."]
    assert not Comment.objects.exists()
    assert fresh_history_user(mine[0]) == admin_user
    restored = services.claim_restore(claim_id=mine[0].pk, user=admin_user)
    assert restored.evidence.count() == 1 and restored.comments.count() == 1


def fresh_history_user(claim):
    return Claim.history.filter(id=claim.pk).latest("history_date", "history_id").history_user


def test_an_editor_may_not_delete_their_claim_whose_verdict_awaits_review(editor_client, editor):
    suspended = ClaimFactory(created_by=editor, status=Claim.Status.REVIEW)
    response = act(editor_client, "delete", [suspended], confirmed=True)
    assert said(response) == [
        f"Refused 1: #{suspended.pk} — Its verdict awaits review: a verdict is a reviewer's work, so only admins "
        "delete it."
    ]
    assert Claim.objects.filter(pk=suspended.pk).exists()


def test_nothing_deletable_says_so_and_offers_only_the_way_back(editor_client, reviewer):
    others = ClaimFactory(created_by=reviewer)
    content = act(editor_client, "delete", [others]).content.decode()
    assert "Nothing to delete" in content and "None of the ticked claims can be deleted" in content
    assert "button--danger" not in content and "Back to the claims" in content


@pytest.mark.parametrize(("action", "fields"), [("tag", {"tag": "x"}), ("untag", {"tag": "x"}), ("delete", {})])
def test_a_viewer_cannot_tag_untag_or_delete(client, viewer, mine, action, fields):
    client.force_login(viewer)
    response = act(client, action, mine, **fields)
    assert response.status_code == 403
    assert Claim.objects.count() == 3 and all(fresh(claim).version == 1 for claim in mine)


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_only_desk_heads_assign_in_bulk(client, request, role, mine):
    client.force_login(request.getfixturevalue(role))
    response = act(client, "assign", mine, task="source", assignee="editor-user")
    assert response.status_code == 403 and not Assignment.objects.exists()


def test_signed_out_one_is_sent_to_log_in(client, mine):
    response = act(client, "tag", mine, tag="x")
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_bulk_action_needs_the_forms_csrf_token(editor, mine):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = act(client, "tag", mine, tag="x")
    assert response.status_code == 403
    assert not Claim.tags.through.objects.exists()


def test_the_list_only_takes_a_post(editor_client):
    assert editor_client.get(reverse("claims:bulk")).status_code == 405


def queries_for(client, action: str, claims, **fields) -> int:
    with CaptureQueriesContext(connection) as captured:
        act(client, action, claims, **fields)
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    ("action", "fields"),
    [
        ("tag", {"tag": "health"}),
        ("untag", {"tag": "health"}),
        ("assign", {"task": "source", "assignee": "editor-user"}),
        ("delete", {"confirmed": True}),
    ],
)
def test_an_action_reads_the_claims_once_and_writes_each_at_the_same_cost(client, reviewer, editor, action, fields):
    """The reads are batched: only the writes grow with the claims, by the same number of queries each (what the
    claim's own service costs: its lock, its history, its tags)."""
    client.force_login(reviewer)
    health = services.tags_named(["health"], reviewer)[0]
    # The reviewer's own claims, so that every action may do each of them.
    few, many = ([ClaimFactory(created_by=reviewer) for _ in range(n)] for n in (3, 13))
    if action == "untag":
        for claim in (*few, *many):
            claim.tags.add(health)
    cost_few, cost_many = queries_for(client, action, few, **fields), queries_for(client, action, many, **fields)
    per_claim = (cost_many - cost_few) / 10
    assert per_claim == int(per_claim) and per_claim <= 24, (cost_few, cost_many)
    assert cost_few - 3 * per_claim <= 12, (cost_few, cost_many)


def test_adding_to_a_set_costs_the_same_queries_for_many_claims(client, viewer, editor):
    claim_set = ClaimSet.objects.create(name="Weekly", owner=viewer)
    client.force_login(viewer)
    few, many = ([ClaimFactory(created_by=editor) for _ in range(n)] for n in (2, 20))
    assert queries_for(client, "set", few, claim_set=claim_set.pk) == queries_for(
        client, "set", many, claim_set=claim_set.pk
    )


def test_the_delete_confirmation_costs_the_same_queries_for_many_claims(editor_client, editor):
    few, many = ([ClaimFactory(created_by=editor) for _ in range(n)] for n in (2, 20))
    assert queries_for(editor_client, "delete", few) == queries_for(editor_client, "delete", many)


def test_the_list_with_its_bulk_form_costs_the_same_queries_however_many_claims(
    client, reviewer, viewer, django_assert_max_num_queries
):
    ClaimSet.objects.create(name="Weekly", owner=reviewer)
    client.force_login(reviewer)
    for _ in range(3):
        ClaimFactory(created_by=viewer)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("claims:list"))
    for _ in range(30):
        ClaimFactory(created_by=viewer)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("claims:list"))
