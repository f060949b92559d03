"""Issue 4's acceptance: a seed claim tagged, linked, verified, reopened and disputed in the browser;
its page tells the whole story and the activity page shows it under each user."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_claim_flow import QUOTE, link_passage, tag
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def team(roles, seeded, live_server):
    return {
        "seeds": seeded,
        "editor": UserFactory(username="editor", role="editor"),
        "reviewer": UserFactory(username="reviewer", role="reviewer"),
    }


def decide(page, verdict, rationale):
    page.get_by_label(verdict, exact=True).check()
    page.get_by_label("Rationale").fill(rationale)
    page.get_by_role("button", name="Record verdict").click()


def test_the_claim_page_and_the_activity_page_tell_the_whole_story(page, live_server, team, log_in, screenshot):
    log_in("editor")
    page.goto(f"{live_server.url}{team['seeds']['000'].get_absolute_url()}")
    page.wait_for_load_state("load")
    tag(page, QUOTE, tags="detentions")
    page.locator("#article-body a.claim-mark").click()
    link_passage(page, "over 100 gay men were detained and tortured", "Supports")
    link_passage(page, "at least 100 men have been detained", "Supports")
    claim_url = page.url.split("?")[0].split("#")[0]

    page.context.clear_cookies()
    log_in("reviewer")
    page.goto(claim_url)
    decide(page, "Verified", "Two independent outlets report the detentions.")
    decide(page, "Reopen", "A reader sent a correction to check.")
    link_passage(page, "tortured to death", "Contradicts")
    decide(page, "Disputed", "The count differs between outlets.")

    page.get_by_role("link", name="History", exact=True).click()  # the history is folded until asked for
    story = page.locator(".timeline__what")
    expected = [
        "editor tagged the claim",
        "editor linked a supporting source from “In an age where gay men",
        "editor linked a supporting source from “A ‘Rainbow Railroad’ Is Helping",
        "reviewer marked it verified: two independent supporting sources — Two independent outlets report",
        "reviewer reopened it (it was verified) — A reader sent a correction to check.",
        "reviewer linked a contradicting source from “These Russians helped 40 gay and bi men",
        "reviewer marked it disputed: one contradicting source — The count differs between outlets.",
    ]
    expect(story).to_have_count(len(expected))
    for index, sentence in enumerate(expected):
        expect(story.nth(index)).to_contain_text(sentence)
    page.locator(".timeline__entry--verdict details").first.locator("summary").click()
    expect(page.locator(".timeline__entry--verdict .diff").first).to_contain_text("open")
    screenshot("claim-history")

    page.get_by_role("link", name="Activity").click()
    feed = page.locator("table")
    expect(feed).to_contain_text("reviewer changed claim")
    feed.get_by_role("link", name="editor", exact=True).first.click()
    expect(page).to_have_url(re.compile(r"user=\d+"))
    expect(feed).to_contain_text("editor tagged claim “as many as 100 LGBTQ men")
    expect(feed).to_contain_text("editor linked source")
    expect(feed).not_to_contain_text("reviewer changed claim")
    screenshot("activity-editor")
    page.goto(f"{live_server.url}/activity/?user={team['reviewer'].pk}")
    for change in ("status open → verified", "status verified → open", "status open → disputed"):
        expect(feed).to_contain_text(change)
    expect(feed).not_to_contain_text("editor tagged claim")
