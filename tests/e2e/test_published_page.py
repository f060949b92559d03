"""A published claim set in a browser: the reviewer publishes it from the set's page, and the page is read
at a phone's width and a desktop's, served by the workbench and opened as a plain file from the storage
(no workbench needed), with no axe-core violation, nothing wider than the screen and no policy broken."""

import re

import pytest
from django.core.files.storage import default_storage
from playwright.sync_api import expect

from tests.e2e.test_accessibility import PHONE, violations
from tests.published_data import HOSTILE, published_seed_set

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def publication(roles, seeded, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return published_seed_set()


def overflow(page) -> int:
    """How many pixels the page is wider than the window (0: nothing to scroll sideways)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_a_reviewer_publishes_again_and_reads_the_page_on_a_phone(page, live_server, log_in, screenshot, publication):
    log_in("publish-reviewer")
    page.goto(f"{live_server.url}{publication.claim_set.get_absolute_url()}")
    page.get_by_role("button", name="Publish again").click()
    expect(page.get_by_text(re.compile(r"Published version 2 \(4 claims\) at http"))).to_be_visible()
    expect(page.get_by_role("link", name="version 1")).to_have_attribute("href", f"/published/{publication.slug}/v1/")
    assert violations(page) == []
    screenshot("set-published")
    page.get_by_role("link", name="the public page").click()
    expect(page).to_have_url(f"{live_server.url}/published/{publication.slug}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Seed claims")
    expect(page.get_by_role("heading", level=2, name=HOSTILE)).to_be_visible()
    expect(page.locator(".wbp-badge--verified").first).to_have_css("background-color", "rgb(23, 97, 46)")
    for width, name in ((PHONE, "published-390"), (DESKTOP, "published-1280")):
        page.set_viewport_size(width)
        assert violations(page) == []
        assert overflow(page) <= 0
        screenshot(name)


def test_the_stored_file_reads_the_same_with_no_workbench(page, publication, screenshot):
    page.set_viewport_size(PHONE)
    page.goto(f"file://{default_storage.path(publication.page_path)}")
    expect(page.get_by_role("heading", level=2)).to_have_count(4)
    expect(page.locator(".wbp-badge--disputed").first).to_have_css("background-color", "rgb(158, 27, 31)")
    assert violations(page) == [] and overflow(page) <= 0
    screenshot("published-file-390")
