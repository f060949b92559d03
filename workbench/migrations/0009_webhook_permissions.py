"""Webhooks: every signed-in user manages their own subscriptions on their page (claims.permissions); admins
manage everyone's, in the admin too (claims.*)."""

from django.db import migrations

from workbench.migrations import _permissions


def grant(apps, schema_editor):
    _permissions.grant(apps, "admin", ["claims.*"])


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    models = ("webhooksubscription", "webhookdelivery")
    gone = Permission.objects.filter(content_type__app_label="claims", content_type__model__in=models)
    for group in apps.get_model("auth", "Group").objects.filter(name="admin"):
        group.permissions.remove(*gone)


class Migration(migrations.Migration):
    dependencies = [("workbench", "0008_api_token_permissions"), ("claims", "0017_webhooks")]
    operations = [migrations.RunPython(grant, revoke)]
