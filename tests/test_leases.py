"""Jobs that end (workbench.leases): a job whose process vanished is found, then resumed or failed.

These tests play the vanished process in this one: they stop an import where a kill would, then make
its runner a process that has ended. tests/test_job_faults.py kills real processes on PostgreSQL.
"""

import io
import os
import socket
import subprocess
import uuid
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, TaskResultStatus

from articles import services
from articles.models import Article, ImportBatch, Passage
from claims.models import Export
from tests.factories import ArticleFactory
from tests.test_admin_import import start, upload_set
from workbench import leases

STALE = timezone.now() - 2 * leases.LEASE


class Killed(BaseException):
    """Where a kill -9 would stop the process: nothing after it runs, not even the import's own handler."""


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def ended_process() -> str:
    """The runner name of a process of this machine that has ended."""
    process = subprocess.Popen(["true"])  # noqa: S607 - a trivial command, for a pid that is gone
    process.wait()
    return f"{socket.gethostname()[:40]}:{process.pid}:gone"


def db_task(path: str, args: list, *, status=TaskResultStatus.RUNNING, started_at=None, worker="") -> DBTaskResult:
    return DBTaskResult.objects.create(
        task_path=path,
        args_kwargs={"args": args, "kwargs": {}},
        backend_name="default",
        run_after=timezone.now(),
        status=status,
        started_at=started_at,
        worker_ids=[worker] if worker else [],
    )


def killed_after(monkeypatch, chunks: int) -> None:
    """The running import's process dies once `chunks` chunks are committed."""
    store, stored = services._store, []

    def store_then_die(chunk, **kwargs):
        if len(stored) == chunks and not kwargs["dry_run"]:
            raise Killed
        store(chunk, **kwargs)
        stored.append(chunk)

    monkeypatch.setattr(services, "_store", store_then_die)
    monkeypatch.setattr(services, "_stopped", lambda batch, exc: None)


def in_hand(**fields) -> ImportBatch:
    return ImportBatch.objects.create(channel="admin", status="running", **fields)


@pytest.mark.django_db
def test_a_job_is_abandoned_when_its_runner_is_silent_too_long_or_its_process_has_ended():
    me = leases.runner_id()
    jobs = {
        "beating here": in_hand(runner=me, heartbeat_at=timezone.now()),
        "beating elsewhere": in_hand(runner="elsewhere:123:abc", heartbeat_at=timezone.now()),
        "silent elsewhere": in_hand(runner="elsewhere:123:abc", heartbeat_at=STALE),
        "ended here": in_hand(runner=ended_process(), heartbeat_at=timezone.now()),
        "never beat": in_hand(runner="elsewhere:123:abc"),
    }
    found = set(leases.abandoned(ImportBatch.objects.all(), since="started_at"))
    assert {name for name, job in jobs.items() if job in found} == {"silent elsewhere", "ended here", "never beat"}


@pytest.mark.django_db
def test_a_job_waiting_for_its_task_is_abandoned_when_the_task_cannot_take_it_any_more():
    long_ago = timezone.now() - 2 * leases.LEASE
    path = "articles.tasks.run_import"
    cases = {
        "task waiting": db_task(path, [1], status=TaskResultStatus.READY),
        "task just started": db_task(path, [2], started_at=timezone.now(), worker=leases.runner_id()),
        "task started long ago, never took it": db_task(path, [3], started_at=long_ago),
        "task's worker ended": db_task(path, [4], started_at=timezone.now(), worker=ended_process()),
        "task ended without it": db_task(path, [5], status=TaskResultStatus.FAILED, started_at=timezone.now()),
    }
    jobs = {
        name: ImportBatch.objects.create(channel="admin", status="queued", task_id=str(task.pk))
        for name, task in cases.items()
    }
    jobs["no task, waited long"] = ImportBatch.objects.create(channel="admin", status="queued")
    ImportBatch.objects.filter(pk=jobs["no task, waited long"].pk).update(started_at=long_ago)
    jobs["no task, just queued"] = ImportBatch.objects.create(channel="admin", status="queued")
    found = set(leases.abandoned(ImportBatch.objects.all(), since="started_at"))
    assert {name for name, job in jobs.items() if job in found} == {
        "task started long ago, never took it",
        "task's worker ended",
        "task ended without it",
        "no task, waited long",
    }


