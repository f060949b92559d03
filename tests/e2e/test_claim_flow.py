"""The claim workflow in a real browser: an editor tags and links, a reviewer decides."""

import json
import re

import pytest
from playwright.sync_api import expect

from articles.models import Article
from articles.services import import_files
from claims.models import Claim
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

QUOTE = "as many as 100 LGBTQ men had been arrested, detained and tortured"
SELECT_JS = """(quote) => {
  const body = document.getElementById('article-body');
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(quote);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + quote.length);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    node.parentElement.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
    return true;
  }
  return false;
}"""


@pytest.fixture
def team(roles, seeded, live_server):
    UserFactory(username="editor", role="editor")
    UserFactory(username="reviewer", role="reviewer")
    return seeded


def select_words(page, words):
    assert page.evaluate(SELECT_JS, words), f"{words!r} not found in the reader"


def tag(page, words, wording="", tags=""):
    select_words(page, words)
    box = page.locator("#tag-claim")
    expect(box).to_be_visible()
    expect(box.locator(".tag-box__quote")).to_have_text(words)
    if wording:
        box.get_by_label("Claim, in your words").fill(wording)
    if tags:
        box.get_by_role("combobox", name="Tags").fill(tags)
    box.get_by_role("button", name="Tag claim").click()
    expect(box).to_be_hidden()


def link_passage(page, search, stance):
    page.get_by_role("searchbox", name="Words in the passage").fill(search)
    page.get_by_role("button", name="Find passages").click()
    result = page.locator(".passages li").filter(has_text=search).first
    result.get_by_role("button", name=stance).click()
    expect(page.get_by_role("listitem").filter(has_text=search).first).to_be_visible()


def open_claim_as(page, live_server, log_in, username, claim):
    page.context.clear_cookies()
    log_in(username)
    page.goto(f"{live_server.url}{claim.get_absolute_url()}")


def test_a_claim_is_tagged_linked_to_two_sources_and_verified(page, live_server, team, log_in, screenshot):
    log_in("editor")
    page.goto(f"{live_server.url}{team['000'].get_absolute_url()}")
    tag(page, QUOTE, tags="detentions")

    mark = page.locator("#article-body a.claim-mark--open")
    expect(mark).to_have_text(QUOTE)
    panel = page.locator("#claims-panel")
    expect(panel).to_contain_text(QUOTE)
    expect(panel.locator("a").first).to_be_focused()
    screenshot("reader-with-claim")

    mark.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(QUOTE)
    link_passage(page, "over 100 gay men were detained and tortured", "Supports")
    expect(page.get_by_text("1 of 2 independent supporting sources")).to_be_visible()
    link_passage(page, "at least 100 men have been detained", "Supports")
    expect(page.get_by_text("2 of 2 independent supporting sources")).to_be_visible()

    claim = Claim.objects.get()
    open_claim_as(page, live_server, log_in, "reviewer", claim)
    page.get_by_label("Verified").check()
    page.get_by_label("Rationale").fill("Two independent outlets report the same detentions.")
    page.get_by_role("button", name="Record verdict").click()
    expect(page.get_by_role("status").or_(page.locator(".messages"))).to_contain_text("Claim marked verified.")
    expect(page.locator(".claim-header .status")).to_contain_text("Verified")
    expect(page.get_by_label("Reopen")).to_be_visible()
    expect(page.get_by_label("Verified")).to_have_count(0)
    screenshot("claim-verified")

    page.goto(f"{live_server.url}{team['000'].get_absolute_url()}")
    expect(page.locator("#article-body a.claim-mark--verified")).to_have_text(QUOTE)
    screenshot("reader-verified")

    page.get_by_role("link", name="Claims", exact=True).click()
    page.get_by_role("link", name=re.compile("Verified")).click()
    expect(page.get_by_text("1 claim", exact=True)).to_be_visible()
    expect(page).to_have_url(re.compile(r"status=verified"))
    screenshot("claim-list")


