"""Exporting from the claim list, a claim set, the admin and the command line; every export recorded."""

import hashlib
import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from claims.exports.bundle import MANIFEST, verify
from claims.exports.services import export_start, export_stream
from claims.models import Claim, ClaimSet, Export
from tests.factories import ClaimFactory, UserFactory

pytestmark = pytest.mark.django_db


def download(response) -> bytes:
    assert response.status_code == 200, response.content[:500]
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_viewer_exports_what_the_filtered_claim_list_shows(client, viewer, every_kind_of_claim):
    ClaimFactory(status=Claim.Status.VERIFIED)  # verified, but without the tag filtered on
    client.force_login(viewer)
    url = reverse("claims:export") + "?tag=health"
    page = client.get(url)
    assert page.status_code == 200
    assert b'value="verified" checked' in page.content  # verified only, unless chosen otherwise

    content = download(client.post(url, {"format": "json", "statuses": ["verified"]}))

    document = json.loads(content)
    assert [c["id"] for c in document["claims"]] == [every_kind_of_claim["verified"].pk]
    assert document["selection"] == {"claim_set": None, "filters": {"tag": ["health"]}, "statuses": ["verified"]}
    export = Export.objects.get()
    assert (export.created_by, export.channel, export.format, export.claim_count) == (viewer, "web", "json", 1)
    assert export.sha256 == hashlib.sha256(content).hexdigest() and export.size == len(content)
    assert export.status == Export.Status.DONE


def test_the_list_status_filter_is_the_default_choice(client, viewer, every_kind_of_claim):
    client.force_login(viewer)
    page = client.get(reverse("claims:export") + "?status=disputed")
    assert b'value="disputed" checked' in page.content and b'value="verified" checked' not in page.content


def test_other_statuses_when_chosen(client, viewer, every_kind_of_claim):
    client.force_login(viewer)
    content = download(client.post(reverse("claims:export"), {"format": "jsonl", "statuses": ["open", "disputed"]}))
    assert sorted(json.loads(line)["status"] for line in content.splitlines()) == ["disputed", "open"]
    assert Export.objects.get().statuses == ["open", "disputed"]


def test_an_anonymous_visitor_cannot_export(client, every_kind_of_claim):
    for response in (
        client.get(reverse("claims:export")),
        client.post(reverse("claims:export"), {"format": "csv", "statuses": ["verified"]}),
    ):
        assert response.status_code == 302 and "/login/" in response.url
    assert not Export.objects.exists()


def test_bad_choices_are_shown_and_nothing_is_recorded(client, viewer, every_kind_of_claim):
    client.force_login(viewer)
    response = client.post(reverse("claims:export"), {"format": "pdf"})
    assert response.status_code == 400
    assert "Choose at least one status." in response.content.decode()
    assert "Select a valid choice" in response.content.decode()
    response = client.post(
        reverse("claims:export") + "?created_after=yesterday", {"format": "csv", "statuses": ["verified"]}
    )
    assert response.status_code == 400 and "These filters are not valid" in response.content.decode()
    assert not Export.objects.exists()


def test_a_large_export_runs_in_the_background_and_is_downloaded_when_done(
    client, viewer, settings, every_kind_of_claim
):
    settings.WORKBENCH_EXPORT_STREAM_MAX_CLAIMS = 1
    client.force_login(viewer)
    response = client.post(reverse("claims:export"), {"format": "csv", "statuses": ["verified", "disputed", "open"]})
    export = Export.objects.get()
    assert response.status_code == 302 and response.url == export.get_absolute_url()
    status = client.get(reverse("claims:export-status", args=[export.pk])).json()  # the task ran at once in tests
    assert status == {"status": "done", "label": "Done", "done": 3, "total": 3, "percent": 100, "working": False}
    page = client.get(export.get_absolute_url())
    assert reverse("claims:export-download", args=[export.pk]).encode() in page.content

    content = download(client.get(reverse("claims:export-download", args=[export.pk])))
    assert content.decode("utf-8-sig").count("\r\n") == 4  # header and three claims
    export.refresh_from_db()
    assert export.sha256 == hashlib.sha256(content).hexdigest()


def test_only_its_owner_and_admins_open_an_export(client, viewer, admin_user, every_kind_of_claim):
    client.force_login(viewer)
    client.post(reverse("claims:export"), {"format": "csv", "statuses": ["verified"]})
    export = Export.objects.get()
    client.force_login(UserFactory(role="viewer"))
    assert client.get(export.get_absolute_url()).status_code == 403
    assert client.get(reverse("claims:export-status", args=[export.pk])).status_code == 403
    client.force_login(admin_user)
    assert client.get(export.get_absolute_url()).status_code == 200
    assert client.get(reverse("admin:claims_export_changelist")).status_code == 200


