"""The admin's import page: upload, preview, confirm, background job with progress, report."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article, ImportBatch, UploadedFile
from workbench import leases


def story(n: int) -> dict:
    return {
        "title": f"Story {n}",
        "url": f"https://wire.example/{n}",
        "text": f"Story number {n} happened. It was big.",
    }


def upload_set() -> list[SimpleUploadedFile]:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("inside/one.txt", "A headline inside\n\nThe zipped story is here.")
        zipped.writestr("inside/broken.json", '{"title": ')
    jsonl = "\n".join(json.dumps(story(n)) for n in range(3)) + "\n"
    return [
        SimpleUploadedFile("feed.jsonl", jsonl.encode()),
        SimpleUploadedFile("bundle.zip", archive.getvalue()),
    ]


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def start(client) -> ImportBatch:
    response = client.post(reverse("admin:articles_article_import"), {"files": upload_set()})
    assert response.status_code == 302, response.content.decode()[:500]
    return ImportBatch.objects.get()


def start_another(client) -> ImportBatch:
    response = client.post(reverse("admin:articles_article_import"), {"files": upload_set()})
    assert response.status_code == 302, response.content.decode()[:500]
    return ImportBatch.objects.latest("pk")


def test_the_article_list_in_the_admin_links_to_the_import_page(admin_client):
    content = admin_client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert reverse("admin:articles_article_import") in content


def test_an_upload_is_previewed_record_by_record_and_nothing_is_imported_yet(admin_client):
    batch = start(admin_client)
    assert batch.status == "previewed" and batch.records_total == 5
    assert not Article.objects.exists()
    page = admin_client.get(reverse("admin:articles_article_import_batch", args=[batch.pk])).content.decode()
    assert "Preview: 4 to import, 0 duplicates, 1 rejected" in page
    assert "Story 2" in page and "A headline inside" in page
    assert "bundle.zip/inside/broken.json" in page and "invalid JSON" in page
    assert "Confirm: import 4 articles" in page
    response = admin_client.get(reverse("admin:articles_article_import_report", args=[batch.pk]))
    preview = json.loads(b"".join(response.streaming_content))
    assert [item["title"] for item in preview["imported"]] == ["Story 0", "Story 1", "Story 2", "A headline inside"]
    assert {item["article_id"] for item in preview["imported"]} == {None}
    assert [item["file"] for item in preview["rejected"]] == ["bundle.zip/inside/broken.json"]


def test_confirming_imports_in_the_background_and_the_report_matches_the_database(admin_client, admin_user):
    batch = start(admin_client)
    response = admin_client.post(reverse("admin:articles_article_import_confirm", args=[batch.pk]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert (batch.status, batch.imported, batch.rejected, batch.records_done) == ("done", 4, 1, 5)

    response = admin_client.get(reverse("admin:articles_article_import_report", args=[batch.pk]))
    report = json.loads(b"".join(response.streaming_content))
    stored = {a.pk: a for a in Article.objects.filter(import_batch=batch)}
    assert {item["article_id"] for item in report["imported"]} == set(stored)
    for item in report["imported"]:
        article = stored[item["article_id"]]
        assert (article.origin_file, article.origin_record, article.title) == (
            item["file"],
            item["record"],
            item["title"],
        )
        assert article.imported_by == admin_user
    assert report["rejected"][0]["file"] == "bundle.zip/inside/broken.json"
    page = admin_client.get(reverse("admin:articles_article_import_batch", args=[batch.pk])).content.decode()
    assert "4 imported, 0 duplicates skipped, 1 rejected" in page


def test_a_batch_is_confirmed_only_once(admin_client):
    batch = start(admin_client)
    url = reverse("admin:articles_article_import_confirm", args=[batch.pk])
    admin_client.post(url)
    response = admin_client.post(url, follow=True)
    assert "only a previewed one can be confirmed" in response.content.decode()
    assert Article.objects.count() == 4


def test_progress_is_saved_with_each_chunk_as_the_job_runs(admin_client, monkeypatch):
    monkeypatch.setattr(services, "CHUNK", 2)
    seen, store = [], services._store

    def observed(chunk, *, batch, **kwargs):
        store(chunk, batch=batch, **kwargs)
        if not kwargs["dry_run"]:
            seen.append(ImportBatch.objects.values_list("status", "records_done", "chunks_committed").get(pk=batch.pk))

    monkeypatch.setattr(services, "_store", observed)
    batch = start(admin_client)
    admin_client.post(reverse("admin:articles_article_import_confirm", args=[batch.pk]))
    assert seen == [("running", 2, 1), ("running", 4, 2), ("running", 5, 3)]
    status = admin_client.get(reverse("admin:articles_article_import_status", args=[batch.pk])).json()
    assert status == {"status": "done", "label": "Done", "done": 5, "total": 5, "percent": 100, "working": False}


def test_an_upload_over_the_limit_is_refused_before_anything_is_stored(admin_client, settings):
    settings.WORKBENCH_IMPORT_MAX_UPLOAD_BYTES = 100
    response = admin_client.post(reverse("admin:articles_article_import"), {"files": upload_set()})
    assert response.status_code == 200 and "the limit is 100 bytes" in response.content.decode()
    assert not ImportBatch.objects.exists() and not UploadedFile.objects.exists()


@pytest.mark.parametrize("name", ["articles_article_import", "articles_article_import_batch"])
def test_only_admins_reach_the_import_page(client, editor, name):
    batch = ImportBatch.objects.create(channel="admin")
    url = reverse(f"admin:{name}", args=[batch.pk] if name.endswith("batch") else [])
    editor.is_staff = True  # even a staff editor without the import permission
    editor.save()
    client.force_login(editor)
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


def test_the_table_shows_one_chunk_of_records_a_page_in_constant_queries(
    admin_client, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(services, "CHUNK", 2)
    batch = start(admin_client)
    url = reverse("admin:articles_article_import_batch", args=[batch.pk])
    with django_assert_max_num_queries(12):
        first = admin_client.get(url).content.decode()
    assert "Records 1–2 of 5" in first and "Page 1 of 3" in first
    assert "Story 0" in first and "Story 2" not in first
    last = admin_client.get(url, {"page": 3}).content.decode()
    assert "Records 5–5 of 5" in last and "bundle.zip/inside/broken.json" in last and "Story 0" not in last
    services.import_batch_confirm(batch=batch, user=batch.imported_by)  # queued: the preview still shows
    assert "Records 1–2 of 5" in admin_client.get(url).content.decode()


def test_after_the_import_the_table_links_each_record_to_its_article(admin_client):
    batch = start(admin_client)
    admin_client.post(reverse("admin:articles_article_import_confirm", args=[batch.pk]))
    page = admin_client.get(reverse("admin:articles_article_import_batch", args=[batch.pk])).content.decode()
    article = Article.objects.get(title="Story 1")
    assert "What became of each record" in page and "Preview:" not in page
    assert f'imported as <a href="{article.get_absolute_url()}">#{article.pk}</a>' in page


def test_an_import_that_stops_half_way_reports_exactly_what_it_stored(admin_client, monkeypatch):
    monkeypatch.setattr(services, "CHUNK", 2)
    batch = start(admin_client)
    write, calls = services._write, []

    def fail_the_second_chunk(articles, user):
        calls.append(articles)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        write(articles, user)

    monkeypatch.setattr(services, "_write", fail_the_second_chunk)
    previewed = (batch.imported, batch.duplicates, batch.rejected, batch.records_total)
    services.import_batch_confirm(batch=batch, user=batch.imported_by)
    with pytest.raises(RuntimeError):
        services.import_batch_run(batch_id=batch.pk)
    batch.refresh_from_db()
    assert (batch.status, batch.failure) == ("failed", "The import stopped after 2 records: disk full")
    reported = [row["article_id"] for part in batch.report_parts.all() for row in part.rows]
    assert reported == list(Article.objects.order_by("pk").values_list("pk", flat=True)) and len(reported) == 2
    assert (batch.imported, batch.records_done, batch.chunks_committed) == (2, 2, 1)

    page = admin_client.get(reverse("admin:articles_article_import_batch", args=[batch.pk])).content.decode()
    assert "Resume: import the records after the 2 done" in page
    admin_client.post(reverse("admin:articles_article_import_confirm", args=[batch.pk]))  # resumed: the rest
    batch.refresh_from_db()
    assert (batch.status, batch.failure) == ("done", "")
    assert (batch.imported, batch.duplicates, batch.rejected, batch.records_done) == previewed
    imported = [
        row["article_id"]
        for part in batch.report_parts.order_by("index")
        for row in part.rows
        if row["outcome"] == "new"
    ]
    assert (
        imported == list(Article.objects.order_by("pk").values_list("pk", flat=True)) and len(imported) == previewed[0]
    )


def aged(batch: ImportBatch, hours: float) -> None:
    then = timezone.now() - timedelta(hours=hours)
    ImportBatch.objects.filter(pk=batch.pk).update(started_at=then, heartbeat_at=then, finished_at=None)


def test_an_upload_not_confirmed_in_time_is_deleted_and_its_page_says_so(admin_client, settings):
    settings.WORKBENCH_IMPORT_UPLOAD_EXPIRY_HOURS = 24
    old, recent = start(admin_client), start_another(admin_client)
    stored = list(old.uploads.values_list("file", flat=True))
    assert all(default_storage.exists(name) for name in stored)
    aged(old, 25)
    aged(recent, 23)
    assert leases.sweep() == [f"Import #{old.pk}: its uploads were deleted, unconfirmed for 24 hours."]
    old.refresh_from_db()
    assert old.status == "expired" and not old.uploads.exists()
    assert not any(default_storage.exists(name) for name in stored)
    assert recent.uploads.count() == 2 and ImportBatch.objects.get(pk=recent.pk).status == "previewed"
    page = admin_client.get(reverse("admin:articles_article_import_batch", args=[old.pk])).content.decode()
    assert "Not confirmed within 24 hours: the uploaded files were deleted. Upload them again to import." in page
    assert "Preview: 4 to import" in page and "Confirm:" not in page
    admin_client.post(reverse("admin:articles_article_import_confirm", args=[old.pk]))
    assert ImportBatch.objects.get(pk=old.pk).status == "expired" and not Article.objects.exists()


def test_a_failed_import_keeps_its_uploads_for_resuming_until_they_expire(admin_client, monkeypatch, settings):
    monkeypatch.setattr(services, "_write", lambda articles, user: (_ for _ in ()).throw(RuntimeError("disk full")))
    batch = start(admin_client)
    admin_client.post(reverse("admin:articles_article_import_confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "failed" and services.import_batch_resumable(batch)
    aged(batch, settings.WORKBENCH_IMPORT_UPLOAD_EXPIRY_HOURS + 1)
    leases.sweep()
    batch.refresh_from_db()
    assert batch.status == "failed" and not services.import_batch_resumable(batch)
    assert batch.failure.endswith("disk full The uploaded files were deleted after 72 hours.")
    page = admin_client.get(reverse("admin:articles_article_import_batch", args=[batch.pk])).content.decode()
    assert "Resume:" not in page
