"""WCAG 2.1 AA in the browser: axe-core (static/vendor/axe-core/, never served to the workbench's own pages)
runs on every main page at a desktop's width and a phone's, and any violation fails the test, with the rule,
its help and the elements it found. Then the barriers the keyboard-only audit found (issue 15), each checked
as a user meets it: groups with a legend, messages announced where focus lands, highlights named with their
status, a tag box in reading order, and a short way to "Link an external source"."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.main_pages import lock_out, log_in, main_pages, newsroom  # noqa: F401 - newsroom is a fixture

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 390, "height": 844}


def violations(page) -> list[str]:
    """What axe finds on the page, every <details> opened (axe skips what is hidden), one line per rule with
    the elements it names.

    The script is evaluated through the browser's debugging protocol, which the page's Content-Security-Policy
    does not govern (an injected <script> would be refused, and would fail the test as a violation)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    page.evaluate("document.querySelectorAll('details').forEach(details => { details.open = true; })")
    found = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
            return result.violations.map(v => `${v.id} (${v.impact}): ${v.help} — ` +
                v.nodes.slice(0, 4).map(n => n.target.join(" ")).join(", "));
        }""",
        TAGS,
    )
    return found + [f"{name} names no element: {ids}" for name, ids in missing_references(page)]


def missing_references(page) -> list:
    """Attributes that name elements by id (aria-describedby, a label's for, ...) naming one the page lacks."""
    return page.evaluate(
        """() => {
            const missing = [];
            for (const name of ["aria-describedby", "aria-labelledby", "aria-controls", "for", "list", "form"]) {
                for (const el of document.querySelectorAll(`[${name}]`)) {
                    if (name === "for" && el.tagName !== "LABEL" || name === "form" && el.tagName === "FORM") continue;
                    const ids = el.getAttribute(name).split(/\\s+/).filter(Boolean);
                    const absent = ids.filter(id => !document.getElementById(id));
                    if (absent.length || !ids.length) missing.push([name, el.outerHTML.slice(0, 120)]);
                }
            }
            return missing;
        }"""
    )


def test_axe_finds_nothing_on_any_main_page_at_either_width(page, live_server, newsroom):  # noqa: F811
    found = {}
    pages = main_pages(newsroom)
    for shown in [p for p in pages if not p.signed_in]:
        page.goto(f"{live_server.url}{shown.path}")
        found[shown.name] = violations(page)
    log_in(page, live_server.url, username="", password="")  # each field in error
    found["login in error"] = violations(page)
    log_in(page, live_server.url)
    for width in ({"width": 1280, "height": 900}, PHONE):
        page.set_viewport_size(width)
        for shown in [p for p in pages if p.signed_in]:
            page.goto(f"{live_server.url}{shown.path}")
            found[f"{shown.name} at {width['width']}px"] = violations(page)
    page.goto(f"{live_server.url}{reverse('articles:list')}")
    page.get_by_role("button", name="Menu").click()  # the navigation open on a phone
    found["navigation open at 390px"] = violations(page)
    assert {name: rules for name, rules in found.items() if rules} == {}


def test_axe_finds_nothing_on_the_lock_out_page(page, live_server, newsroom):  # noqa: F811
    lock_out(page, live_server.url)
    assert violations(page) == []


def test_axe_sees_a_violation_when_there_is_one(page, live_server, newsroom):  # noqa: F811
    """The check itself works: an image without a text alternative, added to a page, is found."""
    page.goto(f"{live_server.url}{reverse('login')}")
    page.evaluate(
        "document.querySelector('main').append(Object.assign(document.createElement('img'), {src: '/x.png'}))"
    )
    assert [line for line in violations(page) if line.startswith("image-alt")]


def test_the_claim_list_date_ranges_are_groups_with_a_legend(page, live_server, newsroom):  # noqa: F811
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}{reverse('claims:list')}")
    page.get_by_text("Filters", exact=True).click()
    tagged = page.get_by_role("group", name="Tagged between")
    expect(tagged.get_by_role("textbox", name=re.compile("From"))).to_be_visible()
    expect(tagged.get_by_label("To")).to_be_visible()
    expect(page.get_by_role("group", name="Reviewed between")).to_be_visible()
    assert page.locator('label[for=""]').count() == 0


def test_the_verdict_choices_are_a_group_and_a_refused_verdict_puts_focus_where_the_problem_is(
    page,
    live_server,
    newsroom,  # noqa: F811
):
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}{newsroom['claim'].get_absolute_url()}")
    # No verdict chosen, and the browser's own check of `required` left out: the server's answer.
    page.locator("#verdict form").evaluate("form => { form.noValidate = true; }")
    page.get_by_role("button", name="Record verdict").click()
    verdict = page.get_by_role("group", name="Verdict")
    expect(verdict.get_by_role("radio").first).to_be_focused()
    described = verdict.get_attribute("aria-describedby")
    assert described
    for id_ in described.split():  # every id it names exists
        expect(page.locator(f"#{id_}")).to_have_count(1)
    expect(page.locator(f"#{described.split()[-1]}")).to_have_text("This field is required.")

    verdict.get_by_role("radio", name="Disputed").check()  # refused: no contradicting source
    page.get_by_label("Rationale").fill("The network's own report says otherwise.")
    page.get_by_role("button", name="Record verdict").click()
    alert = page.locator("#verdict").get_by_role("alert")
    expect(alert).to_contain_text("contradict")
    expect(alert).to_be_focused()


