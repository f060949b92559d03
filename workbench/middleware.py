"""Serving: no work for a client that has gone, a clean page for a query that took too long or for a
missing object, and the browser features no page uses switched off."""

import logging
import socket
import ssl

from django.conf import settings
from django.db import OperationalError
from django.http import Http404, HttpResponse
from django.shortcuts import render

logger = logging.getLogger(__name__)

QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement cancelled by statement_timeout
RETRY_AFTER_SECONDS = 30


CLIENT_CLOSED_REQUEST = 499  # nginx's status for it; nobody reads the answer, the access log does


def client_has_gone(request) -> bool:
    """The connection was closed by the client while its request waited for a worker (gunicorn only).

    Peeking finds the end of the stream when the client closed it, nothing yet when it is waiting for
    the answer, and a next request or the rest of a body otherwise: only the first counts as gone.
    """
    sock = request.META.get("gunicorn.socket")
    if sock is None or isinstance(sock, ssl.SSLSocket):  # TLS in gunicorn itself: a TLS socket cannot peek
        return False
    try:
        return sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except BlockingIOError:
        return False
    except OSError:  # reset by the peer
        return True


class ClientGoneMiddleware:
    """After a burst, requests of clients that gave up wait in the queue: answer them without rendering,
    so those still waiting are served sooner. Only reads are skipped: a write that arrived is made, even
    if its sender has gone, since what they wrote is in it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and client_has_gone(request):
            logger.info("Client gone before %s %s was served; skipped", request.method, request.path)
            return HttpResponse(status=CLIENT_CLOSED_REQUEST)
        return self.get_response(request)


class StatementTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError):
            return None
        if getattr(exception.__cause__, "sqlstate", None) != QUERY_CANCELED:
            return None
        # The statement was cancelled and, outside a transaction, the connection goes on serving.
        logger.warning("Statement timeout: %s %s took too long and was cancelled", request.method, request.path)
        response = render(request, "workbench/too_slow.html", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


class NotFoundMiddleware:
    """A view that finds nothing (a deleted claim, an old link) answers with the workbench's 404 page, under
    DEBUG too: Django's debug page is for an address no route serves, which stays a developer's matter."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            return render(request, "404.html", status=404)
        return None


class PermissionsPolicyMiddleware:
    """Switches off, on every response, the browser features no page uses (WORKBENCH_PERMISSIONS_POLICY_OFF)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # An empty allowlist: not this document, nor anything it embeds ("camera=(), usb=()").
        features = ", ".join(f"{feature}=()" for feature in settings.WORKBENCH_PERMISSIONS_POLICY_OFF)
        response.setdefault("Permissions-Policy", features)
        return response
