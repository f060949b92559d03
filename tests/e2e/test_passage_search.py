"""The claim page's passage search in a real browser: ranked, stemmed, the matching words marked, one click to link."""

import pytest
from playwright.sync_api import expect

from claims.anchoring import anchor_for_quote
from claims.services import claim_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def claim(roles, seeded, live_server):
    editor = UserFactory(username="editor", role="editor")
    article = seeded["000"]
    return claim_create(article=article, user=editor, anchor=anchor_for_quote(article.body, "three confirmed deaths"))


def test_an_editor_finds_the_three_deaths_in_other_words_and_links_one(page, live_server, claim, log_in, screenshot):
    log_in("editor")
    page.goto(f"{live_server.url}{claim.get_absolute_url()}")
    page.get_by_label("Words in the passage").fill("three men died")
    page.get_by_role("button", name="Find passages").click()
    results = page.locator("ol.passages:not(.suggestions) > li")
    expect(results.first).to_contain_text("three")
    expect(results.first.locator("mark").first).to_be_visible()
    expect(page.locator("ol.passages:not(.suggestions)")).to_contain_text(
        "at least three of these people had been tortured to death"
    )
    screenshot("passage-search")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("passage-search-390")
    assert page.locator("ol.passages:not(.suggestions)").evaluate("el => el.scrollWidth <= el.clientWidth")
    page.set_viewport_size({"width": 1280, "height": 900})

    first = results.first.locator("blockquote").inner_text()
    results.first.get_by_role("button", name="Supports").click()
    expect(page.locator(".messages")).to_be_visible()
    again = page.locator("ol.passages:not(.suggestions) > li", has_text=first)
    expect(again).to_contain_text("Linked already: supports.")
    expect(again.get_by_role("button", name="Supports")).to_have_count(0)
