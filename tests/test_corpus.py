"""`manage.py generate_corpus`: a realistic corpus, the same for the same seed, that the workbench's own
rules accept and its pages read."""

import json
import statistics
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count, F
from django.urls import reverse

from articles.models import Article, ImportBatch, Passage
from claims import basis
from claims.anchoring import anchor_at
from claims.corpus import Sizes, benchmark_targets, generate
from claims.history import fold
from claims.models import Claim, ClaimSet, EvidenceLink
from claims.rules import evidence_blockers
from workbench import roles

SMALL = Sizes(articles=30, claims=400)


@pytest.fixture
def corpus(db):
    return generate(SMALL)


def content() -> dict:
    """What the corpus says, without the ids a database hands out."""
    claims = Claim.objects.order_by("uid").select_related("article", "created_by", "reviewed_by")
    links = EvidenceLink.objects.order_by("claim__uid", "added_at").select_related("passage__article")
    return {
        "articles": list(
            Article.objects.order_by("origin_file", "origin_record").values_list("title", "publisher", "body")
        ),
        "claims": [
            (
                c.uid,
                c.article.title,
                c.quote,
                c.start,
                c.end,
                c.wording,
                c.status,
                c.created_by.username,
                c.reviewed_by.username if c.reviewed_by else None,
                c.created_at,
                c.review_reason,
                sorted(c.tags.values_list("name", flat=True)),
            )
            for c in claims
        ],
        "links": [
            (link.stance, link.url, link.passage.text if link.passage else None, link.added_at) for link in links
        ],
        "history": Counter(Claim.history.values_list("history_type", "status", "history_date")),
        "sets": list(ClaimSet.objects.order_by("name").values_list("name", "owner__username", "claims__uid")),
    }


def links_of(claim: Claim) -> list[EvidenceLink]:
    return list(claim.evidence.select_related("passage__article"))


@pytest.mark.django_db
def test_the_same_seed_and_sizes_make_the_same_corpus_and_another_seed_another():
    made = []
    for seed in (SMALL.seed, SMALL.seed, 7):
        with transaction.atomic():
            generate(Sizes(articles=SMALL.articles, claims=SMALL.claims, seed=seed))
            made.append(content())
            transaction.set_rollback(True)  # a fresh, empty database for the next run
    assert made[0] == made[1]
    assert made[0]["claims"] != made[2]["claims"]
    assert len(made[0]["claims"]) == SMALL.claims


def test_every_claim_is_anchored_where_its_quote_is(corpus):
    for claim in Claim.objects.select_related("article"):
        body = claim.article.body
        assert body[claim.start : claim.end] == claim.quote
        anchor = anchor_at(body, claim.start, claim.end)
        assert (anchor.prefix, anchor.suffix) == (claim.prefix, claim.suffix)


def test_every_judged_claim_meets_the_rules_and_its_basis_shows_no_drift(corpus):
    statuses = Counter(Claim.objects.values_list("status", flat=True))
    assert all(statuses[status] for status in Claim.Status.values), statuses
    for claim in Claim.objects.exclude(status=Claim.Status.OPEN).select_related("reviewed_by"):
        links = links_of(claim)
        assert claim.reviewed_by_id != claim.created_by_id  # four eyes
        assert claim.reviewed_by.groups.filter(name=roles.REVIEWER).exists()
        if claim.status == Claim.Status.REVIEW:
            found = basis.drifts(claim.verdict_basis, claim, links)
            assert found and claim.needs_review and claim.review_reason == basis.reasons(found)
            continue
        assert evidence_blockers(links=links, status=claim.status, rationale=claim.verdict_rationale) == []
        assert basis.drifts(claim.verdict_basis, claim, links) == []
        assert claim.verdict_basis["status"] == claim.status
    assert not Claim.objects.filter(status=Claim.Status.OPEN, verdict_basis__isnull=False).exists()


def test_claims_are_skewed_and_the_benchmarks_find_their_pages(corpus):
    per_article = sorted(Claim.objects.values_list("article").annotate(n=Count("id")).values_list("n", flat=True))
    assert per_article[-1] == 200 and statistics.median(per_article) <= 20
    targets = benchmark_targets()
    assert Article.objects.get(pk=targets["article with 200 claims"]).claims.count() == 200
    assert Article.objects.get(pk=targets["article with 10 claims"]).claims.count() == 10
    assert Claim.objects.get(pk=targets["claim with 2 links"]).evidence.count() == 2
    assert Claim.objects.get(pk=targets["claim with 20 links"]).evidence.count() == 20
    assert corpus.targets == targets
    links = EvidenceLink.objects.count()
    assert 1.5 <= links / SMALL.claims <= 3
    assert EvidenceLink.objects.exclude(url="").exists() and EvidenceLink.objects.filter(url="").exists()
    assert not EvidenceLink.objects.filter(passage__article=F("claim__article")).exists()


