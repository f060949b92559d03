"""Who is asking: a bearer token (workbench.api.tokens), and nothing else. A session cookie opens no API call, so no
page's cookie can be borrowed by another site to write (the API takes no CSRF token: it needs none).
The token acts as its user: every rule after this is the pages' own (claims.permissions, claims.services)."""

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


class TokenThrottle(SimpleRateThrottle):
    """WORKBENCH_API_RATE requests per token (by its prefix, which is never reused), counted in the cache
    (shared by every server with Redis)."""

    scope = "api-token"

    def __init__(self):
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
