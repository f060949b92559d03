import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims.exports.annotation_import import import_document
from claims.exports.importing import ImportRefused
from workbench.commands import user_named


class Command(BaseCommand):
    help = (
        "Import a Workbench JSON export (export_claims --format json): its articles, claims, anchors, "
        "evidence and verdicts; or W3C Web Annotations or Hypothesis annotations, as open claims on the "
        "articles they target (--user, who tags them, is needed). Importing the same file again changes "
        "nothing. Exit status 1 when a record was rejected (the others are imported), 2 when the file "
        "cannot be read."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", help="username recorded as the importer")

    def handle(self, *args, file, user, **options):
        importer = user_named(user)
        try:
            document = json.loads(file.read_bytes())
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error.strerror}", returncode=2) from error
        except ValueError as error:
            raise CommandError(f"{file} is not valid JSON: {error}", returncode=2) from error
        try:
            outcome = import_document(document, user=importer, origin=file.name)
        except ImportRefused as error:
            raise CommandError(f"{file}: {error}", returncode=2) from error
        for problem in outcome.rejected:
            self.stderr.write(self.style.ERROR(f"rejected  {problem}"))
        for note in outcome.notes:
            self.stdout.write(f"note      {note}")
        self.stdout.write(outcome.summary())
        if outcome.rejected:
            raise CommandError(f"{len(outcome.rejected)} record(s) rejected", returncode=1)
