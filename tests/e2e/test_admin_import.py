"""Issue 5's acceptance: an admin uploads a zip of mixed files, sees the preview, confirms, watches the
progress bar, and downloads a report that matches the database record by record."""

import json
import re
import threading
import time
import zipfile

import pytest
from playwright.sync_api import expect

from articles import services
from articles.models import Article, ImportBatch
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def mixed_zip(path) -> None:
    records = [
        {"title": f"Wire story {n}", "url": f"https://wire.example/{n}", "text": f"Wire story {n} body. More."}
        for n in range(12)
    ]
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("feed.jsonl", "\n".join(json.dumps(r) for r in records) + "\n")
        archive.writestr(
            "page.html",
            "<html><head><title>Harbour reopens</title><script>alert(1)</script></head>"
            "<body><article><h1>Harbour reopens</h1><p>The harbour reopened on Monday after the storm."
            "</p><p>Ships queued outside since dawn.</p></article></body></html>",
        )
        archive.writestr(
            "table.csv", "title,text,colour\nCSV story,The CSV story is told here.,red\n,No title but text.,blue\n"
        )
        archive.writestr("notes/plain.txt", "A plain headline\n\nA plain story body.")
        archive.writestr("broken.json", '{"title": "half')


@pytest.fixture
def admin_site(roles, live_server, settings):
    # The test plays the worker: jobs are queued, then run below, slowly enough to watch.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    UserFactory(username="admin", role="admin", is_staff=True)


def run_slowly(job, monkeypatch, batch_id):
    store = services._store

    def slow(*args, **kwargs):
        store(*args, **kwargs)
        time.sleep(0.4)

    monkeypatch.setattr(services, "_store", slow)
    monkeypatch.setattr(services, "CHUNK", 3)
    thread = threading.Thread(target=job, kwargs={"batch_id": batch_id})
    thread.start()
    return thread


def test_an_admin_imports_a_zip_of_mixed_files(
    page, live_server, admin_site, log_in, screenshot, tmp_path, monkeypatch
):
    archive = tmp_path / "newsroom-export.zip"
    mixed_zip(archive)
    log_in("admin")
    page.goto(f"{live_server.url}/admin/articles/article/")
    page.get_by_role("link", name="Import articles").click()
    page.get_by_label("Files").set_input_files(str(archive))
    page.get_by_role("button", name="Upload and preview").click()
    batch = ImportBatch.objects.get()
    expect(page.get_by_role("progressbar")).to_be_visible()

    run_slowly(services.import_batch_preview, monkeypatch, batch.pk).join()
    expect(page.get_by_role("heading", name="Preview: 16 to import, 0 duplicates, 1 rejected")).to_be_visible(
        timeout=10_000
    )
    preview = page.locator("#import-preview")
    expect(page.locator("#records-shown")).to_have_text("Records 1–3 of 17")
    screenshot("admin-import-preview")
    pages = [preview.inner_text()]
    while page.get_by_role("link", name="Next →").count():
        page.get_by_role("link", name="Next →").first.click()
        pages.append(preview.inner_text())
    assert len(pages) == 6
    expect(page.locator("#records-shown")).to_have_text("Records 16–17 of 17")
    everything = "\n".join(pages)
    assert "Harbour reopens" in everything and "newsroom-export.zip/broken.json" in everything
    assert "alert(1)" not in everything
    page.get_by_role("link", name="← Previous").first.click()
    assert not Article.objects.exists()

    page.get_by_role("button", name="Confirm: import 16 articles").click()
    worker = run_slowly(services.import_batch_run, monkeypatch, batch.pk)
    bar = page.get_by_role("progressbar", name="Import progress")
    expect(bar).to_be_visible()
    expect(page.get_by_text("Importing", exact=True)).to_be_visible()
    expect(page.get_by_role("status")).to_have_text(re.compile(r"^([1-9]|1[0-6]) of 17 records$"))
    screenshot("admin-import-progress")
    worker.join()
    expect(page.get_by_text("16 imported, 0 duplicates skipped, 1 rejected")).to_be_visible(timeout=10_000)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report (JSON)").click()
    report = json.loads(download.value.path().read_text())
    stored = {(a.origin_file, a.origin_record): a for a in Article.objects.all()}
    assert len(report["imported"]) == len(stored) == 16
    for item in report["imported"]:
        article = stored[(item["file"], item["record"])]
        assert (article.pk, article.title) == (item["article_id"], item["title"])
    assert [item["file"] for item in report["rejected"]] == ["newsroom-export.zip/broken.json"]
    assert any("colour" in item["warning"] for item in report["warnings"])  # the unknown CSV column
    assert "alert" not in Article.objects.get(title="Harbour reopens").body
    screenshot("admin-import-done")
