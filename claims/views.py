from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from articles.models import Article, Passage
from claims import basis, history, permissions, rules, selectors, semantic, services
from claims.anchoring import position_in_article
from claims.bulk_views import BulkForm, actions_for, checked_ids, list_query, picked_sets_for
from claims.comment_views import discussion_context
from claims.display import claim_rows
from claims.duplicates import existing_claims
from claims.filters import ClaimFilter
from claims.forms import (
    ClaimEditForm,
    ExternalLinkForm,
    PassageLinkForm,
    PassageSearchForm,
    TagClaimForm,
    VerdictForm,
)
from claims.models import Claim, ClaimSet, EvidenceLink
from claims.reader import render_reader
from claims.suggestion_cache import kept_suggestions
from workbench.pages import Paginator

SUGGESTIONS = 8  # suggested passages a claim shows: the best few, not a list to page through


@require_GET
def claim_list(request: HttpRequest) -> HttpResponse:
    return claim_list_page(request)


def claim_list_page(request: HttpRequest, *, bulk_form: BulkForm | None = None, status: int = 200) -> HttpResponse:
    """The list as its query asks; `bulk_form`: the bulk actions' form as posted, sent back with its errors."""
    filters = ClaimFilter(request.GET, queryset=Claim.objects.all(), request=request)
    counted = filters.counted()
    ids = filters.qs.values_list("pk", flat=True)
    page = Paginator(ids, settings.WORKBENCH_CLAIMS_PER_PAGE, count=counted.total).get_page(request.GET.get("page"))
    ids = list(page.object_list)
    picked_sets = picked_sets_for(request.user)
    actions = actions_for(request.user, picked_sets)
    checked = checked_ids(request, bulk_form, ids)
    select_all = request.GET.copy()
    select_all["select"] = "all"
    context = {
        "filters": filters,
        "page": page,
        "rows": claim_rows(
            ids, contradicted=selectors.contradicted_among(ids), pickable=bool(actions), checked=checked
        ),
        "status_counts": counted.by_status,
        "counted": counted,
        "statuses": Claim.Status.choices,
        "can_restore": permissions.can_restore(request.user),
        "picked_sets": picked_sets,
        "bulk_actions": actions,
        "bulk_form": bulk_form or BulkForm(user=request.user, picked_sets=picked_sets),
        "bulk_url": f"{reverse('claims:bulk')}?{list_query(request)}",
        "list_query": list_query(request),
        "select_all_query": select_all.urlencode(),
        "all_checked": bool(ids) and checked >= set(ids),
        "saved_filter": selectors.list_filters_query(request.GET),
    }
    return render(request, "claims/list.html", context, status=status)


@require_GET
def tag_choices(request: HttpRequest) -> JsonResponse:
    """Tags starting with ?q=, for the claim list's tag box: a few, never every tag."""
    return JsonResponse(
        {"results": [{"value": name, "label": name} for name in selectors.tags_starting(request.GET.get("q", ""))]}
    )


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


@require_POST
def claim_create(request: HttpRequest) -> HttpResponse:
    article_id = request.POST.get("article", "")
    article = get_object_or_404(Article.objects.defer("raw"), pk=int(article_id) if article_id.isdigit() else 0)
    if not permissions.can_tag(request.user):
        if _wants_json(request):
            return JsonResponse({"errors": {"__all__": ["Only editors, reviewers and admins tag claims."]}}, status=403)
        raise PermissionDenied
    form = TagClaimForm(request.POST, article=article)
    claim = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            claim = services.claim_create(
                article=article, user=request.user, anchor=data["anchor"], wording=data["wording"], tags=data["tags"]
            )
        except ValidationError as error:  # e.g. a page opened before a newer version was imported
            form.add_error(None, error)
    if claim is None:
        if _wants_json(request):
            return JsonResponse({"errors": form.errors}, status=400)
        return render_reader(request, article, tag_form=form, status=400)
    if _wants_json(request):
        return JsonResponse({"id": claim.pk, "url": claim.get_absolute_url()}, status=201)
    messages.success(request, "Claim tagged.")
    return redirect(f"{article.get_absolute_url()}#claim-item-{claim.pk}")


@require_POST
def claim_duplicates(request: HttpRequest) -> HttpResponse:
    """The claims that may already say what the tag form holds, asked before saving (nothing is written):
    JSON for the reader's tag box, or the reader again with the form as filled in and the claims found."""
    article_id = request.POST.get("article", "")
    article = get_object_or_404(Article.objects.defer("raw"), pk=int(article_id) if article_id.isdigit() else 0)
    if not permissions.can_tag(request.user):
        raise PermissionDenied
    form = TagClaimForm(request.POST, article=article)
    anchor = form.cleaned_data.get("anchor") if form.is_valid() else None
    quote = anchor.quote if anchor else request.POST.get("quote", "")
    found = existing_claims(
        article=article,
        quote=quote,
        wording=request.POST.get("wording", ""),
        start=anchor.start if anchor else None,
        end=anchor.end if anchor else None,
    )
    if _wants_json(request):
        return JsonResponse({"claims": [duplicate.as_json() for duplicate in found]})
    return render_reader(
        request, article, tag_form=TagClaimForm(initial=request.POST.dict(), article=article), duplicates=found
    )


