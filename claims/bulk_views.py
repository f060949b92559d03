"""The claim list's bulk actions: the form under the filters and the view it posts to. Thin: the claim-by-claim
work is claims.bulk, the rules claims.permissions and the writes claims.services."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from claims import bulk, permissions, services
from claims.models import Assignment, ClaimSet
from claims.selectors import claim_sets_for
from workbench.forms import PersonField
from workbench.widgets import Completion

TAG, UNTAG, ADD_TO_SET, ASSIGN, DELETE = "tag", "untag", "set", "assign", "delete"
ACTIONS = [
    (TAG, "Add a tag"),
    (UNTAG, "Remove a tag"),
    (ADD_TO_SET, "Add to a claim set"),
    (ASSIGN, "Assign"),
    (DELETE, "Delete…"),
]
# Who may ask for each action at all; each claim is then held to its own rule by the service.
MAY = {
    TAG: permissions.can_edit_some,
    UNTAG: permissions.can_edit_some,
    ADD_TO_SET: lambda user: True,  # anyone keeps claim sets; the set chosen must be theirs (the form's choices)
    ASSIGN: permissions.can_assign,
    DELETE: permissions.can_delete_some,
}
PREFIX = "bulk"


class SelectionField(forms.Field):
    """The ticked claims, each "id:version" as the list showed it: read as {id: version}."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": "Tick the claims first: the box at the start of each row.",
        "invalid": "That selection is not one the claim list made: tick the claims again.",
    }

    def to_python(self, value) -> dict[int, int]:
        seen = {}
        for item in value or []:
            pk, _, version = str(item).partition(":")
            if not (pk.isdigit() and version.isdigit()):
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            seen[int(pk)] = int(version)
        return seen

    def validate(self, value) -> None:
        super().validate(value)
        limit = settings.WORKBENCH_CLAIMS_PER_PAGE
        if len(value) > limit:
            raise ValidationError(f"At most {limit} claims at a time (a page of the list).", code="too_many")


class BulkForm(forms.Form):
    action = forms.ChoiceField(choices=ACTIONS, label="With the ticked claims")
    claims = SelectionField()
    tag = forms.CharField(
        required=False, label="Tag to add or remove", widget=Completion("claims:tags", attrs={"placeholder": "tag"})
    )
    claim_set = forms.ModelChoiceField(queryset=ClaimSet.objects.none(), required=False, label="Claim set")
    task = forms.ChoiceField(choices=Assignment.Task.choices, required=False, label="Task")
    assignee = PersonField(
        required=False, label="Assign to", help_text="A username: an editor to find sources, a reviewer to judge."
    )

    # Which fields each action reads: static/js/bulk.js shows only those of the action chosen.
    USED_BY = {"tag": (TAG, UNTAG), "claim_set": (ADD_TO_SET,), "task": (ASSIGN,), "assignee": (ASSIGN,)}

    def __init__(self, *args, user, picked_sets: list[ClaimSet], **kwargs):
        super().__init__(*args, prefix=PREFIX, **kwargs)
        offered = actions_for(user, picked_sets)
        self.fields["action"].widget.choices = [(value, label) for value, label in ACTIONS if value in offered]
        # Validated against the sets the user may change; shown from those the page read already.
        sets = self.fields["claim_set"]
        sets.queryset = ClaimSet.objects.filter(pk__in=[claim_set.pk for claim_set in picked_sets])
        sets.widget.choices = [("", "—"), *((claim_set.pk, claim_set.name) for claim_set in picked_sets)]
        for name, actions in self.USED_BY.items():
            self.fields[name].widget.attrs["data-bulk-for"] = " ".join(actions)

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action in (TAG, UNTAG):
            try:
                names = services.parse_tags(data.get("tag", ""))
            except ValidationError as error:
                self.add_error("tag", error.message_dict["tags"])
            else:
                if len(names) != 1:
                    self.add_error("tag", "Type one tag, without commas.")
                else:
                    data["tag"] = names[0]
        elif action == ADD_TO_SET and not data.get("claim_set"):
            self.add_error("claim_set", "Choose one of your claim sets picked by hand.")
        elif action == ASSIGN and "assignee" not in self.errors:
            if data.get("assignee") is None:
                self.add_error("assignee", "Say who: a username.")
            else:
                try:
                    services.check_assignee(data["assignee"], data.get("task") or "")
                except ValidationError as error:
                    for name, errors in error.message_dict.items():
                        self.add_error(name, errors)
        return data


