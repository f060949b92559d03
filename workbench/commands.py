"""Pieces the management commands share."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError


def user_named(username: str | None):
    """The user named by a command's --user (None without it); an unknown name is a usage error."""
    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"no user named {username!r}", returncode=2)
    return user
