"""Exports whose process vanished (`workbench.leases`): a background export is written again from the
start, up to WORKBENCH_JOB_MAX_ATTEMPTS runs; a download that was streaming ends as failed."""

from django.conf import settings
from django.utils import timezone

from claims.exports import tasks
from claims.models import Export
from workbench import leases


def recover_exports() -> list[str]:
    done = []
    for export in leases.abandoned(Export.objects.filter(status=Export.Status.RUNNING), since="created_at"):
        leases.give_up_task(export.task_id, f"The worker writing export {export.pk} stopped.")
        if export.task_id and export.attempts + 1 < settings.WORKBENCH_JOB_MAX_ATTEMPTS:
            if leases.finish(export, claims_done=0, attempts=export.attempts + 1):
                leases.enqueue(tasks.run_export, export)
                done.append(f"Export {export.pk}: its worker stopped; written again from the start.")
        elif leases.finish(
            export,
            status=Export.Status.FAILED,
            finished_at=timezone.now(),
            failure=_failure(export),
        ):
            done.append(f"Export {export.pk}: its process stopped; marked failed.")
    return done


def _failure(export: Export) -> str:
    done = f"after {export.claims_done:,} of {export.claim_count:,} claims"
    if export.task_id:
        return f"The export stopped {done}: the worker writing it ended, {export.attempts + 1} times. Start it again."
    return f"The export stopped {done}: the process sending it ended. Start it again."
