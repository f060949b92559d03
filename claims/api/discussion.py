"""A claim's discussion and assignments through the API: the thread as the claim page shows it (replies under
their comment, edited and deleted ones marked), posting, rewording and deleting comments, assigning and
unassigning. Every write is the claim page's service (claims.services), which asks claims.permissions; mentions
are stored and their people told there, as on the page. A comment moves no claim's version, so comments need no
If-Match; an assignment may name the version it was decided on (If-Match), as the claim list's bulk assign does."""

from datetime import date, datetime
from typing import Literal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from claims import assignments, comments, services
from claims.api.writes import IfMatch, expected_version
from claims.models import COMMENT_MAX_LENGTH, Assignment, Claim, Comment
from workbench.api.auth import require_write
from workbench.api.problems import etag
from workbench.api.schemas import READ_ERRORS, WRITE_ERRORS, Id, Text

router = Router(tags=["discussion"])

Task = Literal[tuple(Assignment.Task.values)]


class ReplyOut(Schema):
    id: int
    parent: int | None = Field(None, alias="parent_id")
    author: str
    body: str = Field(description="The text as typed; empty once deleted.")
    html: str = Field(description="The text as the page shows it: escaped, web addresses linked, mentions marked.")
    created_at: datetime
    edited_at: datetime | None = Field(description="When it was last reworded (its history keeps each wording).")
    deleted: bool
    deleted_at: datetime | None
    deleted_by: str | None
    deleted_words: str = Field(description="What a deleted comment said last: for admins, who moderate, only.")
    may_edit: bool = Field(description="Whether you may reword it.")
    may_delete: bool = Field(description="Whether you may delete it.")

    @staticmethod
    def resolve_author(comment) -> str:
        return comment.author.get_username()

    @staticmethod
    def resolve_html(comment) -> str:
        return str(comment.html)

    @staticmethod
    def resolve_deleted(comment) -> bool:
        return comment.is_deleted

    @staticmethod
    def resolve_deleted_by(comment) -> str | None:
        return comment.deleted_by.get_username() if comment.deleted_by else None

    @staticmethod
    def resolve_may_edit(comment) -> bool:
        return comment.editable

    @staticmethod
    def resolve_may_delete(comment) -> bool:
        return comment.deletable


class CommentOut(ReplyOut):
    replies: list[ReplyOut] = Field(description="Its replies, oldest first (a reply to a reply joins this thread).")

    @staticmethod
    def resolve_replies(comment) -> list:
        return comment.thread_replies


class CommentIn(Schema):
    body: Text = Field(max_length=2 * COMMENT_MAX_LENGTH, description=f"Up to {COMMENT_MAX_LENGTH} characters.")
    parent: Id | None = Field(None, description="The comment this one answers; none for a new thread.")


class CommentChange(Schema):
    body: Text = Field(max_length=2 * COMMENT_MAX_LENGTH)


class AssignmentOut(Schema):
    task: Task
    assignee: str
    assigned_by: str
    assigned_at: datetime
    due: date | None
    note: str

    @staticmethod
    def resolve_assignee(assignment) -> str:
        return assignment.assignee.get_username()

    @staticmethod
    def resolve_assigned_by(assignment) -> str:
        return assignment.assigned_by.get_username()


class AssignmentIn(Schema):
    assignee: Text = Field(max_length=150, description="A username: an editor to find sources, a reviewer to judge.")
    due: date | None = None
    note: Text = Field("", max_length=2000)


def _claim(pk: int) -> Claim:
    return get_object_or_404(Claim.objects.defer("verdict_basis"), pk=pk)


def _comment(claim: Claim, comment_pk: int) -> Comment:
    return get_object_or_404(Comment.objects.select_related("author"), pk=comment_pk, claim=claim)


def _shown(request: HttpRequest, claim: Claim, comment_pk: int) -> Comment:
    """One comment as the thread shows it to the asker (with its replies when it opens a thread)."""
    for comment in comments.thread(claim, request.user):
        for shown in (comment, *comment.thread_replies):
            if shown.pk == comment_pk:
                return shown
    raise Comment.DoesNotExist


