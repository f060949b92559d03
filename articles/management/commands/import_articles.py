import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.services import collect_files, import_sources
from workbench.commands import user_named


class Command(BaseCommand):
    help = (
        "Import articles from files, folders and .zip archives: JSON objects or arrays, JSONL, CSV, HTML, "
        "plain text. Exit status: 0 when nothing was rejected, 1 when something was (the rest is imported), "
        "2 for a usage error."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, help="files or folders to import")
        parser.add_argument("--user", help="username recorded as the importer")
        parser.add_argument("--dry-run", action="store_true", help="say what would happen; write nothing")
        parser.add_argument("--report", type=Path, help="write the per-record outcome as JSON here")

    def handle(self, *args, paths, user, dry_run, report, verbosity, **options):
        missing = [str(path) for path in paths if not path.exists()]
        if missing:
            raise CommandError(f"no such file or folder: {', '.join(missing)}", returncode=2)
        importer = user_named(user)

        outcome = import_sources(sources=collect_files(paths), user=importer, dry_run=dry_run)

        if verbosity > 1:
            for item in outcome.imported:
                self.stdout.write(f"{'new' if dry_run else 'imported'}  {_place(item)}: {item['title']}")
            for item in outcome.duplicates:
                self.stdout.write(f"duplicate {_place(item)}: of article {item['article_id']}")
        for item in outcome.warnings:
            self.stderr.write(f"warning   {_place(item)}: {item['warning']}")
        for item in outcome.rejected:
            self.stderr.write(self.style.ERROR(f"rejected  {_place(item)}: {item['error']}"))
        if report:
            report.write_text(json.dumps(outcome.as_dict(), indent=2, ensure_ascii=False))
        nothing_new = "" if outcome.imported else " (nothing new)"
        self.stdout.write(outcome.summary(dry_run=dry_run) + nothing_new + (" [dry run: nothing written]" if dry_run else ""))
        if outcome.rejected:
            raise CommandError(f"{len(outcome.rejected)} record(s) rejected", returncode=1)


def _place(item: dict) -> str:
    return item["file"] + (f" #{item['record']}" if item.get("record") else "")
