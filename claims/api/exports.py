"""Exports through the API: start one (a format, the statuses, a claim set or the claim list's filters, as the
export page takes them), follow its progress, download its file. The same services as the page
(claims.exports.services), the same rules (claims.permissions: a set is exported by its owner and admins, an
export opened by whoever asked for it and admins). An export changes none of the newsroom's work, so a
read-only token may ask for one. Every API export runs as a background job, however small: a script polls its
status and downloads the file when it is done."""

from datetime import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import content_disposition_header
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from claims import permissions, selectors
from claims.api.schemas import Status as ClaimStatus
from claims.exports import bundle, services, tasks
from claims.exports.formats import TEXT_FORMATS
from claims.models import Claim, ClaimSet, Export
from workbench import leases
from workbench.api.schemas import READ_ERRORS, Id, Problem, Text
from workbench.audit import API

router = Router(tags=["exports"])

Format = Literal[tuple(Export.Format.values)]
EXPORT_ERRORS = {**READ_ERRORS, 409: Problem}
# What a download may be, by format: the document names each (claims.exports' own media types).
MEDIA_TYPES = sorted({bundle.MEDIA_TYPE, *(text.media_type for text in TEXT_FORMATS.values())})


class ExportIn(Schema):
    format: Format
    statuses: list[ClaimStatus] = Field(
        [Claim.Status.VERIFIED], min_length=1, description="The claims of these statuses (verified by default)."
    )
    claim_set: Id | None = Field(None, description="A claim set of yours (admins: any), instead of or with filters.")
    filters: dict[Text, Text] = Field(
        {}, description="The claim list's filters, named as GET /claims takes them (status aside: see statuses)."
    )


class ExportOut(Schema):
    id: int
    format: Format
    status: Literal[tuple(Export.Status.values)]
    claim_count: int
    claims_done: int
    percent: int | None = Field(description="0-100 while running; none until the amount of work is known.")
    withheld: int = Field(description="Claims of the selection left out: they need review.")
    left_out: str = Field(description="What the export says of the claims it left out; empty if none.")
    claim_set: int | None = Field(None, alias="claim_set_id")
    claim_set_name: str
    filters: dict
    statuses: list[str]
    created_by: str | None
    created_at: datetime
    finished_at: datetime | None
    failure: str
    sha256: str
    size: int | None
    download: str | None = Field(description="Where the file is downloaded, once done.")

    @staticmethod
    def resolve_percent(export) -> int | None:
        return export.percent_done

    @staticmethod
    def resolve_left_out(export) -> str:
        return services.withheld_note(export.withheld)

    @staticmethod
    def resolve_created_by(export) -> str | None:
        return export.created_by.get_username() if export.created_by else None

    @staticmethod
    def resolve_download(export) -> str | None:
        if export.status != Export.Status.DONE or not export.file:
            return None
        return reverse("api:export-download", args=[export.pk])


def _get_export(request: HttpRequest, pk: int) -> Export:
    export = get_object_or_404(Export.objects.select_related("created_by"), pk=pk)
    if not permissions.can_open_export(request.user, export):
        raise PermissionDenied("Only whoever asked for an export, and admins, open it.")
    return export


def _claim_set(request: HttpRequest, pk: int | None) -> ClaimSet | None:
    if pk is None:
        return None
    claim_set = ClaimSet.objects.filter(pk=pk).first()
    if claim_set is None:
        raise ValidationError({"claim_set": "There is no claim set with this id."})
    if not permissions.can_manage_set(request.user, claim_set):
        raise PermissionDenied("Only the set's owner and admins export a claim set.")
    return claim_set


def _filters(given: dict[str, str]) -> dict[str, list[str]]:
    query = QueryDict(mutable=True)
    for name, value in given.items():
        query[name] = value
    filters = selectors.list_filters(query)
    unknown = sorted(set(given) - set(filters))
    if unknown:
        raise ValidationError(
            {"filters": f"Not a filter of the claim list (or empty): {', '.join(unknown)}. Statuses go in statuses."}
        )
    return filters


@router.post("/exports", response={202: ExportOut, **EXPORT_ERRORS}, url_name="exports")
def export_start(request: HttpRequest, payload: ExportIn, response: HttpResponse):
    """Start an export; 202, with its status at Location. It runs in the background (`db_worker`)."""
    claim_set = _claim_set(request, payload.claim_set)
    export = services.export_start(
        export_format=payload.format,
        user=request.user,
        channel=API,
        claim_set=claim_set,
        filters=_filters(payload.filters),
        statuses=list(payload.statuses),
        served_at=request.build_absolute_uri("/"),
    )
    leases.enqueue(tasks.run_export, export)
    response["Location"] = request.build_absolute_uri(reverse("api:export", args=[export.pk]))
    return Status(202, _get_export(request, export.pk))


@router.get("/exports/{int:pk}", response={200: ExportOut, **EXPORT_ERRORS}, url_name="export")
def export_status(request: HttpRequest, pk: Id):
    """An export's progress; once done, its checksum, size and where to download it."""
    return _get_export(request, pk)


@router.get(
    "/exports/{int:pk}/download",
    response={200: None, **EXPORT_ERRORS},
    url_name="export-download",
    openapi_extra={
        "responses": {
            200: {
                "description": "The export's file, streamed (its format's media type).",
                "content": {media: {"schema": {"type": "string", "format": "binary"}} for media in MEDIA_TYPES},
            }
        }
    },
)
def export_download(request: HttpRequest, pk: Id):
    """The export's file, streamed from the storage; 409 while it is running, or if it failed."""
    export = _get_export(request, pk)
    if export.status != Export.Status.DONE or not export.file:
        why = export.failure if export.status == Export.Status.FAILED else "it is still running: poll its status"
        raise HttpError(409, f"This export has no file to download: {why}.")
    answer = FileResponse(export.file.open("rb"), content_type=services.media_type(export))
    answer["Content-Disposition"] = content_disposition_header(True, services.filename(export))
    return answer
