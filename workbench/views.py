from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from workbench.activity import Cursor, activity_page, activity_rows
from workbench.filters import ActivityFilterForm

ACTIVITY_PER_PAGE = 50
SUGGESTIONS = 10  # what a completion offers: a few to choose from, never a list of everyone


@require_GET
def activity(request: HttpRequest) -> HttpResponse:
    """Everything recent across the workbench. Open to every signed-in user: the history is the newsroom's."""
    form = ActivityFilterForm(request.GET)
    try:
        where = {side: Cursor.parse(request.GET[side]) for side in ("older", "newer") if request.GET.get(side)}
        bad_link = ""
    except ValueError as error:  # a page link cut short or made up: said so, over the newest entries
        where, bad_link = {}, str(error)
    page = activity_page(size=ACTIVITY_PER_PAGE, **form.criteria(), **where)
    context = {
        "form": form,
        "page": page,
        "entries": page.entries,
        "rows": activity_rows(page.entries),
        "bad_link": bad_link,
    }
    return render(request, "workbench/activity.html", context, status=400 if bad_link else 200)


@require_GET
def people(request: HttpRequest) -> JsonResponse:
    """Usernames starting with ?q=, for the boxes that choose a person (workbench.forms.PersonField)."""
    q = request.GET.get("q", "").strip()
    names = []
    if q:
        found = get_user_model().objects.filter(username__istartswith=q).order_by("username")
        names = list(found.values_list("username", flat=True)[:SUGGESTIONS])
    return JsonResponse({"results": [{"value": name, "label": name} for name in names]})
