"""Backups (`manage.py backup`, `manage.py restore`): a snapshot taken and loaded back gives every row of every
table and every stored file exactly as they were, on SQLite and PostgreSQL, and adds no history."""

import io
import json
import tarfile

import pytest
from django.apps import apps
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from articles.models import Article
from articles.services import import_batch_upload
from claims.exports.services import export_start, export_write
from claims.models import Claim, ClaimSet, EvidenceLink
from claims.services import claim_delete, claim_set_add, claim_set_save, claim_update
from workbench import backups

pytestmark = pytest.mark.django_db(transaction=True)  # the database's own tools see committed rows only


def everything() -> dict:
    """Every row of every table (history, many-to-many and Django's own included), and every stored file."""
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        values = model._base_manager.order_by("pk").values()
        rows[model._meta.db_table] = [
            {key: bytes(value) if isinstance(value, memoryview) else value for key, value in row.items()}
            for row in values
        ]
    storage = storages["default"]
    files = {name: storage.open(name, "rb").read() for name in backups._stored_files()}
    return {"rows": rows, "files": files}


@pytest.fixture
def workbench_in_use(roles, seeded, every_kind_of_claim, editor, admin_user):
    """A few days of a newsroom: imports (one uploaded, waiting to be confirmed), claims edited and deleted,
    verdicts, links, a claim set and an export written to a file."""
    verified = every_kind_of_claim["verified"]
    tagger = verified.created_by
    claim_update(claim=verified, user=tagger, expected_version=verified.version, wording="Reworded", tags="health")
    claim_delete(claim=every_kind_of_claim["open"], user=tagger)
    picked = claim_set_save(claim_set=ClaimSet(name="For the desk", owner=editor), user=editor)
    claim_set_add(claim_set=picked, user=editor, claims=list(Claim.objects.filter(status="verified")))
    raw = b'{"title": "Upload", "body": "Uploaded text \xc3\xa9t\xc3\xa9."}\n'
    import_batch_upload(files=[SimpleUploadedFile("upload.jsonl", raw)], user=admin_user)
    export = export_start(export_format="csv", user=editor, channel="web", statuses=["verified", "disputed"])
    with io.BytesIO() as out:
        export_write(export, out)
        export.file.save("claims.csv", io.BytesIO(out.getvalue()))
    return every_kind_of_claim


def test_a_restored_snapshot_holds_every_row_and_file_as_it_was_and_no_new_history(workbench_in_use, tmp_path):
    before = everything()
    assert before["files"] and before["rows"]["claims_historicalclaim"] and before["rows"]["claims_export"]
    assert any(row["raw"] for row in before["rows"]["articles_article"])
    out = io.StringIO()
    call_command("backup", output=tmp_path / "snapshot.tar.gz", stdout=out)
    assert f"files to {tmp_path / 'snapshot.tar.gz'}" in out.getvalue()

    # What happened after the snapshot is undone by the restore; a stored file's content as well.
    ClaimSet.objects.all().delete()
    EvidenceLink.objects.all().delete()
    for claim in Claim.objects.all():  # saved, so the history grows too: the restore takes it back
        claim.wording = "Changed after the snapshot"
        claim.save()
    Article.objects.create(title="Imported after the snapshot", body="New.", content_hash="y" * 64)
    name = next(iter(before["files"]))
    storage = storages["default"]
    storage.delete(name)
    storage.save(name, io.BytesIO(b"overwritten"))

    call_command("restore", tmp_path / "snapshot.tar.gz", interactive=False, stdout=out)
    after = everything()
    assert after["files"] == before["files"]
    for table, rows in before["rows"].items():
        assert after["rows"][table] == rows, table
    assert after == before
    assert "Restored the" in out.getvalue()


def test_the_snapshot_says_what_it_holds(workbench_in_use, tmp_path):
    snapshot = backups.backup(tmp_path / "s.tar.gz")
    with tarfile.open(snapshot.path) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    assert backups.DATABASE_FILE[manifest["database"]] in names
    assert manifest["files"] == snapshot.files == len([n for n in names if n.startswith("files/")]) >= 2
    assert manifest["migrations"] > 10
    assert not list(tmp_path.glob("*.partial"))


def test_a_link_and_a_verdict_are_back_after_a_restore_on_top_of_later_work(workbench_in_use, editor, tmp_path):
    disputed = workbench_in_use["disputed"]
    links = sorted(EvidenceLink.objects.filter(claim=disputed).values_list("pk", flat=True))
    backups.backup(tmp_path / "s.tar.gz")
    EvidenceLink.objects.filter(claim=disputed).delete()
    disputed.status, disputed.verdict_rationale = Claim.Status.OPEN, ""
    disputed.save()
    backups.restore(tmp_path / "s.tar.gz")
    disputed.refresh_from_db()
    assert disputed.status == Claim.Status.DISPUTED and disputed.verdict_rationale
    assert sorted(EvidenceLink.objects.filter(claim=disputed).values_list("pk", flat=True)) == links


def test_a_file_that_is_not_a_snapshot_is_refused_and_nothing_changes(db, tmp_path):
    Article.objects.create(title="Kept", body="Kept body.", content_hash="x" * 64)
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not a tarball")
    with pytest.raises(CommandError, match="is not a workbench snapshot"):
        call_command("restore", junk, interactive=False)
    empty = tmp_path / "empty.tar.gz"
    with tarfile.open(empty, "w:gz"):
        pass
    with pytest.raises(CommandError, match="no readable manifest.json"):
        call_command("restore", empty, interactive=False)
    with pytest.raises(CommandError, match="no such file"):
        call_command("restore", tmp_path / "missing.tar.gz", interactive=False)
    assert Article.objects.filter(title="Kept").exists()


def test_a_database_without_tables_is_not_backed_up(db, tmp_path, monkeypatch):
    monkeypatch.setattr(backups.MigrationRecorder, "has_table", lambda self: False)
    with pytest.raises(CommandError, match="the database has no tables yet"):
        call_command("backup", output=tmp_path / "s.tar.gz")
    assert not list(tmp_path.iterdir())


def test_a_snapshot_of_the_other_database_is_refused(db, tmp_path):
    from django.db import connection

    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    path = tmp_path / "other.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        backups._add_bytes(tar, "manifest.json", json.dumps({"format": 1, "database": other}).encode())
    with pytest.raises(CommandError, match=f"a snapshot of a {other} database"):
        call_command("restore", path, interactive=False)


def test_restore_asks_before_replacing_everything(db, tmp_path, monkeypatch):
    path = tmp_path / "s.tar.gz"
    backups.backup(path)
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="Restore cancelled: nothing was changed"):
        call_command("restore", path)