def test_articles_come_as_imports_do_with_passages_where_claims_need_them(corpus):
    assert Article.objects.count() == SMALL.articles
    assert Article.objects.filter(publisher="").exists() or SMALL.articles < 50
    lengths = [len(body) for body in Article.objects.values_list("body", flat=True)]
    assert min(lengths) < 12_000 < max(lengths)
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.DONE and batch.imported == SMALL.articles
    assert batch.report_parts.get().rows[0]["article_id"] == Article.objects.get(origin_record=1).pk
    assert not Article.objects.filter(claims__isnull=False, passages__isnull=True).exists()
    cited = EvidenceLink.objects.filter(passage__isnull=False).values("passage__article")
    assert Passage.objects.filter(article__in=cited).exists()
    history = Article.history.filter(history_type="+")
    assert history.count() == SMALL.articles
    assert {(r.history_user.username, r.history_channel) for r in history} == {("corpus-admin", "import")}


def test_every_claim_has_its_story_in_order_ending_as_the_claim_is(corpus):
    User = get_user_model()
    names = dict(User.objects.values_list("pk", "username"))
    for claim in Claim.objects.select_related("article"):
        records = list(claim.history.order_by("history_date", "history_id"))
        assert records[0].history_type == "+" and records[0].history_date == claim.created_at
        assert records[0].history_date > claim.article.imported_at
        assert [r.history_id for r in sorted(records, key=lambda r: r.history_date)] == [r.history_id for r in records]
        last = records[-1]
        assert (last.version, last.status, last.wording, last.verdict_basis) == (
            claim.version,
            claim.status,
            claim.wording,
            claim.verdict_basis,
        )
        assert names[records[0].history_user_id] == claim.created_by.username
        assert {r.history_channel for r in records} == {"web"}
    assert EvidenceLink.history.filter(history_type="+").count() == EvidenceLink.objects.count()
    assert ClaimSet.history.filter(history_type="~").exists()


def test_the_activity_feed_folds_the_corpus_history_as_it_folds_what_the_services_write(corpus):
    """The tags set after a save, and a version bump for each source linked, are told with their change."""
    tagged, stories = set(Claim.objects.filter(tags__isnull=False).values_list("pk", flat=True)), set()
    for claim in Claim.objects.all():
        records = list(claim.history.order_by("history_date", "history_id"))
        stored = [r.history_folded for r in records]
        fold(records)
        assert stored == [r.history_folded for r in records], claim.pk
        stories |= {claim.pk} if any(stored) else set()
    assert tagged and stories >= tagged  # each had its tags set after it was tagged: one change with the tagging


def test_it_refuses_a_database_that_already_holds_articles(corpus):
    with pytest.raises(CommandError, match="already holds 30 articles and 400 claims"):
        call_command("generate_corpus", "--articles", "5", "--claims", "5")


def test_it_says_what_it_made_and_where_the_benchmark_pages_are(db, capsys):
    call_command("generate_corpus", "--articles", "12", "--claims", "60")
    out = capsys.readouterr().out
    assert "claims_claim" in out and "60" in out
    assert f"article with 10 claims: {benchmark_targets()['article with 10 claims']}" in out


def test_the_jsonl_mode_still_writes_articles_for_the_import_benchmark(tmp_path, capsys):
    path = tmp_path / "corpus.jsonl"
    call_command("generate_corpus", "-n", "5", "-o", str(path))
    records = [json.loads(line) for line in path.read_text().splitlines()]
    assert len(records) == 5 and all(2_500 < len(record["text"]) < 5_000 for record in records)
    assert "5 articles" in capsys.readouterr().out
    with pytest.raises(CommandError, match="--claims goes to the database"):
        call_command("generate_corpus", "-n", "5", "-o", str(path), "--claims", "3")


def test_its_pages_read_the_corpus(corpus, client):
    client.force_login(get_user_model().objects.get(username="corpus-reviewer-1"))
    targets = corpus.targets
    review = Claim.objects.filter(status=Claim.Status.REVIEW).first()
    pages = [
        reverse("claims:list"),
        reverse("claims:detail", args=[targets["claim with 20 links"]]),
        reverse("claims:detail", args=[review.pk]),
        reverse("articles:detail", args=[targets["article with 200 claims"]]),
        reverse("activity"),
        reverse("claims:sets"),
    ]
    for url in pages:
        assert client.get(url).status_code == 200, url
    picked = ClaimSet.objects.filter(claims__isnull=False).select_related("owner").first()
    client.force_login(picked.owner)
    assert client.get(reverse("claims:set-detail", args=[picked.pk])).status_code == 200
    story = client.get(reverse("claims:detail", args=[review.pk])).content.decode()
    assert "tagged the claim" in story and ("no longer stands" in story or "stood on" in story)
    activity = client.get(reverse("activity")).content.decode()
    assert "corpus-" in activity and "needs review" in activity


def test_it_leaves_the_planner_statistics_of_what_it_wrote(corpus):
    # The passage search tells common words from PostgreSQL's statistics: a fresh corpus must have them.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = 'articles_passage' AND attname = 'search'")
        else:
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'articles_passage'")
        assert cursor.fetchone()[0] >= 1
