"""Browser tests: Playwright drives Debian's chromium against pytest-django's live server."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls there otherwise.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

# Chromium writes a refused script, style or load to the console ("Refused to execute inline script because
# it violates the following Content Security Policy directive..."); the page's own violation events are
# written there too, so that a violation is seen even where the browser's message would not say so.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.effectiveDirective} refused ${event.blockedURI || "inline code"} ` +
                `in ${event.sourceFile || event.documentURI}:${event.lineNumber}: ${event.sample}`);
});
"""


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


def is_csp_violation(message) -> bool:
    return message.type == "error" and (
        "Content Security Policy" in message.text or message.text.startswith("CSP violation:")
    )


def fail_on_csp_violations(violations: list[str]) -> None:
    if violations:
        pytest.fail("The Content-Security-Policy was violated:\n" + "\n".join(violations), pytrace=False)


@pytest.fixture(autouse=True)
def csp_violations(request):
    """What a test's pages broke of the Content-Security-Policy, in every tab it opened: any fails the test."""
    if "page" not in request.fixturenames:
        yield []
        return
    context = request.getfixturevalue("context")
    violations = []

    def heard(message):
        if is_csp_violation(message):
            violations.append(message.text)

    context.add_init_script(REPORT_CSP_VIOLATIONS)
    context.on("console", heard)
    yield violations
    for page in context.pages:
        try:
            page.evaluate("0")  # a round trip, so that every message the page sent before it has been heard
        except PlaywrightError:  # a page navigating at that moment cannot answer, and is not waited for
            pass
    fail_on_csp_violations(violations)


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot under var/screenshots/ to look at after the run."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def log_in(page, live_server):
    def as_user(username: str, password: str = "correct horse battery staple"):
        page.goto(f"{live_server.url}/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()

    return as_user
