"""Faults on real processes, on PostgreSQL: a worker killed outright, a worker's connection killed, a
command-line import killed, each half-way through an import. Every import ends as done or failed, its
counts always match what was committed, and going on completes the rest with nothing imported twice."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, connections
from django_tasks_db.models import DBTaskResult, TaskResultStatus

from articles import services, tasks
from articles.models import Article, ImportBatch
from workbench import leases

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="kills PostgreSQL connections; the processes share the test database",
    ),
]

ROOT = Path(__file__).resolve().parent.parent
RECORDS = 8000  # 16 chunks: time enough to stop the import half-way


def feed() -> bytes:
    lines = (
        json.dumps(
            {
                "title": f"Report {n}",
                "url": f"https://wire.example/{n}",
                "text": f"Report number {n} says {n} things happened.",
            }
        )
        for n in range(RECORDS)
    )
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def env(settings, tmp_path):
    db = connections["default"].settings_dict
    password = f":{urllib.parse.quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.server_settings",
        "DATABASE_URL": f"postgres://{urllib.parse.quote(db['USER'] or '')}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "SECRET_KEY": django_settings.SECRET_KEY,
        "WORKBENCH_JOB_LEASE_SECONDS": "9",
    }


class Process:
    """A manage.py command in a process group of its own, so that a kill reaches all of it."""

    def __init__(self, env: dict, log: Path, *args: str):
        self.log = log
        with log.open("wb") as out:
            self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                [sys.executable, "manage.py", *args],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def kill(self, how=signal.SIGKILL) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, how)
        self.process.wait(timeout=30)


def worker(env: dict, log: Path) -> Process:
    return Process(env, log, "db_worker", "--no-reload", "--interval", "0.1", "--no-startup-delay")


def wait_for(condition, what: str, *, timeout: float = 60, log: Path | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found := condition():
            return found
        time.sleep(0.05)
    raise AssertionError(f"{what} did not happen in {timeout} s" + (f":\n{log.read_text()}" if log else ""))


def confirmed_upload(admin) -> tuple[ImportBatch, tuple]:
    """An uploaded, previewed and confirmed batch, its import queued for a worker; and what its preview said."""
    batch = services.import_batch_upload(files=[SimpleUploadedFile("feed.jsonl", feed())], user=admin)
    services.import_batch_preview(batch_id=batch.pk)
    batch.refresh_from_db()
    services.import_batch_confirm(batch=batch, user=admin)
    leases.enqueue(tasks.run_import, batch)
    return batch, (batch.imported, batch.duplicates, batch.rejected, batch.records_total)


def committed(batch_id: int, chunks: int):
    batch = ImportBatch.objects.get(pk=batch_id)
    return batch if batch.chunks_committed >= chunks else None


def assert_counts_match_what_was_committed(batch: ImportBatch) -> None:
    rows = [row for part in batch.report_parts.order_by("index") for row in part.rows]
    assert batch.report_parts.count() == batch.chunks_committed
    assert batch.records_done == len(rows) == min(batch.chunks_committed * services.CHUNK, RECORDS)
    imported = [row["article_id"] for row in rows if row["outcome"] == "new"]
    assert batch.imported == len(imported) == Article.objects.filter(import_batch=batch).count()
    assert sorted(imported) == sorted(Article.objects.filter(import_batch=batch).values_list("pk", flat=True))


def assert_every_record_imported_once(batch: ImportBatch, previewed: tuple) -> None:
    assert (batch.imported, batch.duplicates, batch.rejected, batch.records_done) == previewed
    hashes = list(Article.objects.values_list("content_hash", flat=True))
    assert len(hashes) == len(set(hashes)) == RECORDS
    assert_counts_match_what_was_committed(batch)


def test_an_import_whose_worker_is_killed_is_resumed_by_the_next_worker(env, tmp_path, roles, admin_user):
    batch, previewed = confirmed_upload(admin_user)
    first = worker(env, tmp_path / "first.log")
    try:
        wait_for(lambda: committed(batch.pk, 3), "three chunks committed", log=first.log)
    finally:
        first.kill()
    batch.refresh_from_db()
    assert batch.status == "running" and 3 <= batch.chunks_committed < RECORDS // services.CHUNK
    assert_counts_match_what_was_committed(batch)
    killed_task = DBTaskResult.objects.get(pk=batch.task_id)
    assert killed_task.status == TaskResultStatus.RUNNING  # nobody is left to say otherwise

    started = time.monotonic()
    second = worker(env, tmp_path / "second.log")
    try:
        done = wait_for(
            lambda: ImportBatch.objects.filter(pk=batch.pk, status="done").first(), "the import done", log=second.log
        )
    finally:
        second.kill(signal.SIGTERM)
    assert time.monotonic() - started < 60
    assert (done.attempts, done.runner, done.failure) == (1, "", "")
    assert_every_record_imported_once(done, previewed)
    killed_task.refresh_from_db()
    assert (killed_task.status, killed_task.exception_class_path) == (
        TaskResultStatus.FAILED,
        "workbench.leases.WorkerVanished",
    )
    assert DBTaskResult.objects.get(pk=done.task_id).status == TaskResultStatus.SUCCESSFUL
    assert f"Import #{batch.pk}: its worker stopped; resumed after record" in second.log.read_text()


def test_an_import_whose_connection_is_killed_fails_with_its_counts_and_resumes_on_request(
    env, tmp_path, roles, admin_user
):
    batch, previewed = confirmed_upload(admin_user)
    running = worker(env, tmp_path / "worker.log")
    try:
        wait_for(lambda: committed(batch.pk, 3), "three chunks committed", log=running.log)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        failed = wait_for(
            lambda: ImportBatch.objects.filter(pk=batch.pk, status="failed").first(),
            "the import failed",
            log=running.log,
        )
        assert failed.failure.startswith(f"The import stopped after {failed.records_done:,} records: ")
        assert_counts_match_what_was_committed(failed)
        assert DBTaskResult.objects.get(pk=failed.task_id).status == TaskResultStatus.FAILED

        assert services.import_batch_resumable(failed)
        services.import_batch_confirm(batch=failed, user=admin_user)
        leases.enqueue(tasks.run_import, failed)
        done = wait_for(
            lambda: ImportBatch.objects.filter(pk=batch.pk, status="done").first(), "the import done", log=running.log
        )
    finally:
        running.kill(signal.SIGTERM)
    assert done.failure == ""
    assert_every_record_imported_once(done, previewed)


def test_a_killed_command_line_import_is_failed_by_the_sweep_and_the_same_command_completes_it(env, tmp_path):
    source = tmp_path / "feed.jsonl"
    source.write_bytes(feed())
    command = Process(env, tmp_path / "import.log", "import_articles", str(source))
    try:
        wait_for(
            lambda: ImportBatch.objects.filter(chunks_committed__gte=3).first(),
            "three chunks committed",
            log=command.log,
        )
    finally:
        command.kill()
    batch = ImportBatch.objects.get()
    assert batch.status == "running" and batch.runner.split(":")[1] == str(command.process.pid)
    assert_counts_match_what_was_committed(batch)

    call_command("recover_jobs")
    batch.refresh_from_db()
    assert batch.status == "failed" and f"{batch.records_done:,} records were done" in batch.failure
    assert_counts_match_what_was_committed(batch)

    call_command("import_articles", str(source))
    again = ImportBatch.objects.latest("pk")
    assert (again.status, again.imported, again.duplicates) == ("done", RECORDS - batch.imported, batch.imported)
    hashes = list(Article.objects.values_list("content_hash", flat=True))
    assert len(hashes) == len(set(hashes)) == RECORDS
