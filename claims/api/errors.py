"""The claims' own refusals as problem details (workbench.api.problems holds the rest)."""

from django.http import HttpResponse

from claims.anchoring import AnchorError
from claims.services import StaleClaim, VerdictRefused
from workbench.api.problems import etag, problem

STALE = "https://workbench.invalid/problems/stale-claim"
REFUSED = "https://workbench.invalid/problems/verdict-refused"


def _anchor(request, exc: AnchorError) -> HttpResponse:
    return problem(422, str(exc), errors=[{"field": "quote", "detail": str(exc)}])


def _stale(request, exc: StaleClaim) -> HttpResponse:
    response = problem(
        412,
        f"The claim changed since that version: it is now version {exc.current.version}. Nothing was saved: "
        "read it again and send your change with its new ETag.",
        type=STALE,
        version=exc.current.version,
    )
    response["ETag"] = etag(exc.current)
    return response


def _refused(request, exc: VerdictRefused) -> HttpResponse:
    return problem(409, str(exc), type=REFUSED, reasons=exc.reasons)


HANDLERS = {AnchorError: _anchor, StaleClaim: _stale, VerdictRefused: _refused}
