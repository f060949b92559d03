"""Claims' answers to what articles announce (`articles.signals`) and to their own history being written,
connected in `ClaimsConfig.ready`.

Each receiver only calls a service or a plain function: the rules live in `claims.services` and
`claims.history`, not here.
"""

from django.db import transaction

from claims import history, notifications, publishing, semantic, tasks, webhooks
from claims.services import claims_reanchor, claims_recheck_sources


def reanchor_on_new_version(sender, *, old, new, **kwargs) -> None:
    claims_reanchor(old=old, new=new)


def recheck_on_publisher_change(sender, *, article, fields, user, **kwargs) -> None:
    """Which sources count as independent depends on their publishers: a verdict that counted this article
    is held to its basis again."""
    if "publisher" in fields:
        claims_recheck_sources(article=article)


def embed_new_passages(sender, *, article_ids, **kwargs) -> None:
    """Once the passages are committed, the worker embeds them (a query embeds the few it meets before)."""
    if semantic.installed():
        ids = list(article_ids)
        transaction.on_commit(lambda: tasks.embed_passages.enqueue(ids))


def fold_claim_record(sender, *, history_instance, **kwargs) -> None:
    """Every claim record is written with whether the feed folds it (however the claim was saved: services,
    tags, the admin, imports). The record before it may change its mind: a bare bump that tags follow."""
    stored = list(sender._default_manager.filter(id=history_instance.id).order_by("-history_date", "-history_id")[:2])
    stored.reverse()
    was = [record.history_folded for record in stored]
    history.fold([*stored, history_instance])
    if stored and stored[-1].history_folded != was[-1]:
        stored[-1].save(update_fields=["history_folded"])


def notify_of_claim_record(sender, *, history_instance, **kwargs) -> None:
    """A claim's new status, however it was written, is told to the people whose work it is and to the
    webhooks subscribed to it, and the published pages that show it are published again."""
    previous = (
        sender._default_manager.filter(id=history_instance.id, history_id__lt=history_instance.history_id)
        .order_by("-history_date", "-history_id")
        .first()
    )
    notifications.claim_record_written(history_instance, previous)
    webhooks.claim_record_written(history_instance, previous)
    publishing.claim_record_written(history_instance, previous)
