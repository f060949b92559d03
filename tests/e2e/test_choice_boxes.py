"""Choosing an article or a person by typing, in a real browser: the box suggests, the page never lists all."""

import pytest
from playwright.sync_api import expect

from articles.passages import ensure_passages
from tests.factories import ClaimFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_editor_finds_an_article_to_read_passages_of_by_typing_its_title(
    page, live_server, roles, seeded, log_in, screenshot
):
    editor = UserFactory(username="editor", role="editor")
    claim = ClaimFactory(created_by=editor, article=seeded["000"])
    source = seeded["004"]
    ensure_passages([source])
    log_in("editor")
    page.goto(f"{live_server.url}{claim.get_absolute_url()}")
    box = page.get_by_label("In article")
    box.press_sequentially("Rainbow Railroad", delay=20)
    options = page.locator(f"#{box.get_attribute('list')} option")
    expect(options).to_have_count(1)
    assert options.first.get_attribute("value") == str(source.pk)
    box.fill(options.first.get_attribute("value"))
    page.get_by_role("button", name="Find passages").click()
    expect(page.locator(".passages li").first).to_contain_text(source.title)
    expect(page.get_by_text(f"#{source.pk} {source.title}")).to_be_visible()
    screenshot("claim-page-article-box")


def test_the_claim_list_suggests_people_as_one_types(page, live_server, roles, seeded, log_in, screenshot):
    editor = UserFactory(username="editor", role="editor")
    UserFactory(username="editor-two", role="editor")
    ClaimFactory(created_by=editor, article=seeded["000"])
    log_in("editor")
    page.goto(f"{live_server.url}/claims/")
    page.get_by_text("Filters", exact=True).click()
    box = page.get_by_label("Tagged by")
    box.press_sequentially("edi", delay=20)
    expect(page.locator(f"#{box.get_attribute('list')} option")).to_have_count(2)
    box.fill("editor")
    page.get_by_role("button", name="Apply", exact=True).click()
    expect(page.get_by_text("1 claim", exact=True)).to_be_visible()
    screenshot("claim-list-person-box")
