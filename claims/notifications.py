"""Notifications: who hears of what happened to their work, and how.

Someone named in a comment (`@name`), the author of the comment a reply answers, and the person a claim is
assigned to hear of it from the discussion's and the assignments' services (claims.services).

A claim's status is told by its history: every record of a claim, whichever door wrote it (the pages,
the admin, a restore, a rollback, an import), is compared with the record before it, and a new status is
told to the people whose work it is. A verdict and a reopening to the claim's author; "needs review" to
its author and to the reviewer whose verdict it suspended. Never to the person who made the change.

The notification is written in the same transaction as the change, so it exists exactly when the change
does. Its e-mail, when the recipient chose e-mail, is sent by the background worker once the change is
committed (`claims.tasks.send_notification_email`): a mail server that is down never holds up or undoes
the action, and the sending is tried again with a growing pause, up to EMAIL_ATTEMPTS times. A user who
chose the daily digest gets one e-mail a day of everything since the last (`manage.py send_digests`).
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from claims.models import Claim, Notification, NotificationPreferences
from claims.rules import JUDGED
from workbench.display import truncated

EMAIL_ATTEMPTS = 5
RETRY_AFTER = timedelta(minutes=1)  # doubled after each failure
UNREAD_SHOWN = 99  # the navigation counts this many unread at most ("99+")

Kind = Notification.Kind
TOLD = {
    Claim.Status.VERIFIED: (Kind.VERDICT, "{actor} marked your claim verified"),
    Claim.Status.DISPUTED: (Kind.VERDICT, "{actor} marked your claim disputed"),
    Claim.Status.REVIEW: (Kind.REVIEW, "A claim needs review"),
    Claim.Status.OPEN: (Kind.REOPENED, "{actor} reopened your claim"),
}


def claim_record_written(record, previous) -> None:
    """Tell the people whose work it is of a claim's new status (`record` a historical record of a claim,
    `previous` the one before it, or None for a new claim)."""
    if not status_changed(record, previous):
        return
    kind, sentence = TOLD[record.status]
    recipients = {record.created_by_id}
    if record.status == Claim.Status.REVIEW:
        recipients.add(previous.reviewed_by_id)  # the verdict it suspended was theirs
    actor_id = record.history_user_id
    recipients -= {actor_id, None}
    actor = _name(actor_id)
    text = f"{sentence.format(actor=actor)}: “{truncated(record.wording, 120)}”"
    if record.status == Claim.Status.REVIEW and record.review_reason:
        text += f" ({truncated(record.review_reason, 160)})"
    notify(recipients, kind=kind, claim_id=record.id, actor_id=actor_id, text=text)


def status_changed(record, previous) -> bool:
    """Whether a claim's record is a new status worth telling (claims.webhooks asks too): a verdict, a verdict
    suspended for review, or a judged (or suspended) claim reopened. An open claim flagged and cleared is not."""
    if previous is None or previous.status == record.status or record.history_type == "-":
        return False
    return record.status != Claim.Status.OPEN or previous.status in (*JUDGED, Claim.Status.REVIEW)


def mentioned(comment, user_ids: list[int]) -> None:
    """The people a comment newly names (`@name`; never its author, claims.services sees to that)."""
    text = f"{_name(comment.author_id)} mentioned you: “{truncated(comment.body, 160)}”"
    notify(user_ids, kind=Kind.MENTION, claim_id=comment.claim_id, actor_id=comment.author_id, text=text)


def replied(reply, answered) -> None:
    """The author of the comment a reply answers, unless they replied to themselves or the reply names them
    (the mention tells them already)."""
    if answered.author_id == reply.author_id or reply.mentions.filter(user_id=answered.author_id).exists():
        return
    text = f"{_name(reply.author_id)} replied to your comment: “{truncated(reply.body, 160)}”"
    notify([answered.author_id], kind=Kind.REPLY, claim_id=reply.claim_id, actor_id=reply.author_id, text=text)


def assigned(assignment) -> None:
    """The person a claim is handed to, unless they took it themselves."""
    if assignment.assignee_id == assignment.assigned_by_id:
        return
    task = "find sources for" if assignment.task == "source" else "judge"
    wording = Claim.objects.filter(pk=assignment.claim_id).values_list("wording", flat=True).first() or ""
    text = f"{_name(assignment.assigned_by_id)} asked you to {task} “{truncated(wording, 120)}”"
    if assignment.due:
        text += f", by {assignment.due:%-d %b %Y}"
    if assignment.note:
        text += f": {truncated(assignment.note, 160)}"
    notify(
        [assignment.assignee_id],
        kind=Kind.ASSIGNMENT,
        claim_id=assignment.claim_id,
        actor_id=assignment.assigned_by_id,
        text=text,
    )


def notify(recipients, *, kind: str, claim_id: int | None, actor_id: int | None, text: str) -> list[Notification]:
    """One notification per recipient, shown and e-mailed as each chose; the e-mails go once this commits."""
    recipients = sorted(set(recipients))
    if not recipients:
        return []
    choices = {p.user_id: p for p in NotificationPreferences.objects.filter(user_id__in=recipients)}
    made = []
    for user_id in recipients:
        preferences = choices.get(user_id) or NotificationPreferences(user_id=user_id)
        channel = preferences.channel(kind)
        emailed = "" if channel == NotificationPreferences.WEB else "digest" if preferences.daily_digest else "now"
        made.append(
            Notification(
                recipient_id=user_id,
                kind=kind,
                actor_id=actor_id,
                claim_id=claim_id,
                text=text[:400],
                shown=channel != NotificationPreferences.EMAIL,
                emailed=emailed,
            )
        )
    made = Notification.objects.bulk_create(made)
    at_once = [n.pk for n in made if n.emailed == "now"]
    if at_once:
        from claims.tasks import send_notification_email

        transaction.on_commit(lambda: [send_notification_email.enqueue(pk) for pk in at_once])
    return made


def unread_count(user) -> int:
    """How many of the user's notifications are unread, counted up to UNREAD_SHOWN + 1."""
    unread = Notification.objects.filter(recipient=user, shown=True, read_at__isnull=True)
    return unread.order_by()[: UNREAD_SHOWN + 1].count()


