"""A passage's stored embedding changes how suggestions rank it: writing or deleting one moves the passages'
revision on (articles/migrations/0010), as a passage written does."""

from django.db import migrations

BUMP = (
    "INSERT INTO articles_passagesrevision (id, number) VALUES (1, 1) "
    "ON CONFLICT (id) DO UPDATE SET number = articles_passagesrevision.number + 1"
)
EVENTS = [("insert", "INSERT"), ("update", "UPDATE"), ("delete", "DELETE")]

POSTGRESQL = [
    "CREATE TRIGGER claims_passageembedding_revision AFTER INSERT OR UPDATE OR DELETE ON claims_passageembedding "
    "FOR EACH STATEMENT EXECUTE FUNCTION articles_passages_revise()"
]
POSTGRESQL_REVERSE = ["DROP TRIGGER claims_passageembedding_revision ON claims_passageembedding"]
SQLITE = [
    f"CREATE TRIGGER claims_passageembedding_revision_{name} AFTER {event} ON claims_passageembedding BEGIN {BUMP}; END"
    for name, event in EVENTS
]
SQLITE_REVERSE = [f"DROP TRIGGER claims_passageembedding_revision_{name}" for name, _ in EVENTS]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("articles", "0010_passages_revision"), ("claims", "0015_status_counts")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
