from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from workbench import backups


class Command(BaseCommand):
    help = (
        "Write a consistent snapshot of the database and of the stored files (uploads, export files) to one "
        ".tar.gz; `restore` loads it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "-o", "--output", type=Path, help="the snapshot's file (default: var/backups/workbench-<UTC time>.tar.gz)"
        )

    def handle(self, *args, output, **options):
        path = output or backups.default_path(Path(settings.BASE_DIR) / "var" / "backups")
        try:
            snapshot = backups.backup(path)
        except backups.BackupError as exc:
            raise CommandError(exc) from exc
        self.stdout.write(f"Backed up the {snapshot.database} database and {snapshot.files} files to {snapshot.path}")
