"""Stories: editors (and reviewers) make and change them, everyone reads them, admins also delete them."""

from django.db import migrations

from workbench.migrations import _permissions

ROLE_PERMISSIONS = {
    "viewer": ["claims.view_story"],
    "editor": ["claims.view_story", "claims.add_story", "claims.change_story"],
    "reviewer": ["claims.view_story", "claims.add_story", "claims.change_story"],
    "admin": ["claims.*"],
}


def grant(apps, schema_editor):
    for role, names in ROLE_PERMISSIONS.items():
        _permissions.grant(apps, role, names)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    stories = Permission.objects.filter(content_type__app_label="claims", codename__endswith="_story")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS):
        group.permissions.remove(*stories)


class Migration(migrations.Migration):
    dependencies = [("workbench", "0004_activity_feed_indexes"), ("claims", "0008_stories_and_claim_lookups")]
    operations = [migrations.RunPython(grant, revoke)]
