"""The workbench's main pages, with the demo data `make run` makes, for the tests that open every one of
them: at a phone's width and a desktop's (test_layout_widths.py), and under axe-core (test_accessibility.py).

A page is a name (for its screenshot) and a path; `visit` opens it signed in as the reviewer, who sees the
most controls on the demo claims (the verdict form, the edit form, the links), or signed out for the pages
of the login itself. The lock-out page takes five wrong passwords, so it is reached last, in a context of
its own."""

from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from claims.models import Claim, ClaimSet, EvidenceLink, Export, WebhookDelivery, WebhookSubscription
from claims.notifications import notify
from tests.factories import UserFactory
from workbench.api import tokens
from workbench.demo import add_demo_claims, add_demo_story

PASSWORD = "correct horse battery staple"


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    signed_in: bool = True
    status: int = 200


@pytest.fixture
def newsroom(roles, seeded, live_server, settings, tmp_path):
    """The demo newsroom: the seeds, the demo claims and story, a claim set and a finished export."""
    settings.MEDIA_ROOT = tmp_path
    editor = UserFactory(username="editor", role="editor")
    reviewer = UserFactory(username="reviewer", role="reviewer")
    add_demo_claims(editor=editor, reviewer=reviewer)
    story = add_demo_story(editor=editor)
    claim_set = ClaimSet.objects.create(name="Verified for the weekly", owner=reviewer, description="The checked ones.")
    claim_set.claims.add(*Claim.objects.filter(status=Claim.Status.VERIFIED))
    export = Export.objects.create(
        format="csv",
        created_by=reviewer,
        channel="web",
        statuses=["verified"],
        status=Export.Status.DONE,
        claim_count=2,
    )
    export.file.save("export.csv", ContentFile(b"id\r\n1\r\n2\r\n"))
    open_claim = Claim.objects.filter(status=Claim.Status.OPEN).first()
    notify(
        [reviewer.pk],
        kind="assignment",
        claim_id=open_claim.pk,
        actor_id=editor.pk,
        text=f"editor asked you to judge “{open_claim.wording}”",
    )
    tokens.token_create(user=reviewer, name="CMS sync for the weekly fact-check page", can_write=False, days=90)
    tokens.token_create(user=reviewer, name="Desk script", can_write=True, days=7)
    notify([reviewer.pk], kind="mention", claim_id=None, actor_id=editor.pk, text="editor mentioned you: “@reviewer”")
    link = EvidenceLink.objects.filter(claim__status=Claim.Status.VERIFIED).first()  # its removal asks first
    webhook = webhook_with_log(reviewer, claim_set)
    return {
        "claim": open_claim,
        "story": story,
        "claim_set": claim_set,
        "export": export,
        "link": link,
        "webhook": webhook,
    }


def webhook_with_log(owner, claim_set) -> WebhookSubscription:
    """A subscription whose log has one delivery of each state: delivered, waiting for its retry, given up."""
    webhook = WebhookSubscription.objects.create(
        owner=owner,
        name="Weekly fact-check page",
        url="https://cms.newsroom.example/hooks/workbench-verdicts",
        events=["claim.verified", "claim.reopened"],
        claim_set=claim_set,
    )
    now = timezone.now()
    outcomes = [
        {"delivered_at": now, "last_status_code": 204, "attempts": 1},
        {
            "last_status_code": 500,
            "attempts": 2,
            "last_error": "HTTP 500: Internal Server Error",
            "next_attempt_at": now,
        },
        {"failed_at": now, "attempts": 6, "last_error": "Could not connect: [Errno 111] Connection refused"},
    ]
    WebhookDelivery.objects.bulk_create(
        WebhookDelivery(subscription=webhook, event="claim.verified", payload={}, last_attempt_at=now, **outcome)
        for outcome in outcomes
    )
    return webhook


def main_pages(newsroom) -> list[Page]:
    claim, article = newsroom["claim"], newsroom["claim"].article
    return [
        Page("login", reverse("login"), signed_in=False),
        Page("desk", reverse("home")),
        Page("desk-filtered", reverse("home") + "?assigned=me&tag=evacuations"),
        Page("articles", reverse("articles:list")),
        Page("reader", reverse("articles:detail", args=[article.pk])),
        Page("reader-candidates", reverse("articles:detail", args=[article.pk]) + "?candidates=1"),
        Page("claims", reverse("claims:list")),
        Page("claims-filtered", reverse("claims:list") + "?status=verified&created_after=2020-01-01&article=1"),
        Page("claim", reverse("claims:detail", args=[claim.pk])),
        Page("claim-passage-search", reverse("claims:detail", args=[claim.pk]) + "?q=Chechnya#evidence"),
        Page("claim-suggestions", reverse("claims:detail", args=[claim.pk]) + "?suggestions=1#suggestions"),
        Page("claim-unlink", reverse("claims:unlink", args=[newsroom["link"].claim_id, newsroom["link"].pk])),
        Page("activity", reverse("activity")),
        Page("claim-sets", reverse("claims:sets")),
        Page("claim-set", reverse("claims:set-detail", args=[newsroom["claim_set"].pk])),
        Page("stories", reverse("claims:stories")),
        Page("story", reverse("claims:story", args=[newsroom["story"].pk])),
        Page("export", reverse("claims:export")),
        Page("export-detail", reverse("claims:export-detail", args=[newsroom["export"].pk])),
        Page("password-change", reverse("password_change")),
        Page("search", reverse("search") + "?q=Chechnya"),
        Page("notifications", reverse("notifications")),
        Page("notification-settings", reverse("notification-settings")),
        Page("api-tokens", reverse("api-tokens")),
        Page("webhooks", reverse("webhooks")),
        Page("webhook", reverse("webhook", args=[newsroom["webhook"].pk])),
        Page("not-found", reverse("claims:detail", args=[987654]), status=404),
    ]


def log_in(page, base_url: str, username: str = "reviewer", password: str = PASSWORD) -> None:
    page.goto(f"{base_url}{reverse('login')}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def lock_out(page, base_url: str) -> None:
    """Five wrong passwords: the lock-out page (django-axes, workbench/logins.py)."""
    for _ in range(5):
        log_in(page, base_url, "editor", "not the password")
    page.get_by_role("heading", name="Too many failed logins").wait_for()
