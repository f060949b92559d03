"""Two desk heads assigning one claim at once: one assignee per task, whoever wins, and nobody is told the
database is locked (real concurrent writers on both databases, as in tests/test_concurrency.py)."""

import pytest

from claims import services
from claims.assignments import assigned_to
from claims.comments import mentions_of
from claims.models import Assignment, Claim, Comment
from tests.factories import ClaimFactory, UserFactory
from tests.test_concurrency import run_at_once

pytestmark = pytest.mark.django_db(transaction=True)


def test_six_desk_heads_assigning_one_task_at_once_leave_one_assignee(roles):
    claim = ClaimFactory(created_by=UserFactory(username="tagger", role="editor"))
    heads = [UserFactory(username=f"head{n}", role="reviewer") for n in range(6)]
    editors = [UserFactory(username=f"editor{n}", role="editor") for n in range(6)]

    def assign(head, editor):
        return lambda: services.claim_assign(
            claim=Claim.objects.get(pk=claim.pk), user=head, task="source", assignee=editor
        )

    outcomes = run_at_once(*(assign(head, editor) for head, editor in zip(heads, editors, strict=True)))
    assert [o for o in outcomes if isinstance(o, Exception)] == []
    assignment = Assignment.objects.get()
    assert assignment.assignee.username in {e.username for e in editors}
    assert Assignment.history.count() == 6  # one creation, then five reassignments, each recorded


def test_six_people_commenting_at_once_all_get_their_comment(roles):
    claim = ClaimFactory(created_by=UserFactory(username="tagger", role="editor"))
    people = [UserFactory(username=f"person{n}", role="editor") for n in range(6)]
    mentioned = UserFactory(username="everyone", role="viewer")

    def comment(person):
        return lambda: services.comment_post(claim=claim, user=person, body=f"@everyone from {person.username}")

    outcomes = run_at_once(*(comment(person) for person in people))
    assert [o for o in outcomes if isinstance(o, Exception)] == []
    assert Comment.objects.count() == 6
    assert sorted(m.comment.author.username for m in mentions_of(mentioned)) == [p.username for p in people]
    assert list(assigned_to(mentioned)) == []
