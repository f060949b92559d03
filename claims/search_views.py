from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from claims.everywhere import search_everywhere

LONGEST = 200  # characters of a search: more words than this say nothing more


@require_GET
def everywhere(request: HttpRequest) -> HttpResponse:
    """The navigation's search box: articles and claims holding the words. Open to every signed-in user,
    who may read both."""
    q = " ".join(request.GET.get("q", "").split())[:LONGEST]
    found = search_everywhere(q) if q else None
    return render(request, "claims/search.html", {"q": q, "found": found})
