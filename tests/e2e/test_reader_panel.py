"""The reader in a real browser: the claims panel says each claim's quote, status, tags and sources; a
selection snaps to whole words; the tag box opens beside the text, not over it. Screenshots at 1280 and 390
px land in $WORKBENCH_SCREENSHOTS (/tmp/workbench-widths by default), to be looked at."""

import pytest
from playwright.sync_api import expect

from articles.models import Article
from claims.models import Claim
from tests.e2e.main_pages import log_in, newsroom  # noqa: F401 - newsroom is a fixture
from tests.e2e.test_layout_widths import DESKTOP, PHONE, _page_width, _shoot

pytestmark = pytest.mark.django_db(transaction=True)

SENTENCE = "as many as 100 LGBTQ men had been arrested"
# From inside "many" to inside "arrested": the words it touches are taken whole.
SELECT_PART_JS = """([sentence, from, to]) => {
  const body = document.getElementById('article-body');
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(sentence);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at + from);
    range.setEnd(node, at + to);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    node.parentElement.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
    return true;
  }
  return false;
}"""


def _reader_url(live_server) -> str:
    return f"{live_server.url}{Article.objects.current().get(body__contains=SENTENCE).get_absolute_url()}"


def test_a_selection_snaps_to_whole_words_and_the_box_opens_beside_the_text(page, live_server, newsroom):  # noqa: F811
    page.set_viewport_size(DESKTOP)
    log_in(page, live_server.url, "editor")
    page.goto(_reader_url(live_server))
    start, end = SENTENCE.index("many") + 2, SENTENCE.index("arrested") + 4
    assert page.evaluate(SELECT_PART_JS, [SENTENCE, start, end])
    box = page.locator("#tag-claim")
    expect(box).to_be_visible()
    expect(box.locator(".tag-box__quote")).to_have_text("many as 100 LGBTQ men had been arrested")
    text, shown = page.locator("#article-body").bounding_box(), box.bounding_box()
    assert shown["x"] >= text["x"] + text["width"]  # beside the words, not over them
    selected = page.evaluate("getSelection().toString()")
    assert selected.split() == "many as 100 LGBTQ men had been arrested".split()
    _shoot(page, "reader-tag-box-1280")

    box.get_by_role("button", name="Tag claim").click()
    expect(box).to_be_hidden()
    claim = Claim.objects.get(quote="many as 100 LGBTQ men had been arrested")
    expect(page.locator(f"#claim-item-{claim.pk}")).to_contain_text("no sources yet")


def test_the_claims_panel_shows_quote_status_tags_and_sources(page, live_server, newsroom):  # noqa: F811
    claim = Claim.objects.filter(status=Claim.Status.VERIFIED, tags__isnull=False).distinct().first()
    for size, name in ((DESKTOP, "reader-panel-1280"), (PHONE, "reader-panel-390")):
        page.set_viewport_size(size)
        if size is DESKTOP:
            log_in(page, live_server.url)
        page.goto(f"{live_server.url}{claim.article.get_absolute_url()}")
        item = page.locator(f"#claim-item-{claim.pk}")
        expect(item).to_contain_text("Verified")
        expect(item).to_contain_text(claim.tags.first().name)
        expect(item).to_contain_text("supporting")
        if claim.quote.split() != claim.wording.split():
            expect(item.locator(".claim-item__quote")).to_contain_text(claim.quote[:40])
        width = _page_width(page)
        assert width["scroll"] == width["viewport"] == size["width"]
        _shoot(page, name)
