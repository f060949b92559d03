"""Checks made when the web server starts (workbench/wsgi.py, asgi.py), not by every management command."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def require_secret_key() -> None:
    try:
        _ = settings.SECRET_KEY  # Django refuses an empty key as soon as it is read
    except ImproperlyConfigured:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.") from None