def test_an_admin_import_whose_worker_died_half_way_is_resumed_after_its_last_committed_chunk(
    admin_client, monkeypatch
):
    monkeypatch.setattr(services, "CHUNK", 2)
    batch = start(admin_client)
    previewed = (batch.imported, batch.duplicates, batch.rejected, batch.records_total)
    killed_after(monkeypatch, chunks=1)
    admin_client.post(reverse("admin:articles_article_import_confirm", args=[batch.pk]))  # the task dies
    batch.refresh_from_db()
    assert (batch.status, batch.records_done, batch.chunks_committed) == ("running", 2, 1)
    assert batch.imported == Article.objects.count() == 2  # the counts are what was committed
    ImportBatch.objects.filter(pk=batch.pk).update(runner=ended_process())

    monkeypatch.undo()
    monkeypatch.setattr(services, "CHUNK", 2)
    assert leases.sweep() == [f"Import #{batch.pk}: its worker stopped; resumed after record 2."]
    batch.refresh_from_db()
    assert (batch.status, batch.attempts, batch.runner) == ("done", 1, "")
    assert (batch.imported, batch.duplicates, batch.rejected, batch.records_done) == previewed
    hashes = list(Article.objects.values_list("content_hash", flat=True))
    assert len(hashes) == len(set(hashes)) == previewed[0]  # nothing imported twice
    parts = list(batch.report_parts.order_by("index").values_list("index", flat=True))
    assert parts == [0, 1, 2] and sum(len(part.rows) for part in batch.report_parts.all()) == previewed[3]
    page = admin_client.get(reverse("admin:articles_article_import_batch", args=[batch.pk])).content.decode()
    assert "What became of each record" in page
    assert leases.sweep() == []  # nothing is left to recover


def test_an_import_that_keeps_killing_its_worker_ends_as_failed_with_what_it_did(admin_client, monkeypatch, settings):
    monkeypatch.setattr(services, "CHUNK", 2)
    batch = start(admin_client)
    killed_after(monkeypatch, chunks=1)
    admin_client.post(reverse("admin:articles_article_import_confirm", args=[batch.pk]))  # the task dies
    ImportBatch.objects.filter(pk=batch.pk).update(
        runner=ended_process(), attempts=settings.WORKBENCH_JOB_MAX_ATTEMPTS - 1
    )
    assert leases.sweep() == [f"Import #{batch.pk}: its process stopped; marked failed."]
    batch.refresh_from_db()
    assert batch.status == "failed" and batch.finished_at
    assert batch.failure == (
        "The import stopped: the process running it ended, 3 times. 2 records were done (2 imported, "
        "0 duplicates, 0 rejected); resume it to import the rest."
    )
    page = admin_client.get(reverse("admin:articles_article_import_batch", args=[batch.pk])).content.decode()
    assert "Resume: import the records after the 2 done" in page


def test_a_preview_whose_worker_died_is_prepared_again_from_the_start(admin_client, monkeypatch, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    response = admin_client.post(reverse("admin:articles_article_import"), {"files": upload_set()[:1]})
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    ImportBatch.objects.filter(pk=batch.pk).update(
        status="previewing", runner=ended_process(), heartbeat_at=timezone.now()
    )
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert leases.sweep() == [f"Import #{batch.pk}: its worker stopped; resumed from the start."]
    batch.refresh_from_db()
    assert (batch.status, batch.records_total, batch.attempts) == ("previewed", 3, 1)


@pytest.mark.django_db
def test_a_command_line_import_whose_process_died_is_failed_with_a_way_on(tmp_path, monkeypatch):
    for n in range(5):
        (tmp_path / f"{n}.txt").write_text(f"Headline {n}\n\nStory number {n} is long enough to import.")
    monkeypatch.setattr(services, "CHUNK", 2)
    killed_after(monkeypatch, chunks=1)
    with pytest.raises(Killed):
        call_command("import_articles", str(tmp_path))
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.imported, batch.runner) == ("running", 2, leases.runner_id())
    assert leases.sweep() == []  # its process is this one, alive and beating
    ImportBatch.objects.filter(pk=batch.pk).update(runner=ended_process())
    call_command("recover_jobs", stdout=(out := io.StringIO()))
    assert out.getvalue() == f"Import #{batch.pk}: its process stopped; marked failed.\n"
    batch.refresh_from_db()
    assert batch.status == "failed" and batch.failure.endswith(
        "2 records were done (2 imported, 0 duplicates, 0 rejected); run the same import again to import "
        "the rest (what was imported is reported as duplicates)."
    )

    monkeypatch.undo()
    call_command("import_articles", str(tmp_path))  # the same import again: the rest, and nothing twice
    again = ImportBatch.objects.latest("pk")
    assert (again.status, again.imported, again.duplicates) == ("done", 3, 2)
    assert Article.objects.count() == 5


def test_a_runner_whose_job_was_taken_over_stops_before_writing_more(admin_client, monkeypatch):
    monkeypatch.setattr(services, "CHUNK", 2)
    batch = start(admin_client)
    store, stored = services._store, []

    def taken_over_after_the_first_chunk(chunk, **kwargs):
        if stored and not kwargs["dry_run"]:
            ImportBatch.objects.filter(pk=batch.pk).update(runner="elsewhere:1:taker")
        store(chunk, **kwargs)
        stored.append(chunk)

    monkeypatch.setattr(services, "_store", taken_over_after_the_first_chunk)
    admin_client.post(reverse("admin:articles_article_import_confirm", args=[batch.pk]))  # the task stops
    batch.refresh_from_db()
    assert (batch.status, batch.runner, batch.chunks_committed, batch.failure) == (
        "running",
        "elsewhere:1:taker",
        1,
        "",
    )
    assert Article.objects.count() == batch.imported == 2


def export_in_hand(user, **fields) -> Export:
    ArticleFactory()
    return Export.objects.create(format="csv", channel="web", created_by=user, status="running", **fields)


