"""Discussion and assignments: everyone reads them; editors and reviewers comment (and edit and delete their
own comments); reviewers, the desk heads, assign; admins also delete anyone's comment (claims.*)."""

from django.db import migrations

from workbench.migrations import _permissions

READ = ["claims.view_comment", "claims.view_assignment"]
COMMENT = ["claims.add_comment", "claims.change_comment", "claims.delete_comment"]
ASSIGN = ["claims.add_assignment", "claims.change_assignment", "claims.delete_assignment"]
ROLE_PERMISSIONS = {
    "viewer": READ,
    "editor": READ + COMMENT,
    "reviewer": READ + COMMENT + ASSIGN,
    "admin": ["claims.*"],
}


def grant(apps, schema_editor):
    for role, names in ROLE_PERMISSIONS.items():
        _permissions.grant(apps, role, names)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    models = ("comment", "assignment", "mention")
    gone = Permission.objects.filter(content_type__app_label="claims", content_type__model__in=models)
    for group in apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS):
        group.permissions.remove(*gone)


class Migration(migrations.Migration):
    dependencies = [("workbench", "0006_login_lockout_permissions"), ("claims", "0011_discussion_and_assignments")]
    operations = [migrations.RunPython(grant, revoke)]
