"""A read replica: reads from it, writes to the primary, and read-your-own-writes for each browser.

Only a request that passed through PrimaryAfterWriteMiddleware reads from the replica, and only until it
writes; everything else (management commands, background jobs, the shell) reads from the primary, as
does everything inside a transaction. After a request wrote, the browser carries a short-lived signed
cookie, and its requests read from the primary until the cookie expires, so an editor never misses
their own claim on a replica that lags behind.
"""

from contextvars import ContextVar

from django.conf import settings
from django.db import connections

PRIMARY, REPLICA = "default", "replica"
COOKIE = "workbench_primary"
# A session written at login and read back from a lagging replica would log the user out again.
PRIMARY_ONLY_APPS = {"sessions"}


class _RequestReads:
    """What one request may read from; mutated by the router so the middleware sees a write."""

    def __init__(self, replica: bool):
        self.replica = replica
        self.wrote = False


_current: ContextVar[_RequestReads | None] = ContextVar("workbench_request_reads", default=None)


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        reads = _current.get()
        if (
            reads is None
            or not reads.replica
            or model._meta.app_label in PRIMARY_ONLY_APPS
            or connections[PRIMARY].in_atomic_block
        ):
            return PRIMARY
        return REPLICA

    def db_for_write(self, model, **hints):
        reads = _current.get()
        if reads is not None:
            reads.replica, reads.wrote = False, True
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database under two names

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


class PrimaryAfterWriteMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        window = settings.DATABASE_REPLICA_PIN_SECONDS
        pinned = request.get_signed_cookie(COOKIE, default=None, salt=COOKIE, max_age=window) is not None
        reads = _RequestReads(replica=not pinned)
        token = _current.set(reads)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        if reads.wrote:
            response.set_signed_cookie(
                COOKIE,
                "1",
                salt=COOKIE,
                max_age=window,
                httponly=True,
                secure=settings.SESSION_COOKIE_SECURE,
                samesite="Lax",
            )
        return response
