"""Issue 6 in a browser: a viewer exports the verified claims as a bundle whose every file passes its
validator, picks claims into a set, and follows an export too large to stream to its download."""

import io
import json
import re
import zipfile

import pytest
from playwright.sync_api import expect

from claims.exports.bundle import MANIFEST
from tests.conformance_checks import BUNDLE_CHECKS, bundle_problems
from tests.export_data import claims_of_every_kind
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

ALL_CLEAR = {MANIFEST: [], **{name: [] for name in BUNDLE_CHECKS}}


@pytest.fixture
def newsroom(roles, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # where background exports are written
    UserFactory(username="viewer", role="viewer")
    return claims_of_every_kind()


def status_box(page, status):
    return page.locator(f'#export-form input[name="statuses"][value="{status}"]')


def manifest_of(bundle: bytes) -> dict:
    return json.loads(zipfile.ZipFile(io.BytesIO(bundle)).read(MANIFEST))


def export_bundle(page) -> bytes:
    page.get_by_label(re.compile(r"^Bundle")).check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Export", exact=True).click()
    assert download.value.suggested_filename.endswith("-bundle.zip")
    return download.value.path().read_bytes()


def test_a_viewer_exports_the_verified_claims_as_a_bundle(page, live_server, newsroom, log_in, screenshot):
    log_in("viewer")
    page.goto(f"{live_server.url}/claims/")
    page.get_by_role("navigation", name="Status").get_by_role("link", name=re.compile("Verified")).click()
    expect(page).to_have_url(re.compile(r"status=verified"))
    page.get_by_role("link", name="Export…").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Export claims")
    expect(status_box(page, "verified")).to_be_checked()
    expect(status_box(page, "disputed")).not_to_be_checked()
    expect(status_box(page, "open")).not_to_be_checked()
    screenshot("export-page")
    content = export_bundle(page)

    assert bundle_problems(content) == ALL_CLEAR
    manifest = manifest_of(content)
    assert manifest["selection"]["statuses"] == ["verified"]
    assert (manifest["claim_count"], manifest["exported_by"]) == (1, "viewer")


def test_a_viewer_picks_claims_into_a_set(page, live_server, newsroom, log_in, screenshot):
    log_in("viewer")
    page.goto(f"{live_server.url}/claims/sets/")
    expect(page.get_by_text("No claim sets yet.")).to_be_visible()
    page.get_by_label("Name").fill("Health desk, March")
    page.get_by_label("Description").fill("Claims on waiting times for the Friday round-up.")
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Health desk, March")

    page.goto(f"{live_server.url}/claims/")
    for claim in (newsroom["verified"], newsroom["disputed"]):
        page.get_by_label(f"Select “{claim.wording[:40]}", exact=False).check()
    page.get_by_label("With the ticked claims").select_option("Add to a claim set")
    page.get_by_label("Claim set").select_option("Health desk, March")
    screenshot("claim-list-picking")
    page.get_by_role("button", name="Apply to the ticked claims").click()
    expect(page.get_by_role("status")).to_contain_text("Added 2 claims to “Health desk, March”")

    page.goto(f"{live_server.url}/claims/sets/")
    expect(page.get_by_role("cell", name="2 picked claims")).to_be_visible()
    screenshot("claim-sets")
    page.get_by_role("link", name="Health desk, March").click()
    expect(page.get_by_text("2 claims of any status")).to_be_visible()
    screenshot("claim-set")

    page.get_by_role("link", name="Export…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Export “Health desk, March”")
    status_box(page, "disputed").check()
    screenshot("export-claim-set")
    content = export_bundle(page)
    assert bundle_problems(content) == ALL_CLEAR
    selection = manifest_of(content)["selection"]
    assert (selection["claim_set"], selection["statuses"]) == ("Health desk, March", ["verified", "disputed"])
    assert manifest_of(content)["claim_count"] == 2


def test_a_large_export_runs_in_the_background_and_downloads_when_done(
    page, live_server, newsroom, log_in, screenshot, settings
):
    settings.WORKBENCH_EXPORT_STREAM_MAX_CLAIMS = 1
    log_in("viewer")
    page.goto(f"{live_server.url}/claims/export/")
    for status in ("disputed", "open"):
        status_box(page, status).check()
    page.get_by_label(re.compile(r"^Bundle")).check()
    page.get_by_role("button", name="Export", exact=True).click()

    expect(page).to_have_url(re.compile(r"/claims/exports/\d+/$"))
    expect(page.locator("#progress-status")).to_have_text("Done")
    expect(page.locator("#progress")).to_contain_text("3 claims (open, verified, disputed)")
    screenshot("export-background-done")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download").click()
    content = download.value.path().read_bytes()
    assert bundle_problems(content) == ALL_CLEAR
    assert manifest_of(content)["claim_count"] == 3
