from django.core.management.base import BaseCommand, CommandError

from claims import semantic


class Command(BaseCommand):
    help = (
        "Store the sentence embeddings that current articles' passages lack (made by another model counts as "
        "lacking), in batches. New passages are embedded in the background; this backfills the rest."
    )

    def handle(self, *args, **options):
        if semantic.mode() != "semantic":
            raise CommandError("The semantic extra is not installed (pip install .[semantic]): nothing to embed.")
        done = 0
        for stored in semantic.embed_passages():
            done += stored
            if options["verbosity"] > 1:
                self.stdout.write(f"{done} passages embedded")
        self.stdout.write(f"Embedded {done} passages with {semantic.MODEL_NAME}.")
