"""In the browser: the story page for the five seeds says which outlet says what, and the reader marks
claim candidates and warns before a claim is tagged twice."""

import pytest
from playwright.sync_api import expect

from claims.candidates import marked_candidates
from tests.factories import UserFactory
from workbench.demo import add_demo_claims, add_demo_story

# The live server reads from another thread, so the data must be committed.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_site(roles, seeded, live_server):
    editor = UserFactory(username="editor", role="editor")
    add_demo_claims(editor=editor, reviewer=UserFactory(username="reviewer", role="reviewer"))
    return {"seeds": seeded, "story": add_demo_story(editor=editor)}


def _cell(page, claim_words: str, column: int):
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=claim_words))
    return row.get_by_role("cell").nth(column)


def test_the_story_page_for_the_five_seeds_shows_which_outlet_says_what(
    page, live_server, demo_site, log_in, screenshot
):
    log_in("editor")
    page.get_by_role("link", name="Stories").click()
    page.get_by_role("link", name=demo_site["story"].name).click()
    table = page.get_by_role("table", name="Claims of the story's articles")
    expect(table).to_be_visible()
    headers = [text.strip() for text in table.get_by_role("columnheader").all_text_contents()]
    assert headers[0] == "Claim" and len(headers) == 6  # the claim and the five outlets
    nbc = headers.index("NBC News") - 1
    first_seed = next(n for n, name in enumerate(headers) if name.startswith("#") and "In an age" in name) - 1
    # The 40 men: made by one outlet, supported (linked) by the first seed.
    forty = "The Russian LGBT Network has helped 40 gay and bisexual men flee Chechnya"
    expect(_cell(page, forty, first_seed)).to_have_text("✔ supports (linked)")
    # "Relocated within Russia": contradicted by the first seed, and the words say so without colour.
    expect(_cell(page, "Everyone rescued was relocated within Russia", first_seed)).to_contain_text("contradicts")
    # All Out: NBC's passage was linked as context.
    expect(_cell(page, "All Out joined the rescue of gay men from Chechnya", nbc)).to_have_text("◐ context (linked)")
    expect(page.get_by_role("list", name="Legend")).to_contain_text("suggested, not linked")
    expect(table.locator("td.story-cell--source")).to_have_count(4)  # each claim's own outlet
    screenshot("story-matrix")

    page.set_viewport_size({"width": 390, "height": 844})
    expect(table).to_be_visible()
    # The page does not scroll sideways: the wide table scrolls in its own region.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("story-matrix-390")
    page.get_by_role("button", name="Menu").click()  # on a phone the navigation is folded
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Stories").click()
    expect(page.get_by_role("link", name=demo_site["story"].name)).to_be_visible()
    screenshot("stories-390")


def test_the_matrix_downloads_as_csv(page, live_server, demo_site, log_in):
    log_in("editor")
    page.goto(f"{live_server.url}{demo_site['story'].get_absolute_url()}")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the matrix (CSV)").click()
    text = open(download.value.path(), encoding="utf-8-sig").read()
    assert text.startswith("claim_id,claim_url,wording")
    assert "✔ supports (linked)" in text


def test_claim_candidates_show_without_a_reload_and_one_opens_the_tag_box(
    page, live_server, demo_site, log_in, screenshot
):
    log_in("editor")
    article = demo_site["seeds"]["000"]
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    page.evaluate("window.notReloaded = true")
    page.get_by_role("link", name="Show claim candidates").click()
    markers = page.locator("a.candidate-marker")
    expect(markers.first).to_be_visible()
    assert page.evaluate("window.notReloaded") is True
    expect(page.get_by_role("link", name="Hide claim candidates")).to_be_focused()
    expect(page.locator("#reader-status")).to_contain_text("sentences worth checking")
    # The diamond and score are drawn by CSS; the label says it in words.
    label = markers.first.get_attribute("aria-label")
    assert label.startswith("Claim candidate, score ") and label.endswith("Tag it.")
    screenshot("reader-candidates")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("reader-candidates-390")
    page.set_viewport_size({"width": 1280, "height": 900})

    fundraiser = page.locator("a.candidate-marker[aria-label*='93,499']")
    fundraiser.click()
    box = page.get_by_role("form", name="Tag claim")
    expect(box).to_be_visible()
    expect(box.get_by_label("Claim, in your words")).to_have_value(
        'One of the fundraisers, titled "Helping Gay Men Flee Chechnya," raised $93,499 in just six days.'
    )
    box.get_by_role("button", name="Tag claim").click()
    expect(page.locator("#reader-status")).to_contain_text("Claim tagged.")
    expect(page.locator("#claims-panel")).to_contain_text("raised $93,499")
    # The candidates stay shown after the page redraws.
    expect(page.locator("a.candidate-marker").first).to_be_visible()


def test_the_tag_box_warns_when_the_words_are_already_tagged(page, live_server, demo_site, log_in, screenshot):
    log_in("editor")
    article = demo_site["seeds"]["003"]
    claim = article.claims.get(quote__startswith="says it has helped 40")
    sentence = next(c for c in marked_candidates(article.body) if c.start <= claim.start and claim.end <= c.end)
    page.goto(f"{live_server.url}{article.get_absolute_url()}?candidates=1")
    page.locator(f"a.candidate-marker[data-start='{sentence.start}']").click()
    warning = page.locator(".tag-box__duplicates")
    expect(warning).to_contain_text("Already tagged?")
    expect(warning.get_by_role("link", name=claim.wording)).to_have_attribute("href", claim.get_absolute_url())
    screenshot("reader-already-tagged")
    # Never blocking: the editor may still tag theirs.
    expect(page.get_by_role("form", name="Tag claim").get_by_role("button", name="Tag claim")).to_be_enabled()
