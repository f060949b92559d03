"""Admins see who is locked out of logging in, and unlock them (the failed logins django-axes counts)."""

from django.db import migrations

from workbench.migrations import _permissions

ADMIN = [
    "axes.view_accessattempt",
    "axes.delete_accessattempt",
    "axes.view_accesslog",
    "axes.view_accessfailurelog",
]


def grant(apps, schema_editor):
    _permissions.grant(apps, "admin", ADMIN)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    group = apps.get_model("auth", "Group").objects.filter(name="admin").first()
    if group:
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="axes"))


class Migration(migrations.Migration):
    dependencies = [("workbench", "0005_story_permissions"), ("axes", "0010_accessattemptexpiration")]
    operations = [migrations.RunPython(grant, revoke)]
