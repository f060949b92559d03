"""Export speed and memory, as ratios against a baseline measured in the same run.

Every claim of the corpus in the database goes out through the real door (`export_start` and
`export_write`, as `manage.py export_claims` runs them: the Export record, its progress, its checksum),
as CSV, JSON and ClaimReview, into a file that is thrown away. The baseline, on PostgreSQL, is the
database's own `COPY (SELECT ...) TO STDOUT` of the CSV's columns (its tags and source URLs aggregated per
claim). Targets: CSV at most 3 times the COPY, and the CSV's peak Python memory the same (within 1.5x)
for the first 10,000 claims and for all of them. JSON and ClaimReview are timed against the same COPY,
with no target. On SQLite, which has no COPY, the times are printed alone.

    DATABASE_URL=... .venv/bin/python benchmarks/export_speed.py

It needs a corpus in that database (`make bench` makes one). It adds Export records, nothing else.
"""

import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if not os.environ.get("DATABASE_URL"):
    sys.exit("Set DATABASE_URL to the database that holds the corpus (make bench does).")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-" + "x" * 40)

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from claims.exports.context import build_context  # noqa: E402
from claims.exports.csv import render  # noqa: E402
from claims.exports.records import csv_records  # noqa: E402
from claims.exports.services import export_start, export_write  # noqa: E402
from claims.models import Claim, Export  # noqa: E402
from workbench.audit import COMMAND  # noqa: E402

SMALL = 10_000
CSV_TARGET, MEMORY_TARGET = 3.0, 1.5
COPY = """COPY (
  SELECT c.id, c.uid, c.wording, c.quote, c.status, c.verdict_rationale, r.username, c.reviewed_at, tg.names,
    a.title, a.url, a.publisher, a.published_at, ev.sn, ev.su, ev.cn, ev.cu, ev.xn, ev.xu
  FROM claims_claim c JOIN articles_article a ON a.id = c.article_id
  LEFT JOIN auth_user r ON r.id = c.reviewed_by_id
  LEFT JOIN LATERAL (
    SELECT string_agg(t.name, ', ') AS names FROM claims_claim_tags ct JOIN claims_tag t ON t.id = ct.tag_id
    WHERE ct.claim_id = c.id) tg ON true
  LEFT JOIN LATERAL (
    SELECT count(*) FILTER (WHERE e.stance = 'supports') sn,
      string_agg(coalesce(nullif(sa.url, ''), e.url), ' ') FILTER (WHERE e.stance = 'supports') su,
      count(*) FILTER (WHERE e.stance = 'contradicts') cn,
      string_agg(coalesce(nullif(sa.url, ''), e.url), ' ') FILTER (WHERE e.stance = 'contradicts') cu,
      count(*) FILTER (WHERE e.stance = 'context') xn,
      string_agg(coalesce(nullif(sa.url, ''), e.url), ' ') FILTER (WHERE e.stance = 'context') xu
    FROM claims_evidencelink e LEFT JOIN articles_passage p ON p.id = e.passage_id
    LEFT JOIN articles_article sa ON sa.id = p.article_id WHERE e.claim_id = c.id) ev ON true
  ORDER BY c.id
) TO STDOUT WITH (FORMAT csv, HEADER)"""


def copy() -> tuple[float, int]:
    size, started = 0, time.perf_counter()
    with connection.cursor() as cursor, cursor.cursor.copy(COPY) as out:
        for data in out:
            size += len(data)
    return time.perf_counter() - started, size


def export(export_format: str) -> tuple[float, int, int]:
    started = time.perf_counter()
    record = export_start(export_format=export_format, user=None, channel=COMMAND, statuses=list(Claim.Status.values))
    with tempfile.TemporaryFile() as out:
        export_write(record, out)
        size = out.tell()
    return time.perf_counter() - started, size, record.claim_count


def csv_peak(claims) -> int:
    """Peak Python memory while the CSV of these claims is written out and thrown away."""
    context = build_context(claims, base_url="http://127.0.0.1:8000", statuses=list(Claim.Status.values))
    tracemalloc.start()
    for _ in render(csv_records(claims, base_url=context.base_url), context):
        pass
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def main() -> int:
    postgres = connection.vendor == "postgresql"
    total = Claim.objects.count()
    print(f"{connection.vendor}: exporting all {total:,} claims")
    baseline = None
    if postgres:
        copy()  # warm the database's cache for both
        baseline, size = copy()
        print(f"  COPY ... TO STDOUT: {baseline:.2f} s, {size / 2**20:.1f} MiB")
    missed = []
    for export_format in (Export.Format.CSV, Export.Format.JSON, Export.Format.CLAIMREVIEW):
        elapsed, size, count = export(export_format)
        line = f"  {export_format.label}: {elapsed:.2f} s, {size / 2**20:.1f} MiB, {count:,} claims"
        if baseline:
            ratio = elapsed / baseline
            line += f"; ratio to COPY {ratio:.2f}"
            if export_format == Export.Format.CSV:
                met = ratio <= CSV_TARGET
                line += f" (target ≤ {CSV_TARGET:.0f}: {'met' if met else 'MISSED'})"
                missed += [] if met else ["CSV speed"]
        print(line)
    first = Claim.objects.filter(pk__lte=Claim.objects.order_by("pk").values_list("pk", flat=True)[SMALL - 1])
    small, whole = csv_peak(first), csv_peak(Claim.objects.all())
    ratio = whole / small
    met = ratio <= MEMORY_TARGET
    missed += [] if met else ["CSV memory"]
    print(
        f"  CSV peak memory: {small / 2**20:.1f} MiB for {SMALL:,} claims, {whole / 2**20:.1f} MiB for "
        f"{total:,}: x{ratio:.2f} (target ≤ {MEMORY_TARGET}: {'met' if met else 'MISSED'})"
    )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
