"""Background jobs for imports, run by `manage.py db_worker` (immediately, in tests)."""

from django_tasks import task

from articles import services


@task()
def preview_import(batch_id: int) -> None:
    services.import_batch_preview(batch_id=batch_id)


@task()
def run_import(batch_id: int) -> None:
    services.import_batch_run(batch_id=batch_id)
