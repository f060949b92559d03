"""A trigram index for the search box's article titles on PostgreSQL (`icontains` is UPPER(title) LIKE
UPPER(text), which no btree can find). SQLite scans, which a small newsroom's articles allow."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS article_title_trigrams ON articles_article USING gin (upper(title) gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS article_title_trigrams")


class Migration(migrations.Migration):
    dependencies = [("articles", "0007_importbatch_lease")]

    operations = [migrations.RunPython(forwards, backwards)]
