"""Webhooks, sent to a real receiver on loopback: signed, one per real change of status, never for a change rolled
back, retried on a schedule while the receiver is down or failing, and only to those who may see what they tell."""

import json
import socket
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from claims import webhooks
from claims.exports.services import export_run, export_start
from claims.models import ClaimSet, Export, WebhookDelivery, WebhookSubscription
from claims.services import evidence_add_passage
from claims.tasks import deliver_webhook
from tests.factories import ArticleFactory, UserFactory, _passage_of
from tests.test_activity import fresh, link, reword, tag
from tests.test_notifications import verdict, verified_claim
from tests.webhook_receiver import Receiver, readme_verify
from workbench import leases

pytestmark = pytest.mark.django_db
Event = WebhookSubscription.Event
verify = readme_verify()


@pytest.fixture
def receiver():
    running = Receiver()
    yield running
    running.stop()


def subscribe(owner, url, events=(Event.VERIFIED,), claim_set=None, by=None) -> WebhookSubscription:
    subscription = WebhookSubscription(owner=owner, name="CMS", url=url, events=list(events), claim_set=claim_set)
    return webhooks.webhook_save(subscription=subscription, user=by or owner)


def sent(receiver) -> list[dict]:
    return [json.loads(body) for _, body in receiver.got]


def later(delivery) -> None:
    """As if time had passed: the delivery's next attempt is overdue, as the sweep finds a retry whose task was lost."""
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - webhooks.OVERDUE - timedelta(minutes=1)
    )
    delivery.refresh_from_db()


