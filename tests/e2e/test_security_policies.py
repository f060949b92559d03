"""The policies in a real browser: inline code refused, and seen by the browser suite (a page with it fails
the test that loads it: tests/e2e/conftest.py's csp_violations), and every feature switched off known to it."""

import pytest
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import path
from playwright.sync_api import expect

from tests.e2e.conftest import fail_on_csp_violations
from workbench import urls as workbench_urls


@login_not_required
def inline_code(request):
    """Everything the policy refuses, in one page served through the workbench's own middleware."""
    return HttpResponse(
        "<!doctype html><html><head><title>Probe</title><style>p { color: red }</style></head><body>"
        '<p style="color: red">Probe</p><button onclick="document.title = \'handler ran\'">Go</button>'
        "<script>document.title = 'inline script ran'</script></body></html>"
    )


urlpatterns = [path("csp-probe/", inline_code), *workbench_urls.urlpatterns]


@pytest.mark.urls(__name__)
def test_inline_code_is_refused_and_fails_the_test_that_met_it(page, live_server, csp_violations):
    page.goto(f"{live_server.url}/csp-probe/")
    page.get_by_role("button", name="Go").click()
    expect(page).to_have_title("Probe")  # neither the inline script nor the event handler ran

    page.evaluate("0")  # every console message sent so far has been heard
    relayed = [text.split()[2] for text in csp_violations if text.startswith("CSP violation:")]
    assert len(relayed) >= 4, csp_violations  # the <style>, the style attribute, the handler, the <script>
    assert {directive.split("-src")[0] for directive in relayed} == {"script", "style"}
    with pytest.raises(pytest.fail.Exception, match="Content-Security-Policy was violated"):
        fail_on_csp_violations(csp_violations)
    csp_violations.clear()  # seen and asserted, so this one test passes


def test_the_browser_knows_every_feature_the_permissions_policy_switches_off(page, live_server, settings):
    messages = []
    page.on("console", lambda message: messages.append(message))
    page.goto(f"{live_server.url}/accounts/login/")
    page.evaluate("0")
    # Chromium warns of a name it does not know: "Error with Permissions-Policy header: Unrecognized feature".
    assert [message.text for message in messages if "Permissions-Policy" in message.text] == []
    features = settings.WORKBENCH_PERMISSIONS_POLICY_OFF
    assert page.evaluate("names => names.filter(name => document.featurePolicy.allowsFeature(name))", features) == []
    assert page.evaluate("document.featurePolicy.allowsFeature('fullscreen')")  # one the policy leaves alone
