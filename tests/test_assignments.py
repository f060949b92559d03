"""Assignments: desk heads (reviewers, admins) hand a claim to an editor to find sources or to a reviewer to
judge, with a due date and a note; reassign; unassign; the claim list finds what is assigned to whom."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from claims import basis, services
from claims.models import Assignment, Claim
from tests.factories import ClaimFactory, PassageEvidenceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(editor):
    return ClaimFactory(created_by=editor)


def assign(client, claim, task, assignee, **extra):
    data = {"task": task, f"{task}-assignee": assignee, **{f"{task}-{k}": v for k, v in extra.items()}}
    return client.post(reverse("claims:assign", args=[claim.pk]), data)


def assignments_card(client, claim) -> str:
    content = client.get(claim.get_absolute_url()).content.decode()
    return content.split('id="assignments"', 1)[1].split("</section>", 1)[0]


def test_a_reviewer_assigns_an_editor_to_find_sources_with_a_due_date_and_a_note(client, reviewer, editor, claim):
    client.force_login(reviewer)
    response = assign(client, claim, "source", "editor-user", due="2026-12-10", note="Try the council minutes.")
    assert response.status_code == 302 and response["Location"].endswith("#assignments")
    assignment = Assignment.objects.get()
    assert (assignment.assignee, assignment.assigned_by, assignment.task) == (editor, reviewer, "source")
    assert assignment.due == datetime.date(2026, 12, 10) and assignment.note == "Try the council minutes."
    card = assignments_card(client, claim)
    assert "<strong>editor-user</strong>, due 10 Dec 2026" in card and "Try the council minutes." in card
    assert "Assigned by reviewer-user" in card


def test_an_editor_cannot_be_assigned_to_judge_and_nothing_is_written(client, reviewer, editor, claim):
    client.force_login(reviewer)
    response = assign(client, claim, "review", "editor-user")
    assert response.status_code == 400
    assert "editor-user cannot be assigned to judge: choose a reviewer." in response.content.decode()
    assert not Assignment.objects.exists() and not Assignment.history.exists()


def test_a_viewer_cannot_be_assigned_to_find_sources(reviewer, viewer, claim):
    with pytest.raises(ValidationError, match="viewer-user cannot be assigned to find sources: choose an editor"):
        services.claim_assign(claim=claim, user=reviewer, task="source", assignee=viewer)


def test_an_unknown_person_is_a_field_error(client, reviewer, claim):
    client.force_login(reviewer)
    response = assign(client, claim, "source", "nobody")
    assert response.status_code == 400 and "Nobody is called “nobody”." in response.content.decode()
    assert not Assignment.objects.exists()


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_only_desk_heads_assign(client, request, role, claim, reviewer):
    client.force_login(request.getfixturevalue(role))
    assert assign(client, claim, "review", "reviewer-user").status_code == 403
    assert "<form" not in assignments_card(client, claim)
    with pytest.raises(PermissionDenied):
        services.claim_assign(claim=claim, user=request.getfixturevalue(role), task="review", assignee=reviewer)
    assert not Assignment.objects.exists()


def test_reassigning_and_unassigning_are_in_the_history(client, reviewer, admin_user, editor, claim):
    other = UserFactory(username="second-editor", role="editor")
    client.force_login(reviewer)
    assign(client, claim, "source", "editor-user")
    assign(client, claim, "source", "second-editor", note="editor-user is away")
    assert Assignment.objects.get().assignee == other
    client.force_login(admin_user)
    response = client.post(reverse("claims:unassign", args=[claim.pk]), {"task": "source"})
    assert response.status_code == 302 and not Assignment.objects.exists()
    records = Assignment.history.order_by("history_date", "history_id")
    assert [(r.history_type, r.assignee.username, r.history_user.username) for r in records] == [
        ("+", "editor-user", "reviewer-user"),
        ("~", "second-editor", "reviewer-user"),
        ("-", "second-editor", "admin-user"),
    ]
    history = client.get(claim.get_absolute_url()).content.decode().split('id="history"', 1)[1]
    assert "reviewer-user assigned the claim to editor-user to find sources" in history
    assert "reviewer-user changed the assignment: now second-editor to find sources" in history
    assert "admin-user unassigned second-editor (to find sources)" in history


def test_one_claim_has_one_assignee_of_each_task(reviewer, editor, claim):
    services.claim_assign(claim=claim, user=reviewer, task="source", assignee=editor)
    services.claim_assign(claim=claim, user=reviewer, task="review", assignee=reviewer)
    services.claim_assign(claim=claim, user=reviewer, task="review", assignee=reviewer)  # the same: no record
    assert Assignment.objects.count() == 2 and Assignment.history.count() == 2


def test_unassigning_what_is_not_assigned_says_so_and_writes_nothing(client, reviewer, claim):
    client.force_login(reviewer)
    response = client.post(reverse("claims:unassign", args=[claim.pk]), {"task": "review"}, follow=True)
    assert "That was not assigned to anyone." in response.content.decode()
    assert not Assignment.history.exists()


def test_an_unknown_kind_is_not_found(client, reviewer, claim):
    client.force_login(reviewer)
    assert assign(client, claim, "lunch", "reviewer-user").status_code == 404
    assert client.get(reverse("claims:assignees", args=["lunch"]), {"q": "re"}).status_code == 404


def test_an_assignment_is_no_change_the_verdict_did_not_see(reviewer, editor, admin_user, claim):
    for _ in range(2):
        PassageEvidenceFactory(claim=claim)
    claim.refresh_from_db()
    claim = services.verdict_record(
        claim=claim, user=reviewer, status="verified", rationale="Two sources.", expected_version=claim.version
    )
    judged = claim.version
    services.claim_assign(claim=claim, user=admin_user, task="source", assignee=editor, note="More, please")
    services.claim_unassign(claim=claim, user=admin_user, task="source")
    claim = Claim.objects.get(pk=claim.pk)
    assert claim.status == "verified" and claim.version == judged and not claim.needs_review
    assert basis.drifts(claim.verdict_basis, claim, list(claim.evidence.all())) == []


def test_the_assignee_box_suggests_only_those_who_may_take_the_task(client, reviewer, editor, admin_user, viewer):
    UserFactory(username="rex-the-editor", role="editor")
    UserFactory(username="rita-the-reviewer", role="reviewer")
    UserFactory(username="ruth-away", role="reviewer", is_active=False)
    client.force_login(reviewer)

    def names(task, q):
        return [r["value"] for r in client.get(reverse("claims:assignees", args=[task]), {"q": q}).json()["results"]]

    assert names("review", "r") == ["reviewer-user", "rita-the-reviewer"]
    assert names("source", "r") == ["reviewer-user", "rex-the-editor", "rita-the-reviewer"]
    assert names("source", "v") == [] and names("review", "") == []


def test_the_assignee_box_offers_at_most_ten(client, reviewer):
    for n in range(15):
        UserFactory(username=f"desk{n:02}", role="reviewer")
    client.force_login(reviewer)
    results = client.get(reverse("claims:assignees", args=["review"]), {"q": "desk"}).json()["results"]
    assert [r["value"] for r in results] == [f"desk{n:02}" for n in range(10)]


# --- The claim list's filter -------------------------------------------------------------------------------


def listed(client, **params) -> list[str]:
    response = client.get(reverse("claims:list"), params)
    assert response.status_code == 200
    ids = list(response.context["page"].object_list)
    return sorted(Claim.objects.filter(pk__in=ids).values_list("wording", flat=True))


def test_the_claim_list_shows_the_claims_assigned_to_someone_or_to_me(client, reviewer, editor):
    mine = ClaimFactory(wording="Assigned to me")
    both = ClaimFactory(wording="Mine twice over")
    ClaimFactory(wording="Nobody's")
    theirs = ClaimFactory(wording="Someone else's")
    services.claim_assign(claim=mine, user=reviewer, task="review", assignee=reviewer)
    services.claim_assign(claim=both, user=reviewer, task="review", assignee=reviewer)
    services.claim_assign(claim=both, user=reviewer, task="source", assignee=reviewer)
    services.claim_assign(claim=theirs, user=reviewer, task="source", assignee=editor)
    client.force_login(reviewer)
    assert listed(client, assigned="me") == ["Assigned to me", "Mine twice over"]
    assert listed(client, assigned="reviewer-user") == ["Assigned to me", "Mine twice over"]
    assert listed(client, assigned="editor-user") == ["Someone else's"]
    client.force_login(editor)
    assert listed(client, assigned="Me") == ["Someone else's"]
    response = client.get(reverse("claims:list"), {"assigned": "me"})
    assert response.context["counted"].total == 1


def test_an_unknown_assignee_in_the_filter_is_a_field_error(client, reviewer):
    client.force_login(reviewer)
    response = client.get(reverse("claims:list"), {"assigned": "nobody"})
    assert "Nobody is called “nobody”." in response.content.decode()