def closed_port() -> int:
    """A loopback port nothing listens on (yet)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_verdict_sends_one_delivery_whose_signature_verifies_with_the_secret_and_timestamp(
    editor, reviewer, receiver, django_capture_on_commit_callbacks
):
    subscription = subscribe(editor, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        claim = verified_claim(editor, reviewer)
    assert len(receiver.got) == 1
    headers, body = receiver.got[0]
    assert verify(subscription.secret, headers, body)
    assert not verify("whsec_someone-elses", headers, body)
    assert not verify(subscription.secret, headers, body.replace(b"verified", b"disputed"))
    assert not verify(
        subscription.secret, {**headers, "Webhook-Timestamp": str(int(headers["Webhook-Timestamp"]) - 3600)}, body
    )

    payload = json.loads(body)
    delivery = WebhookDelivery.objects.get()
    assert headers["Webhook-Id"] == payload["id"] == str(delivery.uid)
    assert headers["Webhook-Event"] == payload["event"] == "claim.verified"
    assert payload["changed_by"] == "reviewer-user"
    assert payload["claim"] | {"uid": None, "article": None} == {
        "id": claim.pk,
        "uid": None,
        "url": f"http://127.0.0.1:8000/claims/{claim.pk}/",
        "api_url": f"http://127.0.0.1:8000/api/v1/claims/{claim.pk}",
        "status": "verified",
        "previous_status": "open",
        "version": claim.version,
        "wording": "The council spent 3 million on roads.",
        "article": None,
    }
    assert payload["claim"]["article"] == {
        "id": claim.article_id,
        "title": "Council meets",
        "url": f"http://127.0.0.1:8000/articles/{claim.article_id}/",
    }
    assert (delivery.state, delivery.attempts, delivery.last_status_code, delivery.next_attempt_at) == (
        "delivered",
        1,
        204,
        None,
    )


def test_changes_that_keep_the_status_send_nothing(editor, reviewer, receiver, django_capture_on_commit_callbacks):
    subscribe(editor, receiver.url, events=Event.values)
    with django_capture_on_commit_callbacks(execute=True):
        claim = tag(editor)
        link(claim, editor, "Daily One", "First report")
        link(claim, editor, "Daily Two", "Second report")
        reword(claim, editor, "The council spent 3 million on its roads.", "budget")
        assert WebhookDelivery.objects.count() == 0
        verdict(claim, reviewer, "verified")
    assert [p["event"] for p in sent(receiver)] == ["claim.verified"]


def test_each_real_transition_is_its_own_event(editor, reviewer, receiver, django_capture_on_commit_callbacks):
    everything = subscribe(editor, receiver.url, events=Event.values)
    admin = UserFactory(username="desk-admin", role="admin")
    with django_capture_on_commit_callbacks(execute=True):
        claim = verified_claim(editor, reviewer)
        reword(claim, admin, "The council spent 4 million on roads.", "budget")  # the verdict is suspended
        verdict(claim, reviewer, "open")
        evidence_add_passage(
            claim=fresh(claim),
            user=editor,
            passage=_passage_of(ArticleFactory(publisher="Daily Three")),
            stance="contradicts",
        )
        verdict(claim, reviewer, "disputed")
    events = [(p["event"], p["claim"]["previous_status"], p["claim"]["status"]) for p in sent(receiver)]
    assert events == [
        ("claim.verified", "open", "verified"),
        ("claim.needs_review", "verified", "review"),
        ("claim.reopened", "review", "open"),
        ("claim.disputed", "open", "disputed"),
    ]
    assert WebhookDelivery.objects.filter(subscription=everything, delivered_at__isnull=False).count() == 4


def test_a_subscription_gets_only_the_events_it_chose(editor, reviewer, receiver, django_capture_on_commit_callbacks):
    subscribe(editor, receiver.url, events=[Event.REOPENED])
    with django_capture_on_commit_callbacks(execute=True):
        claim = verified_claim(editor, reviewer)
        verdict(claim, reviewer, "open")
    assert [p["event"] for p in sent(receiver)] == ["claim.reopened"]


def test_a_rolled_back_verdict_sends_nothing(editor, reviewer, receiver, django_capture_on_commit_callbacks):
    subscribe(editor, receiver.url)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            verified_claim(editor, reviewer)
            raise RuntimeError("the request failed after the verdict")
    assert callbacks == []
    assert WebhookDelivery.objects.count() == 0
    assert receiver.got == []


def test_a_receiver_that_is_down_is_retried_with_backoff_and_gets_the_delivery_once_back(
    editor, reviewer, django_capture_on_commit_callbacks
):
    port = closed_port()
    subscribe(editor, f"http://127.0.0.1:{port}/hooks/workbench")
    with django_capture_on_commit_callbacks(execute=True):
        verified_claim(editor, reviewer)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == ("waiting", 1, None)
    assert delivery.last_error.startswith("Could not connect")
    assert delivery.next_attempt_at == delivery.last_attempt_at + timedelta(minutes=1)

    assert leases.sweep() == []  # not yet due: the retry waiting in the queue comes first
    later(delivery)
    overdue_since = delivery.next_attempt_at
    assert leases.sweep() == [
        f"Webhook delivery {delivery.pk}: overdue since {overdue_since:%Y-%m-%d %H:%M:%S}; queued again."
    ]
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("waiting", 2)
    assert delivery.next_attempt_at == delivery.last_attempt_at + timedelta(minutes=5)

    back = Receiver(port=port)
    try:
        later(delivery)
        leases.sweep()
    finally:
        back.stop()
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_status_code, delivery.last_error) == (
        "delivered",
        3,
        204,
        "",
    )
    assert [p["id"] for p in sent(back)] == [str(delivery.uid)]  # the same id it had on every attempt


def test_a_retry_waits_in_the_database_queue_for_its_time(
    editor, reviewer, settings, django_capture_on_commit_callbacks
):
    """On the database backend a failed attempt queues the next one for when it is due: a worker started later
    (after a restart) runs it."""
    port = closed_port()
    subscribe(editor, f"http://127.0.0.1:{port}/")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        verified_claim(editor, reviewer)
    delivery = WebhookDelivery.objects.get()
    sending = DBTaskResult.objects.filter(task_path="claims.tasks.deliver_webhook")
    first = sending.get()
    assert (first.task_path, first.args_kwargs["args"]) == ("claims.tasks.deliver_webhook", [delivery.pk])
    deliver_webhook.call(delivery.pk)  # as the worker runs it
    delivery.refresh_from_db()
    retry = sending.exclude(pk=first.pk).get()
    assert retry.run_after == delivery.next_attempt_at == delivery.last_attempt_at + timedelta(minutes=1)


def test_a_500_is_retried_and_a_redirect_is_not_followed(
    editor, reviewer, receiver, django_capture_on_commit_callbacks
):
    elsewhere = Receiver()
    try:
        receiver.status = 500
        subscribe(editor, receiver.url)
        with django_capture_on_commit_callbacks(execute=True):
            verified_claim(editor, reviewer)
        delivery = WebhookDelivery.objects.get()
        assert (delivery.state, delivery.last_status_code, delivery.last_error) == (
            "waiting",
            500,
            "HTTP 500: Receiver says no",
        )

        receiver.status, receiver.location = 302, elsewhere.url
        later(delivery)
        leases.sweep()
        delivery.refresh_from_db()
        assert (delivery.state, delivery.attempts, delivery.last_status_code) == ("waiting", 2, 302)
        assert delivery.last_error == f"Redirect to {elsewhere.url} not followed."
        assert elsewhere.got == []

        receiver.status, receiver.location = 200, ""
        later(delivery)
        leases.sweep()
        delivery.refresh_from_db()
        assert (delivery.state, delivery.attempts, delivery.last_status_code) == ("delivered", 3, 200)
        assert len(receiver.got) == 3
    finally:
        elsewhere.stop()


def test_after_the_last_attempt_a_delivery_is_given_up(editor, reviewer, receiver, django_capture_on_commit_callbacks):
    receiver.status = 503
    subscribe(editor, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        verified_claim(editor, reviewer)
    delivery = WebhookDelivery.objects.get()
    pauses = []
    for _ in webhooks.RETRY_SCHEDULE:
        delivery.refresh_from_db()
        pauses.append(delivery.next_attempt_at - delivery.last_attempt_at)
        later(delivery)
        leases.sweep()
    assert pauses == [timedelta(minutes=m) for m in (1, 5, 30, 120, 360)]
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.next_attempt_at) == ("failed", webhooks.ATTEMPTS, None)
    assert leases.sweep() == []
    assert len(receiver.got) == webhooks.ATTEMPTS


def test_a_subscriber_who_cannot_see_the_claim_gets_nothing(
    editor, reviewer, receiver, django_capture_on_commit_callbacks
):
    viewer = UserFactory(username="desk-viewer", role="viewer")
    admin = UserFactory(username="desk-admin", role="admin")
    stranger = UserFactory(username="no-role")  # signed in, but given no role: reads no claims
    own_set = ClaimSet.objects.create(name="Viewer's picks", owner=viewer)
    others_set = ClaimSet.objects.create(name="Another's picks", owner=editor)
    empty_set = ClaimSet.objects.create(name="Viewer's other picks", owner=viewer)
    everywhere = subscribe(viewer, receiver.url)
    in_own_set = subscribe(viewer, receiver.url, claim_set=own_set)
    subscribe(viewer, receiver.url, claim_set=empty_set)
    admin_on_others_set = subscribe(admin, receiver.url, claim_set=others_set)
    with pytest.raises(PermissionDenied):
        subscribe(stranger, receiver.url)
    with pytest.raises(ValidationError, match="no-role cannot read claims"):
        subscribe(stranger, receiver.url, by=admin)
    with pytest.raises(ValidationError, match="Only the set's owner and admins"):
        subscribe(viewer, receiver.url, claim_set=others_set)
    # Made before the role was taken away, or the set handed to someone else: sent nothing since.
    lost_role = subscribe(UserFactory(username="former-viewer", role="viewer"), receiver.url)
    lost_role.owner.groups.clear()
    handed_over = ClaimSet.objects.create(name="Handed over", owner=viewer)
    subscribe(viewer, receiver.url, claim_set=handed_over)
    handed_over.owner = editor
    handed_over.save()

    claim = verified_claim(editor, reviewer)
    for claim_set in (own_set, others_set, handed_over):
        claim_set.claims.add(claim)
    with django_capture_on_commit_callbacks(execute=True):
        verdict(claim, reviewer, "open")
        verdict(claim, reviewer, "verified")
    got = WebhookDelivery.objects.filter(event="claim.verified")
    assert sorted(got.values_list("subscription__pk", flat=True)) == sorted(
        [everywhere.pk, everywhere.pk, in_own_set.pk, admin_on_others_set.pk]
    )


def test_an_export_that_finishes_in_the_background_is_sent_to_those_who_may_open_it(
    editor, reviewer, receiver, django_capture_on_commit_callbacks
):
    verified_claim(editor, reviewer)
    mine = subscribe(editor, receiver.url, events=[Event.EXPORT_FINISHED])
    subscribe(UserFactory(username="other-editor", role="editor"), receiver.url, events=[Event.EXPORT_FINISHED])
    subscribe(UserFactory(username="desk-admin", role="admin"), receiver.url, events=[Event.EXPORT_FINISHED])
    export = export_start(export_format="csv", user=editor, channel="web", statuses=["verified"])
    with django_capture_on_commit_callbacks(execute=True):
        export_run(export.pk)
    export.refresh_from_db()
    assert export.status == Export.Status.DONE
    owners = WebhookDelivery.objects.values_list("subscription__owner__username", flat=True)
    assert sorted(owners) == ["desk-admin", "editor-user"]
    payload = WebhookDelivery.objects.get(subscription=mine).payload
    assert payload["event"] == "export.finished"
    assert payload["export"] == {
        "id": export.pk,
        "status": "done",
        "format": "csv",
        "claim_set": None,
        "claim_count": 1,
        "sha256": export.sha256,
        "size": export.size,
        "failure": "",
        "url": f"http://127.0.0.1:8000/claims/exports/{export.pk}/",
        "download_url": f"http://127.0.0.1:8000/claims/exports/{export.pk}/download/",
    }
    assert len(receiver.got) == 2


def test_a_paused_subscription_is_sent_nothing_but_a_test(
    editor, reviewer, receiver, client, django_capture_on_commit_callbacks
):
    subscription = subscribe(editor, receiver.url)
    subscription.active = False
    webhooks.webhook_save(subscription=subscription, user=editor)
    with django_capture_on_commit_callbacks(execute=True):
        verified_claim(editor, reviewer)
    assert WebhookDelivery.objects.count() == 0
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("webhook-test", args=[subscription.pk]))
    assert [p["event"] for p in sent(receiver)] == ["ping"]


def test_send_test_queues_a_ping_that_the_log_shows(editor, receiver, client, django_capture_on_commit_callbacks):
    subscription = subscribe(editor, receiver.url)
    client.force_login(editor)
    assert client.get(reverse("webhook-test", args=[subscription.pk])).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("webhook-test", args=[subscription.pk]))
    assert response.url == subscription.get_absolute_url()
    response = client.get(response.url)
    headers, body = receiver.got[0]
    assert verify(subscription.secret, headers, body)
    assert json.loads(body) | {"id": None, "occurred_at": None} == {
        "id": None,
        "occurred_at": None,
        "event": "ping",
        "subscription": {"id": subscription.pk, "name": "CMS"},
        "sent_by": "editor-user",
    }
    page = response.content.decode()
    assert "A test delivery (ping) is on its way" in page  # the message of the POST
    assert "<code>ping</code>" in page and "HTTP 204" in page and "Delivered" in page


def test_send_test_needs_the_csrf_token(editor, receiver):
    subscription = subscribe(editor, receiver.url)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    assert strict.post(reverse("webhook-test", args=[subscription.pk])).status_code == 403
    assert WebhookDelivery.objects.count() == 0


def test_a_user_adds_a_webhook_on_their_page_and_bad_input_is_refused_with_what_to_fix(editor, client):
    client.force_login(editor)
    page = reverse("webhooks")
    response = client.post(page, {"name": "CMS", "url": "ftp://cms.example.org/in", "events": ["claim.verified"]})
    assert response.status_code == 400
    assert "Enter an http:// or https:// address." in response.content.decode()
    response = client.post(page, {"name": "CMS", "url": "https://cms.example.org/in"})
    assert response.status_code == 400 and "Choose at least one event." in response.content.decode()
    others = ClaimSet.objects.create(name="Another's", owner=UserFactory(username="someone", role="editor"))
    wanted = {"name": "CMS", "url": "https://cms.example.org/in", "events": ["claim.verified"]}
    response = client.post(page, {**wanted, "claim_set": others.pk})
    assert response.status_code == 400  # not a set this editor may choose
    assert WebhookSubscription.objects.count() == 0

    response = client.post(page, {**wanted, "events": ["claim.reopened", "claim.verified"], "active": "on"})
    subscription = WebhookSubscription.objects.get()
    assert response.status_code == 302 and response.url == subscription.get_absolute_url()
    assert subscription.owner == editor and subscription.active
    assert subscription.events == ["claim.verified", "claim.reopened"]
    assert subscription.secret.startswith("whsec_") and len(subscription.secret) > 40
    detail = client.get(response.url)
    assert subscription.secret in detail.content.decode()
    assert detail["Cache-Control"] == "no-store"
    assert "https://cms.example.org/in" in client.get(page).content.decode()


def test_only_its_owner_and_admins_open_change_or_delete_a_webhook(editor, admin_user, client):
    subscription = subscribe(editor, "https://cms.example.org/in")
    other = UserFactory(username="other-editor", role="editor")
    client.force_login(other)
    for name in ("webhook", "webhook-test", "webhook-delete"):
        assert client.post(reverse(name, args=[subscription.pk])).status_code == 403
    assert client.get(reverse("webhook", args=[subscription.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        webhooks.webhook_delete(subscription=subscription, user=other)
    client.force_login(admin_user)
    assert client.get(reverse("webhook", args=[subscription.pk])).status_code == 200
    client.force_login(editor)
    assert client.post(reverse("webhook-delete", args=[subscription.pk])).url == reverse("webhooks")
    assert not WebhookSubscription.objects.exists()


def test_the_admin_adds_a_webhook_for_someone_under_the_same_rule(admin_user, editor, client):
    client.force_login(admin_user)
    add = reverse("admin:claims_webhooksubscription_add")
    form = {"name": "Desk CMS", "url": "https://cms.example.org/in", "events": ["claim.verified"], "active": "on"}
    response = client.post(add, {**form, "owner": UserFactory(username="no-role").pk})
    assert response.status_code == 200 and "no-role cannot read claims" in response.content.decode()
    assert not WebhookSubscription.objects.exists()
    response = client.post(add, {**form, "owner": editor.pk})
    assert response.status_code == 302
    assert WebhookSubscription.objects.get().owner == editor


def test_the_log_costs_the_same_few_queries_however_long_it_is(editor, client):
    subscription = subscribe(editor, "https://cms.example.org/in")
    client.force_login(editor)
    now = timezone.now()

    def log_queries(count: int) -> tuple[int, str]:
        WebhookDelivery.objects.bulk_create(
            WebhookDelivery(subscription=subscription, event="ping", payload={}, created_at=now, attempts=1)
            for _ in range(count)
        )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("webhook", args=[subscription.pk]))
        return len(queries), response.content.decode()

    small, _ = log_queries(1)
    large, page = log_queries(120)
    assert small == large <= 12
    assert page.count("<code>ping</code>") == webhooks.LOG_PAGE
    assert "Older deliveries" in page


def test_an_address_inside_the_workbenchs_network_is_refused_when_saved_and_when_sent(
    editor, reviewer, receiver, settings, django_capture_on_commit_callbacks
):
    allowed = subscribe(editor, receiver.url)  # as a newsroom that allows a receiver on its own network
    settings.WORKBENCH_WEBHOOK_LOCAL_ADDRESSES = False
    for url in (
        "http://127.0.0.1:5432/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://10.0.0.7/",
    ):
        with pytest.raises(ValidationError, match="inside the workbench's own network"):
            subscribe(editor, url)
    assert webhooks.local_address("http://localhost/") is not None  # a name is looked up

    with django_capture_on_commit_callbacks(execute=True):
        verified_claim(editor, reviewer)

    delivery = WebhookDelivery.objects.get(subscription=allowed)
    assert receiver.got == [] and delivery.state == "failed"
    assert delivery.last_error.startswith("Not sent: 127.0.0.1 is an address inside the workbench's own network")
