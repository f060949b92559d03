from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.reports import DUPLICATE, NEW, REJECTED, report_json
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

        for row in outcome.rows():
            place = row["file"] + (f" #{row['record']}" if row["record"] else "")
            if verbosity > 1 and row["outcome"] == NEW:
                self.stdout.write(f"{'new' if dry_run else 'imported'}  {place}: {row['title']}")
            elif verbosity > 1 and row["outcome"] == DUPLICATE:
                self.stdout.write(f"duplicate {place}: of article {row['article_id']}")
            for warning in row["warnings"]:
                self.stderr.write(f"warning   {place}: {warning}")
            if row["outcome"] == REJECTED:
                self.stderr.write(self.style.ERROR(f"rejected  {place}: {row['detail']}"))
        if report:
            with report.open("w", encoding="utf-8") as out:
                out.writelines(report_json(outcome.parts))
        nothing_new = "" if outcome.counts[NEW] else " (nothing new)"
        self.stdout.write(
            outcome.summary(dry_run=dry_run) + nothing_new + (" [dry run: nothing written]" if dry_run else "")
        )
        if outcome.counts[REJECTED]:
            raise CommandError(f"{outcome.counts[REJECTED]} record(s) rejected", returncode=1)
