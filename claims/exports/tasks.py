"""Background exports, run by `manage.py db_worker` (immediately, in tests)."""

from django_tasks import task

from claims.exports import services


@task()
def run_export(export_id: int) -> None:
    services.export_run(export_id)
