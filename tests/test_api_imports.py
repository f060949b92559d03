"""Importing articles through the API as the admin's import page does: files or a JSON body become a batch
previewed in the background, confirmed, then imported in the background; its status and its per-record report
say what became of each record. Admins only, with a read-write token."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from articles.models import Article, ImportBatch
from tests.api_helpers import ApiClient
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

JSONL = (
    b'{"title": "Council budget", "url": "https://example.org/a", "text": "The council spent 3 million."}\n'
    b'{"title": "No text", "url": "https://example.org/b"}\n'
)


def upload(api: ApiClient, *files: tuple[str, bytes]):
    return Client().post(
        "/api/v1/imports",
        {"files": [SimpleUploadedFile(name, data) for name, data in files]},
        headers={"Authorization": f"Bearer {api.secret}"},
    )


def test_an_admin_uploads_previews_confirms_and_reads_what_became_of_each_record(admin_user):
    api = ApiClient(admin_user)
    started = upload(api, ("news.jsonl", JSONL))
    assert started.status_code == 202, started.content
    batch = ImportBatch.objects.get()
    assert started["Location"].endswith(f"/api/v1/imports/{batch.pk}")
    previewed = api.get(f"/imports/{batch.pk}").json()
    assert (previewed["status"], previewed["records_total"], previewed["imported"], previewed["rejected"]) == (
        "previewed",
        2,
        1,
        1,
    )
    assert not Article.objects.exists()  # a preview writes no article

    confirmed = api.post(previewed["confirm"].removeprefix("/api/v1"))
    assert confirmed.status_code == 202
    done = api.get(f"/imports/{batch.pk}").json()
    assert (done["status"], done["imported"], done["rejected"], done["percent"], done["confirm"]) == (
        "done",
        1,
        1,
        100,
        None,
    )
    article = Article.objects.get()
    assert (article.origin_file, article.imported_by, article.import_batch_id) == ("news.jsonl", admin_user, batch.pk)
    assert done["channel"] == "api"  # the batch says it came through the API; its articles' history, an import

    page = api.get(f"/imports/{batch.pk}/records").json()
    assert [(r["record"], r["outcome"], r["article_id"]) for r in page["records"]] == [
        (1, "new", article.pk),
        (2, "rejected", None),
    ]
    assert page["records"][1]["detail"] and page["next"] is None
    report = json.loads(b"".join(api.get(f"/imports/{batch.pk}/report").streaming_content))
    assert report["imported"] == [
        {"file": "news.jsonl", "record": 1, "article_id": article.pk, "title": "Council budget"}
    ]
    assert report["rejected"][0]["record"] == 2


def test_articles_in_a_json_body_are_imported_as_one_file_of_them(admin_user):
    api = ApiClient(admin_user)
    articles = [{"title": "Bridge", "text": "The bridge opened on time.", "url": "https://example.org/bridge"}]
    started = api.post("/imports/articles", {"name": "cms-sync.json", "articles": articles})
    assert started.status_code == 202, started.content
    batch_id = started.json()["id"]
    api.post(f"/imports/{batch_id}/confirm")
    article = Article.objects.get()
    assert (article.title, article.origin_file) == ("Bridge", "cms-sync.json")
    assert json.loads(article.raw) == articles[0]


def test_a_batch_is_confirmed_once(admin_user):
    api = ApiClient(admin_user)
    batch_id = upload(api, ("news.jsonl", JSONL)).json()["id"]
    assert api.post(f"/imports/{batch_id}/confirm").status_code == 202
    again = api.post(f"/imports/{batch_id}/confirm")
    assert again.status_code == 422
    assert "only a previewed one can be confirmed" in again.json()["detail"]
    assert Article.objects.count() == 1


@pytest.mark.parametrize("role", ["viewer", "editor", "reviewer"])
def test_only_admins_import(role):
    api = ApiClient(UserFactory(username=f"someone-{role}", role=role))
    assert upload(api, ("news.jsonl", JSONL)).status_code == 403
    assert api.post("/imports/articles", {"articles": [{"title": "x", "text": "y"}]}).status_code == 403
    assert not ImportBatch.objects.exists()


def test_a_read_only_token_imports_nothing_even_an_admins(admin_user):
    api = ApiClient(admin_user, write=False)
    assert upload(api, ("news.jsonl", JSONL)).status_code == 403
    assert not ImportBatch.objects.exists()


def test_an_upload_over_the_limit_is_refused_before_anything_is_stored(admin_user, settings):
    settings.WORKBENCH_IMPORT_MAX_UPLOAD_BYTES = 100
    response = upload(ApiClient(admin_user), ("news.jsonl", JSONL))
    assert response.status_code == 422
    assert "the limit is 100 bytes" in response.json()["detail"]
    assert not ImportBatch.objects.exists()


def test_an_upload_without_files_or_an_empty_body_is_a_422(admin_user):
    api = ApiClient(admin_user)
    empty = Client().post("/api/v1/imports", {}, headers={"Authorization": f"Bearer {api.secret}"})
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "files"
    assert api.post("/imports/articles", {"articles": []}).json()["errors"][0]["field"] == "articles"
    assert not ImportBatch.objects.exists()


def test_a_part_the_report_does_not_have_is_a_422(admin_user):
    api = ApiClient(admin_user)
    batch_id = upload(api, ("news.jsonl", JSONL)).json()["id"]
    response = api.get(f"/imports/{batch_id}/records", {"part": 5})
    assert response.status_code == 422 and "has 1 part so far" in response.json()["detail"]


def test_a_batchs_status_and_records_cost_the_same_queries_for_2_records_or_40(
    admin_user, django_assert_max_num_queries
):
    api = ApiClient(admin_user)
    counts = []
    for n in (2, 40):
        lines = [{"title": f"Story {n}-{i}", "text": f"Text number {i} of {n}."} for i in range(n)]
        batch_id = api.post("/imports/articles", {"articles": lines}).json()["id"]
        with django_assert_max_num_queries(12) as context:
            assert api.get(f"/imports/{batch_id}").json()["records_total"] == n
            assert len(api.get(f"/imports/{batch_id}/records").json()["records"]) == n
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1]
