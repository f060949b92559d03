import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from articles.services import collect_files, import_files


class Command(BaseCommand):
    help = "Import articles from files and folders (JSON objects or plain text)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, help="files or folders to import")
        parser.add_argument("--user", help="username recorded as the importer")
        parser.add_argument("--report", type=Path, help="write the per-record outcome as JSON here")

    def handle(self, *args, paths, user, report, verbosity, **options):
        missing = [str(path) for path in paths if not path.exists()]
        if missing:
            raise CommandError(f"no such file or folder: {', '.join(missing)}", returncode=2)
        importer = None
        if user:
            importer = get_user_model().objects.filter(username=user).first()
            if importer is None:
                raise CommandError(f"no user named {user!r}", returncode=2)

        outcome = import_files(files=collect_files(paths), user=importer)

        if verbosity > 1:
            for item in outcome.imported:
                self.stdout.write(f"imported  {item['file']} #{item['record']}: {item['title']}")
            for item in outcome.duplicates:
                self.stdout.write(f"duplicate {item['file']} #{item['record']}: article {item['article_id']}")
        for item in outcome.warnings:
            self.stderr.write(f"warning   {item['file']} #{item['record']}: {item['warning']}")
        for item in outcome.rejected:
            where = item["file"] + (f" #{item['record']}" if item["record"] else "")
            self.stderr.write(self.style.ERROR(f"rejected  {where}: {item['error']}"))
        if report:
            report.write_text(json.dumps(outcome.as_dict(), indent=2, ensure_ascii=False))
        self.stdout.write(outcome.summary() + ("" if outcome.imported else " (nothing new)"))
        if outcome.rejected:
            raise CommandError(f"{len(outcome.rejected)} record(s) rejected", returncode=1)