def mark_read(user, ids=None) -> int:
    """Mark the user's notifications read: those of `ids`, or all. Another user's are never touched."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


def send_email(notification_id: int) -> timedelta | None:
    """E-mail one notification unless it went already. On failure, says when to try again (None: never)."""
    notification = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if notification is None or notification.emailed_at is not None or not notification.recipient.email:
        return None
    try:
        send_mail(
            subject=f"Workbench: {truncated(notification.text, 90)}",
            message=_body([notification]),
            from_email=None,
            recipient_list=[notification.recipient.email],
        )
    except OSError:  # smtplib's errors are OSErrors, as are a refused or reset connection
        attempts = notification.email_attempts + 1
        Notification.objects.filter(pk=notification.pk).update(email_attempts=attempts)
        return RETRY_AFTER * 2 ** (attempts - 1) if attempts < EMAIL_ATTEMPTS else None
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return None


def retry_emails(now=None) -> int:
    """Try again the e-mails whose sending failed and whose pause is over; says how many went."""
    now = now or timezone.now()
    failed = Notification.objects.filter(
        emailed="now", emailed_at__isnull=True, email_attempts__gt=0, email_attempts__lt=EMAIL_ATTEMPTS
    )
    tried = []
    for notification in failed.order_by("pk")[:500]:
        if notification.created_at + RETRY_AFTER * 2 ** (notification.email_attempts - 1) <= now:
            send_email(notification.pk)
            tried.append(notification.pk)
    return Notification.objects.filter(pk__in=tried, emailed_at__isnull=False).count()


def send_digests(now=None) -> int:
    """One e-mail to each user who chose the digest and has notifications not yet e-mailed, at most once
    a day. Says how many e-mails went."""
    now = now or timezone.now()
    due = NotificationPreferences.objects.filter(daily_digest=True).exclude(digest_sent_at__gt=now - timedelta(days=1))
    sent = 0
    for preferences in due:
        waiting = list(
            Notification.objects.filter(recipient_id=preferences.user_id, emailed="digest", emailed_at__isnull=True)
            .order_by("created_at", "pk")
            .select_related("recipient")[:200]
        )
        if not waiting or not waiting[0].recipient.email:
            continue
        try:
            send_mail(
                subject=f"Workbench: {len(waiting)} notification{'s' if len(waiting) != 1 else ''} since yesterday",
                message=_body(waiting),
                from_email=None,
                recipient_list=[waiting[0].recipient.email],
            )
        except OSError:
            continue  # the next run tries again: nothing was marked sent
        Notification.objects.filter(pk__in=[n.pk for n in waiting]).update(emailed_at=now)
        NotificationPreferences.objects.filter(pk=preferences.pk).update(digest_sent_at=now)
        sent += 1
    return sent


def _body(notifications: list[Notification]) -> str:
    base = settings.WORKBENCH_BASE_URL or "http://127.0.0.1:8000"
    lines = []
    for notification in notifications:
        lines.append(notification.text)
        if notification.claim_id:
            lines.append(f"{base}/claims/{notification.claim_id}/")
        lines.append("")
    lines.append(f"Your notifications and how you hear of them: {base}/notifications/")
    return "\n".join(lines)


def _name(user_id: int | None) -> str:
    if user_id is None:
        return "The workbench"
    User = get_user_model()
    return User._default_manager.filter(pk=user_id).values_list(User.USERNAME_FIELD, flat=True).first() or "Someone"
