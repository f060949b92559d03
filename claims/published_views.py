"""Published claim sets (claims.publishing): their files, served from the default storage to anyone, signed in
or not."""

from csp.constants import NONE, UNSAFE_INLINE
from csp.decorators import csp
from django.contrib.auth.decorators import login_not_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_GET

from claims import publishing
from claims.models import Publication

# A published page loads nothing, runs nothing and sends nothing: only its own inline styles apply.
PUBLISHED_POLICY = {
    "default-src": [NONE],
    "style-src": [UNSAFE_INLINE],
    "base-uri": [NONE],
    "form-action": [NONE],
    "frame-ancestors": [NONE],
}
CURRENT_MAX_AGE = 300  # seconds a copy of the newest version may be kept: publishing again shows soon
VERSION_MAX_AGE = 31536000  # a version never changes


@login_not_required
@require_GET
@csp(PUBLISHED_POLICY)
def published_current(request: HttpRequest, slug: str, snippet: bool = False) -> FileResponse:
    publication = publishing.current(slug)
    if publication is None:
        raise Http404("Nothing has been published at this address.")
    return _served(publication, snippet=snippet, max_age=CURRENT_MAX_AGE)


@login_not_required
@require_GET
@csp(PUBLISHED_POLICY)
def published_version(request: HttpRequest, slug: str, version: int, snippet: bool = False) -> FileResponse:
    publication = get_object_or_404(Publication, slug=slug, version=version)
    response = _served(publication, snippet=snippet, max_age=VERSION_MAX_AGE)
    newest = publishing.current(slug)
    if newest.version != publication.version:  # RFC 5829: where the newest version is
        response["Link"] = f'<{reverse("published:current", args=[slug])}>; rel="latest-version"'
    return response


def _served(publication: Publication, *, snippet: bool, max_age: int) -> FileResponse:
    name = publication.snippet_path if snippet else publication.page_path
    try:
        stored = default_storage.open(name, "rb")
    except FileNotFoundError as missing:
        raise Http404("The published file is missing from the storage.") from missing
    response = FileResponse(stored, content_type="text/html; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={max_age}"
    return response
