from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from workbench.activity import activity_entries, activity_feed
from workbench.filters import ActivityFilterForm

ACTIVITY_PER_PAGE = 50


@require_GET
def activity(request: HttpRequest) -> HttpResponse:
    """Everything recent across the workbench. Open to every signed-in user: the history is the newsroom's."""
    form = ActivityFilterForm(request.GET)
    page = Paginator(activity_feed(**form.criteria()), ACTIVITY_PER_PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "entries": activity_entries(page.object_list)}
    return render(request, "workbench/activity.html", context)
