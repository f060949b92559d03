from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from workbench import backups


class Command(BaseCommand):
    help = (
        "Replace the database with a snapshot made by `backup` and write its files back. Stop the app servers "
        "and workers first: everything written since the snapshot is replaced."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="a snapshot made by `manage.py backup`")
        parser.add_argument("--no-input", action="store_false", dest="interactive", help="do not ask to confirm")

    def handle(self, *args, file, interactive, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        if interactive:
            answer = input(f"This replaces everything in the database with {file}. Type 'yes' to go on: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled: nothing was changed.")
        try:
            snapshot = backups.restore(file)
        except backups.BackupError as exc:
            raise CommandError(exc) from exc
        self.stdout.write(f"Restored the {snapshot.database} database and {snapshot.files} files from {file}")
