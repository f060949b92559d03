"""Webhooks: the workbench tells other tools (a CMS, a fact-check page) what happened, by POSTing JSON to the
addresses their owners subscribed.

Events are found where statuses are: a claim's history (claims.receivers → `claim_record_written`, whichever
door wrote it), and a background export's end (claims.exports.services). Each event becomes one delivery per
subscription that wants it and whose owner may see it, written in the same transaction as the change (so it
exists exactly when the change does) and sent by the background worker once that commits.

A delivery is signed (HMAC-SHA256 of `timestamp + "." + body` with the subscription's secret), sent with a short
timeout, never redirected, and tried again after each failure (anything but a 2xx) on RETRY_SCHEDULE, then
given up. A retry waits in the task queue; should it be lost (a worker killed while sending, a queue emptied),
the workers' sweep (workbench.leases) sends it once it is overdue.
"""

import hashlib
import hmac
import ipaddress
import json
import socket
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from articles.models import Article
from claims import permissions
from claims.exports.context import DEFAULT_BASE_URL
from claims.models import Claim, Export, WebhookDelivery, WebhookSubscription
from claims.notifications import status_changed
from claims.selectors import selected_claims

Event = WebhookSubscription.Event
EVENT_OF_STATUS = {
    Claim.Status.VERIFIED: Event.VERIFIED,
    Claim.Status.DISPUTED: Event.DISPUTED,
    Claim.Status.OPEN: Event.REOPENED,
    Claim.Status.REVIEW: Event.NEEDS_REVIEW,
}
# After the first attempt fails, the pauses before each next one; after the last, the delivery is given up.
RETRY_SCHEDULE = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
]
ATTEMPTS = 1 + len(RETRY_SCHEDULE)
# A delivery being sent is held this much longer than the timeout: should its worker die, the sweep sends it.
HELD = timedelta(seconds=60)
# The sweep sends a delivery that is this much overdue: its task was lost (the queue's own retry comes first).
OVERDUE = timedelta(minutes=2)
SWEPT = 200  # deliveries queued again by one sweep, at most
ANSWER_KEPT = 200  # characters of a failed answer's body kept as its error
LOG_PAGE = 50
SIGNATURE_VERSION = "v1"


# --- Subscriptions ------------------------------------------------------------------------------


def webhook_save(*, subscription: WebhookSubscription, user) -> WebhookSubscription:
    """Add or change a subscription, from the user's page or the admin: the same rule for both."""
    webhook_check(subscription=subscription, user=user)
    subscription.events = [event for event in Event.values if event in subscription.events]
    subscription.full_clean()
    subscription.save()
    return subscription


def webhook_check(*, subscription: WebhookSubscription, user) -> None:
    """PermissionDenied or ValidationError when `user` may not save `subscription` as it is."""
    owner = subscription.owner
    if not permissions.can_manage_webhook(user, subscription):
        raise PermissionDenied("You may change only your own webhooks.")
    if not permissions.can_subscribe(owner):
        raise ValidationError({"owner": f"{owner.get_username()} cannot read claims, so would be sent nothing."})
    if subscription.claim_set_id and not permissions.can_manage_set(owner, subscription.claim_set):
        raise ValidationError({"claim_set": "Only the set's owner and admins may follow a claim set."})
    if refused := local_address(subscription.url):
        raise ValidationError({"url": refused})


def local_address(url: str) -> str | None:
    """Why the workbench sends nothing to `url`: its host is, or resolves to, an address inside the workbench's
    own network (loopback, private, link-local, reserved), unless WORKBENCH_WEBHOOK_LOCAL_ADDRESSES allows
    them. None when it may be sent there, or its host is not found (a failure when sending, retried)."""
    if settings.WORKBENCH_WEBHOOK_LOCAL_ADDRESSES:
        return None
    host = urlsplit(url).hostname or ""
    try:
        found = {info[4][0] for info in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)}
    except (OSError, UnicodeError):
        return None
    for address in sorted(found):
        ip = ipaddress.ip_address(address.split("%")[0])
        if (
            ip.is_private
            or ip.is_loopback
            or ip.is_link_local
            or ip.is_reserved
            or ip.is_multicast
            or ip.is_unspecified
        ):
            return f"{host} is an address inside the workbench's own network ({ip}): webhooks go to other servers only."
    return None


def webhook_delete(*, subscription: WebhookSubscription, user) -> None:
    if not permissions.can_manage_webhook(user, subscription):
        raise PermissionDenied("You may delete only your own webhooks.")
    subscription.delete()


