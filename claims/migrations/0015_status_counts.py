"""The number of claims of each status, kept by the database (claims.models.StatusCount): triggers on the
claims table add one to a status when a claim gets it and take one away when a claim leaves it, whatever
wrote the row, then the claims already there are counted once.

PostgreSQL: the triggers are deferred to the commit and take turns on a lock of the counts table, so two
transactions never wait for each other's counts in opposite orders, and one that changes several claims
holds the counts only while it commits, never while it waits for a claim's row lock. A rolled-back
transaction counts nothing. SQLite writes one transaction at a time: plain triggers.

A count is taken away with a plain UPDATE (its row exists while a claim has the status) and added with an
upsert: emptying both tables in any order (a test database's flush) leaves them agreeing.
"""

from django.db import migrations, models

POSTGRESQL = [
    """CREATE FUNCTION claims_count_status() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        LOCK TABLE claims_statuscount IN SHARE ROW EXCLUSIVE MODE;
        IF TG_OP <> 'INSERT' THEN
            UPDATE claims_statuscount SET claims = claims - 1 WHERE status = OLD.status;
        END IF;
        IF TG_OP <> 'DELETE' THEN
            INSERT INTO claims_statuscount (status, claims) VALUES (NEW.status, 1)
            ON CONFLICT (status) DO UPDATE SET claims = claims_statuscount.claims + 1;
        END IF;
        RETURN NULL;
    END
    $$""",
    """CREATE CONSTRAINT TRIGGER claims_count_status AFTER INSERT OR DELETE ON claims_claim
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION claims_count_status()""",
    """CREATE CONSTRAINT TRIGGER claims_count_status_change AFTER UPDATE OF status ON claims_claim
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION claims_count_status()""",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER claims_count_status_change ON claims_claim",
    "DROP TRIGGER claims_count_status ON claims_claim",
    "DROP FUNCTION claims_count_status()",
]

SQLITE = [
    """CREATE TRIGGER claims_count_status_insert AFTER INSERT ON claims_claim BEGIN
        INSERT INTO claims_statuscount (status, claims) VALUES (new.status, 1)
        ON CONFLICT (status) DO UPDATE SET claims = claims + 1;
    END""",
    """CREATE TRIGGER claims_count_status_delete AFTER DELETE ON claims_claim BEGIN
        UPDATE claims_statuscount SET claims = claims - 1 WHERE status = old.status;
    END""",
    """CREATE TRIGGER claims_count_status_change AFTER UPDATE OF status ON claims_claim
    WHEN old.status IS NOT new.status BEGIN
        UPDATE claims_statuscount SET claims = claims - 1 WHERE status = old.status;
        INSERT INTO claims_statuscount (status, claims) VALUES (new.status, 1)
        ON CONFLICT (status) DO UPDATE SET claims = claims + 1;
    END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER claims_count_status_change",
    "DROP TRIGGER claims_count_status_delete",
    "DROP TRIGGER claims_count_status_insert",
]

COUNT_EXISTING = (
    "INSERT INTO claims_statuscount (status, claims) SELECT status, count(*) FROM claims_claim GROUP BY status"
)


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("claims", "0014_publication")]

    operations = [
        migrations.CreateModel(
            name="StatusCount",
            fields=[
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("open", "Open"),
                            ("verified", "Verified"),
                            ("disputed", "Disputed"),
                            ("review", "Needs review"),
                        ],
                        max_length=10,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("claims", models.BigIntegerField()),
            ],
        ),
        migrations.RunPython(
            _run({"postgresql": [*POSTGRESQL, COUNT_EXISTING], "sqlite": [*SQLITE, COUNT_EXISTING]}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
