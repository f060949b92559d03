"""Admins manage every claim set and see every export (the role's "claims.*" was granted before they existed)."""

from django.db import migrations

from workbench.migrations import _permissions


def grant(apps, schema_editor):
    _permissions.grant(apps, "admin", ["claims.*"])


class Migration(migrations.Migration):
    dependencies = [("workbench", "0002_user_history"), ("claims", "0002_exports")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
