"""Errors as RFC 9457 problem details (`application/problem+json`): every error the API gives, whatever raised
it, reads the same way: type, title, status, detail, and for 422 the fields at fault."""

import logging
from http import HTTPStatus

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse, JsonResponse
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestInvalid

logger = logging.getLogger(__name__)

CONTENT_TYPE = "application/problem+json"
# "about:blank" says the status says it all (RFC 9457, 4.2); the kinds of our own have a type of their own.


class PreconditionRequired(Exception):
    """A write that must say which version of the claim it is based on did not (If-Match)."""


def problem(status: int, detail: str, *, type: str = "about:blank", **extra) -> JsonResponse:  # noqa: A002
    body = {"type": type, "title": HTTPStatus(status).phrase, "status": status, "detail": detail, **extra}
    return JsonResponse(body, status=status, content_type=CONTENT_TYPE, json_dumps_params={"ensure_ascii": False})


def etag(claim) -> str:
    """The claim's version as a strong entity tag: what a write's If-Match names."""
    return f'"{claim.pk}.{claim.version}"'


def _field_errors(error: DjangoValidationError) -> list[dict]:
    if hasattr(error, "error_dict"):
        return [
            {"field": None if name == "__all__" else name, "detail": message}
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return [{"field": None, "detail": message} for message in error.messages]


def _request_invalid(request, exc: RequestInvalid) -> HttpResponse:
    errors = []
    for error in exc.errors:
        where = [str(part) for part in error.get("loc", ())]
        # ninja names a body's fields after the parameter that holds them ("body", "payload", "wording")
        location, field = (where[0], ".".join(where[2:] if where[:1] == ["body"] else where[1:])) if where else ("", "")
        errors.append({"field": field or None, "location": location, "detail": error.get("msg", "Invalid.")})
    return problem(422, "The request has invalid fields: see errors.", errors=errors)


def _invalid(request, exc: DjangoValidationError) -> HttpResponse:
    errors = _field_errors(exc)
    return problem(422, " ".join(e["detail"] for e in errors) or "Invalid.", errors=errors)


def _precondition_required(request, exc: PreconditionRequired) -> HttpResponse:
    return problem(428, str(exc))


def _forbidden(request, exc: PermissionDenied) -> HttpResponse:
    return problem(403, str(exc) or "You may not do this.")


def _not_found(request, exc: Exception) -> HttpResponse:
    return problem(404, "There is no such object, or not one you may see.")


def _http_error(request, exc: HttpError) -> HttpResponse:
    if isinstance(exc, AuthenticationError):
        response = problem(
            401, "Send an API token of yours: Authorization: Bearer <token> (a revoked or expired one is refused)."
        )
        response["WWW-Authenticate"] = 'Bearer realm="workbench"'
        return response
    return problem(exc.status_code, str(exc))


def _server_error(request, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
    return problem(500, "Something went wrong on our side; it has been logged.")


HANDLERS = {
    RequestInvalid: _request_invalid,
    DjangoValidationError: _invalid,
    PreconditionRequired: _precondition_required,
    PermissionDenied: _forbidden,
    Http404: _not_found,
    ObjectDoesNotExist: _not_found,
    HttpError: _http_error,
    Exception: _server_error,
}


def method_not_allowed(response: HttpResponse) -> HttpResponse:
    """ninja's own 405 (a method no operation of the path takes), as a problem, with its Allow header."""
    allowed = ", ".join(sorted(method.strip() for method in response["Allow"].split(",")))
    answer = problem(405, f"This address takes {allowed} only.")
    answer["Allow"] = allowed
    return answer
