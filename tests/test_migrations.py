"""Migrations that move data keep every bit of it."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE, AFTER = [("articles", "0002_article_url_lookup")], [("articles", "0003_import_report_parts")]


@pytest.fixture
def migrator(transactional_db):
    executor = MigrationExecutor(connection)
    yield executor
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_reports_and_previews_kept_on_batches_move_into_report_parts_and_finished_imports_are_done(migrator):
    migrator.migrate(BEFORE)
    ImportBatch = migrator.loader.project_state(BEFORE).apps.get_model("articles", "ImportBatch")
    done = ImportBatch.objects.create(channel="command", status="running", finished_at=timezone.now(), report={
        "imported": [{"file": "b.jsonl", "record": 2, "article_id": 7, "title": "Two"}],
        "duplicates": [{"file": "a.txt", "record": 1, "article_id": 3, "title": "One"}],
        "rejected": [{"file": "b.jsonl", "record": 1, "line": 1, "error": "invalid JSON"}],
        "warnings": [{"file": "b.jsonl", "record": 2, "warning": "unreadable date"}],
    })  # fmt: skip
    previewed = ImportBatch.objects.create(channel="admin", status="previewed", preview=[
        {"file": "c.csv", "record": 1, "line": None, "title": "Three", "published": None, "length": 12,
         "outcome": "new", "detail": ""},
    ])  # fmt: skip

    migrator.loader.build_graph()
    migrator.migrate(AFTER)
    after = migrator.loader.project_state(AFTER).apps
    Part = after.get_model("articles", "ImportReportPart")
    rows = Part.objects.get(batch_id=done.pk).rows
    assert [(row["file"], row["record"], row["outcome"], row["article_id"]) for row in rows] == [
        ("a.txt", 1, "duplicate", 3), ("b.jsonl", 1, "rejected", None), ("b.jsonl", 2, "new", 7)
    ]  # fmt: skip
    assert rows[1]["detail"] == "invalid JSON" and rows[2]["warnings"] == ["unreadable date"]
    [row] = Part.objects.get(batch_id=previewed.pk).rows
    assert after.get_model("articles", "ImportBatch").objects.get(pk=done.pk).status == "done"
    assert (row["title"], row["length"], row["outcome"], row["warnings"]) == ("Three", 12, "new", [])
