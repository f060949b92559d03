"""Migrations that move data keep every bit of it, both ways."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE, AFTER = [("articles", "0002_article_url_lookup")], [("articles", "0003_import_report_parts")]

REPORT = {
    "imported": [{"file": "b.zip/in/x.jsonl", "record": 2, "article_id": 7, "title": "Two"}],
    "duplicates": [{"file": "z.txt", "record": 1, "article_id": 3, "title": "One"}],
    "rejected": [{"file": "b.zip/in/x.jsonl", "record": 1, "line": 1, "error": "invalid JSON"}],
    "warnings": [{"file": "b.zip/in/x.jsonl", "record": 2, "warning": "unreadable date"}],
}
PREVIEW = [
    {
        "file": "c.csv",
        "record": 1,
        "line": None,
        "title": "Three",
        "published": None,
        "length": 12,
        "outcome": "new",
        "detail": "",
    },
    {"file": "c.csv", "record": 2, "line": 3, "outcome": "rejected", "detail": "record has no text"},
]


@pytest.fixture
def migrator(transactional_db):
    executor = MigrationExecutor(connection)
    yield executor
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def migrate(executor, target):
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def test_reports_and_previews_kept_on_batches_move_into_report_parts_and_back(migrator):
    before = migrate(migrator, BEFORE)
    Batch = before.get_model("articles", "ImportBatch")
    done = Batch.objects.create(
        channel="command",
        status="running",
        finished_at=timezone.now(),
        report=REPORT,
        files=["z.txt", "b.zip"],
        imported=1,
        duplicates=1,
        rejected=1,
    )
    previewed = Batch.objects.create(channel="admin", status="previewed", preview=PREVIEW, files=["c.csv"])

    after = migrate(migrator, AFTER)
    Part, Batch = after.get_model("articles", "ImportReportPart"), after.get_model("articles", "ImportBatch")
    rows = Part.objects.get(batch_id=done.pk).rows
    assert [(row["file"], row["record"], row["outcome"], row["article_id"]) for row in rows] == [
        ("z.txt", 1, "duplicate", 3),
        ("b.zip/in/x.jsonl", 1, "rejected", None),
        ("b.zip/in/x.jsonl", 2, "new", 7),
    ]  # in the order of the files
    assert [row["detail"] for row in rows] == ["duplicate of #3", "invalid JSON", ""]
    assert rows[2]["warnings"] == ["unreadable date"]
    assert Batch.objects.get(pk=done.pk).status == "done"
    rows = Part.objects.get(batch_id=previewed.pk).rows
    assert [(row["title"], row["length"], row["outcome"], row["warnings"]) for row in rows] == [
        ("Three", 12, "new", []),
        ("", None, "rejected", []),
    ]
    counted = Batch.objects.get(pk=previewed.pk)
    assert (counted.imported, counted.duplicates, counted.rejected) == (1, 0, 1)  # "Confirm: import 1 article"

    back = migrate(migrator, BEFORE).get_model("articles", "ImportBatch")
    restored = back.objects.get(pk=done.pk).report
    assert {kind: sorted(entries, key=str) for kind, entries in restored.items()} == {
        kind: sorted(entries, key=str) for kind, entries in REPORT.items()
    }
    assert [row["outcome"] for row in back.objects.get(pk=previewed.pk).preview] == ["new", "rejected"]


def test_claims_judged_before_verdicts_kept_their_basis_get_it_from_their_history(migrator):
    """A claim verified with two sources, one of them removed later (before this release nothing noticed):
    after the migration it needs review, with the change in its history; the untouched one stays verified."""
    before = migrate(migrator, [("claims", "0003_export_base_url")])
    User, Article = before.get_model("auth", "User"), before.get_model("articles", "Article")
    Passage, Claim = before.get_model("articles", "Passage"), before.get_model("claims", "Claim")
    Link, HistoricalLink = (
        before.get_model("claims", "EvidenceLink"),
        before.get_model("claims", "HistoricalEvidenceLink"),
    )
    HistoricalClaim = before.get_model("claims", "HistoricalClaim")
    reviewer = User.objects.create(username="old-reviewer")
    judged_at = timezone.now() - timezone.timedelta(days=30)

    def article(n: int, publisher: str):
        body = f"Article {n} says a thing."
        made = Article.objects.create(
            title=f"A{n}", body=body, raw=body.encode(), content_hash=f"h{n}", publisher=publisher, origin_file="x.txt"
        )
        return made, Passage.objects.create(article=made, index=0, start=0, end=len(body), text=body)

    def verified_claim(n: int, imported: bool = False):
        """Verified by a reviewer after its links were added; or, `imported`, created verified by an import
        that wrote its links right after it."""
        own, _ = article(n * 10, "Own")
        claim = Claim.objects.create(
            article=own,
            quote="Article",
            start=0,
            end=7,
            wording=f"Claim {n}",
            status="verified",
            reviewed_by=reviewer,
            reviewed_at=judged_at,
            created_by=reviewer,
            verdict_rationale="Two.",
            version=3,
        )
        links = []
        for m, publisher in ((1, "One"), (2, "Two")):
            _, passage = article(n * 10 + m, publisher)
            link = Link.objects.create(claim=claim, passage=passage, stance="supports", added_by=reviewer)
            HistoricalLink.objects.create(
                id=link.pk,
                claim_id=claim.pk,
                passage_id=passage.pk,
                stance="supports",
                added_by_id=reviewer.pk,
                added_at=judged_at,
                history_type="+",
                history_date=judged_at + timezone.timedelta(seconds=1 if imported else -3600),
                history_user_id=reviewer.pk if imported else None,
            )
            links.append(link)
        values = {f.attname: getattr(claim, f.attname) for f in Claim._meta.concrete_fields}
        HistoricalClaim.objects.create(
            **values, history_type="+" if imported else "~", history_date=judged_at, history_user_id=reviewer.pk
        )
        return claim, links

    kept, _ = verified_claim(1)
    broken, (_, removed) = verified_claim(2)
    arrived, _ = verified_claim(3, imported=True)
    HistoricalLink.objects.create(
        id=removed.pk,
        claim_id=broken.pk,
        passage_id=removed.passage_id,
        stance="supports",
        added_by_id=reviewer.pk,
        added_at=judged_at,
        history_type="-",
        history_date=judged_at + timezone.timedelta(days=1),
    )
    removed.delete()

    after = migrate(migrator, [("claims", "0004_verdict_basis")])
    Claim, HistoricalClaim = after.get_model("claims", "Claim"), after.get_model("claims", "HistoricalClaim")
    kept, broken = Claim.objects.get(pk=kept.pk), Claim.objects.get(pk=broken.pk)
    assert kept.status == "verified" and kept.verdict_basis["wording"] == "Claim 1"
    assert sorted(entry["publisher"] for entry in kept.verdict_basis["links"]) == ["One", "Two"]
    assert (broken.status, broken.needs_review, broken.version) == ("review", True, 4)
    assert len(broken.verdict_basis["links"]) == 2  # what the reviewer saw
    record = HistoricalClaim.objects.filter(id=broken.pk).latest("history_date")
    assert (record.status, record.history_change_reason) == ("review", "checked against its verdict")

    arrived = Claim.objects.get(pk=arrived.pk)
    assert arrived.status == "verified" and len(arrived.verdict_basis["links"]) == 2  # the import's own links

    back = migrate(migrator, [("claims", "0003_export_base_url")]).get_model("claims", "Claim")
    assert back.objects.get(pk=broken.pk).status == "verified"


def test_uploads_kept_in_the_database_move_into_the_storage_and_back(migrator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    before = migrate(migrator, [("articles", "0003_import_report_parts")])
    Batch = before.get_model("articles", "ImportBatch")
    batch = Batch.objects.create(channel="admin", status="uploaded", files=["feed.jsonl"])
    content = b'{"title": "One", "text": "A story."}\n'
    before.get_model("articles", "UploadedFile").objects.create(
        batch=batch, name="feed.jsonl", size=len(content), data=content
    )

    after = migrate(migrator, [("articles", "0004_uploads_in_storage")])
    upload = after.get_model("articles", "UploadedFile").objects.get()
    assert upload.file.name.startswith("imports/") and upload.file.name.endswith(".jsonl")
    assert (tmp_path / upload.file.name).read_bytes() == content

    back = migrate(migrator, [("articles", "0003_import_report_parts")])
    assert bytes(back.get_model("articles", "UploadedFile").objects.get().data) == content
    assert not (tmp_path / upload.file.name).exists()


def test_claim_records_written_before_the_fold_was_recorded_are_folded_as_they_were_written(migrator, roles):
    """Every way a claim's records fold (tags after a save, a bare bump from a link, tags after a bare bump,
    a deletion and a restore), flagged as they are written; the backfill flags the same ones."""
    from claims.models import Claim
    from claims.services import claim_delete, claim_restore, evidence_remove
    from tests.factories import UserFactory
    from tests.test_activity import fresh, link, reword, tag, verify

    editor = UserFactory(username="editor-user", role="editor")
    reviewer = UserFactory(username="reviewer-user", role="reviewer")
    admin = UserFactory(username="admin-user", role="admin")
    claim = tag(editor, tags="budget")
    link(claim, editor, "Daily One")
    removed = link(claim, editor, "Daily Two")
    reword(claim, editor, "Roads cost 3 million.", "budget, roads")
    reword(claim, editor, "Roads cost 3 million.", "roads")  # only the tags: a bump, then the tags
    evidence_remove(link=removed, user=editor)
    link(claim, editor, "Daily Three")
    verify(claim, reviewer)
    other = tag(editor, wording="Deleted soon", tags="")
    claim_delete(claim=fresh(other), user=editor)
    claim_restore(claim_id=other.pk, user=admin)
    written = dict(Claim.history.values_list("history_id", "history_folded"))
    assert sum(written.values()) >= 5 and not all(written.values())

    migrate(migrator, [("claims", "0005_list_indexes")])
    after = migrate(migrator, migrator.loader.graph.leaf_nodes())
    backfilled = dict(after.get_model("claims", "HistoricalClaim").objects.values_list("history_id", "history_folded"))
    assert backfilled == written
