"""A webhook added on its page in the browser, its test delivery sent at once to a real receiver on loopback and
shown in the log; the page and its log at a desktop's width and a phone's."""

import json

import pytest
from playwright.sync_api import expect

from claims.models import WebhookSubscription
from tests.factories import UserFactory
from tests.webhook_receiver import Receiver, readme_verify

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def receiver():
    running = Receiver()
    yield running
    running.stop()


def test_an_editor_adds_a_webhook_sends_a_test_and_reads_the_log(
    page, live_server, roles, log_in, screenshot, receiver
):
    UserFactory(username="editor", role="editor")
    log_in("editor")
    page.get_by_role("link", name="Webhooks").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My webhooks")
    page.get_by_label("Name").fill("Weekly fact-check page")
    page.get_by_label("Address").fill("ftp://cms.example.org/in")
    page.get_by_label("A claim is verified").check()
    page.get_by_label("A judged claim is reopened").check()
    page.get_by_role("button", name="Add webhook").click()
    expect(page.locator(".field__error")).to_have_text("Enter an http:// or https:// address.")
    screenshot("webhooks-refused-1280")

    page.get_by_label("Address").fill(receiver.url)
    page.get_by_role("button", name="Add webhook").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Webhook “Weekly fact-check page”")
    subscription = WebhookSubscription.objects.get()
    assert subscription.events == ["claim.verified", "claim.reopened"]

    page.get_by_text("Signing secret").click()
    assert page.get_by_label("Secret").input_value() == subscription.secret
    page.get_by_role("button", name="Send test").click()
    expect(page.get_by_role("status")).to_contain_text("A test delivery (ping) is on its way")
    page.reload()
    row = page.get_by_role("row").filter(has_text="ping")
    expect(row).to_contain_text("Delivered")
    expect(row).to_contain_text("HTTP 204")
    headers, body = receiver.got[0]
    assert readme_verify()(subscription.secret, headers, body)
    assert json.loads(body)["event"] == "ping"
    screenshot("webhook-log-1280")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("webhook-log-390")
    page.get_by_role("link", name="My webhooks").click()
    expect(page.get_by_role("row").filter(has_text="Weekly fact-check page")).to_contain_text("Active")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("webhooks-390")
