"""Admins see every API token in the admin and revoke any of them (a token leaked, a person who left)."""

from django.db import migrations

from workbench.migrations import _permissions

ADMIN = ["api.view_apitoken", "api.change_apitoken"]


def grant(apps, schema_editor):
    _permissions.grant(apps, "admin", ADMIN)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    group = apps.get_model("auth", "Group").objects.filter(name="admin").first()
    if group:
        codenames = [name.split(".")[1] for name in ADMIN]
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="api", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [("workbench", "0007_discussion_permissions"), ("api", "0001_initial")]
    operations = [migrations.RunPython(grant, revoke)]
