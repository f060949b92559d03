"""Who may be handed a claim, and what a claim's assignments are: reads for the pages and the services.

An assignment with the task "source" asks an editor (anyone who may link sources) to find sources; one with the task
"review" asks a reviewer (anyone who may give a verdict) to judge. Desk heads, reviewers and admins, assign
(claims.permissions.can_assign); the writes are claims.services.claim_assign and claim_unassign.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Exists, OuterRef, Q, QuerySet

from claims.models import Assignment
from claims.permissions import ASSIGNEE_PERMISSION

SUGGESTIONS = 10  # what the assignee box offers: a few to choose from, never everyone


def holders(task: str) -> QuerySet:
    """The active users who hold the role an assignment of `task` asks for, through a role or of their own."""
    User = get_user_model()
    permission = Permission.objects.filter(content_type__app_label="claims", codename=ASSIGNEE_PERMISSION[task])
    by_role = permission.filter(group__user=OuterRef("pk"))
    own = permission.filter(user=OuterRef("pk"))
    return User.objects.filter(Q(is_superuser=True) | Exists(by_role) | Exists(own), is_active=True)


def assignees_starting(task: str, text: str) -> list[str]:
    """Usernames starting with `text` of people who may take an assignment of `task`: at most SUGGESTIONS."""
    text = text.strip()
    if not text or task not in Assignment.Task.values:
        return []
    found = holders(task).filter(username__istartswith=text).order_by("username")
    return list(found.values_list("username", flat=True)[:SUGGESTIONS])


def assignments_of(claim) -> dict[str, Assignment]:
    """The claim's current assignments by task, with who and by whom (one query)."""
    found = Assignment.objects.filter(claim=claim).select_related("assignee", "assigned_by")
    return {assignment.task: assignment for assignment in found}


def assigned_to(user) -> QuerySet:
    """What `user` has in hand, newest first, with its claim (for a desk: who, which claim, since when, due)."""
    return Assignment.objects.filter(assignee=user).select_related("claim").order_by("-assigned_at", "-id")
