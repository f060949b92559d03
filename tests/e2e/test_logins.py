"""Logins in a browser: the lock-out page after too many wrong passwords, and a password change that logs the
user's other browser out."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "a new and longer passphrase"


@pytest.fixture
def editor(roles):
    return UserFactory(username="editor", role="editor")


def test_five_wrong_passwords_show_when_to_try_again_and_whom_to_ask(page, live_server, editor, log_in, screenshot):
    for _ in range(4):
        log_in("editor", password="wrong")
        expect(page.get_by_role("alert")).to_contain_text("Please enter a correct username and password")
    log_in("editor", password="wrong")
    expect(page.get_by_role("heading", level=1)).to_have_text("Too many failed logins")
    expect(page.get_by_role("alert")).to_contain_text(re.compile(r"until \d\d:\d\d UTC \(in 1[45]\s+minutes\)"))
    expect(page.get_by_text("ask an admin of this workbench to unlock your login")).to_be_visible()
    screenshot("login-locked-out")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("login-locked-out-390")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="Back to the login page").click()
    log_in("editor")  # the right password, still within the lock-out
    expect(page.get_by_role("heading", level=1)).to_have_text("Too many failed logins")


def test_a_password_change_keeps_this_browser_in_and_logs_the_other_out(
    page, browser, live_server, editor, log_in, screenshot
):
    other = browser.new_context().new_page()
    other.goto(f"{live_server.url}/")
    other.get_by_label("Username").fill("editor")
    other.get_by_label("Password").fill("correct horse battery staple")
    other.get_by_role("button", name="Log in").click()
    expect(other.get_by_role("heading", name="My desk")).to_be_visible()

    log_in("editor")
    page.get_by_role("link", name="Change password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change your password")
    page.get_by_label("Old password").fill("not my password")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("alert")).to_contain_text("Old password: Your old password was entered incorrectly")
    expect(page.get_by_label("Old password")).to_have_attribute("aria-invalid", "true")
    screenshot("password-change-error")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("password-change-error-390")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_label("Old password").fill("correct horse battery staple")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("status")).to_contain_text("Every other session of yours has been logged out")
    screenshot("password-changed")

    page.get_by_role("link", name="Back to the articles").click()
    expect(page.get_by_role("heading", name="Articles")).to_be_visible()
    other.reload()
    expect(other).to_have_url(re.compile(r"/accounts/login/"))
