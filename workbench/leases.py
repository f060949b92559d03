"""Jobs that end: which process runs a job, whether it still does, and what becomes of a job whose
process vanished (a kill, a lost connection, a machine restart).

A job (an import, an export: `workbench.jobs.JobProgress`) is taken by the process that runs it, which
writes its own name (`runner_id()`: host, process id, a token) on the job. As it works, it beats
(`Heartbeat`), at most every BEAT seconds, always outside a transaction so that others see it. A job
that is in hand but silent for longer than LEASE, or whose process is gone from this machine, was
abandoned. `sweep()`, run by every `db_worker` as it starts and then every few seconds, and by
`manage.py recover_jobs`, hands abandoned jobs to their app's recoverer, which resumes them (a new task
on the same job) or marks them failed with what was done.

Only a job with no runner can be taken (a recoverer frees an abandoned one), and a runner checks that the job is still
its own at every beat and in every transaction that writes the job's work (`hold`): a process wrongly
thought dead stops at its next step (`JobLost`) instead of working beside the one that took over.
"""

import logging
import os
import socket
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult, TaskResultStatus

logger = logging.getLogger(__name__)

LEASE = timedelta(seconds=settings.WORKBENCH_JOB_LEASE_SECONDS)
BEAT = settings.WORKBENCH_JOB_LEASE_SECONDS / 9
SWEEP_EVERY = min(10.0, settings.WORKBENCH_JOB_LEASE_SECONDS / 3)


class JobLost(Exception):
    """Another process took this job over: this one must stop working on it."""


class WorkerVanished(Exception):
    """Recorded on a background task whose worker stopped before it finished."""


_process: tuple[int, str] | None = None


def runner_id() -> str:
    """This process's name on the jobs it runs: `host:pid:token`, new in each process (a fork included)."""
    global _process
    if _process is None or _process[0] != os.getpid():
        _process = (os.getpid(), f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}")
    return _process[1]


def process_gone(runner: str) -> bool:
    """Whether `runner` was a process of this machine that has ended. Another machine's cannot be told."""
    host, _, rest = runner.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname()[:40] or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # someone else's process: alive
        return False
    return False


def take(job: models.Model, **fields) -> None:
    """Make this process the runner of a job nobody runs, with `fields` (a status, counts) in the same update."""
    me, now = runner_id(), timezone.now()
    if not type(job).objects.filter(pk=job.pk, runner="").update(runner=me, heartbeat_at=now, **fields):
        raise JobLost(f"{job} is run by another process.")
    for name, value in {"runner": me, "heartbeat_at": now, **fields}.items():
        setattr(job, name, value)


def hold(job: models.Model) -> None:
    """Inside a transaction that writes the job's work: lock the job, and stop if it is no longer ours."""
    if not type(job).objects.select_for_update().filter(pk=job.pk, runner=job.runner).exists():
        raise JobLost(f"{job} was taken by another process.")


def finish(job: models.Model, **fields) -> bool:
    """Let the job go with `fields` (its outcome, or its state for the next runner), only if it is still
    held by the runner it had when read; whether it was."""
    fields["runner"] = ""
    ended = type(job).objects.filter(pk=job.pk, runner=job.runner).update(**fields)
    for name, value in fields.items():
        setattr(job, name, value)
    return bool(ended)


class Heartbeat:
    """Called as a job works: shows the job alive, at most every BEAT seconds unless `fields` are saved too."""

    def __init__(self, job: models.Model):
        self.job, self.last = job, time.monotonic()

    def __call__(self, **fields) -> None:
        if not fields and time.monotonic() - self.last < BEAT:
            return
        job, fields["heartbeat_at"] = self.job, timezone.now()
        if not type(job).objects.filter(pk=job.pk, runner=job.runner).update(**fields):
            raise JobLost(f"{job} was taken by another process.")
        self.last = time.monotonic()

    def beating(self, items: Iterable) -> Iterator:
        for item in items:
            self()
            yield item


