"""Content-Security-Policy and Permissions-Policy on every response, and pages that need nothing the policy
forbids: no inline script, style or event handler, nothing from another origin, ours and the admin's alike.

The browser suite (tests/e2e/conftest.py) fails on any violation a real browser reports; this reads the
HTML the server sends, every admin page of every registered model included, so a template that breaks the
policy fails here without a browser.
"""

from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from articles.models import ImportBatch
from claims.models import ClaimSet, Story
from tests.factories import UserFactory

POLICY = {
    "default-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def directives(header: str) -> dict[str, str]:
    """A policy's directives by name (django-csp writes them in no fixed order)."""
    return dict(part.strip().partition(" ")[::2] for part in header.split(";"))


@pytest.fixture
def superuser_client(client, db):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_a_page_carries_the_content_security_policy(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert directives(response["Content-Security-Policy"]) == POLICY
    assert "unsafe" not in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    "url, status",
    [
        ("/accounts/login/", 200),  # anonymous
        ("/articles/", 302),  # a redirect to the login page
        ("/no-such-page/", 404),
        ("/static/css/workbench.css", 200),  # a static file, served by WhiteNoise before the views
        ("/static/admin/img/icon-yes.svg", 200),  # an SVG could carry a script: the policy applies to it too
    ],
)
def test_every_kind_of_response_carries_both_policies(client, db, settings, url, status):
    settings.WHITENOISE_USE_FINDERS = True  # WhiteNoise serves static files as in production, uncollected
    response = client.get(url)
    assert response.status_code == status
    assert directives(response["Content-Security-Policy"]) == POLICY
    assert "camera=()" in response["Permissions-Policy"]


def test_the_features_the_workbench_never_uses_are_off_for_every_origin(client, db):
    features = dict(item.split("=") for item in client.get(reverse("login"))["Permissions-Policy"].split(", "))
    assert {"camera", "microphone", "geolocation", "payment", "usb", "serial", "hid", "interest-cohort"} <= set(
        features
    )
    assert set(features.values()) == {"()"}


def test_a_feature_added_to_the_setting_is_switched_off(client, db, settings):
    settings.WORKBENCH_PERMISSIONS_POLICY_OFF = [*settings.WORKBENCH_PERMISSIONS_POLICY_OFF, "fullscreen"]
    assert "fullscreen=()" in client.get(reverse("login"))["Permissions-Policy"].split(", ")


# --- Pages that need nothing the policy forbids ----------------------------------------------------------

RESOURCE_ATTRIBUTES = {
    "script": "src",
    "img": "src",
    "iframe": "src",
    "embed": "src",
    "source": "src",
    "audio": "src",
    "video": "src",
    "object": "data",
    "form": "action",
}
DATA_BLOCK_TYPES = {"application/json", "application/ld+json"}  # never run, so never blocked


class PolicyBreaches(HTMLParser):
    """What in a page `default-src 'self'` without 'unsafe-inline' would block, as short descriptions."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._inline_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        text = self.get_starttag_text()
        for name, value in attributes.items():
            if name.startswith("on"):
                self.found.append(f"event handler: {text}")
            elif name == "style":
                self.found.append(f"style attribute: {text}")
            elif (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"javascript: URL: {text}")
        if tag == "style":
            self.found.append(f"inline style: {text}")
        if tag == "script" and "src" not in attributes and attributes.get("type") not in DATA_BLOCK_TYPES:
            self._inline_script = True
        if tag == "link" and "stylesheet" in (attributes.get("rel") or "").split():
            self._check_origin(text, attributes.get("href"))
        if tag in RESOURCE_ATTRIBUTES:
            self._check_origin(text, attributes.get(RESOURCE_ATTRIBUTES[tag]))

    def handle_data(self, data):
        if self._inline_script and data.strip():
            self.found.append(f"inline script: {data.strip()[:80]}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._inline_script = False

    def _check_origin(self, text, url):
        url = (url or "").strip().lower()
        if url.startswith(("//", "http:", "https:", "data:", "blob:")) and not url.startswith("http://testserver/"):
            self.found.append(f"another origin: {text}")


def breaches(html: str) -> list[str]:
    parser = PolicyBreaches()
    parser.feed(html)
    parser.close()
    return parser.found


@pytest.mark.parametrize(
    "html, expected",
    [
        ("<script>alert(1)</script>", "inline script: alert(1)"),
        ('<button onclick="go()">Go</button>', 'event handler: <button onclick="go()">'),
        ("<style>p {color: red}</style>", "inline style: <style>"),
        ('<p style="color: red">', 'style attribute: <p style="color: red">'),
        ('<a href="javascript:go()">', 'javascript: URL: <a href="javascript:go()">'),
        ('<img src="data:image/png;base64,AA==">', 'another origin: <img src="data:image/png;base64,AA==">'),
        ('<script src="https://cdn.example/x.js"></script>', "another origin: "),
        ('<link rel="stylesheet" href="//cdn.example/x.css">', "another origin: "),
        ('<form action="https://elsewhere.example/">', "another origin: "),
    ],
)
def test_the_page_reader_finds_what_the_policy_would_block(html, expected):
    [found] = breaches(f"<!doctype html><html><body>{html}</body></html>")
    assert found.startswith(expected)


def test_the_page_reader_lets_through_what_the_policy_allows():
    html = (
        '<script src="/static/js/x.js" defer></script><script id="d" type="application/json">{"a": 1}</script>'
        '<link rel="stylesheet" href="/static/css/x.css"><a href="https://news.example/story">a story</a>'
        '<img src="/static/admin/img/icon-yes.svg" alt=""><form method="post" action="/claims/1/verdict/">'
        '<p data-online="1" class="onboarding">'
    )
    assert breaches(html) == []


@pytest.fixture
def work(seeded, every_kind_of_claim, editor):
    """Something on every page: the seeds, claims of every kind with sources, a claim set, a story."""
    claim = every_kind_of_claim["verified"]
    claim_set = ClaimSet.objects.create(name="Health checks", owner=editor)
    claim_set.claims.add(claim)
    story = Story.objects.create(name="Chechnya", created_by=editor)
    story.articles.add(seeded["000"])
    return {"claim": claim, "set": claim_set, "story": story, "article": seeded["000"]}


OUR_PAGES = [
    ("articles:list", None),
    ("articles:detail", "article"),
    ("claims:list", None),
    ("claims:detail", "claim"),
    ("claims:suggestions", "claim"),
    ("claims:deleted", None),
    ("claims:export", None),
    ("claims:sets", None),
    ("claims:set-detail", "set"),
    ("claims:stories", None),
    ("claims:story", "story"),
    ("activity", None),
    ("people", None),
    ("password_change", None),
]


@pytest.mark.parametrize("name, kind", OUR_PAGES)
def test_our_pages_need_nothing_the_policy_blocks(superuser_client, work, name, kind):
    response = superuser_client.get(reverse(name, args=[work[kind].pk] if kind else []))
    assert response.status_code == 200, name
    assert breaches(response.content.decode()) == []


def test_the_login_page_needs_nothing_the_policy_blocks(client, db):
    assert breaches(client.get(reverse("login")).content.decode()) == []


def test_a_form_refused_for_its_csrf_token_says_so_on_a_page_the_policy_allows(db):
    response = Client(enforce_csrf_checks=True).post(reverse("login"), {"username": "a", "password": "b"})
    assert response.status_code == 403
    content = response.content.decode()
    assert "This form was not sent" in content and "Nothing was saved" in content
    assert breaches(content) == []


def admin_pages(model_admin, obj) -> list[str]:
    """The pages the admin has for one registered model, with one of its objects when there is one."""
    info = f"admin:{model_admin.opts.app_label}_{model_admin.opts.model_name}"
    pages = [reverse(f"{info}_changelist"), reverse(f"{info}_add")]
    if obj is not None:
        pages += [reverse(f"{info}_{view}", args=[obj.pk]) for view in ("change", "delete", "history")]
    return pages


def every_admin_page(claim) -> list[str]:
    """The admin's own pages, ours (the last import batch's) and each model's, with an object of each."""
    batch = ImportBatch.objects.latest("pk")
    pages = [
        reverse("admin:index"),
        reverse("admin:password_change"),
        reverse("admin:articles_article_import"),
        reverse("admin:articles_article_import_batch", args=[batch.pk]),
        reverse("admin:auth_user_password_change", args=[claim.created_by.pk]),
        reverse("admin:claims_claim_simple_history", args=[claim.pk, claim.history.first().history_id]),
    ]
    for model, model_admin in admin.site._registry.items():
        pages += admin_pages(model_admin, model._default_manager.first())
    return pages


def test_every_admin_page_of_every_model_needs_nothing_the_policy_blocks(superuser_client, work):
    superuser_client.post(  # a batch with a preview's rows, for the batch page
        reverse("admin:articles_article_import"), {"files": [SimpleUploadedFile("a.txt", b"Headline\n\nBody.")]}
    )
    found, seen = {}, 0
    for url in every_admin_page(work["claim"]):
        response = superuser_client.get(url)
        if response.status_code == 403:  # an add page a model does not have (articles come by import)
            continue
        assert response.status_code == 200, url
        seen += 1
        if problems := breaches(response.content.decode()):
            found[url] = problems
    assert found == {}
    assert seen > 3 * len(admin.site._registry)  # most models had an object and all its pages (axes' logs have none)


def test_the_admin_keeps_its_own_look_and_adds_the_rules_that_replace_style_attributes(superuser_client):
    content = superuser_client.get(reverse("admin:index")).content.decode()
    assert 'id="site-name"' in content and "/static/admin/css/base.css" in content
    assert "/static/css/admin.css" in content
