"""Granting permissions to role groups from a data migration (shared by the role migrations)."""

from django.contrib.auth.management import create_permissions


def grant(apps, role: str, names: list[str]) -> None:
    """Give the group `role` the permissions named "app_label.codename" ("app_label.*" for all of an app's)."""
    # Permissions are normally made after all migrations ran; the groups need them now.
    for app_config in apps.get_app_configs():
        models_module, app_config.models_module = getattr(app_config, "models_module", None), True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=role)
    for name in names:
        app_label, codename = name.split(".")
        permissions = Permission.objects.filter(content_type__app_label=app_label)
        if codename != "*":
            permissions = permissions.filter(codename=codename)
        group.permissions.add(*permissions)
