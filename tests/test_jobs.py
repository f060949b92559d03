"""Background jobs show their progress one way: imports and exports share the percent, the status JSON and the bar."""

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from articles.models import ImportBatch
from claims.models import Export


def test_a_job_is_at_100_percent_only_when_it_is_done():
    assert Export(status="running", claims_done=0, claim_count=400).percent_done == 0
    assert Export(status="running", claims_done=100, claim_count=400).percent_done == 25
    assert Export(status="running", claims_done=400, claim_count=400).percent_done == 99
    assert Export(status="done", claims_done=400, claim_count=400).percent_done == 100
    assert ImportBatch(status="running", records_done=5, records_total=5).percent_done == 99
    assert ImportBatch(status="done", records_done=5, records_total=5).percent_done == 100


def test_a_job_whose_amount_of_work_is_not_known_yet_has_no_percent():
    assert ImportBatch(status="previewing", records_done=120, records_total=None).percent_done is None
    assert ImportBatch(status="done", records_done=120, records_total=None).percent_done == 100


def test_each_kind_of_job_says_in_which_statuses_it_is_still_working():
    working = {status for status, _ in ImportBatch.Status.choices if ImportBatch(status=status).working}
    assert working == {"uploaded", "previewing", "queued", "running"}  # "previewed" waits for a person
    assert {status for status, _ in Export.Status.choices if Export(status=status).working} == {"running"}


@pytest.mark.django_db
def test_imports_and_exports_report_their_status_in_the_same_shape(admin_client, admin_user):
    batch = ImportBatch.objects.create(status="running", channel="admin", records_done=3, records_total=12)
    export = Export.objects.create(format="csv", channel="web", created_by=admin_user, claim_count=8, claims_done=2)
    imported = admin_client.get(reverse("admin:articles_article_import_status", args=[batch.pk])).json()
    exported = admin_client.get(reverse("claims:export-status", args=[export.pk])).json()
    assert imported == {
        "status": "running",
        "label": "Importing",
        "done": 3,
        "total": 12,
        "percent": 25,
        "working": True,
    }
    assert exported == {"status": "running", "label": "Running", "done": 2, "total": 8, "percent": 25, "working": True}


def test_the_progress_bar_is_named_for_screen_readers_and_carries_its_value():
    job = Export(status="running", claims_done=2, claim_count=8)
    html = render_to_string(
        "partials/progress.html", {"job": job, "label": "Export progress", "unit": "claims", "status_url": "/s/"}
    )
    assert '<label for="progress-bar">Export progress</label>' in html
    bar = re.search(r"<progress [^>]*>", html)[0]
    assert 'value="25"' in bar and 'aria-valuenow="25"' in bar and 'data-status-url="/s/"' in bar
    assert re.search(r'<span id="progress-count" role="status" data-unit="claims">2 of 8 claims</span>', html)


def test_a_bar_whose_amount_of_work_is_not_known_is_indeterminate():
    job = ImportBatch(status="previewing", records_done=120)
    html = render_to_string(
        "partials/progress.html", {"job": job, "label": "Import progress", "unit": "records", "status_url": "/s/"}
    )
    bar = re.search(r"<progress [^>]*>", html)[0]
    assert " value=" not in bar and "aria-valuenow" not in bar
    assert ">120 records</span>" in html


@pytest.mark.django_db
def test_the_import_and_export_pages_show_the_same_bar_while_their_job_works(admin_client, admin_user):
    batch = ImportBatch.objects.create(status="running", channel="admin", records_done=3, records_total=12)
    export = Export.objects.create(format="csv", channel="web", created_by=admin_user, claim_count=8, claims_done=2)
    pages = {
        "Import progress": admin_client.get(reverse("admin:articles_article_import_batch", args=[batch.pk])),
        "Export progress": admin_client.get(export.get_absolute_url()),
    }
    for label, response in pages.items():
        html = response.content.decode()
        assert f'<label for="progress-bar">{label}</label>' in html
        assert 'aria-valuenow="25"' in html and "js/progress" in html

    batch.status = "done"
    batch.save()
    html = admin_client.get(reverse("admin:articles_article_import_batch", args=[batch.pk])).content.decode()
    assert "<progress" not in html and "js/progress" not in html
