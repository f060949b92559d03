"""Progress of a background job (an import, an export), kept on the job's own model and polled by its page.

A model mixes JobProgress in and says which of its fields count the work done and the work there is,
and in which statuses it is still waiting or working. Its page shows templates/partials/progress.html,
which static/js/progress.js moves from the job's status URL, a view returning `job_status(job)`.
It also carries the job's lease (`workbench.leases`): who runs it and when it last showed it was alive.
"""

from django.db import models
from django.http import JsonResponse


class JobProgress(models.Model):
    runner = models.CharField(max_length=100, blank=True, help_text="The process running the job (host:pid:token).")
    heartbeat_at = models.DateTimeField(null=True, blank=True, help_text="When its runner last showed it was alive.")
    task_id = models.CharField(max_length=64, blank=True, help_text="The background task that runs it, if any.")
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Runs started after the first, on resuming.")

    class Meta:
        abstract = True

    done_field: str
    total_field: str
    working_statuses: frozenset[str]  # queued or running: the page keeps polling
    done_status = "done"

    @property
    def progress_done(self) -> int:
        return getattr(self, self.done_field)

    @property
    def progress_total(self) -> int | None:
        return getattr(self, self.total_field)

    @property
    def working(self) -> bool:
        return self.status in self.working_statuses

    @property
    def percent_done(self) -> int | None:
        """0-100, None while the amount of work is not known yet (an indeterminate bar).

        Only a job that has finished is at 100: the last records counted are not yet the job done.
        """
        if self.status == self.done_status:
            return 100
        if not self.progress_total:
            return None
        return min(99, 100 * self.progress_done // self.progress_total)


def job_status(job: JobProgress) -> JsonResponse:
    """What a job's page polls: the same shape for every kind of job."""
    return JsonResponse(
        {
            "status": job.status,
            "label": job.get_status_display(),
            "done": job.progress_done,
            "total": job.progress_total,
            "percent": job.percent_done,
            "working": job.working,
        }
    )