def _detail(request: HttpRequest, claim: Claim, *, status: int = 200, **forms) -> HttpResponse:
    links = list(
        claim.evidence.select_related("passage__article", "added_by").defer(
            "passage__article__body", "passage__article__raw"
        )
    )
    search = PassageSearchForm(request.GET, claim=claim)
    search.is_valid()
    user = request.user
    context = {
        "claim": claim,
        "context_before": claim.article.body[max(0, claim.start - 300) : claim.start],
        "context_after": claim.article.body[claim.end : claim.end + 300],
        "position": position_in_article(claim.article.body, claim.start, claim.end),
        "evidence": selectors.evidence_by_stance(links),
        "independent_support": rules.independent_support(links),
        "required_support": settings.WORKBENCH_MIN_SUPPORTING_SOURCES,
        "support_groups": rules.support_groups(links),
        "unknown_publishers": rules.UNKNOWN_PUBLISHERS[settings.WORKBENCH_UNKNOWN_PUBLISHERS],
        "drifts": basis.drifts(claim.verdict_basis, claim, links)
        if claim.status == Claim.Status.REVIEW and claim.verdict_basis
        else [],
        "verdict_options": selectors.verdict_options(claim=claim, links=links, user=user),
        "can_clear_flag": permissions.can_clear_flag(user, claim),
        "can_edit": permissions.can_edit(user, claim),
        "can_delete": permissions.can_delete(user, claim),
        "can_link": permissions.can_link(user),
        "can_verdict": permissions.can_set_verdict(user),
        "unlinkable": {link.pk for link in links if permissions.can_unlink(user, link)},
        "search": search,
        "passages": _with_links(
            selectors.passage_search(
                claim=claim, text=search.cleaned_data.get("q", ""), article=search.cleaned_data.get("source")
            ),
            links,
        ),
        "edit_form": forms.get("edit_form")
        or ClaimEditForm(
            initial={"wording": claim.wording, "tags": selectors.tag_text(claim), "version": claim.version}
        ),
        "verdict_form": forms.get("verdict_form") or VerdictForm(initial={"version": claim.version}, claim=claim),
        "external_form": forms.get("external_form") or ExternalLinkForm(),
        "conflict": forms.get("conflict"),
        "timeline": history.timeline(claim.pk, links),
        "can_restore": permissions.can_restore(user),
        "stances": EvidenceLink.Stance.choices,
        "picked_sets": selectors.claim_sets_for(user).filter(selection=ClaimSet.Selection.PICKED),
        # Suggestions cost more than the rest of the page: the page's script fetches them once it is shown
        # (claims:suggestions); without scripts, a link asks for the page with them.
        "suggestions_shown": request.GET.get("suggestions") == "1",
    }
    if context["suggestions_shown"]:
        context.update(_suggestions(request, claim))
    context.update(discussion_context(request, claim, forms))
    return render(request, "claims/detail.html", context, status=status)


def _suggestions(request: HttpRequest, claim: Claim) -> dict:
    """What the suggestions panel shows, on the claim page and as the reader's fragment."""
    return {
        "claim": claim,
        "suggestions": kept_suggestions(claim, limit=SUGGESTIONS),
        "suggestion_mode": semantic.mode(),
        "can_link": permissions.can_link(request.user),
        "stances": EvidenceLink.Stance.choices,
    }


@require_GET
def claim_suggestions(request: HttpRequest, pk: int) -> HttpResponse:
    """The suggestions panel alone: the claim page fetches it once shown, the reader when a claim's
    suggestions are opened."""
    return render(request, "partials/suggestions.html", _suggestions(request, _get_claim(pk)))


def _with_links(found: list, links: list[EvidenceLink]) -> list[tuple]:
    """Each passage found, with the stance it is linked with already (None when it is not): a linked
    passage is shown as linked, without the buttons that would link it again."""
    linked = {link.passage_id: link.get_stance_display() for link in links if link.passage_id}
    return [(suggestion, linked.get(suggestion.passage.pk)) for suggestion in found]


def _get_claim(pk: int) -> Claim:
    queryset = (
        Claim.objects.select_related("article", "created_by", "reviewed_by")
        .defer("article__raw")
        .prefetch_related("tags")
    )
    return get_object_or_404(queryset, pk=pk)


@require_GET
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _get_claim(pk))


