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