@router.get(
    "/claims/{int:pk}/comments",
    response={200: list[CommentOut], **READ_ERRORS},
    url_name="comments",
)
def comment_list(request: HttpRequest, pk: Id):
    """The claim's discussion, oldest thread first, as its page shows it to you: a handful of queries however
    long it is."""
    return comments.thread(_claim(pk), request.user)


@router.post(
    "/claims/{int:pk}/comments",
    response={201: ReplyOut, **WRITE_ERRORS},
    url_name="comment-post",
)
def comment_post(request: HttpRequest, pk: Id, payload: CommentIn, response: HttpResponse):
    """Post a comment, or a reply (`parent`); `@username` mentions tell those people, as on the page."""
    require_write(request)
    claim = _claim(pk)
    parent = None
    if payload.parent is not None:
        parent = Comment.objects.filter(pk=payload.parent, claim=claim).first()
        if parent is None:
            raise ValidationError({"parent": "This claim has no comment with this id."})
    comment = services.comment_post(claim=claim, user=request.user, body=payload.body, parent=parent)
    response["Location"] = request.build_absolute_uri(f"/api/v1/claims/{claim.pk}/comments#comment-{comment.pk}")
    return Status(201, _shown(request, claim, comment.pk))


@router.patch(
    "/claims/{int:pk}/comments/{int:comment_pk}",
    response={200: ReplyOut, **WRITE_ERRORS},
    url_name="comment",
)
def comment_edit(request: HttpRequest, pk: Id, comment_pk: Id, payload: CommentChange):
    """Reword your own comment (its earlier wording stays in the claim's history)."""
    require_write(request)
    claim = _claim(pk)
    services.comment_edit(comment=_comment(claim, comment_pk), user=request.user, body=payload.body)
    return _shown(request, claim, comment_pk)


@router.delete(
    "/claims/{int:pk}/comments/{int:comment_pk}", response={204: None, **WRITE_ERRORS}, url_name="comment-delete"
)
def comment_delete(request: HttpRequest, pk: Id, comment_pk: Id):
    """Delete a comment (yours; admins, anyone's): it stays in its thread as deleted, its text in the history."""
    require_write(request)
    claim = _claim(pk)
    services.comment_delete(comment=_comment(claim, comment_pk), user=request.user)
    return Status(204, None)


@router.get(
    "/claims/{int:pk}/assignments",
    response={200: list[AssignmentOut], **READ_ERRORS},
    url_name="assignments",
)
def assignment_list(request: HttpRequest, pk: Id):
    """Who has the claim in hand, for which task (one person a task at most)."""
    return list(assignments.assignments_of(_claim(pk)).values())


@router.put(
    "/claims/{int:pk}/assignments/{task}",
    response={200: AssignmentOut, **WRITE_ERRORS},
    url_name="assignment",
)
def claim_assign(
    request: HttpRequest,
    pk: Id,
    task: Task,
    payload: AssignmentIn,
    response: HttpResponse,
    if_match: str | None = IfMatch,
):
    """Hand the claim to someone for `task` (source: an editor finds sources; review: a reviewer judges), or
    change its assignee, due date or note. Reviewers and admins only. With If-Match, refused (412) if the claim
    changed since you read it."""
    require_write(request)
    claim = _claim(pk)
    expected = expected_version(claim, if_match) if if_match else None
    assignee = get_user_model().objects.filter(username=payload.assignee.strip()).first()
    if assignee is None:
        raise ValidationError({"assignee": f"Nobody is called “{payload.assignee.strip()}”."})
    services.claim_assign(
        claim=claim,
        user=request.user,
        task=task,
        assignee=assignee,
        due=payload.due,
        note=payload.note,
        expected_version=expected,
    )
    response["ETag"] = etag(claim)
    return assignments.assignments_of(claim)[task]


@router.delete("/claims/{int:pk}/assignments/{task}", response={204: None, **WRITE_ERRORS}, url_name="unassign")
def claim_unassign(request: HttpRequest, pk: Id, task: Task):
    """Take the claim out of its assignee's hands for `task` (the assignment stays in the history)."""
    require_write(request)
    if not services.claim_unassign(claim=_claim(pk), user=request.user, task=task):
        raise Assignment.DoesNotExist
    return Status(204, None)