def actions_for(user, picked_sets: list[ClaimSet]) -> list[str]:
    """The bulk actions the list offers `user`: adding to a set needs a set picked by hand to add to."""
    return [value for value, _ in ACTIONS if MAY[value](user) and (value != ADD_TO_SET or picked_sets)]


def picked_sets_for(user) -> list[ClaimSet]:
    """The sets picked by hand that `user` may add claims to (one query)."""
    return list(claim_sets_for(user).filter(selection=ClaimSet.Selection.PICKED))


def list_query(request: HttpRequest) -> str:
    """The list's filters and page, as they were, for going back to it (without "select all")."""
    query = request.GET.copy()
    query.pop("select", None)
    return query.urlencode()


def _back(request: HttpRequest) -> str:
    query = list_query(request)
    return f"{reverse('claims:list')}?{query}" if query else reverse("claims:list")


@require_POST
def claims_bulk(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = BulkForm(request.POST, user=user, picked_sets=picked_sets_for(user))
    if not form.is_valid():
        from claims.views import claim_list_page  # claims.views builds this module's form for the list

        return claim_list_page(request, bulk_form=form, status=400)
    data = form.cleaned_data
    action, seen = data["action"], data["claims"]
    if not MAY[action](user):
        raise PermissionDenied
    if action == DELETE and request.POST.get("confirmed") != "yes":
        return _confirm_delete(request, seen)
    if action == TAG:
        said = bulk.report(
            bulk.claims_tag(user=user, seen=seen, tag=data["tag"]),
            did=f"Tagged {{claims}} “{data['tag']}”",
            unchanged="already had it",
        )
    elif action == UNTAG:
        said = bulk.report(
            bulk.claims_untag(user=user, seen=seen, tag=data["tag"]),
            did=f"Took the tag “{data['tag']}” off {{claims}}",
            unchanged="did not have it",
        )
    elif action == ADD_TO_SET:
        claim_set = data["claim_set"]
        said = bulk.report(
            bulk.claims_add_to_set(user=user, seen=seen, claim_set=claim_set),
            did=f"Added {{claims}} to “{claim_set.name}”",
            unchanged="already in it",
        )
    elif action == ASSIGN:
        assignee, task = data["assignee"], data["task"]
        what = Assignment.Task(task).label.lower()
        said = bulk.report(
            bulk.claims_assign(user=user, seen=seen, task=task, assignee=assignee),
            did=f"Assigned {{claims}} to {assignee.get_username()} to {what}",
            unchanged=f"already in {assignee.get_username()}'s hands",
        )
    else:
        said = bulk.report(bulk.claims_delete(user=user, seen=seen), did="Deleted {claims}")
    for good, text in said:
        (messages.success if good else messages.error)(request, text)
    return redirect(_back(request))


def _confirm_delete(request: HttpRequest, seen: dict[int, int]) -> HttpResponse:
    """What would go, and what would be refused and why, before anything is deleted (nothing is written)."""
    preview = bulk.delete_preview(user=request.user, seen=seen)
    context = {
        "going": preview.going,
        "refused": [(reason, bulk.numbers(pks)) for reason, pks in preview.refused.items()],
        "selection": [f"{pk}:{version}" for pk, version in seen.items()],
        "action_url": f"{reverse('claims:bulk')}?{list_query(request)}",
        "back": _back(request),
        "prefix": PREFIX,
    }
    return render(request, "claims/bulk_delete.html", context)


def checked_ids(request: HttpRequest, form: BulkForm | None, ids: list[int]) -> set[int]:
    """The rows the list shows ticked: those just posted (a form sent back with an error), or all of the
    page's when asked (?select=all, the "select all" link that works without a script)."""
    if form is not None and form.is_bound:
        values = form.data.getlist(f"{PREFIX}-claims")
        return {int(value.partition(":")[0]) for value in values if value.partition(":")[0].isdigit()}
    return set(ids) if request.GET.get("select") == "all" else set()