def webhook_test(*, subscription: WebhookSubscription, user) -> WebhookDelivery:
    """A `ping` delivery, sent like any other (paused or not): the receiver's address and secret are checked."""
    if not permissions.can_manage_webhook(user, subscription):
        raise PermissionDenied("You may test only your own webhooks.")
    payload = {"subscription": {"id": subscription.pk, "name": subscription.name}, "sent_by": user.get_username()}
    return _queue([subscription], WebhookDelivery.PING, timezone.now(), payload)[0]


def delivery_log(subscription: WebhookSubscription, *, before: str = "") -> tuple[list[WebhookDelivery], int | None]:
    """A page of the subscription's deliveries, newest first, from where the last page ended (`before`, an id);
    and where the next page starts (None: this is the last)."""
    deliveries = WebhookDelivery.objects.filter(subscription=subscription).defer("payload")
    if before.isdigit() and len(before) < 19:
        deliveries = deliveries.filter(pk__lt=int(before))
    page = list(deliveries.order_by("-pk")[: LOG_PAGE + 1])
    return page[:LOG_PAGE], page[LOG_PAGE - 1].pk if len(page) > LOG_PAGE else None


# --- Events -------------------------------------------------------------------------------------


def claim_record_written(record, previous) -> list[WebhookDelivery]:
    """A claim's new status (a historical record of it, and the record before), to those subscribed to it."""
    if not status_changed(record, previous):
        return []
    event = EVENT_OF_STATUS[record.status]
    wanted = [s for s in _subscribed(event) if _may_see_claim(s, record.id)]
    if not wanted:
        return []
    base = _base_url()
    article = Article.objects.filter(pk=record.article_id).values("id", "title").first() or {"id": record.article_id}
    payload = {
        "claim": {
            "id": record.id,
            "uid": str(record.uid),
            "url": f"{base}/claims/{record.id}/",
            "api_url": f"{base}/api/v1/claims/{record.id}",
            "status": record.status,
            "previous_status": previous.status,
            "version": record.version,
            "wording": record.wording,
            "article": {**article, "url": f"{base}/articles/{record.article_id}/"},
        },
        "changed_by": _username(record.history_user_id),
    }
    return _queue(wanted, event, record.history_date, payload)


def export_finished(export: Export) -> list[WebhookDelivery]:
    """A background export that is done (its file kept) or failed, to those subscribed who may open it."""
    wanted = [
        s
        for s in _subscribed(Event.EXPORT_FINISHED)
        if permissions.can_open_export(s.owner, export) and s.claim_set_id in (None, export.claim_set_id)
    ]
    if not wanted:
        return []
    base = export.base_url or _base_url()
    done = export.status == Export.Status.DONE
    payload = {
        "export": {
            "id": export.pk,
            "status": export.status,
            "format": export.format,
            "claim_set": export.claim_set_id,
            "claim_count": export.claim_count,
            "sha256": export.sha256,
            "size": export.size,
            "failure": export.failure,
            "url": f"{base}/claims/exports/{export.pk}/",
            "download_url": f"{base}/claims/exports/{export.pk}/download/" if done else None,
        }
    }
    return _queue(wanted, Event.EXPORT_FINISHED, export.finished_at or timezone.now(), payload)


def _subscribed(event: str) -> list[WebhookSubscription]:
    # A newsroom has tens of subscriptions: read at once, chosen here (a JSON list is not queried alike everywhere).
    active = WebhookSubscription.objects.filter(active=True).select_related("owner", "claim_set").order_by("pk")
    return [s for s in active if event in s.events and permissions.can_subscribe(s.owner)]


def _may_see_claim(subscription: WebhookSubscription, claim_id: int) -> bool:
    claim_set = subscription.claim_set
    if claim_set is None:
        return True
    if not permissions.can_manage_set(subscription.owner, claim_set):
        return False
    held = selected_claims(claim_set=claim_set, filters={}, statuses=list(Claim.Status.values))
    return held.filter(pk=claim_id).exists()


def _queue(subscriptions, event: str, occurred_at: datetime, payload: dict) -> list[WebhookDelivery]:
    """One delivery per subscription, sent by the worker once this transaction commits."""
    now = timezone.now()
    made = []
    for subscription in subscriptions:
        uid = uuid.uuid4()
        body = {"id": str(uid), "event": event, "occurred_at": occurred_at.isoformat(), **payload}
        made.append(WebhookDelivery(uid=uid, subscription=subscription, event=event, payload=body, next_attempt_at=now))
    made = WebhookDelivery.objects.bulk_create(made)
    ids = [delivery.pk for delivery in made]

    def send():
        from claims.tasks import deliver_webhook

        for pk in ids:
            deliver_webhook.enqueue(pk)

    transaction.on_commit(send)
    return made


def _base_url() -> str:
    return (settings.WORKBENCH_BASE_URL or DEFAULT_BASE_URL).rstrip("/")


