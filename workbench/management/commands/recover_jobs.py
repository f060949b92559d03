from django.core.management.base import BaseCommand

from workbench import leases


class Command(BaseCommand):
    help = (
        "Resume or fail the imports, exports and background tasks whose process vanished (a kill, a lost "
        "connection, a restart). Every db_worker does this by itself; run it on a schedule where none runs."
    )

    def handle(self, *args, **options):
        lines = leases.sweep()
        for line in lines:
            self.stdout.write(line)
        if not lines:
            self.stdout.write("No abandoned job.")