def test_a_claim_contradicted_by_another_article_ends_disputed(page, live_server, team, log_in, screenshot):
    log_in("editor")
    page.goto(f"{live_server.url}{team['000'].get_absolute_url()}")
    words = 'announced the next day there was "no evidence" of the crisis'
    tag(page, words, wording="The Kremlin found no evidence of a crackdown")
    page.locator("#claims-panel a", has_text="The Kremlin found no evidence").click()
    link_passage(page, "tortured to death", "Contradicts")

    claim = Claim.objects.get()
    open_claim_as(page, live_server, log_in, "reviewer", claim)
    expect(page.locator(".verdict")).to_contain_text("Verified: Needs 2 more independent supporting sources")
    page.get_by_label("Disputed").check()
    page.get_by_label("Rationale").fill("Other outlets document deaths in custody.")
    page.get_by_role("button", name="Record verdict").click()
    expect(page.locator(".claim-header .status")).to_contain_text("Disputed")
    screenshot("claim-disputed")


def test_the_keyboard_reaches_claims_and_the_tag_box(page, live_server, team, log_in):
    log_in("editor")
    page.goto(f"{live_server.url}{team['000'].get_absolute_url()}")
    tag(page, QUOTE)
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("j")
    expect(page.locator("a.claim-mark").first).to_be_focused()
    select_words(page, "Both Russian and Chechen authorities have denied the claims.")
    page.keyboard.press("t")
    expect(page.locator("#tag-claim").get_by_label("Claim, in your words")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator("#tag-claim")).to_be_hidden()


def test_a_viewer_sees_claims_but_no_tag_box(page, live_server, team, log_in):
    UserFactory(username="viewer", role="viewer")
    log_in("viewer")
    page.goto(f"{live_server.url}{team['000'].get_absolute_url()}")
    select_words(page, QUOTE)
    expect(page.locator("#tag-claim")).to_have_count(0)
    expect(page.get_by_text("Tag a claim by its words")).to_have_count(0)


def test_an_old_version_offers_no_tagging_and_leads_the_editor_to_the_newest(
    page, live_server, team, log_in, screenshot
):
    def publish(name, text):
        record = {"title": "Evacuations continue", "url": "https://news.example/evacuations", "text": text}
        import_files(files=[(name, json.dumps(record).encode())], user=None)

    publish("v1.json", f"Rescuers said {QUOTE}.")
    publish("v2.json", f"Update: corrected on Tuesday.\n\nRescuers said {QUOTE}.")
    old, new = sorted(Article.objects.filter(url="https://news.example/evacuations"), key=lambda a: a.version)
    log_in("editor")
    page.goto(f"{live_server.url}{old.get_absolute_url()}")
    notice = page.get_by_role("note").filter(has_text="kept as it was")
    expect(notice).to_contain_text("this one takes no new claims")
    select_words(page, QUOTE)
    expect(page.locator("#tag-claim")).to_have_count(0)
    expect(page.get_by_text("Tag a claim by its words")).to_have_count(0)
    screenshot("reader-old-version")

    notice.get_by_role("link", name="Read version 2").click()
    expect(page).to_have_url(re.compile(rf"{new.get_absolute_url()}$"))
    page.wait_for_load_state()  # the reader's script is deferred: it listens once the page has loaded
    tag(page, QUOTE)
    expect(page.locator("#article-body a.claim-mark")).to_have_text(QUOTE)
    assert Claim.objects.get().article == new


def test_an_editor_without_javascript_tags_by_pasting_words(browser, live_server, team, screenshot):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}{team['000'].get_absolute_url()}")
    page.get_by_text("Tag a claim by its words").click()
    page.get_by_label("Words of the article that make the claim").fill(QUOTE)
    page.locator("#tag-by-quote").get_by_role("button", name="Tag claim").click()
    expect(page).to_have_url(re.compile(r"#claim-item-\d+$"))
    expect(page.locator("#article-body a.claim-mark")).to_have_text(QUOTE)
    context.close()
