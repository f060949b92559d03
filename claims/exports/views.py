"""Export pages: choose a format and statuses for what the claim list (or a claim set) shows; small
exports stream straight to the browser, large ones run in the background with a progress bar."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods

from claims import permissions, selectors
from claims.exports import services, tasks
from claims.forms import ExportForm
from claims.models import Claim, ClaimSet, Export
from claims.rules import JUDGED
from workbench import leases
from workbench.audit import WEB
from workbench.jobs import job_status


@require_http_methods(["GET", "POST"])
def export_claims(request: HttpRequest) -> HttpResponse:
    claim_set = _claim_set(request)
    filters = selectors.list_filters(request.GET)
    shown = (
        QueryDict(claim_set.query) if claim_set and claim_set.selection == ClaimSet.Selection.FILTER else request.GET
    )
    form = ExportForm(request.POST or None, initial={"statuses": services.default_statuses(shown)})
    try:
        everything = selectors.selected_claims(claim_set=claim_set, filters=filters, statuses=Claim.Status.values)
        counts, filter_errors = everything.status_counts(), []
        withheld = selectors.withheld_counts(claim_set=claim_set, filters=filters)
        suspended = [(Claim.Status(status).label.lower(), withheld[status]) for status in JUDGED if status in withheld]
    except ValidationError as error:
        counts, filter_errors, suspended = {}, error.messages, []
    if request.method == "POST" and form.is_valid() and not filter_errors:
        export = services.export_start(
            export_format=form.cleaned_data["format"],
            user=request.user,
            channel=WEB,
            claim_set=claim_set,
            filters=filters,
            statuses=form.cleaned_data["statuses"],
            served_at=request.build_absolute_uri("/"),
        )
        if export.claim_count <= settings.WORKBENCH_EXPORT_STREAM_MAX_CLAIMS:
            return _streamed(export)
        leases.enqueue(tasks.run_export, export)
        return redirect(export)
    context = {
        "form": form,
        "claim_set": claim_set,
        "filters": filters,
        "filter_errors": filter_errors,
        "suspended": suspended,
        "counts": [(value, label, counts.get(value, 0)) for value, label in Claim.Status.choices],
        "stream_max": settings.WORKBENCH_EXPORT_STREAM_MAX_CLAIMS,
    }
    return render(request, "claims/export.html", context, status=400 if form.errors or filter_errors else 200)


def _claim_set(request: HttpRequest) -> ClaimSet | None:
    pk = request.GET.get("set", "")
    if not pk:
        return None
    claim_set = get_object_or_404(ClaimSet, pk=int(pk) if pk.isdigit() else 0)
    if not permissions.can_manage_set(request.user, claim_set):
        raise PermissionDenied
    return claim_set


def _streamed(export: Export) -> StreamingHttpResponse:
    response = StreamingHttpResponse(services.export_stream(export), content_type=services.media_type(export))
    response["Content-Disposition"] = content_disposition_header(True, services.filename(export))
    return response


def _export(request: HttpRequest, pk: int) -> Export:
    export = get_object_or_404(Export.objects.select_related("created_by", "claim_set"), pk=pk)
    if not permissions.can_open_export(request.user, export):
        raise PermissionDenied
    return export


@require_GET
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    export = _export(request, pk)
    context = {"export": export, "withheld_note": services.withheld_note(export.withheld)}
    return render(request, "claims/export_detail.html", context)


@require_GET
def export_status(request: HttpRequest, pk: int) -> JsonResponse:
    return job_status(_export(request, pk))


@require_GET
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    export = _export(request, pk)
    if export.status != Export.Status.DONE or not export.file:
        raise Http404("This export has no file to download (yet).")
    return FileResponse(export.file.open("rb"), as_attachment=True, filename=services.filename(export))
