import os
import sys
import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from claims.exports.services import DEFAULT_STATUSES, export_start, export_write, withheld_note
from claims.models import Claim, ClaimSet, Export
from workbench.audit import COMMAND
from workbench.commands import user_named


class Command(BaseCommand):
    help = (
        "Export claims (verified ones unless --status says otherwise), all of them or a claim set's, "
        "as CSV, JSON, JSON Lines, schema.org ClaimReview, W3C Web Annotation or a bundle of them all. "
        "Every export is recorded."
    )

    def add_arguments(self, parser):
        parser.add_argument("--set", dest="set_name", help="the claim set to export (by name)")
        parser.add_argument(
            "--status",
            action="extend",
            nargs="+",
            choices=Claim.Status.values,
            help="statuses to include (default: verified)",
        )
        parser.add_argument("--format", required=True, choices=Export.Format.values)
        parser.add_argument("-o", "--output", required=True, help="file to write, or - for standard output")
        parser.add_argument("--user", help="username recorded as the exporter")

    def handle(self, *args, set_name, status, format, output, user, **options):
        claim_set = None
        if set_name:
            claim_set = ClaimSet.objects.filter(name__iexact=set_name).first()
            if claim_set is None:
                names = ", ".join(ClaimSet.objects.values_list("name", flat=True)) or "none yet"
                raise CommandError(f"no claim set named {set_name!r} (sets: {names})", returncode=2)
        exporter = user_named(user)
        try:
            export = export_start(
                export_format=format,
                user=exporter,
                channel=COMMAND,
                claim_set=claim_set,
                statuses=status or list(DEFAULT_STATUSES),
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages), returncode=2) from error

        if output == "-":
            export_write(export, sys.stdout.buffer)
            sys.stdout.buffer.flush()
            report = self.stderr
        else:
            _write_whole(export, Path(output))
            report = self.stdout
        report.write(
            f"Exported {export.claim_count} claim(s) ({', '.join(export.statuses)}) as {format}"
            f"{' to ' + output if output != '-' else ''}; SHA-256 {export.sha256} (export {export.pk})."
        )
        if export.withheld:
            report.write(withheld_note(export.withheld))


def _write_whole(export: Export, path: Path) -> None:
    """Write beside the target and move into place: a failed export leaves no half-written file."""
    if not path.parent.is_dir():
        raise CommandError(f"no such folder: {path.parent}", returncode=2)
    fd, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        with os.fdopen(fd, "wb") as out:
            export_write(export, out)
        os.replace(partial, path)
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
