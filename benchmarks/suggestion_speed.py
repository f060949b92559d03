"""Suggestion speed on a newsroom-sized corpus, as ratios against the target and baselines of the same run.

For claims drawn from the corpus (a fixed seed), `suggestions_for_claim` is timed as the claim page
would call it: the claim's quote and wording searched in the database's full-text index, scored,
its own article and linked passages left out. Targets (issue 13): the 95th percentile under 150 ms
with 10,000 articles on PostgreSQL (p95 / 150 ms at most 1.0). Two baselines measured in turns with
it: a primary-key fetch of the claim (the floor of any database read) and the claim page without
suggestions; the claim page with suggestions is the sum, against the admin's change page of the
same claim, whose ratio benchmarks/pages.py holds to 1.0 (reported here, no target: the panel that
shows them is drawn by another module).

    DATABASE_URL=... .venv/bin/python benchmarks/suggestion_speed.py [--claims 100]

It needs a corpus in that database (`manage.py generate_corpus --articles 10000`). It only reads,
apart from a superuser of its own it creates once. It exits with status 1 when the target is missed.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if not os.environ.get("DATABASE_URL"):
    sys.exit("Set DATABASE_URL to the database that holds the corpus.")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-" + "x" * 40)
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ["SECURE_SSL_REDIRECT"] = "false"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from articles.models import Article, Passage  # noqa: E402
from claims import semantic  # noqa: E402
from claims.models import Claim  # noqa: E402
from claims.suggestions import suggestions_for_claim  # noqa: E402

TARGET_MS = 150


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(action, *args) -> float:
    started = time.perf_counter()
    action(*args)
    return (time.perf_counter() - started) * 1000


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=int, default=100, help="claims drawn from the corpus (default 100)")
    count = parser.parse_args().claims
    articles, passages = Article.objects.current().count(), Passage.objects.count()
    highest = Claim.objects.order_by("-pk").values_list("pk", flat=True).first()
    if not highest:
        sys.exit("The database holds no claims: make a corpus first (manage.py generate_corpus).")
    rng = random.Random(13)
    ids = list(
        Claim.objects.filter(pk__in=[rng.randint(1, highest) for _ in range(count * 2)]).values_list("pk", flat=True)
    )[:count]
    claims = list(Claim.objects.select_related("article").defer("article__raw").filter(pk__in=ids))
    print(
        f"database: {connection.vendor}; {articles:,} current articles, {passages:,} passages; "
        f"{len(claims)} claims, each asked twice, in turns with the baselines"
    )
    browser = client()
    suggesting, fetching, pages, admin_pages, found = [], [], [], [], []
    suggested = set()
    for claim in claims:  # warm-up: the first read of each index page from disk is not what we measure
        suggested.update(s.passage.article_id for s in suggestions_for_claim(claim)[:1])
    if semantic.mode() == "semantic":
        # As once the background job has reached them: each claim's best article has its meaning stored, so
        # the query's own text is embedded and the stored vectors read, the semantic path's whole cost.
        embedded = sum(semantic.embed_passages(articles=suggested))
        print(f"semantic mode: {embedded:,} passages of {len(suggested)} suggested articles embedded first")
    for _ in range(2):
        for claim in claims:
            fetching.append(timed(Claim.objects.only("pk").filter(pk=claim.pk).first))
            # Each as the first request for the claim: its text embedded anew.
            semantic.forget(claim.quote, claim.wording.strip() or claim.quote)
            started = time.perf_counter()
            found.append(len(suggestions_for_claim(claim)))
            suggesting.append((time.perf_counter() - started) * 1000)
    for claim in claims[:20]:
        pages.append(timed(browser.get, f"/claims/{claim.pk}/"))
        admin_pages.append(timed(browser.get, f"/admin/claims/claim/{claim.pk}/change/"))
    with CaptureQueriesContext(connection) as queries:
        suggestions_for_claim(claims[0])

    p50, p95 = statistics.median(suggesting), percentile(suggesting, 0.95)
    fetch = statistics.median(fetching)
    page, admin = statistics.median(pages), statistics.median(admin_pages)
    ratio = p95 / TARGET_MS
    print(
        f"suggestions_for_claim: median {p50:.1f} ms, p95 {p95:.1f} ms, {len(queries)} queries, "
        f"{statistics.mean(found):.1f} suggestions on average"
    )
    print(f"p95 / {TARGET_MS} ms target: {ratio:.2f} (target: at most 1.00) {'OK' if ratio <= 1 else 'OVER TARGET'}")
    print(f"median / primary-key fetch ({fetch:.2f} ms): {p50 / fetch:.0f}x")
    print(
        f"claim page {page:.1f} ms, admin change page {admin:.1f} ms: page / admin {page / admin:.2f}; "
        f"with suggestions added (page + median) / admin {(page + p50) / admin:.2f} (reported, no target here)"
    )
    return 0 if ratio <= 1 else 1


if __name__ == "__main__":
    sys.exit(main())
