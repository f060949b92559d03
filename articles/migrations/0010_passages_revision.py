"""A revision number of what a search of passages can find (articles.models.PassagesRevision), moved on by
the database in the transaction of every change to it: passages written or deleted, articles added, deleted
or given a new version. On PostgreSQL once per statement; SQLite has row triggers only.

Its single row is written with an upsert, so that a flushed table (a test database's) starts again."""

from django.db import migrations, models

BUMP = (
    "INSERT INTO articles_passagesrevision (id, number) VALUES (1, 1) "
    "ON CONFLICT (id) DO UPDATE SET number = articles_passagesrevision.number + 1"
)
# (trigger, event, table): what changes which passages are current and searchable.
CHANGES = [
    ("articles_passage_revision_insert", "INSERT", "articles_passage"),
    ("articles_passage_revision_delete", "DELETE", "articles_passage"),
    ("articles_article_revision_insert", "INSERT", "articles_article"),
    ("articles_article_revision_delete", "DELETE", "articles_article"),
    ("articles_article_revision_version", "UPDATE OF previous_version_id", "articles_article"),
]

POSTGRESQL = [
    f"CREATE FUNCTION articles_passages_revise() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {BUMP}; RETURN NULL; END $$",
    *(
        f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH STATEMENT EXECUTE FUNCTION articles_passages_revise()"
        for name, event, table in CHANGES
    ),
]
POSTGRESQL_REVERSE = [
    *(f"DROP TRIGGER {name} ON {table}" for name, _, table in CHANGES),
    "DROP FUNCTION articles_passages_revise()",
]
SQLITE = [f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN {BUMP}; END" for name, event, table in CHANGES]
SQLITE_REVERSE = [f"DROP TRIGGER {name}" for name, _, _ in CHANGES]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("articles", "0009_article_imported_at_default")]

    operations = [
        migrations.CreateModel(
            name="PassagesRevision",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