def test_the_bundle_holds_every_format_and_a_manifest_that_checks_them(client, viewer, every_kind_of_claim):
    client.force_login(viewer)
    content = download(
        client.post(
            reverse("claims:export") + "?tag=health", {"format": "bundle", "statuses": ["verified", "disputed"]}
        )
    )
    archive = zipfile.ZipFile(io.BytesIO(content))
    manifest = json.loads(archive.read(MANIFEST))
    names = {"claims.csv", "claims.json", "claims.jsonl", "claimreview.jsonld", "annotations.jsonld"}
    names |= {"contexts/anno.jsonld"}
    assert {entry["name"] for entry in manifest["files"]} == names
    assert set(archive.namelist()) == names | {MANIFEST}
    for entry in manifest["files"]:
        assert hashlib.sha256(archive.read(entry["name"])).hexdigest() == entry["sha256"]
    assert manifest["exported_by"] == viewer.username
    assert manifest["claim_count"] == 2
    assert manifest["selection"] == {
        "claim_set": None,
        "filters": {"tag": ["health"]},
        "statuses": ["verified", "disputed"],
    }
    assert manifest["software"]["name"] == "workbench" and manifest["software"]["version"]
    assert verify(io.BytesIO(content)) == []


def test_verify_export_names_the_altered_file(tmp_path, every_kind_of_claim):
    good = tmp_path / "bundle.zip"
    call_command("export_claims", "--format", "bundle", "--status", "verified", "disputed", "open", "-o", str(good))
    call_command("verify_export", str(good))

    # Change one byte of one file's content, keeping the zip itself well-formed.
    altered = tmp_path / "altered.zip"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(altered, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "claims.jsonl":
                data = data.replace(b'"verified"', b'"verifiex"', 1)
            target.writestr(name, data)
    with pytest.raises(CommandError) as failure:
        call_command("verify_export", str(altered))
    assert "1 problem" in str(failure.value)
    problems = verify(altered.open("rb"))
    assert len(problems) == 1 and problems[0].startswith("claims.jsonl: altered")

    # One byte flipped in the archive itself: the damaged member is named.
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as source:
        member = source.getinfo("claims.csv")
    data[member.header_offset + 30 + len(member.filename) + 5] ^= 0xFF
    flipped = tmp_path / "flipped.zip"
    flipped.write_bytes(bytes(data))
    problems = verify(flipped.open("rb"))
    assert problems and all(problem.startswith("claims.csv") for problem in problems)


def test_export_claims_command(tmp_path, capsysbinary, every_kind_of_claim, editor):
    claim_set = ClaimSet.objects.create(name="For partners", owner=editor, selection=ClaimSet.Selection.PICKED)
    claim_set.claims.add(every_kind_of_claim["verified"], every_kind_of_claim["open"])
    target = tmp_path / "set.csv"
    call_command(
        "export_claims",
        "--set",
        "for partners",
        "--status",
        "verified",
        "open",
        "--format",
        "csv",
        "-o",
        str(target),
        "--user",
        editor.username,
    )
    rows = target.read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) == 3
    export = Export.objects.get()
    assert (export.channel, export.claim_set, export.created_by, export.claim_count) == (
        "command",
        claim_set,
        editor,
        2,
    )
    assert export.sha256 == hashlib.sha256(target.read_bytes()).hexdigest()

    capsysbinary.readouterr()
    call_command("export_claims", "--format", "jsonl", "-o", "-")
    out = capsysbinary.readouterr().out
    assert [json.loads(line)["status"] for line in out.splitlines()] == ["verified"]  # verified by default


def test_export_claims_refuses_an_unknown_set_and_a_missing_folder(tmp_path, db):
    with pytest.raises(CommandError, match="no claim set named 'nope'"):
        call_command("export_claims", "--set", "nope", "--format", "csv", "-o", str(tmp_path / "x.csv"))
    with pytest.raises(CommandError, match="no such folder"):
        call_command("export_claims", "--format", "csv", "-o", str(tmp_path / "missing" / "x.csv"))
    assert not list(tmp_path.iterdir())


def test_admins_export_the_claims_they_tick(client, admin_user, every_kind_of_claim):
    client.force_login(admin_user)
    picked = [every_kind_of_claim["disputed"].pk, every_kind_of_claim["open"].pk]
    response = client.post(
        reverse("admin:claims_claim_changelist"), {"action": "export_json", "_selected_action": picked}
    )
    document = json.loads(download(response))
    assert sorted(c["id"] for c in document["claims"]) == sorted(picked)
    export = Export.objects.get()
    assert export.channel == "admin" and export.statuses == ["open", "disputed"]


def test_exports_are_in_the_activity_feed(client, viewer, every_kind_of_claim):
    client.force_login(viewer)
    download(client.post(reverse("claims:export"), {"format": "csv", "statuses": ["verified"]}))
    page = client.get(reverse("activity") + "?kind=export").content.decode()
    assert "exported 1 claim (verified)" in page and "as CSV" in page


def test_the_export_page_costs_the_same_queries_however_many_claims(client, viewer, django_assert_max_num_queries):
    client.force_login(viewer)
    ClaimFactory.create_batch(3)
    with django_assert_max_num_queries(8):
        client.get(reverse("claims:export") + "?tag=x")
    ClaimFactory.create_batch(30)
    with django_assert_max_num_queries(8):
        client.get(reverse("claims:export") + "?tag=x")


def test_an_interrupted_download_is_recorded_as_such(every_kind_of_claim):
    export = export_start(export_format="csv", user=None, channel="web", statuses=["verified"])
    stream = export_stream(export)
    next(stream)
    stream.close()  # what the server does when the browser goes away
    export.refresh_from_db()
    assert export.status == Export.Status.FAILED and export.sha256 == ""
    assert "the download was interrupted" in export.failure
