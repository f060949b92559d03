"""What imports leave behind, dealt with by the sweep (`workbench.leases`).

An import whose process vanished: an uploaded batch is resumed where its last committed chunk ended, up
to WORKBENCH_JOB_MAX_ATTEMPTS runs; any other ends as failed with what it did. An upload nobody
confirmed (or resumed) within WORKBENCH_IMPORT_UPLOAD_EXPIRY_HOURS: its files are deleted.
"""

from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from articles import tasks
from articles.models import ImportBatch
from workbench import leases

IN_HAND = [
    ImportBatch.Status.UPLOADED,
    ImportBatch.Status.PREVIEWING,
    ImportBatch.Status.QUEUED,
    ImportBatch.Status.RUNNING,
]
PREVIEW = {ImportBatch.Status.UPLOADED, ImportBatch.Status.PREVIEWING}


def recover_imports() -> list[str]:
    done = []
    for batch in leases.abandoned(ImportBatch.objects.filter(status__in=IN_HAND), since="started_at"):
        leases.give_up_task(batch.task_id, f"The worker running import #{batch.pk} stopped.")
        previewing = batch.status in PREVIEW
        again = ImportBatch.Status.UPLOADED if previewing else ImportBatch.Status.QUEUED
        if batch.uploads.exists() and batch.attempts + 1 < settings.WORKBENCH_JOB_MAX_ATTEMPTS:
            if not leases.finish(batch, status=again, attempts=batch.attempts + 1):
                continue  # its runner showed up meanwhile
            leases.enqueue(tasks.preview_import if previewing else tasks.run_import, batch)
            where = "from the start" if previewing else f"after record {batch.records_done:,}"
            done.append(f"Import #{batch.pk}: its worker stopped; resumed {where}.")
        elif leases.finish(
            batch,
            status=ImportBatch.Status.FAILED,
            finished_at=timezone.now(),
            failure=_failure(batch, previewing),
        ):
            done.append(f"Import #{batch.pk}: its process stopped; marked failed.")
    return done


def _failure(batch: ImportBatch, previewing: bool) -> str:
    if previewing:
        return (
            f"The preview stopped: the process preparing it ended, {batch.attempts + 1} times. Upload the files again."
        )
    what = f"{batch.records_done:,} records were done ({batch.imported:,} imported, {batch.duplicates:,} duplicates, {batch.rejected:,} rejected)"
    if batch.uploads.exists():
        return f"The import stopped: the process running it ended, {batch.attempts + 1} times. {what}; resume it to import the rest."
    return f"The import stopped: the process running it ended. {what}; run the same import again to import the rest (what was imported is reported as duplicates)."


def expire_uploads() -> list[str]:
    hours = settings.WORKBENCH_IMPORT_UPLOAD_EXPIRY_HOURS
    now = timezone.now()
    cutoff = now - timedelta(hours=hours)
    waiting = ImportBatch.objects.filter(
        status__in=[ImportBatch.Status.PREVIEWED, ImportBatch.Status.FAILED],
        started_at__lt=cutoff,
        uploads__isnull=False,
    ).distinct()
    done = []
    for batch in waiting:
        if max(moment for moment in (batch.started_at, batch.heartbeat_at, batch.finished_at) if moment) >= cutoff:
            continue
        if batch.status == ImportBatch.Status.PREVIEWED:
            outcome = {
                "status": ImportBatch.Status.EXPIRED,
                "finished_at": now,
                "failure": f"Not confirmed within {hours} hours: the uploaded files were deleted. Upload them again to import.",
            }
        else:
            outcome = {"failure": f"{batch.failure} The uploaded files were deleted after {hours} hours."}
        with transaction.atomic():
            if not ImportBatch.objects.filter(pk=batch.pk, status=batch.status, runner="").update(**outcome):
                continue  # confirmed or resumed meanwhile
            stored = list(batch.uploads.values_list("file", flat=True))
            batch.uploads.all().delete()
        for name in stored:  # once the batch no longer names them
            default_storage.delete(name)
        done.append(f"Import #{batch.pk}: its uploads were deleted, unconfirmed for {hours} hours.")
    return done
