"""The claim page's discussion and assignments: posting, replying, editing and deleting comments; assigning,
reassigning and unassigning; the boxes that suggest people. Thin: the rules are in claims.permissions and
the writes in claims.services; a refused or invalid post shows the claim page again with the error."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from claims import assignments, comments, permissions, services
from claims.models import COMMENT_MAX_LENGTH, Assignment, Claim, Comment
from workbench.forms import PersonField
from workbench.widgets import Completion

BODY_HELP = f"Up to {COMMENT_MAX_LENGTH} characters. Type @ and a name to mention someone; web addresses become links."


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Comment",
        required=False,  # an empty comment is refused by the service, with its own words
        strip=False,
        help_text=BODY_HELP,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].widget.attrs["data-mentions"] = reverse("people")  # static/js/discussion.js


class AssigneeCompletion(Completion):
    """The people box of one kind of task: it suggests only those who may take it."""

    def __init__(self, task: str, **kwargs):
        self.task = task
        super().__init__("claims:assignees", **kwargs)

    def get_context(self, name, value, attrs):
        context = forms.TextInput.get_context(self, name, value, attrs)
        widget = context["widget"]
        options = f"{widget['attrs'].get('id', name)}-options"
        widget["attrs"] |= {"list": options, "data-complete": reverse("claims:assignees", args=[self.task])}
        widget["options_id"], widget["description"] = options, ""
        return context


class AssignForm(forms.Form):
    assignee = PersonField(label="Assign to")
    due = forms.DateField(required=False, label="Due (optional)", widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(required=False, label="Note (optional)", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, task: str, **kwargs):
        super().__init__(*args, prefix=task, **kwargs)
        self.task = task
        role = "a reviewer" if task == Assignment.Task.REVIEW else "an editor"
        self.fields["assignee"].widget = AssigneeCompletion(task, attrs={"placeholder": "username"})
        self.fields["assignee"].help_text = f"Type the first letters of {role}'s username."


def discussion_context(request: HttpRequest, claim: Claim, forms_given: dict) -> dict:
    """What templates/claims/partials/discussion.html shows: the thread, the assignments, and the forms
    (as posted, with their errors, when a post went wrong)."""
    user = request.user
    current = assignments.assignments_of(claim)
    tasks = []
    for task, label in Assignment.Task.choices:
        given = forms_given.get("assign_form")
        if given is not None and given.task == task:
            form = given
        else:
            assignment = current.get(task)
            initial = (
                {"assignee": assignment.assignee, "due": assignment.due, "note": assignment.note} if assignment else {}
            )
            form = AssignForm(task=task, initial=initial)
        tasks.append({"task": task, "label": label, "assignment": current.get(task), "form": form})
    editing, replying = forms_given.get("editing"), forms_given.get("replying")
    discussion = comments.thread(claim, user)
    for comment in discussion:
        # Each form of the page has ids of its own.
        comment.reply_form = _given(replying, comment) or CommentForm(auto_id=f"reply-{comment.pk}-%s")
        for shown in (comment, *comment.thread_replies):
            if shown.editable:
                shown.edit_form = _given(editing, shown) or CommentForm(
                    initial={"body": shown.body}, auto_id=f"edit-{shown.pk}-%s"
                )
    return {
        "discussion": discussion,
        "can_comment": permissions.can_comment(user),
        "comment_form": forms_given.get("comment_form") or CommentForm(auto_id="new-comment-%s"),
        "editing": editing,  # (comment id, its bound form)
        "replying": replying,
        "assignment_tasks": tasks,
        "can_assign": permissions.can_assign(user),
    }


def _given(pair, comment):
    """The bound form posted for this comment, if it was this one's."""
    return pair[1] if pair and pair[0] == comment.pk else None


# claims.views imports this module for the claim page's context; these two are asked of it when called.


def _claim(pk: int) -> Claim:
    from claims.views import _get_claim

    return _get_claim(pk)


