"""Create the four role groups with their permissions."""

from django.db import migrations

from workbench.migrations import _permissions

VIEW = [
    "articles.view_article",
    "articles.view_passage",
    "claims.view_claim",
    "claims.view_evidencelink",
    "claims.view_tag",
]
EDIT = [
    "claims.add_claim",
    "claims.change_claim",
    "claims.delete_claim",
    "claims.add_tag",
    "claims.add_evidencelink",
    "claims.delete_evidencelink",
]
REVIEW = ["claims.change_any_claim", "claims.set_verdict"]
ROLE_PERMISSIONS = {
    "viewer": VIEW,
    "editor": VIEW + EDIT,
    "reviewer": VIEW + EDIT + REVIEW,
    "admin": ["articles.*", "claims.*", "auth.*"],
}


def create_roles(apps, schema_editor):
    for role, names in ROLE_PERMISSIONS.items():
        _permissions.grant(apps, role, names)


def delete_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("articles", "0001_initial"),
        ("claims", "0001_initial"),
    ]
    operations = [migrations.RunPython(create_roles, delete_roles)]
