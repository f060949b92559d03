"""The API's one instance, /api/v1/: its security, throttling, errors and routers. A version is a path:
a change that breaks a client becomes /api/v2/, beside this one."""

from django.http import HttpResponseNotAllowed
from django.urls import re_path
from ninja import NinjaAPI

from articles import api as articles_api
from claims.api import discussion, errors, exports, reads, writes  # noqa: F401 - writes' operations join reads' router
from workbench.api import problems
from workbench.api.auth import TokenAuth, TokenThrottle


class WorkbenchAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """ninja's document, with the media type our errors are sent as (workbench.api.problems) on every error."""
        document = super().get_openapi_schema(*args, **kwargs)
        for operations in document["paths"].values():
            for operation in operations.values():
                for status, answer in operation.get("responses", {}).items():
                    if int(status) >= 400 and "application/json" in answer.get("content", {}):
                        answer["content"] = {problems.CONTENT_TYPE: answer["content"]["application/json"]}
        return document


api = WorkbenchAPI(
    title="Workbench API",
    version="1",
    description=(
        "Articles and their imports, claims, their sources, verdicts, tags, discussion and assignments, claim sets "
        "and exports, as the workbench's pages show them and under the same rules. Every call needs `Authorization: Bearer <token>` (make one under *API tokens*); "
        "errors are RFC 9457 problem details; lists are cursor-paginated (`next`); a change to a claim sends "
        "its `ETag` back in `If-Match`."
    ),
    auth=TokenAuth(),
    throttle=[TokenThrottle()],
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)
api.add_router("", reads.router)  # claims.api.writes adds its operations to it
api.add_router("", discussion.router)
api.add_router("", exports.router)
api.add_router("", articles_api.router)

for kind, handler in {**problems.HANDLERS, **errors.HANDLERS}.items():
    api.add_exception_handler(kind, handler)


def _served(view, *, public: bool, read_only: bool = False):
    """An API view: errors ninja answers by itself (a 405) as problems too; signed-in or not, as `public` says
    (the token, not the session, is what opens an operation)."""

    def api_view(request, *args, **kwargs):
        if read_only and request.method not in ("GET", "HEAD"):
            return problems.method_not_allowed(HttpResponseNotAllowed(["GET", "HEAD"]))
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and response.get("Content-Type", "").startswith("text/html"):
            return problems.method_not_allowed(response)
        return response

    api_view.csrf_exempt = True
    api_view.login_required = not public  # read by Django's LoginRequiredMiddleware
    return api_view


def urlpatterns():
    """The API's URL patterns: every operation, and the OpenAPI document, open to the token alone; the
    documentation page, a workbench page like another, to those signed in."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        documents = pattern.name in ("openapi-json", "openapi-view")  # ninja's own views, that take any method
        pattern.callback = _served(pattern.callback, public=pattern.name != "openapi-view", read_only=documents)
    nowhere = re_path(r"^[\s\S]*$", _served(_not_found, public=True), name="nowhere")  # a newline too
    return [*patterns, nowhere], app_name, namespace


def _not_found(request, *args, **kwargs):
    return problems.problem(404, f"The API has no {request.path}: see /api/v1/docs for what it has.")
