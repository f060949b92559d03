"""Exports through the API: started with the export page's choices (format, statuses, a claim set or the claim
list's filters), followed to the end, downloaded, all through the export page's services and rules."""

import hashlib
import json

import pytest

from claims.models import Claim, ClaimSet, Export
from tests.api_helpers import ApiClient
from tests.factories import ClaimFactory, UserFactory

pytestmark = pytest.mark.django_db


def body(response) -> bytes:
    assert response.status_code == 200, response.content[:500]
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_viewer_with_a_read_only_token_exports_and_downloads_verified_claims(viewer, every_kind_of_claim):
    api = ApiClient(viewer, write=False)
    started = api.post("/exports", {"format": "json"})
    assert started.status_code == 202
    export = Export.objects.get()
    assert started["Location"].endswith(f"/api/v1/exports/{export.pk}")
    status = api.get(f"/exports/{export.pk}").json()
    assert (status["status"], status["percent"], status["statuses"]) == ("done", 100, ["verified"])
    assert (export.created_by, export.channel) == (viewer, "api")
    content = body(api.get(status["download"].removeprefix("/api/v1")))
    assert [c["id"] for c in json.loads(content)["claims"]] == [every_kind_of_claim["verified"].pk]
    assert status["sha256"] == hashlib.sha256(content).hexdigest() and status["size"] == len(content)


def test_an_export_takes_the_claim_lists_filters_and_statuses(viewer, every_kind_of_claim):
    api = ApiClient(viewer)
    started = api.post("/exports", {"format": "csv", "statuses": ["open", "disputed"], "filters": {"tag": "health"}})
    assert started.status_code == 202, started.content
    export = Export.objects.get()
    assert (export.filters, export.statuses) == ({"tag": ["health"]}, ["open", "disputed"])
    download = api.get(f"/exports/{export.pk}/download")
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="export-' in download["Content-Disposition"]
    expected = Claim.objects.filter(tags__name="health", status__in=["open", "disputed"]).count()
    assert body(download).decode("utf-8-sig").count("\r\n") == expected + 1  # the header, then a row each


def test_a_claim_set_is_exported_by_its_owner_and_admins_only(editor, admin_user, every_kind_of_claim):
    claim_set = ClaimSet.objects.create(name="Mine", owner=editor)
    claim_set.claims.add(every_kind_of_claim["verified"])
    stranger = ApiClient(UserFactory(username="stranger", role="viewer"))
    refused = stranger.post("/exports", {"format": "csv", "claim_set": claim_set.pk})
    assert refused.status_code == 403 and not Export.objects.exists()
    for user in (editor, admin_user):
        assert ApiClient(user).post("/exports", {"format": "csv", "claim_set": claim_set.pk}).status_code == 202
    assert [e.claim_count for e in Export.objects.all()] == [1, 1]


def test_anothers_export_is_theirs_and_the_admins(viewer, admin_user, every_kind_of_claim):
    ApiClient(viewer).post("/exports", {"format": "jsonl"})
    export = Export.objects.get()
    stranger = ApiClient(UserFactory(username="stranger", role="editor"))
    assert stranger.get(f"/exports/{export.pk}").status_code == 403
    assert stranger.get(f"/exports/{export.pk}/download").status_code == 403
    assert ApiClient(admin_user).get(f"/exports/{export.pk}/download").status_code == 200


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"format": "pdf"}, "format"),
        ({"format": "csv", "statuses": []}, "statuses"),
        ({"format": "csv", "statuses": ["maybe"]}, "statuses.0"),
        ({"format": "csv", "filters": {"colour": "red"}}, "filters"),
        ({"format": "csv", "filters": {"status": "open"}}, "filters"),
        ({"format": "csv", "filters": {"created_after": "last week"}}, "created"),
        ({"format": "csv", "claim_set": 999999}, "claim_set"),
    ],
)
def test_bad_choices_are_a_422_on_the_field_and_start_nothing(viewer, payload, field):
    response = ApiClient(viewer).post("/exports", payload)
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert field in [error["field"] for error in response.json()["errors"]]
    assert not Export.objects.exists()


def test_a_running_or_failed_export_has_nothing_to_download_yet(viewer):
    running = Export.objects.create(format="csv", created_by=viewer, channel="api", statuses=["verified"])
    response = ApiClient(viewer).get(f"/exports/{running.pk}/download")
    assert response.status_code == 409
    assert "still running" in response.json()["detail"]
    running.status, running.failure = Export.Status.FAILED, "The worker stopped"
    running.save()
    assert "The worker stopped" in ApiClient(viewer).get(f"/exports/{running.pk}/download").json()["detail"]


def test_claims_left_out_because_they_need_review_are_said(viewer):
    ClaimFactory(status=Claim.Status.REVIEW, verdict_basis={"status": "verified"})
    ApiClient(viewer).post("/exports", {"format": "csv"})
    status = ApiClient(viewer).get(f"/exports/{Export.objects.get().pk}").json()
    assert status["withheld"] == 1 and status["left_out"].startswith("1 claim left out: they need review")