def _username(user_id: int | None) -> str | None:
    if user_id is None:
        return None
    User = get_user_model()
    return User._default_manager.filter(pk=user_id).values_list(User.USERNAME_FIELD, flat=True).first()


# --- Sending ------------------------------------------------------------------------------------


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """`v1=` and the hex HMAC-SHA256, keyed with the secret, of the timestamp, a full stop and the body."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"{SIGNATURE_VERSION}={digest}"


def deliver(delivery_id: int) -> datetime | None:
    """Send one delivery if it is due and no other worker is sending it; when it is due again (None: never)."""
    now = timezone.now()
    timeout = settings.WORKBENCH_WEBHOOK_TIMEOUT
    taken = WebhookDelivery.objects.filter(pk=delivery_id, next_attempt_at__lte=now)
    if not taken.update(next_attempt_at=now + timedelta(seconds=timeout) + HELD):
        return None  # sent already, given up, not yet due, or being sent
    delivery = WebhookDelivery.objects.select_related("subscription").filter(pk=delivery_id).first()
    if delivery is None:  # its subscription was deleted a moment ago
        return None
    subscription = delivery.subscription
    if not subscription.active and delivery.event != WebhookDelivery.PING:
        return _outcome(delivery, now, None, "Not sent: the subscription is paused.", give_up=True)
    if refused := local_address(subscription.url):  # looked up again: a name may point elsewhere since
        return _outcome(delivery, now, None, f"Not sent: {refused}", give_up=True)
    body = body_of(delivery)
    timestamp = str(int(now.timestamp()))
    request = urllib.request.Request(  # noqa: S310 - the address is http(s) only (claims.models.http_address)
        subscription.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Workbench-Webhooks/1",
            "Webhook-Id": str(delivery.uid),
            "Webhook-Event": delivery.event,
            "Webhook-Timestamp": timestamp,
            "Webhook-Signature": signature(subscription.secret, timestamp, body),
        },
    )
    try:
        with _opener.open(request, timeout=timeout) as response:
            return _outcome(delivery, now, response.status, "")
    except urllib.error.HTTPError as answer:
        with answer:
            return _outcome(delivery, now, answer.code, _why(answer))
    except (urllib.error.URLError, OSError, ValueError) as error:  # refused, reset, timed out, no such host
        return _outcome(delivery, now, None, _failure(error, timeout))


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is not followed (it could lead anywhere, a host inside the network included): it is a failure."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def _why(answer: urllib.error.HTTPError) -> str:
    if 300 <= answer.code < 400:
        return f"Redirect to {answer.headers.get('Location', 'nowhere')} not followed."
    text = answer.read(ANSWER_KEPT * 4).decode("utf-8", "replace")
    words = " ".join(text.split())[:ANSWER_KEPT]
    return f"HTTP {answer.code}" + (f": {words}" if words else "")


def _failure(error: Exception, timeout: int) -> str:
    reason = getattr(error, "reason", error)
    if isinstance(reason, socket.timeout | TimeoutError):
        return f"No answer within {timeout} s."
    return f"Could not connect: {reason}"[:500]


def _outcome(delivery: WebhookDelivery, now: datetime, code: int | None, error: str, give_up=False) -> datetime | None:
    attempts = delivery.attempts + 1
    fields = {"attempts": attempts, "last_attempt_at": now, "last_status_code": code, "last_error": error[:500]}
    if code is not None and 200 <= code < 300:
        fields |= {"delivered_at": now, "next_attempt_at": None, "last_error": ""}
    elif give_up or attempts >= ATTEMPTS:
        fields |= {"failed_at": now, "next_attempt_at": None}
    else:
        fields["next_attempt_at"] = now + RETRY_SCHEDULE[attempts - 1]
    WebhookDelivery.objects.filter(pk=delivery.pk).update(**fields)
    return fields["next_attempt_at"]


def retry_due() -> list[str]:
    """The sweep's part (workbench.leases): deliveries overdue (their queued retry lost) are queued again."""
    from claims.tasks import deliver_webhook

    now = timezone.now()
    overdue = WebhookDelivery.objects.filter(next_attempt_at__lte=now - OVERDUE).order_by("next_attempt_at")
    done = []
    for pk, due in overdue.values_list("pk", "next_attempt_at")[:SWEPT]:
        # Made due now, so that the next sweep leaves it to this task unless that too is lost.
        if WebhookDelivery.objects.filter(pk=pk, next_attempt_at=due).update(next_attempt_at=now):
            deliver_webhook.enqueue(pk)
            done.append(f"Webhook delivery {pk}: overdue since {due:%Y-%m-%d %H:%M:%S}; queued again.")
    return done
