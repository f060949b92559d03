"""Running exports: which claims, recorded as an Export (who, what, when, checksum), streamed or
written to a file in the background."""

import hashlib
import tempfile
from collections.abc import Iterator
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.core.files import File
from django.http import QueryDict
from django.utils import timezone

from claims import webhooks
from claims.exports import bundle
from claims.exports.context import WITHHELD_WHY, base_url, build_context
from claims.exports.formats import TEXT_FORMATS
from claims.exports.records import claim_records
from claims.models import Claim, ClaimSet, Export
from claims.selectors import selected_claims, withheld_claims
from workbench import leases

BUFFER = 2**16  # bytes per chunk sent
PROGRESS_EVERY = 2000  # claims written between two saves of the progress bar's count
DEFAULT_STATUSES = [Claim.Status.VERIFIED]


def default_statuses(query: QueryDict) -> list[str]:
    """Verified claims, unless the claim list was showing another status."""
    status = query.get("status")
    return [status] if status in Claim.Status.values else list(DEFAULT_STATUSES)


def export_start(
    *,
    export_format: str,
    user,
    channel: str,
    statuses: list[str],
    claim_set: ClaimSet | None = None,
    filters: dict[str, list[str]] | None = None,
    served_at: str | None = None,
) -> Export:
    """Record an export about to run; ValidationError when its filters are not valid.

    `served_at` is the address of the page that asked for it (None from the command line): unless
    WORKBENCH_BASE_URL says otherwise, the export links there, even when a worker writes it later."""
    filters = filters or {}
    if not statuses or set(statuses) - set(Claim.Status.values):
        raise ValidationError({"statuses": "Choose one or more of: " + ", ".join(Claim.Status.values)})
    statuses = [status for status in Claim.Status.values if status in statuses]
    count = selected_claims(claim_set=claim_set, filters=filters, statuses=statuses).count()
    withheld = withheld_claims(claim_set=claim_set, filters=filters, statuses=statuses).count()
    return Export.objects.create(
        format=export_format,
        created_by=user,
        channel=channel,
        claim_set=claim_set,
        claim_set_name=claim_set.name if claim_set else "",
        filters=filters,
        statuses=statuses,
        claim_count=count,
        withheld=withheld,
        base_url=base_url(served_at),
    )


def withheld_note(count: int) -> str:
    """What an export says of the claims it left out; empty when it left none out."""
    if not count:
        return ""
    return f"{count} claim{'s' if count != 1 else ''} left out: {WITHHELD_WHY}."


def export_stream(export: Export) -> Iterator[bytes]:
    """The export's bytes, in chunks; the record gets its checksum and size once the last is out."""
    digest, size, complete = hashlib.sha256(), 0, False
    leases.take(export, claims_done=0)
    try:
        for chunk in _buffered(_chunks(export)):
            digest.update(chunk)
            size += len(chunk)
            yield chunk
        complete = True
    except Exception as error:
        _finish(export, status=Export.Status.FAILED, failure=f"{type(error).__name__}: {error}")
        raise
    finally:
        if not complete and export.status == Export.Status.RUNNING:  # the reader stopped reading
            _finish(
                export,
                status=Export.Status.FAILED,
                failure=f"Stopped after {size} bytes: the download was interrupted.",
            )
    _finish(export, status=Export.Status.DONE, sha256=digest.hexdigest(), size=size)


def export_write(export: Export, out: BinaryIO) -> None:
    for chunk in export_stream(export):
        out.write(chunk)


def export_run(export_id: int) -> None:
    """A background export: written to a temporary file, then kept in the default storage."""
    export = Export.objects.select_related("claim_set", "created_by").get(pk=export_id)
    if export.status != Export.Status.RUNNING:  # written already: a task run twice
        return
    with tempfile.TemporaryFile() as out:
        try:
            export_write(export, out)
        except leases.JobLost:
            raise  # another worker runs it now, and tells of its end
        except Exception:
            webhooks.export_finished(export)
            raise
        out.seek(0)
        export.file.save(filename(export), File(out), save=False)
    Export.objects.filter(pk=export.pk).update(file=export.file.name)
    webhooks.export_finished(export)  # once its file can be downloaded


def filename(export: Export) -> str:
    """e.g. export-20261122-101500-7-claims.csv, export-…-7-bundle.zip"""
    stem = f"export-{timezone.localtime(export.created_at):%Y%m%d-%H%M%S}-{export.pk}"
    if export.format == Export.Format.BUNDLE:
        return f"{stem}-bundle.{bundle.EXTENSION}"
    return f"{stem}-{TEXT_FORMATS[export.format].filename}"


def media_type(export: Export) -> str:
    return bundle.MEDIA_TYPE if export.format == Export.Format.BUNDLE else TEXT_FORMATS[export.format].media_type


def _chunks(export: Export) -> Iterator[bytes]:
    claims = selected_claims(claim_set=export.claim_set, filters=export.filters, statuses=export.statuses)
    links_to = export.base_url or base_url(None)  # an export recorded before exports kept their base URL
    context = build_context(
        claims,
        base_url=links_to,
        user=export.created_by,
        statuses=export.statuses,
        claim_set=export.claim_set_name or None,
        filters=export.filters,
        withheld=export.withheld,
    )
    progress = _Progress(export)

    def records(read=claim_records):
        return progress.counted(read(claims, base_url=links_to))

    if export.format == Export.Format.BUNDLE:
        progress.rounds = len(TEXT_FORMATS)
        yield from bundle.render(records, context)
    else:
        text_format = TEXT_FORMATS[export.format]
        for text in text_format.render(records(text_format.records), context):
            yield text.encode()


class _Progress:
    """Claims written so far, saved on the record every PROGRESS_EVERY (a bundle reads them once per format)."""

    def __init__(self, export: Export):
        self.heartbeat, self.rounds, self.done = leases.Heartbeat(export), 1, 0

    def counted(self, records: Iterator[dict]) -> Iterator[dict]:
        for record in records:
            yield record
            self.done += 1
            if self.done % PROGRESS_EVERY == 0:
                self.heartbeat(claims_done=self.done // self.rounds)
            else:
                self.heartbeat()


def _buffered(chunks: Iterator[bytes]) -> Iterator[bytes]:
    parts, size = [], 0
    for chunk in chunks:
        parts.append(chunk)
        size += len(chunk)
        if size >= BUFFER:
            yield b"".join(parts)
            parts, size = [], 0
    if parts:
        yield b"".join(parts)


def _finish(export: Export, **fields) -> None:
    fields["finished_at"] = timezone.now()
    if fields["status"] == Export.Status.DONE:
        fields["claims_done"] = export.claim_count
    leases.finish(export, **fields)  # nothing, if another process took the export over
