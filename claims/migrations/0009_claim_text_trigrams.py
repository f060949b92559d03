"""Trigram indexes for the claim list's text search on PostgreSQL: it matches words anywhere in the wording
or the quote (`icontains`, which PostgreSQL writes as UPPER(column) LIKE UPPER(text)), which no btree can
find; a trigram index can. SQLite has no such index and scans, which a small newsroom's claims allow."""

from django.db import migrations

COLUMNS = ("wording", "quote")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS claim_{column}_trigrams ON claims_claim USING gin (upper({column}) gin_trgm_ops)"
        )


def backwards(apps, schema_editor):
    # The extension stays: other indexes may use it.
    if schema_editor.connection.vendor == "postgresql":
        for column in COLUMNS:
            schema_editor.execute(f"DROP INDEX IF EXISTS claim_{column}_trigrams")


class Migration(migrations.Migration):
    dependencies = [("claims", "0008_stories_and_claim_lookups")]

    operations = [migrations.RunPython(forwards, backwards)]
