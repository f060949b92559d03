"""Suggested sources in a real browser: an editor tags a claim and links what the workbench found for it."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from claims.anchoring import anchor_at
from claims.models import Claim, EvidenceLink
from claims.services import claim_create
from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.test_claim_flow import tag
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

DEATHS = "three confirmed deaths"
# What the other seeds say of the deaths: two of them are the first suggestions.
REPORTS = (
    "at least three of these people had been tortured to death",
    "at least three murders",
    "three men reportedly",
)


@pytest.fixture
def team(roles, seeded, live_server):
    UserFactory(username="editor", role="editor")
    UserFactory(username="viewer", role="viewer")
    return seeded


def first_suggestions(panel, n: int):
    return panel.locator("li.suggestion").all()[:n]


def test_a_claim_just_tagged_shows_its_suggestions_and_two_clicks_link_two_of_them(
    page, live_server, team, log_in, screenshot
):
    log_in("editor")
    page.goto(f"{live_server.url}{team['000'].get_absolute_url()}")
    tag(page, DEATHS)

    claim = Claim.objects.get(quote=DEATHS)
    suggestions = page.locator(f"#claim-item-{claim.pk} details.claim-suggestions")
    expect(suggestions).to_have_attribute("open", "")
    expect(suggestions.locator("li.suggestion").first).to_be_visible()
    expect(suggestions).to_contain_text("Text + meaning")
    top = first_suggestions(suggestions, 2)
    for item in top:
        assert any(report in item.inner_text() for report in REPORTS), item.inner_text()
        expect(item.locator("mark").first).to_be_visible()
    screenshot("suggestions-reader")

    for item in top:
        item.get_by_role("button", name="Supports").click()
        expect(item.locator(".suggestion__linked")).to_contain_text("(supports)")
    suggestions.screenshot(path=str(SCREENSHOTS / "suggestions-reader-linked.png"))
    expect(page.get_by_role("status").filter(has_text="Linked a passage")).to_have_count(1)

    links = EvidenceLink.objects.filter(claim=claim, stance=EvidenceLink.Stance.SUPPORTS).select_related("passage")
    assert len({link.passage.article_id for link in links}) == 2
    assert all(any(report in link.passage.text for report in REPORTS) for link in links)


def test_the_claim_page_links_a_suggestion_in_place_and_counts_it_among_the_sources(
    page, live_server, team, log_in, screenshot
):
    claim = tag_on_server(team, DEATHS)
    log_in("editor")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}{claim.get_absolute_url()}")
    panel = page.locator("#suggestions")
    expect(panel.get_by_role("heading", name="Suggested sources")).to_be_visible()
    first = panel.locator("li.suggestion").first
    widest = (
        "(id) => Math.max(...Array.from(document.querySelectorAll(`#${id} *`), e => e.getBoundingClientRect().right))"
    )
    assert page.evaluate(widest, "suggestions") <= 390
    screenshot("suggestions-claim-page-390")
    panel.screenshot(path=str(SCREENSHOTS / "suggestions-claim-page-390-panel.png"))

    first.get_by_role("button", name="Contradicts").click()
    expect(first.locator(".suggestion__linked")).to_be_focused()
    expect(page.locator("#evidence")).to_contain_text("0 of 2 independent supporting sources")
    expect(page.locator("#evidence .stance--contradicts .count")).to_have_text("1")


def test_a_viewer_reads_the_suggestions_in_the_reader_without_buttons(page, live_server, team, log_in, screenshot):
    claim = tag_on_server(team, DEATHS)
    log_in("viewer")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}{team['000'].get_absolute_url()}")
    suggestions = page.locator(f"#claim-item-{claim.pk} details.claim-suggestions")
    expect(suggestions.locator("li.suggestion")).to_have_count(0)  # nothing worked out before it is opened
    suggestions.locator("summary").click()
    expect(suggestions.locator("li.suggestion").first).to_be_visible()
    expect(suggestions.get_by_role("button")).to_have_count(0)
    suggestions.scroll_into_view_if_needed()
    screenshot("suggestions-reader-viewer-390")


def tag_on_server(seeded, quote: str) -> Claim:
    article = seeded["000"]
    start = article.body.index(quote)
    editor = User.objects.get(username="editor")
    return claim_create(article=article, user=editor, anchor=anchor_at(article.body, start, start + len(quote)))
