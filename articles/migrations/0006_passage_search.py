"""Passages become a search index: each database's own full-text search over them, kept up to date by
the database as passages are written, and the passages of every article imported before this.

PostgreSQL: a stored tsvector (english configuration) with a GIN index, and a pg_trgm index on the text.
SQLite: an FTS5 table (porter stemming) over the passages, kept in step by triggers.
Both index the text once as written and once with its hyphens removed, so "fund-raising" is found by
"fundraising" and by "raising" alike (`articles.search` reads them).
"""

from django.db import migrations

from articles.text import split_passages

POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "ALTER TABLE articles_passage ADD COLUMN search tsvector "
    "GENERATED ALWAYS AS (to_tsvector('english'::regconfig, text || ' ' || replace(text, '-', ''))) STORED",
    "CREATE INDEX articles_passage_search ON articles_passage USING gin (search)",
    "CREATE INDEX articles_passage_trigram ON articles_passage USING gin (text gin_trgm_ops)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX articles_passage_trigram",
    "DROP INDEX articles_passage_search",
    "ALTER TABLE articles_passage DROP COLUMN search",
    # The extension stays: other schemas of the database may use it.
]

SQLITE = [
    "CREATE VIRTUAL TABLE articles_passage_fts USING fts5("
    "text, content='articles_passage', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
    """CREATE TRIGGER articles_passage_fts_insert AFTER INSERT ON articles_passage BEGIN
        INSERT INTO articles_passage_fts (rowid, text) VALUES (new.id, new.text || ' ' || replace(new.text, '-', ''));
    END""",
    """CREATE TRIGGER articles_passage_fts_delete AFTER DELETE ON articles_passage BEGIN
        INSERT INTO articles_passage_fts (articles_passage_fts, rowid, text)
        VALUES ('delete', old.id, old.text || ' ' || replace(old.text, '-', ''));
    END""",
    """CREATE TRIGGER articles_passage_fts_update AFTER UPDATE OF text ON articles_passage BEGIN
        INSERT INTO articles_passage_fts (articles_passage_fts, rowid, text)
        VALUES ('delete', old.id, old.text || ' ' || replace(old.text, '-', ''));
        INSERT INTO articles_passage_fts (rowid, text) VALUES (new.id, new.text || ' ' || replace(new.text, '-', ''));
    END""",
    # Passages written before the table existed.
    "INSERT INTO articles_passage_fts (rowid, text) SELECT id, text || ' ' || replace(text, '-', '') FROM articles_passage",
]
SQLITE_REVERSE = [
    "DROP TRIGGER articles_passage_fts_update",
    "DROP TRIGGER articles_passage_fts_delete",
    "DROP TRIGGER articles_passage_fts_insert",
    "DROP TABLE articles_passage_fts",
]

BACKFILL_CHUNK = 200


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


def write_missing_passages(apps, schema_editor):
    """Every article imported before passages were written at import gets its passages now."""
    Article, Passage = apps.get_model("articles", "Article"), apps.get_model("articles", "Passage")
    missing = Article.objects.exclude(pk__in=Passage.objects.values("article_id")).order_by("pk")
    last = 0
    while chunk := list(missing.filter(pk__gt=last).only("pk", "body")[:BACKFILL_CHUNK]):
        Passage.objects.bulk_create(
            Passage(article_id=article.pk, index=index, start=start, end=end, text=text)
            for article in chunk
            for index, (start, end, text) in enumerate(split_passages(article.body))
        )
        last = chunk[-1].pk


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_activity_feed_indexes")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
        # Passages written on the way back stay: they are what the lazy writing of old made when needed.
        migrations.RunPython(write_missing_passages, migrations.RunPython.noop),
    ]
