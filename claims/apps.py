from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"

    def ready(self) -> None:
        from simple_history.signals import post_create_historical_record, pre_create_historical_record

        from articles.signals import metadata_changed, passages_written, version_created
        from claims import checks, receivers, webhooks  # noqa: F401 - checks registers the system checks
        from claims.exports.recovery import recover_exports
        from claims.models import Claim
        from claims.tasks import embed_passages
        from workbench import leases

        leases.register(recover=recover_exports, retry=[embed_passages])
        leases.register(recover=webhooks.retry_due)

        version_created.connect(receivers.reanchor_on_new_version, dispatch_uid="claims.reanchor_on_new_version")
        metadata_changed.connect(receivers.recheck_on_publisher_change, dispatch_uid="claims.recheck_on_publisher")
        passages_written.connect(receivers.embed_new_passages, dispatch_uid="claims.embed_new_passages")
        pre_create_historical_record.connect(
            receivers.fold_claim_record, sender=Claim.history.model, dispatch_uid="claims.fold_claim_record"
        )
        post_create_historical_record.connect(
            receivers.notify_of_claim_record, sender=Claim.history.model, dispatch_uid="claims.notify_of_claim_record"
        )

    def warm_up(self) -> None:
        """What a web server's worker loads as it starts (workbench/gunicorn.conf.py), before its first request:
        the embedding model, which takes seconds (claims.semantic)."""
        from claims import semantic

        semantic.mode()
