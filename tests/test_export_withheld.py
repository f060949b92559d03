"""A claim that needs review is not exported as verified or disputed, and every export that leaves such
claims out says how many and why."""

import csv
import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse

from claims.models import Claim, Export
from claims.services import claim_update, evidence_add_passage, verdict_record
from tests.factories import ArticleFactory, ClaimFactory, _passage_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_verified(editor, reviewer):
    """Two verified claims; the second one's wording was changed since its verdict."""
    claims = []
    for wording in ("Kept as judged", "Judged, then reworded"):
        claim = ClaimFactory(created_by=editor, wording=wording)
        for publisher in ("One", "Two"):
            passage = _passage_of(ArticleFactory(publisher=publisher))
            evidence_add_passage(claim=Claim.objects.get(pk=claim.pk), user=editor, passage=passage, stance="supports")
        claim = Claim.objects.get(pk=claim.pk)
        claims.append(
            verdict_record(
                claim=claim, user=reviewer, status="verified", rationale="Two.", expected_version=claim.version
            )
        )
    kept, changed = claims
    claim_update(claim=changed, user=editor, expected_version=changed.version, wording="400 men", tags="")
    return kept, Claim.objects.get(pk=changed.pk)


def test_a_verified_export_leaves_out_what_needs_review_and_says_so(client, viewer, two_verified):
    kept, changed = two_verified
    client.force_login(viewer)
    page = client.get(reverse("claims:export")).content.decode()
    assert "1 claim once verified needs review: what the verdict judged changed since." in page

    response = client.post(reverse("claims:export"), {"format": "claimreview", "statuses": ["verified"]})
    reviews = json.loads(b"".join(response.streaming_content))
    assert [review["claimReviewed"] for review in reviews] == ["Kept as judged"]
    export = Export.objects.get()
    assert (export.claim_count, export.withheld) == (1, 1)
    detail = client.get(export.get_absolute_url()).content.decode()
    assert "1 claim left out: they need review" in detail


def test_the_csv_of_verified_claims_holds_only_claims_whose_verdict_stands(client, viewer, two_verified):
    client.force_login(viewer)
    response = client.post(reverse("claims:export"), {"format": "csv", "statuses": ["verified"]})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [row["wording"] for row in rows] == ["Kept as judged"]


def test_the_command_says_what_it_left_out(tmp_path, capsys, two_verified):
    call_command("export_claims", "--format", "csv", "-o", str(tmp_path / "claims.csv"))
    out = capsys.readouterr().out
    assert "Exported 1 claim(s) (verified)" in out
    assert "1 claim left out: they need review: what their verdict judged changed since" in out


def test_asking_for_claims_that_need_review_exports_them_as_such(client, viewer, two_verified):
    client.force_login(viewer)
    response = client.post(reverse("claims:export"), {"format": "jsonl", "statuses": ["verified", "review"]})
    statuses = sorted(json.loads(line)["status"] for line in b"".join(response.streaming_content).splitlines())
    assert statuses == ["review", "verified"] and Export.objects.get().withheld == 0


def test_the_json_export_and_the_bundle_manifest_say_what_was_left_out(client, viewer, two_verified):
    client.force_login(viewer)
    response = client.post(reverse("claims:export"), {"format": "json", "statuses": ["verified"]})
    document = json.loads(b"".join(response.streaming_content))
    assert document["claim_count"] == 1
    assert document["left_out"] == {
        "claims": 1,
        "why": "they need review: what their verdict judged changed since, and no reviewer has confirmed it",
    }
    response = client.post(reverse("claims:export"), {"format": "bundle", "statuses": ["verified"]})
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as bundle:
        assert json.loads(bundle.read("manifest.json"))["left_out"]["claims"] == 1


def test_a_claimreview_of_a_claim_that_needs_review_publishes_no_verdict(client, viewer, two_verified):
    client.force_login(viewer)
    response = client.post(reverse("claims:export"), {"format": "claimreview", "statuses": ["review"]})
    [review] = json.loads(b"".join(response.streaming_content))
    assert "datePublished" not in review
    assert review["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Needs review",
        "ratingExplanation": "The wording changed after the verdict.",
    }