def _comment(claim: Claim, comment_pk: int) -> Comment:
    return get_object_or_404(Comment.objects.select_related("author"), pk=comment_pk, claim=claim)


def _again(request: HttpRequest, claim: Claim, **forms_given) -> HttpResponse:
    """The claim page with the form that went wrong, its errors shown; nothing was written."""
    from claims.views import _detail

    return _detail(request, claim, status=400, **forms_given)


@require_POST
def comment_post(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim(pk)
    if not permissions.can_comment(request.user):
        raise PermissionDenied
    parent_id = request.POST.get("parent", "")
    parent = _comment(claim, int(parent_id)) if parent_id.isdigit() else None
    form = CommentForm(request.POST, auto_id=f"reply-{parent.pk}-%s" if parent else "new-comment-%s")
    form.is_valid()
    try:
        comment = services.comment_post(claim=claim, user=request.user, body=form.cleaned_data["body"], parent=parent)
    except ValidationError as error:
        form.add_error(None, error)
        if parent is not None and not parent.is_deleted:
            return _again(request, claim, replying=(parent.pk, form))
        # A reply to a comment deleted meanwhile has no box beside it any more: the words go to the main box.
        return _again(
            request, claim, comment_form=CommentForm(request.POST, auto_id="new-comment-%s") if parent else form
        )
    messages.success(request, "Reply posted." if parent else "Comment posted.")
    return redirect(comment.get_absolute_url())


@require_POST
def comment_edit(request: HttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    claim = _claim(pk)
    comment = _comment(claim, comment_pk)
    if not permissions.can_edit_comment(request.user, comment):
        raise PermissionDenied
    form = CommentForm(request.POST, auto_id=f"edit-{comment.pk}-%s")
    form.is_valid()
    try:
        services.comment_edit(comment=comment, user=request.user, body=form.cleaned_data["body"])
    except ValidationError as error:
        form.add_error(None, error)
        return _again(request, claim, editing=(comment.pk, form))
    messages.success(request, "Comment saved. Its earlier wording is kept in the claim's history.")
    return redirect(comment.get_absolute_url())


@require_POST
def comment_delete(request: HttpRequest, pk: int, comment_pk: int) -> HttpResponse:
    claim = _claim(pk)
    comment = _comment(claim, comment_pk)
    services.comment_delete(comment=comment, user=request.user)
    messages.success(request, "Comment deleted. Its text is kept in the claim's history.")
    return redirect(comment.get_absolute_url())


def _task(request: HttpRequest) -> str:
    task = request.POST.get("task", "")
    if task not in Assignment.Task.values:
        raise Http404("No such task.")
    return task


@require_POST
def claim_assign(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim(pk)
    if not permissions.can_assign(request.user):
        raise PermissionDenied
    task = _task(request)
    form = AssignForm(request.POST, task=task)
    if not form.is_valid():
        return _again(request, claim, assign_form=form)
    try:
        assignment = services.claim_assign(claim=claim, user=request.user, task=task, **form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return _again(request, claim, assign_form=form)
    what = Assignment.Task(task).label.lower()
    messages.success(request, f"Assigned to {assignment.assignee.get_username()} to {what}.")
    return redirect(f"{claim.get_absolute_url()}#assignments")


@require_POST
def claim_unassign(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim(pk)
    if not permissions.can_assign(request.user):
        raise PermissionDenied
    if services.claim_unassign(claim=claim, user=request.user, task=_task(request)):
        messages.success(request, "Unassigned. The assignment is kept in the claim's history.")
    else:
        messages.error(request, "That was not assigned to anyone.")
    return redirect(f"{claim.get_absolute_url()}#assignments")


@require_GET
def assignee_choices(request: HttpRequest, task: str) -> JsonResponse:
    """Usernames starting with ?q= of those who may take an assignment for `task`: a few, never everyone."""
    if task not in Assignment.Task.values:
        raise Http404("No such task.")
    names = assignments.assignees_starting(task, request.GET.get("q", ""))
    return JsonResponse({"results": [{"value": name, "label": name} for name in names]})
