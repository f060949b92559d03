"""Import speed and memory, as ratios against a baseline measured in the same run.

One JSONL file of N generated articles (about 3 KB each, `manage.py generate_corpus`) goes through the
real importer: streaming parse, cleaning, duplicate and version checks, batched writes of articles,
their history and the report, a part per batch, and the job per batch that writes their passages.
The passages themselves are written by that job right after each batch commits (a `db_worker`): their
writing, the same work, is timed on its own and reported beside the import (no target of its own).
The baseline is a bare `bulk_create` of the same rows, parsed with `json.loads` and nothing else.
Target: the import takes at most 3 times the baseline, and its peak memory does not grow with the
size of the file.

    .venv/bin/python benchmarks/import_speed.py [--articles 10000]

It uses a throwaway SQLite database unless DATABASE_URL is set (then that database is used and emptied).
"""

import argparse
import copy
import gc
import hashlib
import json
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORKDIR = Path(tempfile.mkdtemp(prefix="workbench-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{WORKDIR / 'bench.sqlite3'}")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from articles.corpus import write_jsonl  # noqa: E402
from articles.importers import Source  # noqa: E402
from articles.models import Article, ImportBatch, Passage  # noqa: E402
from articles.passages import ensure_passages  # noqa: E402
from articles.services import import_sources  # noqa: E402

BATCH = 500
HISTORY_FIELDS = [f.attname for f in Article._meta.concrete_fields if f.name not in ("body", "raw")]


def empty_database() -> None:
    Article.history.all().delete()
    Article.objects.all().delete()
    ImportBatch.objects.all().delete()


def bare_insert(path: Path) -> None:
    """The floor: the same rows, parsed with json.loads and written with bulk_create, nothing else."""
    with path.open("rb") as lines:
        rows = []
        for number, line in enumerate(lines, 1):
            record = json.loads(line)
            rows.append(
                Article(
                    title=record["title"],
                    url=record["url"],
                    publisher=record["publisher"],
                    body=record["text"],
                    raw=line,
                    content_hash=hashlib.sha256(record["text"].encode()).hexdigest(),
                    origin_file=path.name,
                    origin_record=number,
                )
            )
            if len(rows) == BATCH:
                with transaction.atomic():
                    Article.objects.bulk_create(rows)
                rows = []
        with transaction.atomic():
            Article.objects.bulk_create(rows)


def every_row(path: Path) -> list:
    """All the rows an import writes (articles and their history), built before timing."""
    articles = []
    with path.open("rb") as lines:
        for number, line in enumerate(lines, 1):
            record = json.loads(line)
            articles.append(
                Article(
                    title=record["title"],
                    url=record["url"],
                    publisher=record["publisher"],
                    body=record["text"],
                    raw=line,
                    content_hash=hashlib.sha256(record["text"].encode()).hexdigest(),
                    origin_file=path.name,
                    origin_record=number,
                )
            )
    return articles


def bare_insert_of_every_row(articles: list) -> None:
    """Plain bulk_create of the same articles and one history row each: the data model's cost."""
    History = Article.history.model
    for start in range(0, len(articles), BATCH):
        chunk = [copy.copy(article) for article in articles[start : start + BATCH]]
        with transaction.atomic():
            Article.objects.bulk_create(chunk)
            History.objects.bulk_create(
                History(
                    **{name: getattr(a, name) for name in HISTORY_FIELDS}, history_type="+", history_date=timezone.now()
                )
                for a in chunk
            )


def full_import(path: Path) -> None:
    report = import_sources(sources=[Source.from_path(path, path.name)], user=None)
    assert not report.rejected, report.rejected[:3]


def passages_of_every_article() -> float:
    """What the passage jobs do after the import, batch by batch: seconds."""
    Passage.objects.all().delete()
    started = time.perf_counter()
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        with transaction.atomic():
            ensure_passages(list(Article.objects.filter(pk__in=ids[start : start + BATCH]).only("pk", "body")))
    return time.perf_counter() - started


def seconds(run, path: Path) -> float:
    """Wall time of one run on an empty database (no memory tracing: it would slow Python code most)."""
    empty_database()
    gc.collect()
    started = time.perf_counter()
    run(path)
    return time.perf_counter() - started


def peak_memory(run, path: Path) -> int:
    """Peak traced Python memory of one run on an empty database, in bytes."""
    empty_database()
    gc.collect()
    tracemalloc.start()
    run(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000)
    count = parser.parse_args().articles
    call_command("migrate", verbosity=0)

    large, small = WORKDIR / "large.jsonl", WORKDIR / "small.jsonl"
    size = write_jsonl(large, count)
    write_jsonl(small, max(1, count // 5))
    print(f"corpus: {count:,} articles, {size / 2**20:.1f} MiB ({size / count / 1024:.1f} KiB each) in {large}")
    print(f"database: {django.db.connection.vendor}")

    bare_seconds = min(seconds(bare_insert, large) for _ in range(2))
    rows = every_row(large)
    every_row_seconds = min(seconds(lambda _: bare_insert_of_every_row(rows), large) for _ in range(2))
    import_seconds = min(seconds(full_import, large) for _ in range(2))
    passage_seconds = passages_of_every_article()
    peak_small, peak_large = peak_memory(full_import, small), peak_memory(full_import, large)

    ratio = import_seconds / bare_seconds
    print(f"bare bulk_create : {bare_seconds:7.2f} s  {count / bare_seconds:9,.0f} articles/s")
    print(f"full import      : {import_seconds:7.2f} s  {count / import_seconds:9,.0f} articles/s")
    print(f"ratio import/bare: {ratio:7.2f}  (target: at most 3.00) {'OK' if ratio <= 3 else 'OVER TARGET'}")
    print(
        f"bare insert of every row the import writes (articles, history): {every_row_seconds:.2f} s; "
        f"import/that: {import_seconds / every_row_seconds:.2f}"
    )
    print(
        f"passages, written by the jobs right after: {passage_seconds:.2f} s; "
        f"(import + passages) / bare: {(import_seconds + passage_seconds) / bare_seconds:.2f} (reported, no target)"
    )
    print(
        f"peak memory      : {peak_small / 2**20:7.1f} MiB for {max(1, count // 5):,} articles, "
        f"{peak_large / 2**20:.1f} MiB for {count:,} (growth x{peak_large / peak_small:.2f}; flat is about x1)"
    )


if __name__ == "__main__":
    main()
