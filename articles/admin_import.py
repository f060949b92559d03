"""The admin's import page: upload files or a zip, preview what would happen, confirm, watch it run."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from articles import services, tasks
from articles.models import ImportBatch
from articles.reports import batch_parts, report_json
from workbench import leases
from workbench.jobs import job_status


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field, as Django's documentation shows."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class UploadForm(forms.Form):
    files = MultipleFileField(help_text="JSON, JSONL, CSV, HTML or plain text files, or .zip archives of them.")


def import_start(request: HttpRequest, admin_site) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if form.is_bound and form.is_valid():
        try:
            batch = services.import_batch_upload(files=form.cleaned_data["files"], user=request.user)
        except ValidationError as error:
            form.add_error("files", error)
        else:
            leases.enqueue(tasks.preview_import, batch)
            return redirect("admin:articles_article_import_batch", batch.pk)
    context = {
        **admin_site.each_context(request),
        "form": form,
        "title": "Import articles",
        "recent": ImportBatch.objects.select_related("imported_by")[:10],
    }
    return render(request, "admin/articles/import_start.html", context)


def import_batch(request: HttpRequest, admin_site, pk: int) -> HttpResponse:
    batch = get_object_or_404(ImportBatch.objects.select_related("imported_by"), pk=pk)
    # A page of the table is one part of the report: the records of one chunk, in order.
    page = Paginator(batch.report_parts.order_by("index"), 1).get_page(request.GET.get("page"))
    rows = page.object_list[0].rows if page.object_list else []
    first = (page.number - 1) * services.CHUNK + 1
    previewed = batch.status in (ImportBatch.Status.PREVIEWED, ImportBatch.Status.QUEUED, ImportBatch.Status.EXPIRED)
    total = (batch.records_total if previewed else None) or batch.records_done
    context = {
        **admin_site.each_context(request),
        "batch": batch,
        "title": f"Import #{batch.pk}",
        "page": page,
        "rows": rows,
        "shown": f"Records {first:,}–{first + len(rows) - 1:,} of {total:,}" if rows else "",
        "resumable": services.import_batch_resumable(batch),
    }
    return render(request, "admin/articles/import_batch.html", context)


@require_POST
def import_confirm(request: HttpRequest, admin_site, pk: int) -> HttpResponse:
    batch = get_object_or_404(ImportBatch, pk=pk)
    try:
        services.import_batch_confirm(batch=batch, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        leases.enqueue(tasks.run_import, batch)
    return redirect("admin:articles_article_import_batch", batch.pk)


def import_status(request: HttpRequest, admin_site, pk: int) -> JsonResponse:
    return job_status(get_object_or_404(ImportBatch, pk=pk))


def import_report(request: HttpRequest, admin_site, pk: int) -> StreamingHttpResponse:
    batch = get_object_or_404(ImportBatch, pk=pk)
    response = StreamingHttpResponse(report_json(lambda: batch_parts(batch)), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="import-{batch.pk}-report.json"'
    return response
