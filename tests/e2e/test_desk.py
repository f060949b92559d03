"""My desk in a real browser: the home page after login, what waits for a reviewer, the count in the top bar,
the board filtered by tag, on a desktop and on a phone."""

import pytest
from playwright.sync_api import expect

from claims import services
from claims.anchoring import anchor_for_quote
from claims.models import Claim
from tests.e2e.main_pages import log_in, newsroom  # noqa: F401 - newsroom is a fixture
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_a_reviewer_lands_on_their_desk_and_finds_what_waits_for_them(
    page,
    live_server,
    newsroom,  # noqa: F811
    seeded,
    screenshot,
):
    editor = newsroom["claim"].created_by
    reviewer = UserFactory(username="reviewer")
    desk_head = UserFactory(username="deskhead", role="reviewer")
    article = seeded["000"]
    ready = services.claim_create(
        article=article, user=editor, anchor=anchor_for_quote(article.body, "three confirmed deaths"), tags="casualties"
    )
    for seed in ("001", "002"):
        services.evidence_add_passage(
            claim=ready, user=editor, passage=seeded[seed].passages.first(), stance="supports"
        )
    services.claim_assign(
        claim=newsroom["claim"], user=desk_head, task="review", assignee=reviewer, note="Before the evening edition"
    )
    services.comment_post(claim=ready, user=editor, body="@reviewer two outlets agree on this one")

    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("My desk")
    nav = page.get_by_role("navigation", name="Main")
    # The assignment waits; the mention is on the page in front of the reviewer, so it is seen.
    expect(nav.get_by_role("link", name="My desk 1 waiting")).to_be_visible()

    assigned = page.get_by_role("region", name="Assigned to me")
    expect(assigned).to_contain_text(newsroom["claim"].wording)
    expect(assigned).to_contain_text("from deskhead: Before the evening edition")
    expect(page.get_by_role("region", name="Ready for your verdict")).to_contain_text(ready.wording)
    expect(page.get_by_role("region", name="Mentions")).to_contain_text("two outlets agree on this one")
    board = page.get_by_role("region", name="The board")
    expect(board.get_by_role("region", name="To review")).to_contain_text(ready.wording)
    expect(board.get_by_role("region", name="To source")).to_contain_text(newsroom["claim"].wording)
    decided = board.get_by_role("region", name="Decided")
    expect(decided.get_by_role("listitem")).to_have_count(
        Claim.objects.filter(status__in=["verified", "disputed"]).count()
    )
    assert _page_width(page) == 1280
    screenshot("desk-1280")

    board.get_by_label("Tag").fill("casualties")
    board.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(f"{live_server.url}/?tag=casualties&assigned=")
    board = page.get_by_role("region", name="The board")
    expect(board.get_by_role("region", name="To review").get_by_role("listitem")).to_have_count(1)
    expect(board.get_by_role("region", name="Decided")).to_contain_text("None.")
    services.comment_post(claim=ready, user=editor, body="@reviewer and a third one now")
    nav.get_by_role("link", name="Articles").click()
    expect(nav.get_by_role("link", name="My desk 2 waiting")).to_be_visible()  # a new mention since the last look
    page.go_back()
    board.get_by_role("region", name="To review").get_by_role("link", name="Every open claim").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Claims")
    expect(page.locator("tbody tr")).to_have_count(1)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/")
    assert _page_width(page) == 390
    screenshot("desk-390")
    page.get_by_role("region", name="Assigned to me").get_by_role("link", name=newsroom["claim"].wording).click()
    expect(page).to_have_url(f"{live_server.url}{newsroom['claim'].get_absolute_url()}")
