"""An editor logs in and reads every seed article, cleaned, with its provenance."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory

# The live server reads from another thread, so the data must be committed.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def seeded_site(roles, seeded, live_server):
    UserFactory(username="editor", role="editor")
    return seeded


def test_an_editor_logs_in_and_reads_all_five_seeds(page, live_server, seeded_site, log_in, screenshot):
    page.goto(f"{live_server.url}/articles/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/articles/"))
    screenshot("login")

    log_in("editor")
    expect(page.get_by_role("heading", name="My desk")).to_be_visible()  # the home page after login
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Articles").click()
    expect(page.get_by_role("heading", name="Articles")).to_be_visible()
    expect(page.get_by_text("5 articles")).to_be_visible()
    screenshot("article-list")

    for code, article in sorted(seeded_site.items()):
        page.goto(f"{live_server.url}/articles/")
        page.get_by_role("link", name=article.title).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(article.title)
        first_paragraph = article.body.split("\n\n")[0]
        expect(page.locator(".reader__body p").first).to_have_text(first_paragraph)
        provenance = page.get_by_role("complementary")
        expect(provenance).to_contain_text(article.content_hash)
        expect(provenance).to_contain_text(article.origin_file)
        screenshot(f"reader-{code}")


def test_a_wrong_password_keeps_the_visitor_on_the_login_page(page, live_server, seeded_site, log_in):
    log_in("editor", password="wrong")
    expect(page.get_by_role("alert")).to_contain_text("Please enter a correct username and password")


def test_searching_titles_narrows_the_list(page, live_server, seeded_site, log_in):
    log_in("editor")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Articles").click()
    page.get_by_role("searchbox", name="Search titles").fill("Rainbow")
    page.keyboard.press("Enter")
    expect(page.get_by_text("1 article matching “Rainbow”")).to_be_visible()
    expect(page.locator("tbody tr")).to_have_count(1)


def test_logging_out_returns_to_the_login_page(page, live_server, seeded_site, log_in):
    log_in("editor")
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="You are logged out")).to_be_visible()
    page.goto(f"{live_server.url}/articles/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
