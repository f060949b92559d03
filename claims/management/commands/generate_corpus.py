from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.corpus import write_jsonl
from claims import corpus


class Command(BaseCommand):
    help = (
        "Fill an empty database with a realistic corpus (articles, passages, claims, sources, verdicts, claim sets "
        "and their history), or with -o write a JSONL file of articles (about 3 KB each); the same seed and sizes "
        "give the same content."
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", type=Path, help="write the articles to this .jsonl file instead")
        parser.add_argument("-n", "--articles", type=int, default=10_000)
        parser.add_argument("--claims", type=int, help="claims in the database (default: five per article)")
        parser.add_argument("--seed", type=int, default=2017, help="the same seed gives the same corpus")

    def handle(self, *args, output, articles, claims, seed, verbosity, **options):
        self.verbosity = verbosity
        if output:
            if claims is not None:
                raise CommandError("--claims goes to the database: leave out -o, or leave out --claims.")
            size = write_jsonl(output, articles, seed=seed)
            self.stdout.write(f"{articles:,} articles, {size:,} bytes written to {output}")
            return
        if reason := corpus.refusal():
            raise CommandError(reason)
        sizes = corpus.Sizes(articles=articles, claims=articles * 5 if claims is None else claims, seed=seed)
        try:
            made = corpus.generate(sizes, progress=self._progress)
        except ValueError as exc:
            raise CommandError(exc) from exc
        width = max(map(len, made.by_table))
        for table, count in made.by_table.items():
            self.stdout.write(f"{table:<{width}}  {count:>12,}")
        for what, pk in made.targets.items():
            self.stdout.write(f"{what}: {pk if pk is not None else 'none'}")

    def _progress(self, done: int, total: int) -> None:
        if self.verbosity > 1 or done == total:
            self.stderr.write(f"{done:,} of {total:,} articles written, with their claims")
