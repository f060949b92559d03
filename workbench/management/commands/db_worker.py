"""django_tasks_db's worker, which also recovers abandoned jobs (`workbench.leases`): once as it starts,
then every few seconds from a thread of its own. Its worker id names its host and process, so that the
next worker on the machine knows at once when it is gone."""

import threading

from django_tasks_db.management.commands import db_worker

from workbench import leases


class Command(db_worker.Command):
    help = "Run a database background worker that also resumes or fails the jobs of workers that vanished"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(worker_id=leases.runner_id())

    def handle(self, *args, **options):
        for line in leases.sweep():
            self.stdout.write(line)
        stopped = threading.Event()
        threading.Thread(target=leases.sweeping, args=(stopped.is_set,), daemon=True, name="sweeper").start()
        try:
            super().handle(*args, **options)
        finally:
            stopped.set()