def test_a_background_export_whose_worker_died_is_written_again(db, admin_user):
    task = db_task("claims.exports.tasks.run_export", [0], started_at=timezone.now(), worker=ended_process())
    export = export_in_hand(admin_user, task_id=str(task.pk), runner=ended_process(), heartbeat_at=timezone.now())
    assert leases.sweep() == [f"Export {export.pk}: its worker stopped; written again from the start."]
    export.refresh_from_db()
    assert (export.status, export.attempts, export.runner) == ("done", 1, "") and export.file and export.sha256
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED and task.exception_class_path == "workbench.leases.WorkerVanished"


def test_a_streamed_export_whose_server_died_ends_as_failed(db, admin_user):
    export = export_in_hand(admin_user, runner="elsewhere:9:web", heartbeat_at=STALE, claims_done=100, claim_count=300)
    assert leases.sweep() == [f"Export {export.pk}: its process stopped; marked failed."]
    export.refresh_from_db()
    assert export.status == "failed" and export.finished_at
    assert export.failure == "The export stopped after 100 of 300 claims: the process sending it ended. Start it again."


@pytest.mark.django_db
def test_a_background_task_without_a_job_is_run_again_when_its_worker_is_gone():
    article = ArticleFactory(passages=False)
    gone = db_task(
        "articles.passages.write_passages", [[article.pk]], started_at=timezone.now(), worker=ended_process()
    )
    alive = db_task(
        "articles.passages.write_passages", [[article.pk]], started_at=timezone.now(), worker=leases.runner_id()
    )
    assert leases.sweep() == [f"Task articles.passages.write_passages {gone.pk}: its worker stopped; run again."]
    assert Passage.objects.filter(article=article).exists()  # run again (at once, in tests)
    gone.refresh_from_db()
    alive.refresh_from_db()
    assert (gone.status, alive.status) == (TaskResultStatus.FAILED, TaskResultStatus.RUNNING)


@pytest.mark.django_db
def test_a_task_on_another_machine_is_run_again_only_after_the_task_timeout(settings):
    article = ArticleFactory()
    recent = db_task(
        "articles.passages.write_passages",
        [[article.pk]],
        started_at=timezone.now() - timedelta(minutes=5),
        worker="elsewhere:1:w",
    )
    old = db_task(
        "articles.passages.write_passages",
        [[article.pk]],
        started_at=timezone.now() - timedelta(hours=2),
        worker="elsewhere:1:w",
    )
    assert leases.sweep() == [f"Task articles.passages.write_passages {old.pk}: its worker stopped; run again."]
    recent.refresh_from_db()
    assert recent.status == TaskResultStatus.RUNNING


def test_every_process_names_itself_by_host_and_pid():
    host, pid, token = leases.runner_id().split(":")
    assert (host, int(pid)) == (socket.gethostname()[:40], os.getpid()) and len(token) == 8
    assert not leases.process_gone(leases.runner_id()) and leases.process_gone(ended_process())
    assert not leases.process_gone(f"elsewhere:{uuid.uuid4().int % 10**6}:x")  # another machine's: unknown


def test_an_admin_import_whose_worker_is_stopped_by_a_signal_waits_for_the_next_worker(admin_client, monkeypatch):
    monkeypatch.setattr(services, "CHUNK", 2)
    batch = start(admin_client)
    store, stored = services._store, []

    def stopped_after_a_chunk(chunk, **kwargs):
        if stored and not kwargs["dry_run"]:
            raise SystemExit(1)  # what db_worker raises on a second signal
        store(chunk, **kwargs)
        stored.append(chunk)

    monkeypatch.setattr(services, "_store", stopped_after_a_chunk)
    admin_client.post(reverse("admin:articles_article_import_confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert (batch.status, batch.runner, batch.failure, batch.chunks_committed) == ("queued", "", "", 1)


def test_finished_task_rows_are_pruned_when_old_and_running_or_recent_ones_kept(db, monkeypatch, settings):
    settings.WORKBENCH_TASK_RESULTS_DAYS = 14
    monkeypatch.setattr(leases, "_pruned_at", None)
    now = timezone.now()

    def finished(days_ago: float, status=TaskResultStatus.SUCCESSFUL) -> DBTaskResult:
        task = db_task("claims.tasks.embed_passages", [[1]], status=status)
        task.finished_at = now - timedelta(days=days_ago)
        task.save()
        return task

    old, old_failure, recent = finished(15), finished(20, TaskResultStatus.FAILED), finished(13)
    running = db_task("claims.tasks.embed_passages", [[2]], started_at=now - timedelta(days=30))

    assert leases._prune_task_results(now) == ["2 finished task result(s) older than 14 days deleted."]
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {recent.pk, running.pk}
    assert not DBTaskResult.objects.filter(pk__in=[old.pk, old_failure.pk]).exists()

    finished(30)
    assert leases._prune_task_results(now + timedelta(minutes=59)) == []  # at most once an hour
    assert leases._prune_task_results(now + timedelta(minutes=61)) == [
        "1 finished task result(s) older than 14 days deleted."
    ]