@require_POST
def claim_edit(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _get_claim(pk)
    if not permissions.can_edit(request.user, claim):
        raise PermissionDenied
    form = ClaimEditForm(request.POST)
    if not form.is_valid():
        return _detail(request, claim, edit_form=form, status=400)
    try:
        services.claim_update(
            claim=claim,
            user=request.user,
            expected_version=form.cleaned_data["version"],
            wording=form.cleaned_data["wording"],
            tags=form.cleaned_data["tags"],
        )
    except services.StaleClaim as stale:
        return _conflict(request, stale, yours=form.cleaned_data, edit_form=_rebased(ClaimEditForm, form, stale))
    except ValidationError as error:
        form.add_error(None, error)
        return _detail(request, claim, edit_form=form, status=400)
    messages.success(request, "Claim saved.")
    return redirect(claim)


def _rebased(form_class, form, stale: services.StaleClaim, **kwargs):
    """The person's own input, now based on the current version, so saving again is a deliberate choice."""
    return form_class(initial={**form.cleaned_data, "version": stale.current.version}, **kwargs)


def _conflict(request: HttpRequest, stale: services.StaleClaim, *, yours: dict, **forms) -> HttpResponse:
    claim = _get_claim(stale.current.pk)
    last_change = claim.history.select_related("history_user").first()
    conflict = {"message": str(stale), "yours": yours, "by": last_change.history_user if last_change else None}
    return _detail(request, claim, conflict=conflict, status=409, **forms)


@require_POST
def evidence_add_passage(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _get_claim(pk)
    if not permissions.can_link(request.user):
        if _wants_json(request):
            return JsonResponse(
                {"errors": {"__all__": ["Only editors, reviewers and admins link sources."]}}, status=403
            )
        raise PermissionDenied
    form = PassageLinkForm(request.POST)
    if not form.is_valid():
        return _linked(request, claim, error="Choose a passage and a stance.")
    passage = get_object_or_404(Passage.objects.select_related("article"), pk=form.cleaned_data["passage"])
    try:
        services.evidence_add_passage(
            claim=claim,
            user=request.user,
            passage=passage,
            stance=form.cleaned_data["stance"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        return _linked(request, claim, error=" ".join(error.messages))
    stance = EvidenceLink.Stance(form.cleaned_data["stance"]).label.lower()
    return _linked(request, claim, message=f"Linked a passage of “{passage.article.title}” ({stance}).")


def _linked(request: HttpRequest, claim: Claim, *, message: str = "", error: str = "") -> HttpResponse:
    """How a link went: in JSON for the script that linked it in place, else on the claim's sources."""
    if _wants_json(request):
        if error:
            return JsonResponse({"errors": {"__all__": [error]}}, status=400)
        return JsonResponse({"message": message}, status=201)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, message)
    return redirect(f"{claim.get_absolute_url()}?{request.GET.urlencode()}#evidence")


@require_POST
def evidence_add_external(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _get_claim(pk)
    if not permissions.can_link(request.user):
        raise PermissionDenied
    form = ExternalLinkForm(request.POST)
    if not form.is_valid():
        return _detail(request, claim, external_form=form, status=400)
    try:
        services.evidence_add_external(claim=claim, user=request.user, **form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return _detail(request, claim, external_form=form, status=400)
    messages.success(request, "Linked the external source.")
    return redirect(f"{claim.get_absolute_url()}#evidence")


@require_POST
def claim_verdict(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _get_claim(pk)
    if not permissions.can_set_verdict(request.user):
        raise PermissionDenied
    form = VerdictForm(request.POST, claim=claim)
    if not form.is_valid():
        return _detail(request, claim, verdict_form=form, status=400)
    try:
        claim = services.verdict_record(
            claim=claim,
            user=request.user,
            status=form.cleaned_data["status"],
            rationale=form.cleaned_data["rationale"],
            expected_version=form.cleaned_data["version"],
        )
    except services.StaleClaim as stale:
        return _conflict(
            request,
            stale,
            yours=form.cleaned_data,
            verdict_form=_rebased(VerdictForm, form, stale, claim=stale.current),
        )
    except services.VerdictRefused as refused:
        for reason in refused.reasons:
            form.add_error(None, reason)
        return _detail(request, claim, verdict_form=form, status=400)
    messages.success(request, f"Claim marked {claim.get_status_display().lower()}.")
    return redirect(claim)


@require_GET
def deleted_claims(request: HttpRequest) -> HttpResponse:
    if not permissions.can_restore(request.user):
        raise PermissionDenied
    return render(request, "claims/deleted.html", {"deletions": selectors.deleted_claims()})


@require_POST
def claim_restore(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        claim = services.claim_restore(claim_id=pk, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("claims:deleted")
    messages.success(request, "Claim restored with its sources.")
    return redirect(claim)


@require_POST
def claim_reviewed(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _get_claim(pk)
    version = request.POST.get("version", "")
    try:
        services.claim_mark_reviewed(
            claim=claim, user=request.user, expected_version=int(version) if version.isdigit() else 0
        )
    except services.StaleClaim as stale:
        messages.error(request, str(stale))
    else:
        messages.success(request, "Marked as checked.")
    return redirect(claim)
