"""Every main page on a phone (390 px) and a desktop (1280 px): nothing scrolls sideways, the navigation
folds behind a button that works with the keyboard, and tables become stacked rows whose cells say what
they are. Screenshots of each page at both widths land in $WORKBENCH_SCREENSHOTS (/tmp/workbench-widths by
default), to be looked at."""

import os
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.main_pages import lock_out, log_in, main_pages, newsroom  # noqa: F401 - newsroom is a fixture

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path(os.getenv("WORKBENCH_SCREENSHOTS") or Path(tempfile.gettempdir()) / "workbench-widths")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _page_width(page) -> dict:
    return page.evaluate(
        "({scroll: document.documentElement.scrollWidth, viewport: document.documentElement.clientWidth})"
    )


def _wider_than_the_page(page) -> list[str]:
    """The elements that stick out to the right, to say what broke the width when it breaks."""
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
            .slice(0, 5).map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''))"""
    )


def _shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_no_main_page_scrolls_sideways(page, live_server, newsroom, size):  # noqa: F811
    page.set_viewport_size(size)
    too_wide = {}
    pages = main_pages(newsroom)
    for shown in [p for p in pages if not p.signed_in]:
        page.goto(f"{live_server.url}{shown.path}")
        width = _page_width(page)
        if width["scroll"] != size["width"]:
            too_wide[shown.name] = (width, _wider_than_the_page(page))
        _shoot(page, f"{shown.name}-{size['width']}")
    log_in(page, live_server.url)
    for shown in [p for p in pages if p.signed_in]:
        response = page.goto(f"{live_server.url}{shown.path}")
        assert response.status == shown.status, shown
        width = _page_width(page)
        if width["scroll"] != size["width"]:
            too_wide[shown.name] = (width, _wider_than_the_page(page))
        _shoot(page, f"{shown.name}-{size['width']}")
    assert too_wide == {}


def test_the_lock_out_page_fits_a_phone(page, live_server, newsroom):  # noqa: F811
    page.set_viewport_size(PHONE)
    lock_out(page, live_server.url)
    assert _page_width(page)["scroll"] == PHONE["width"]
    _shoot(page, "locked-out-390")


def test_on_a_phone_the_navigation_opens_and_closes_from_its_button_with_the_keyboard(
    page,
    live_server,
    newsroom,  # noqa: F811
):
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url)
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_have_attribute("aria-expanded", "false")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Claims", exact=True)).to_be_hidden()

    menu.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Tab")
    expect(nav.get_by_role("link", name="My desk")).to_be_focused()
    _shoot(page, "menu-open-390")
    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()
    expect(nav.get_by_role("link", name="Claims", exact=True)).to_be_hidden()

    page.keyboard.press("Space")
    nav.get_by_role("link", name="Claims", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Claims")

    page.set_viewport_size(DESKTOP)  # on a wide screen the links are always there, the button is not
    expect(menu).to_be_hidden()
    expect(nav.get_by_role("link", name="Stories")).to_be_visible()


def test_on_a_phone_a_table_row_is_a_stack_of_labelled_cells(page, live_server, newsroom):  # noqa: F811
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url)
    for path, label in [("/claims/", "Status"), ("/articles/", "Publisher"), ("/activity/", "Through")]:
        page.goto(f"{live_server.url}{path}")
        cell = page.locator(f'tbody td[data-label="{label}"]').first
        expect(cell).to_be_visible()
        shown = cell.evaluate("el => getComputedStyle(el, '::before').content")
        assert label in shown, (path, shown)
        assert page.locator("thead").first.evaluate("el => el.getBoundingClientRect().height") <= 1