def abandoned(jobs: models.QuerySet, *, since: str) -> Iterator[models.Model]:
    """Those of `jobs` (all in hand: being worked on or waiting for a worker) whose runner is gone.

    A job waiting for its task (no runner yet) is abandoned when the task ended, or is running without
    having taken the job within LEASE, or when it has no task and has waited longer than LEASE (`since`
    names the field of when it started waiting).
    """
    stale = timezone.now() - LEASE
    jobs = list(jobs)
    tasks = {str(pk): task for pk, task in DBTaskResult.objects.in_bulk(filter(None, map(_task_key, jobs))).items()}
    for job in jobs:
        if job.runner:
            if job.heartbeat_at is None or job.heartbeat_at < stale or process_gone(job.runner):
                yield job
            continue
        task = tasks.get(_task_key(job))
        if task is None:
            if getattr(job, since) < stale:
                yield job
        elif task.status in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED) or (
            task.status == TaskResultStatus.RUNNING and _task_gone(task, stale)
        ):
            yield job


def _task_key(job: models.Model) -> str | None:
    """The job's task in the database backend (other backends name theirs otherwise)."""
    try:
        return str(uuid.UUID(job.task_id)) if job.task_id and not job.runner else None
    except ValueError:
        return None


def _task_gone(task: DBTaskResult, stale) -> bool:
    return (task.started_at is not None and task.started_at < stale) or any(map(process_gone, task.worker_ids[-1:]))


def enqueue(task: Task, job: models.Model, *args) -> None:
    """Run `task(job.pk, *args)` in the background, and note the task on the job so a sweep can follow it."""
    result = task.enqueue(job.pk, *args)
    type(job).objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.task_id = str(result.id)


def give_up_task(task_id: str, why: str) -> None:
    """Record on a job's task, if it is still marked running, that its worker vanished."""
    try:
        task_id = uuid.UUID(task_id)
    except ValueError:
        return
    task = DBTaskResult.objects.filter(pk=task_id, status=TaskResultStatus.RUNNING).first()
    if task:
        task.set_failed(WorkerVanished(why))


# --- The sweep -----------------------------------------------------------------------------------

_recoverers: list[Callable[[], list[str]]] = []
_retried: dict[str, Task] = {}


def register(*, recover: Callable[[], list[str]] | None = None, retry: Iterable[Task] = ()) -> None:
    """An app's part in the sweep: a function that deals with its abandoned jobs and says what it did,
    and the tasks without a job of their own that are safe to run again (idempotent)."""
    if recover and recover not in _recoverers:
        _recoverers.append(recover)
    _retried.update({task.module_path: task for task in retry})


def sweep() -> list[str]:
    """Deal with every abandoned job and task; what was done, one line each."""
    done = []
    for recover in _recoverers:
        done += recover()
    return done + _retry_abandoned_tasks() + _prune_task_results()


PRUNE_EVERY = timedelta(hours=1)
_pruned_at = None


def _prune_task_results(now=None) -> list[str]:
    """Finished tasks' rows older than WORKBENCH_TASK_RESULTS_DAYS are deleted, at most once an hour per process."""
    global _pruned_at
    now = now or timezone.now()
    if _pruned_at is not None and now - _pruned_at < PRUNE_EVERY:
        return []
    _pruned_at = now
    old = DBTaskResult.objects.finished().filter(
        finished_at__lt=now - timedelta(days=settings.WORKBENCH_TASK_RESULTS_DAYS)
    )
    deleted, _ = old.delete()
    return (
        [f"{deleted} finished task result(s) older than {settings.WORKBENCH_TASK_RESULTS_DAYS} days deleted."]
        if deleted
        else []
    )


def _retry_abandoned_tasks() -> list[str]:
    timeout = timezone.now() - timedelta(seconds=settings.WORKBENCH_TASK_TIMEOUT_SECONDS)
    done = []
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, task_path__in=list(_retried))
    for task in running:
        if _task_gone(task, timeout):
            task.set_failed(WorkerVanished("Its worker stopped before it finished; it was run again."))
            _retried[task.task_path].enqueue(*task.args_kwargs["args"], **task.args_kwargs["kwargs"])
            done.append(f"Task {task.task_path} {task.pk}: its worker stopped; run again.")
    return done


def sweeping(stop: Callable[[], bool]) -> None:
    """A worker's sweeper: a sweep every SWEEP_EVERY seconds until `stop()`; errors are logged, never fatal."""
    from django.db import connection

    while not stop():
        try:
            for line in sweep():
                logger.warning(line)
        except Exception:
            logger.exception("The sweep for abandoned jobs failed; it will run again.")
        finally:
            connection.close()
        time.sleep(SWEEP_EVERY)