def test_after_a_search_one_link_skips_the_results_to_link_an_external_source(
    page,
    live_server,
    newsroom,  # noqa: F811
):
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}{newsroom['claim'].get_absolute_url()}")
    page.get_by_label("Words in the passage").fill("Chechnya")
    page.get_by_role("button", name="Find passages").click()
    expect(page.get_by_role("list", name="Passages found").get_by_role("listitem").first).to_be_visible()
    page.get_by_role("button", name="Find passages").focus()
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name=re.compile(r"^Skip the \d+ passages? found: link an external source"))
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    summary = page.locator("summary", has_text="Link an external source")
    expect(summary).to_be_focused()
    page.keyboard.press("Enter")  # the disclosure opens
    expect(page.get_by_label("URL")).to_be_visible()


def test_after_a_server_action_the_message_is_announced_where_the_work_goes_on(
    page,
    live_server,
    newsroom,  # noqa: F811
):
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}{newsroom['claim'].get_absolute_url()}")
    page.locator("summary", has_text="Link an external source").click()
    page.get_by_label("URL").fill("https://news.example/chechnya")
    page.get_by_label("Title").fill("A report")
    page.get_by_label("Stance").select_option("supports")
    page.get_by_role("button", name="Link source").click()
    status = page.locator("#messages")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_contain_text("Linked the external source.")
    expect(status).to_be_focused()
    # Shown in the sources it is about, not at the top of the page.
    expect(page.locator("#evidence #messages")).to_have_count(1)


def test_a_highlight_says_its_status_in_its_name(page, live_server, newsroom):  # noqa: F811
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}{newsroom['claim'].article.get_absolute_url()}")
    mark = page.locator("#article-body a.claim-mark").first
    expect(mark).to_have_accessible_name(re.compile(r"^Open claim: "))
    words = mark.inner_text()
    expect(mark).to_have_accessible_name(f"Open claim: {words}")
    page.goto(f"{live_server.url}{newsroom['claim'].article.get_absolute_url()}?candidates=1")
    # In a candidate sentence too: the words, not the candidate's markup.
    for mark in page.locator("#article-body a.claim-mark").all():
        expect(mark).to_have_accessible_name(re.compile(r"^(Open|Verified|Disputed) claim: [^<]+$"))


def test_tabbing_past_the_tag_box_goes_on_to_the_claims_panel(page, live_server, newsroom):  # noqa: F811
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}{newsroom['claim'].article.get_absolute_url()}")
    page.evaluate("""() => {
        const p = document.querySelector('#article-body p');
        const range = document.createRange();
        range.selectNodeContents(p.firstChild.nodeType === 3 ? p : p.firstChild);
        getSelection().removeAllRanges(); getSelection().addRange(range);
    }""")
    page.keyboard.press("t")
    expect(page.locator("#tag-wording")).to_be_focused()
    for _ in range(12):  # the tags, any claim it may duplicate, Tag claim, Cancel, and out
        page.keyboard.press("Tab")
        if not page.evaluate("document.getElementById('tag-claim').contains(document.activeElement)"):
            break
    focused = page.evaluate("document.activeElement.closest('#claims-panel') !== null")
    assert focused, page.evaluate("document.activeElement.outerHTML")


def test_the_progress_bar_is_named(page, live_server, newsroom):  # noqa: F811
    export = newsroom["export"]
    export.status = export.Status.RUNNING
    export.save()
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}{reverse('claims:export-detail', args=[export.pk])}")
    expect(page.get_by_role("progressbar", name="Export progress")).to_be_visible()


CONTRAST = """([fore, back]) => {
    const rgb = (colour) => colour.match(/[\\d.]+/g).slice(0, 3).map(Number);
    const lum = (colour) => {
        const [r, g, b] = rgb(colour).map(v => v / 255).map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const [light, dark] = [lum(fore), lum(back)].sort((a, b) => b - a);
    return (light + 0.05) / (dark + 0.05);
}"""


def contrast(page, fore: str, back: str) -> float:
    return page.evaluate(CONTRAST, [fore, back])


def test_input_borders_and_the_focus_ring_on_the_top_bar_stand_out_three_to_one(page, live_server, newsroom):  # noqa: F811
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}{reverse('articles:list')}")
    border = page.get_by_label("Search titles").evaluate("el => getComputedStyle(el).borderTopColor")
    assert contrast(page, border, "rgb(255, 255, 255)") >= 3
    assert contrast(page, border, "rgb(245, 246, 248)") >= 3  # the page's canvas
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the brand, on the dark bar
    ring = page.evaluate("getComputedStyle(document.activeElement).outlineColor")
    bar = page.locator(".topbar").evaluate("el => getComputedStyle(el).backgroundColor")
    assert page.evaluate("document.activeElement.closest('.topbar') !== null")
    assert contrast(page, ring, bar) >= 3


def test_links_in_the_activity_feed_are_underlined(page, live_server, newsroom):  # noqa: F811
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}{reverse('activity')}")
    link = page.locator("td.activity__what a").first
    assert "underline" in link.evaluate("el => getComputedStyle(el).textDecorationLine")


def test_from_the_top_of_a_claim_two_tab_stops_reach_the_verdict(page, live_server, newsroom):  # noqa: F811
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}{newsroom['claim'].get_absolute_url()}")
    jumps = page.get_by_role("navigation", name="On this page")
    jumps.get_by_role("link", name="Give the verdict").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#verdict")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("group", name="Verdict").get_by_role("radio").first).to_be_focused()
    jumps.get_by_role("link", name="Link an external source").click()
    expect(page.locator("summary", has_text="Link an external source")).to_be_focused()
