"""A page whose query PostgreSQL cancelled (WORKBENCH_STATEMENT_TIMEOUT_MS) answers 503, not a bare 500."""

import logging

from django.db import OperationalError
from django.shortcuts import render

logger = logging.getLogger(__name__)

QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement cancelled by statement_timeout
RETRY_AFTER_SECONDS = 30


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
