"""Importing articles through the API, as the admin's import page does it and with its services and jobs: files
(multipart) or a JSON body of articles become an import batch whose preview runs in the background; the preview
says what would become of every record; confirming runs the import, also in the background. Each step answers
202 with the batch's status address; the batch's records are read a part (a chunk of 500) at a time, as the
page's table shows them, and its report whole, as `import_articles --report` writes it. Admins only, with a
read-write token. (The claims app's API instance serves this router: articles imports no other app.)"""

import json
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from articles import services, tasks
from articles.models import ImportBatch
from articles.reports import batch_parts, report_json
from workbench import leases
from workbench.api.auth import require_write
from workbench.api.schemas import READ_ERRORS, WRITE_ERRORS, Id, Text

router = Router(tags=["imports"])


class ImportOut(Schema):
    id: int
    status: str = Field(
        description="uploaded, previewing, previewed (confirm it), queued, running, done, failed, expired."
    )
    label: str
    working: bool = Field(description="Whether a job is still at it: poll again.")
    files: list[str]
    imported_by: str | None
    channel: str
    records_total: int | None = Field(description="How many records the files hold, once previewed.")
    records_done: int
    imported: int = Field(description="New articles (would be, in a preview).")
    duplicates: int
    rejected: int
    percent: int | None
    failure: str
    started_at: datetime
    finished_at: datetime | None
    parts: int = Field(description="Parts of the per-record report so far: /records?part=1 to this.")
    confirm: str | None = Field(description="Where to confirm the import, once previewed.")
    report: str = Field(description="The whole per-record report, as import_articles --report writes it.")

    @staticmethod
    def resolve_label(batch) -> str:
        return batch.get_status_display()

    @staticmethod
    def resolve_imported_by(batch) -> str | None:
        return batch.imported_by.get_username() if batch.imported_by else None

    @staticmethod
    def resolve_percent(batch) -> int | None:
        return batch.percent_done

    @staticmethod
    def resolve_parts(batch) -> int:
        return batch.report_parts.count()

    @staticmethod
    def resolve_confirm(batch) -> str | None:
        confirmable = batch.status == ImportBatch.Status.PREVIEWED or services.import_batch_resumable(batch)
        return reverse("api:import-confirm", args=[batch.pk]) if confirmable else None

    @staticmethod
    def resolve_report(batch) -> str:
        return reverse("api:import-report", args=[batch.pk])


class RecordOut(Schema):
    file: str
    record: int | None
    line: int | None
    outcome: str = Field(description="new (a new article or version), duplicate or rejected.")
    article_id: int | None
    title: str
    published: str | None
    length: int | None
    detail: str = Field(description="Why it was rejected, what it duplicates, which version it follows.")
    warnings: list[str]


class RecordPage(Schema):
    part: int
    parts: int
    first_record: int = Field(description="The place of the part's first record among the batch's records (from 1).")
    records: list[RecordOut]
    next: int | None = Field(description="The next part, if there is one.")


class PartQuery(Schema):
    part: int = Field(1, ge=1, le=2**31 - 1, description="Which part: 1 for the first 500 records.")


class ImportReportOut(Schema):
    imported: list[dict]
    duplicates: list[dict]
    rejected: list[dict]
    warnings: list[dict]


class ArticlesIn(Schema):
    name: Text = Field(
        "api.json", min_length=1, max_length=200, description="The file name the articles' provenance will name."
    )
    articles: list[dict] = Field(
        min_length=1,
        description="Articles as the JSON importer reads them: title, url, text, published, publisher (and synonyms).",
    )


def _require_importer(request: HttpRequest) -> None:
    if not request.user.has_perm("articles.add_article"):
        raise PermissionDenied("Only admins import articles.")


def _get_batch(request: HttpRequest, pk: int) -> ImportBatch:
    _require_importer(request)
    return get_object_or_404(ImportBatch.objects.select_related("imported_by"), pk=pk)


def _started(request: HttpRequest, files: list, response: HttpResponse):
    require_write(request)
    _require_importer(request)
    batch = services.import_batch_upload(files=files, user=request.user)
    leases.enqueue(tasks.preview_import, batch)
    response["Location"] = request.build_absolute_uri(reverse("api:import", args=[batch.pk]))
    return Status(202, _get_batch(request, batch.pk))


@router.post("/imports", response={202: ImportOut, **WRITE_ERRORS}, url_name="imports")
def import_upload(request: HttpRequest, response: HttpResponse, files: File[list[UploadedFile]]):
    """Upload files (multipart, field `files`, one or more: JSON, JSONL, CSV, HTML, text, or zips of them) and
    start their preview; 202, the batch's status at Location. Confirm it once previewed."""
    return _started(request, files, response)


@router.post("/imports/articles", response={202: ImportOut, **WRITE_ERRORS}, url_name="import-articles")
def import_articles(request: HttpRequest, payload: ArticlesIn, response: HttpResponse):
    """Articles in a JSON body, imported as one JSON file of them (named `name`): previewed, then confirmed, as
    an upload is."""
    name = payload.name.strip().replace("/", "_") or "api.json"
    data = json.dumps(payload.articles, ensure_ascii=False).encode()
    return _started(request, [SimpleUploadedFile(name, data, content_type="application/json")], response)


@router.get("/imports/{int:pk}", response={200: ImportOut, **READ_ERRORS}, url_name="import")
def import_status(request: HttpRequest, pk: Id):
    """The batch's progress and counts (the preview's until it is confirmed, then the import's)."""
    return _get_batch(request, pk)


@router.post("/imports/{int:pk}/confirm", response={202: ImportOut, **WRITE_ERRORS}, url_name="import-confirm")
def import_confirm(request: HttpRequest, pk: Id, response: HttpResponse):
    """Run a previewed import (or resume one that failed); 422 for any other."""
    require_write(request)
    batch = _get_batch(request, pk)
    services.import_batch_confirm(batch=batch, user=request.user)
    leases.enqueue(tasks.run_import, batch)
    response["Location"] = request.build_absolute_uri(reverse("api:import", args=[batch.pk]))
    return Status(202, _get_batch(request, pk))


@router.get("/imports/{int:pk}/records", response={200: RecordPage, **READ_ERRORS}, url_name="import-records")
def import_records(request: HttpRequest, pk: Id, query: Query[PartQuery]):
    """What became of each record (what would, before confirming), a part of 500 records at a time, in the order
    of the files: the rows of the import page's table."""
    batch = _get_batch(request, pk)
    parts = batch.report_parts.count()
    found = batch.report_parts.filter(index=query.part - 1).values_list("rows", flat=True).first()
    if found is None and query.part > 1:
        raise ValidationError({"part": f"This batch's report has {parts} part{'s' if parts != 1 else ''} so far."})
    return {
        "part": query.part,
        "parts": parts,
        "first_record": (query.part - 1) * services.CHUNK + 1,
        "records": found or [],
        "next": query.part + 1 if query.part < parts else None,
    }


@router.get("/imports/{int:pk}/report", response={200: ImportReportOut, **READ_ERRORS}, url_name="import-report")
def import_report(request: HttpRequest, pk: Id):
    """The whole report, streamed: `imported`, `duplicates`, `rejected` and `warnings`, each entry with its file and
    record."""
    batch = _get_batch(request, pk)
    return StreamingHttpResponse(report_json(lambda: batch_parts(batch)), content_type="application/json")
