"""Page speed at newsroom scale, as ratios against baselines served from the same database in the same run.

Each page is requested through Django's test client, in process, signed in as a superuser, with the
production settings (DEBUG off, cached templates): the time is Django's whole request, from the URL to
the last byte of the response, with no network in between. Each pair is measured in turns (ours, the
baseline, ours, ...) so that the machine's other work weighs on both alike, and the median of each is
compared:

- the claim list (page 1, a filtered page, a deep page, sorted) against the admin's changelist of the
  same claims, with the same number of rows per page (target: at most 1.0);
- a claim page with 2 and with 20 sources against the admin's change page of the same claim (1.0);
- the reader of an article with 200 claims against the reader of one with 10 (2.0);
- the activity feed at row 100,000 (or as deep as the history goes) against its first page (1.5), and its
  first page against the claim list's (1.0);
- the article list against the admin's (reported, no target).

    DATABASE_URL=... .venv/bin/python benchmarks/pages.py [--runs 9]

It needs a corpus in that database (`make bench` makes one: `manage.py generate_corpus`) and the static
files collected (`manage.py collectstatic`, which `make bench` runs). It only reads,
apart from a superuser of its own it creates once. It exits with status 1 when a target is missed.
"""

import argparse
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if not os.environ.get("DATABASE_URL"):
    sys.exit("Set DATABASE_URL to the database that holds the corpus (make bench does).")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-" + "x" * 40)
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ["SECURE_SSL_REDIRECT"] = "false"
# The admin shows 100 rows a page: the claim list shows as many, so both serve the same rows.
ROWS = 100
os.environ["WORKBENCH_CLAIMS_PER_PAGE"] = str(ROWS)

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from claims.corpus import benchmark_targets  # noqa: E402
from claims.models import Claim, EvidenceLink, Tag  # noqa: E402
from workbench.activity import Cursor, activity_feed  # noqa: E402

DEEP_CLAIM_ROW = 50_000
DEEP_ACTIVITY_ROW = 100_000


@dataclass
class Pair:
    name: str
    ours: str
    baseline: str
    target: float | None
    ours_label: str = "ours"
    baseline_label: str = "admin"


def client() -> Client:
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    if created:
        user.set_unusable_password()
        user.save()
    browser = Client()
    browser.force_login(user)
    return browser


def fetch(browser: Client, url: str) -> tuple[float, int]:
    started = time.perf_counter()
    response = browser.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return elapsed, len(body)


def queries(browser: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        fetch(browser, url)
    return len(captured)


def activity_at(row: int) -> str:
    """The activity page that starts `row` entries down (or as deep as the history goes)."""
    feed = activity_feed()
    row = max(0, min(row, feed.count() - 51))
    start = feed[row]
    return f"/activity/?older={Cursor(start['at'], start['record_id'], start['kind']).token}"


def pairs() -> list[Pair]:
    claims = Claim.objects.count()
    deep_page = max(0, min(DEEP_CLAIM_ROW, claims - ROWS)) // ROWS
    tag = Tag.objects.annotate(n=Count("claims")).order_by("-n").first()
    targets = benchmark_targets()
    if None in targets.values():
        raise SystemExit(f"The corpus lacks a page the benchmark reads: {targets}")
    reader_200, reader_10, two_links, twenty_links = targets.values()
    filtered = f"status=verified&tag={tag.name}"
    admin_filtered = f"status__exact=verified&tags__id__exact={tag.pk}"
    deep_activity = activity_at(DEEP_ACTIVITY_ROW)
    return [
        Pair("claim list, page 1", "/claims/", "/admin/claims/claim/", 1.0),
        Pair("claim list, status + tag", f"/claims/?{filtered}", f"/admin/claims/claim/?{admin_filtered}", 1.0),
        Pair(
            f"claim list, row {deep_page * ROWS:,}",
            f"/claims/?page={deep_page + 1}",
            f"/admin/claims/claim/?p={deep_page + 1}",
            1.0,
        ),
        # The admin's column 2 is the status.
        Pair("claim list, by status", "/claims/?sort=status", "/admin/claims/claim/?o=2", 1.0),
        Pair("claim page, 2 sources", f"/claims/{two_links}/", f"/admin/claims/claim/{two_links}/change/", 1.0),
        Pair("claim page, 20 sources", f"/claims/{twenty_links}/", f"/admin/claims/claim/{twenty_links}/change/", 1.0),
        Pair("reader, 200 vs 10 claims", f"/articles/{reader_200}/", f"/articles/{reader_10}/", 2.0, "200", "10"),
        Pair("activity, deep vs page 1", deep_activity, "/activity/", 1.5, "deep", "page 1"),
        Pair("activity vs claim list", "/activity/", "/claims/", 1.0, "activity", "claims"),
        Pair("article list, page 1", "/articles/", "/admin/articles/article/", None),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9, help="requests of each page (the median counts)")
    parser.add_argument("--only", default="", help="only the pages whose name contains this, e.g. 'claim page'")
    args = parser.parse_args()
    browser = client()
    vendor = connection.vendor
    print(
        f"{vendor}: {Claim.objects.count():,} claims, {EvidenceLink.objects.count():,} links, "
        f"{Claim.history.count():,} claim history rows; {args.runs} runs each, medians"
    )
    print(f"| page | ours | queries | size | baseline | queries | size | ratio | target |\n|{'---|' * 9}")
    missed = []
    for pair in (pair for pair in pairs() if args.only in pair.name):
        for url in (pair.ours, pair.baseline):  # warm: templates, connections, the database's cache
            fetch(browser, url)
        times = {pair.ours: [], pair.baseline: []}
        sizes = {}
        for _ in range(args.runs):
            for url in (pair.ours, pair.baseline):
                elapsed, sizes[url] = fetch(browser, url)
                times[url].append(elapsed)
        ours, base = statistics.median(times[pair.ours]), statistics.median(times[pair.baseline])
        ratio = ours / base
        met = pair.target is None or ratio <= pair.target
        if not met:
            missed.append(pair.name)
        target = "—" if pair.target is None else f"≤ {pair.target:.1f} {'met' if met else 'MISSED'}"
        print(
            f"| {pair.name} | {pair.ours_label} {ours * 1000:.0f} ms | {queries(browser, pair.ours)} | "
            f"{sizes[pair.ours] / 1024:.0f} KB | {pair.baseline_label} {base * 1000:.0f} ms | "
            f"{queries(browser, pair.baseline)} | {sizes[pair.baseline] / 1024:.0f} KB | {ratio:.2f} | {target} |"
        )
    print("every target met" if not missed else f"targets missed: {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
