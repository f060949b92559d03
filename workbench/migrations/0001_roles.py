"""Create the four role groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW = [
    "articles.view_article", "articles.view_passage",
    "claims.view_claim", "claims.view_evidencelink", "claims.view_tag",
]  # fmt: skip
EDIT = [
    "claims.add_claim", "claims.change_claim", "claims.delete_claim", "claims.add_tag",
    "claims.add_evidencelink", "claims.delete_evidencelink",
]  # fmt: skip
REVIEW = ["claims.change_any_claim", "claims.set_verdict"]
ROLE_PERMISSIONS = {
    "viewer": VIEW,
    "editor": VIEW + EDIT,
    "reviewer": VIEW + EDIT + REVIEW,
    "admin": ["articles.*", "claims.*", "auth.*"],
}


def create_roles(apps, schema_editor):
    # Permissions are normally made after all migrations ran; the groups need them now.
    for app_config in apps.get_app_configs():
        models_module, app_config.models_module = getattr(app_config, "models_module", None), True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        for name in names:
            app_label, codename = name.split(".")
            permissions = Permission.objects.filter(content_type__app_label=app_label)
            if codename != "*":
                permissions = permissions.filter(codename=codename)
            group.permissions.add(*permissions)


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
