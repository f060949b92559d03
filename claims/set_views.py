"""Claim sets: named selections to export, a saved filter of the claim list or claims picked by hand."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from claims import permissions, publishing, selectors, services
from claims.forms import AddToSetForm, ClaimSetForm
from claims.models import Claim, ClaimSet
from claims.selectors import list_filters, selected_claims


@require_GET
def set_list(request: HttpRequest) -> HttpResponse:
    return _sets_page(request, ClaimSetForm())


def _sets_page(request: HttpRequest, form: ClaimSetForm, *, status: int = 200) -> HttpResponse:
    sets = selectors.claim_sets_for(request.user).annotate(picked=Count("claims"))
    return render(request, "claims/sets.html", {"sets": sets, "form": form}, status=status)


@require_POST
def set_create(request: HttpRequest) -> HttpResponse:
    """A new set: picked by hand (from the sets page), or the claim list's current filters."""
    selection = (
        ClaimSet.Selection.FILTER
        if request.POST.get("selection") == ClaimSet.Selection.FILTER
        else ClaimSet.Selection.PICKED
    )
    form = ClaimSetForm(request.POST, instance=ClaimSet(selection=selection, owner=request.user))
    if not form.is_valid():
        return _sets_page(request, form, status=400)
    claim_set = services.claim_set_save(claim_set=form.save(commit=False), user=request.user)
    messages.success(request, f"Claim set “{claim_set.name}” created.")
    return redirect(claim_set)


def _get_set(request: HttpRequest, pk: int) -> ClaimSet:
    claim_set = get_object_or_404(ClaimSet.objects.select_related("owner"), pk=pk)
    if not permissions.can_manage_set(request.user, claim_set):
        raise PermissionDenied
    return claim_set


def _detail(request: HttpRequest, claim_set: ClaimSet, *, form=None, status: int = 200) -> HttpResponse:
    everything = list(Claim.Status.values)
    try:
        claims = (
            selected_claims(claim_set=claim_set, filters={}, statuses=everything).for_list().order_by("-created_at")
        )
        problem = ""
    except ValidationError as error:
        claims, problem = Claim.objects.none(), " ".join(error.messages)
    context = {
        "claim_set": claim_set,
        "page": Paginator(claims, settings.WORKBENCH_CLAIMS_PER_PAGE).get_page(request.GET.get("page")),
        "problem": problem,
        "form": form or ClaimSetForm(instance=claim_set),
        "filters": list_filters(QueryDict(claim_set.query)) if claim_set.selection == ClaimSet.Selection.FILTER else {},
        "can_publish": permissions.can_publish_set(request.user, claim_set),
        "publications": publishing.latest_of(claim_set),
    }
    return render(request, "claims/set_detail.html", context, status=status)


@require_GET
def set_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _get_set(request, pk))


@require_POST
def set_edit(request: HttpRequest, pk: int) -> HttpResponse:
    claim_set = _get_set(request, pk)
    form = ClaimSetForm(request.POST, instance=claim_set)
    if not form.is_valid():
        return _detail(request, ClaimSet.objects.get(pk=pk), form=form, status=400)
    services.claim_set_save(claim_set=form.save(commit=False), user=request.user)
    messages.success(request, "Claim set saved.")
    return redirect(claim_set)


@require_POST
def set_delete(request: HttpRequest, pk: int) -> HttpResponse:
    claim_set = _get_set(request, pk)
    services.claim_set_delete(claim_set=claim_set, user=request.user)
    messages.success(request, f"Claim set “{claim_set.name}” deleted.")
    return redirect("claims:sets")


@require_POST
def set_add(request: HttpRequest) -> HttpResponse:
    """Add ticked claims (from the claim list) or one claim (from its page) to a set picked by hand."""
    form = AddToSetForm(request.POST, user=request.user)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    if form.is_valid():
        claim_set = form.cleaned_data["claim_set"]
        added = services.claim_set_add(claim_set=claim_set, user=request.user, claims=list(form.cleaned_data["claims"]))
        messages.success(request, f"{added} claim{'s' if added != 1 else ''} added to “{claim_set.name}”.")
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect(back or "claims:sets")


@require_POST
def set_remove(request: HttpRequest, pk: int, claim_pk: int) -> HttpResponse:
    claim_set = _get_set(request, pk)
    services.claim_set_remove(claim_set=claim_set, user=request.user, claim=get_object_or_404(Claim, pk=claim_pk))
    messages.success(request, "Claim removed from the set.")
    return redirect(claim_set)


@require_POST
def set_publish(request: HttpRequest, pk: int) -> HttpResponse:
    publication = publishing.claim_set_publish(
        claim_set=_get_set(request, pk), user=request.user, served_at=request.build_absolute_uri("/")
    )
    address = request.build_absolute_uri(reverse("published:current", args=[publication.slug]))
    count = publication.claim_count
    messages.success(
        request,
        f"Published version {publication.version} ({count} claim{'s' if count != 1 else ''}) at {address}",
    )
    return redirect(publication.claim_set)
