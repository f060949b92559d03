from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims.exports.bundle import verify


class Command(BaseCommand):
    help = "Check an export bundle against its manifest: says which file was altered, missing or added."

    def add_arguments(self, parser):
        parser.add_argument("bundle", type=Path)

    def handle(self, *args, bundle, **options):
        if not bundle.is_file():
            raise CommandError(f"no such file: {bundle}", returncode=2)
        with bundle.open("rb") as file:
            problems = verify(file)
        for problem in problems:
            self.stderr.write(self.style.ERROR(problem))
        if problems:
            raise CommandError(f"{bundle}: {len(problems)} problem(s); it is not as exported", returncode=1)
        self.stdout.write(f"{bundle}: every file matches the manifest's SHA-256.")
