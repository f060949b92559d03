from pathlib import Path

from django.core.management.base import BaseCommand

from articles.corpus import write_jsonl


class Command(BaseCommand):
    help = "Write a deterministic JSONL corpus of realistic articles (about 3 KB each) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", type=Path, required=True, help="the .jsonl file to write")
        parser.add_argument("-n", "--articles", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=2017, help="the same seed gives the same corpus")

    def handle(self, *args, output, articles, seed, **options):
        size = write_jsonl(output, articles, seed=seed)
        self.stdout.write(f"{articles:,} articles, {size:,} bytes written to {output}")
