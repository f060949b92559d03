"""The navigation's search box in a real browser: from any page to articles and claims holding the words."""

import pytest
from playwright.sync_api import expect

from claims.anchoring import anchor_for_quote
from claims.services import claim_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_editor_searches_from_the_navigation_and_opens_a_claim(page, live_server, roles, seeded, log_in, screenshot):
    editor = UserFactory(username="editor", role="editor")
    article = seeded["000"]
    claim = claim_create(article=article, user=editor, anchor=anchor_for_quote(article.body, "three confirmed deaths"))
    log_in("editor")
    page.goto(f"{live_server.url}/claims/")
    page.get_by_role("search").get_by_label("Search articles and claims").fill("confirmed deaths")
    page.get_by_role("search").get_by_label("Search articles and claims").press("Enter")
    articles = page.get_by_role("region", name="Articles").get_by_role("listitem")
    expect(articles.first.locator("mark").first).to_be_visible()
    claims = page.get_by_role("region", name="Claims").get_by_role("listitem")
    expect(claims).to_have_count(1)
    expect(claims.first.locator("mark").first).to_have_text("confirmed deaths")
    screenshot("search")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("search-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    claims.first.get_by_role("link").first.click()
    expect(page).to_have_url(f"{live_server.url}{claim.get_absolute_url()}")
