"""Who is asking: a bearer token (workbench.api.tokens), and nothing else. A session cookie opens no API call, so no
page's cookie can be borrowed by another site to write (the API takes no CSRF token: it needs none).
The token acts as its user: every rule after this is the pages' own (claims.permissions, claims.services)."""

import threading

from django.conf import settings
from django.core.exceptions import PermissionDenied
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle

from workbench.api import tokens


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        found = tokens.token_for(token)
        if found is None:
            return None  # ninja answers 401
        request.user = found.user
        return found


def require_write(request) -> None:
    """A write needs a read-write token, whatever its user may do."""
    if not request.auth.can_write:
        raise PermissionDenied("This token is read-only: make a read-write token to change anything.")


class _PerThread:
    """An attribute whose value each thread has its own of."""

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, obj, owner=None):
        return self if obj is None else getattr(obj._per_thread, self.name, None)

    def __set__(self, obj, value):
        setattr(obj._per_thread, self.name, value)


class TokenThrottle(SimpleRateThrottle):
    """WORKBENCH_API_RATE requests per token (by its prefix, which is never reused), counted in the cache
    (shared by every server with Redis)."""

    scope = "api-token"
    # ninja keeps one throttle for all requests and writes each one's key, history and time on it: under
    # gunicorn's threads (workbench/gunicorn.conf.py) two requests at once would read each other's.
    key, history, now = _PerThread(), _PerThread(), _PerThread()

    def __init__(self):
        self._per_thread = threading.local()
        super().__init__(rate=settings.WORKBENCH_API_RATE)

    def allow_request(self, request) -> bool:
        self.rate = settings.WORKBENCH_API_RATE  # read each time: a changed setting applies at once
        if not self.rate:  # empty: no limit
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request) -> str | None:
        token = getattr(request, "auth", None)
        return None if token is None else self.cache_format % {"scope": self.scope, "ident": token.prefix}
