"""Audit plumbing: every historical record says through which channel the change came.

The channel lives in a context variable: requests set it (web or admin), imports and commands
wrap their work in `audit_channel(...)`, and anything else is a management command.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import models

WEB, ADMIN, IMPORT, COMMAND, API = "web", "admin", "import", "command", "api"
CHANNELS = [(WEB, "web"), (ADMIN, "admin site"), (IMPORT, "import"), (COMMAND, "command"), (API, "API")]

_channel: ContextVar[str] = ContextVar("audit_channel", default=COMMAND)


def current_channel() -> str:
    return _channel.get()


@contextmanager
def audit_channel(name: str) -> Iterator[None]:
    token = _channel.set(name)
    try:
        yield
    finally:
        _channel.reset(token)


class AuditChannelMiddleware:
    """Changes made through a request are from the admin site or the web pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with audit_channel(ADMIN if request.path.startswith("/admin/") else WEB):
            return self.get_response(request)


class ChannelHistoricalModel(models.Model):
    """Base for django-simple-history's historical models: adds the channel of each change."""

    history_channel = models.CharField(max_length=10, choices=CHANNELS, default=current_channel)

    class Meta:
        abstract = True
