"""The claim page laid out for the work, in a real browser: on a wide screen the article context and the
verdict (and a reviewer's discussion) beside the sources and suggestions, the history folded; on a phone one
column. Removing a link asks first and is undone from the message that confirms it. Screenshots land in
$WORKBENCH_SCREENSHOTS (/tmp/workbench-widths by default), to be looked at."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from claims.models import Claim, EvidenceLink
from tests.e2e.main_pages import log_in, newsroom  # noqa: F401 - newsroom is a fixture
from tests.e2e.test_accessibility import violations
from tests.e2e.test_layout_widths import DESKTOP, PHONE, _page_width, _shoot
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def _linked_claim() -> Claim:
    return Claim.objects.filter(evidence__isnull=False, status=Claim.Status.VERIFIED).distinct().first()


def test_on_a_wide_screen_the_verdict_sits_beside_the_sources(page, live_server, newsroom):  # noqa: F811
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server.url)
    claim = _linked_claim()
    page.goto(f"{live_server.url}{claim.get_absolute_url()}")
    verdict, sources = _box(page, "#verdict"), _box(page, "#evidence")
    context, discussion = _box(page, "section[aria-labelledby=quote-heading]"), _box(page, "#discussion")
    assert verdict["x"] + verdict["width"] <= sources["x"]  # side by side
    assert sources["y"] < verdict["y"] + verdict["height"]  # and level with each other
    assert context["x"] == verdict["x"] == discussion["x"]  # the reviewer's discussion under the verdict
    history = page.locator("#history > details")
    expect(history).not_to_have_attribute("open", "")
    expect(page.locator("#history .timeline")).to_be_hidden()
    expect(page.get_by_text("Position in the article: paragraph")).to_be_visible()
    _shoot(page, "claim-page-1280")

    page.get_by_role("link", name="History", exact=True).click()
    expect(page.locator("#history .timeline")).to_be_visible()


def test_on_a_phone_the_claim_page_is_one_column(page, live_server, newsroom):  # noqa: F811
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url)
    claim = _linked_claim()
    page.goto(f"{live_server.url}{claim.get_absolute_url()}")
    width = _page_width(page)
    assert width["scroll"] == width["viewport"] == PHONE["width"]
    verdict, sources = _box(page, "#verdict"), _box(page, "#evidence")
    assert verdict["x"] == sources["x"] and verdict["y"] < sources["y"]
    _shoot(page, "claim-page-390")


def test_removing_a_link_asks_first_and_the_message_undoes_it(page, live_server, newsroom):  # noqa: F811
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server.url)
    claim = _linked_claim()
    link = claim.evidence.filter(stance=EvidenceLink.Stance.SUPPORTS).select_related("passage__article").first()
    title = link.passage.article.title
    page.goto(f"{live_server.url}{claim.get_absolute_url()}")

    page.get_by_role("link", name=f"Remove link to {title}").click()
    expect(page.get_by_role("heading", name="Remove this source link?")).to_be_visible()
    expect(page.get_by_text("suspends the verdict")).to_be_visible()
    _shoot(page, "confirm-unlink-1280")
    page.get_by_role("button", name="Remove link").click()

    message = page.locator("#messages")
    expect(message).to_contain_text(f"Removed the link to “{title}”")
    expect(message).to_be_focused()
    assert not EvidenceLink.objects.filter(pk=link.pk).exists()
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.REVIEW
    _shoot(page, "unlink-undo-1280")

    message.get_by_role("button", name=f"Undo: link “{title}” again").click()
    expect(page.locator("#messages")).to_contain_text(f"The link to “{title}” is back")
    assert EvidenceLink.objects.filter(pk=link.pk).exists()
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.REVIEW  # the verdict is not silently back


def test_deleting_a_claim_asks_first_and_cancel_keeps_it(page, live_server, newsroom):  # noqa: F811
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, "editor")
    claim = Claim.objects.filter(status=Claim.Status.OPEN).first()
    page.goto(f"{live_server.url}{claim.get_absolute_url()}")
    page.get_by_role("link", name="Delete claim").click()
    expect(page.get_by_role("heading", name="Delete this claim?")).to_be_visible()
    width = _page_width(page)
    assert width["scroll"] == width["viewport"]
    _shoot(page, "confirm-delete-390")
    page.get_by_role("link", name="Cancel").click()
    expect(page).to_have_url(f"{live_server.url}{claim.get_absolute_url()}")
    assert Claim.objects.filter(pk=claim.pk).exists()

    page.goto(f"{live_server.url}{reverse('claims:delete', args=[claim.pk])}")
    page.get_by_role("button", name="Delete claim").click()
    expect(page.locator("#messages")).to_contain_text("deleted")
    assert not Claim.objects.filter(pk=claim.pk).exists()


def test_the_questions_and_the_undo_message_pass_axe_at_either_width(page, live_server, newsroom):  # noqa: F811
    UserFactory(username="chief", role="admin")
    claim = _linked_claim()
    link = claim.evidence.first()
    first = claim.history.earliest()
    log_in(page, live_server.url, "chief")
    found = {}
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        for name, url in (
            ("delete", reverse("claims:delete", args=[claim.pk])),
            ("rollback", f"{reverse('claims:rollback', args=[claim.pk])}?history_id={first.history_id}"),
        ):
            page.goto(f"{live_server.url}{url}")
            assert _page_width(page)["scroll"] == size["width"]
            _shoot(page, f"confirm-{name}-{size['width']}")
            found[f"{name} at {size['width']}"] = violations(page)
    page.goto(f"{live_server.url}{reverse('claims:unlink', args=[claim.pk, link.pk])}")
    page.get_by_role("button", name="Remove link").click()
    expect(page.locator("#messages")).to_contain_text("Removed the link")
    found["undo message"] = violations(page)
    assert {name: rules for name, rules in found.items() if rules} == {}


TAB_STOPS = """() => [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')]
  .filter(el => el.tabIndex >= 0 && el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
  .length"""


def test_the_folded_history_keeps_its_rollbacks_out_of_the_tab_order(page, live_server, newsroom):  # noqa: F811
    UserFactory(username="chief", role="admin")
    claim = _linked_claim()
    log_in(page, live_server.url, "chief")
    page.goto(f"{live_server.url}{claim.get_absolute_url()}")
    rollbacks = page.get_by_role("link", name="Roll back to version")
    expect(rollbacks.first).to_be_hidden()
    folded = page.evaluate(TAB_STOPS)
    page.locator("#history > details > summary").click()
    expect(rollbacks.first).to_be_visible()
    assert page.evaluate(TAB_STOPS) >= folded + rollbacks.count()
