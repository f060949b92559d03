from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from workbench.activity import activity_entries, activity_feed
from workbench.filters import ActivityFilterForm

ACTIVITY_PER_PAGE = 50
SUGGESTIONS = 10  # what a completion offers: a few to choose from, never a list of everyone


@require_GET
def activity(request: HttpRequest) -> HttpResponse:
    """Everything recent across the workbench. Open to every signed-in user: the history is the newsroom's."""
    form = ActivityFilterForm(request.GET)
    page = Paginator(activity_feed(**form.criteria()), ACTIVITY_PER_PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "entries": activity_entries(page.object_list)}
    return render(request, "workbench/activity.html", context)


@require_GET
def people(request: HttpRequest) -> JsonResponse:
    """Usernames starting with ?q=, for the boxes that choose a person (workbench.forms.PersonField)."""
    q = request.GET.get("q", "").strip()
    names = []
    if q:
        found = get_user_model().objects.filter(username__istartswith=q).order_by("username")
        names = list(found.values_list("username", flat=True)[:SUGGESTIONS])
    return JsonResponse({"results": [{"value": name, "label": name} for name in names]})
