"""Background work of claims' own, run by `manage.py db_worker` (immediately, in tests)."""

from django.utils import timezone
from django_tasks import task

from claims import notifications, semantic


@task()
def embed_passages(article_ids: list[int]) -> None:
    for _ in semantic.embed_passages(articles=article_ids):
        pass


@task()
def send_notification_email(notification_id: int) -> None:
    """A notification's e-mail; a failure is tried again later (claims.notifications.send_email), by this task
    when the backend can wait (the database's can) or else by `manage.py send_notifications`."""
    retry_after = notifications.send_email(notification_id)
    if retry_after is not None and send_notification_email.get_backend().supports_defer:
        send_notification_email.using(run_after=timezone.now() + retry_after).enqueue(notification_id)


@task()
def deliver_webhook(delivery_id: int) -> None:
    """One webhook delivery; after a failure, queued again for when it is due (claims.webhooks.RETRY_SCHEDULE)
    when the backend can wait, else sent by the workers' sweep (claims.webhooks.retry_due)."""
    from claims import webhooks

    retry_at = webhooks.deliver(delivery_id)
    if retry_at is not None and deliver_webhook.get_backend().supports_defer:
        deliver_webhook.using(run_after=retry_at).enqueue(delivery_id)


@task()
def republish_where_shown(claim_uid: str) -> None:
    """The published pages that show a claim whose verdict changed, published again (claims.publishing)."""
    from claims import publishing

    publishing.republish_where_shown(claim_uid)
