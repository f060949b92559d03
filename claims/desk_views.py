"""My desk (claims.desk), the home page after login, and the navigation's count of what waits there."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from claims import desk
from claims.models import Claim


@require_GET
def my_desk(request: HttpRequest) -> HttpResponse:
    """Everyone signed in has a desk: what is theirs, and the newsroom's board (read by all, as the list is)."""
    filters = desk.DeskFilter(request.GET, queryset=Claim.objects.all(), request=request)
    context = {
        "filters": filters,
        "filtered": filters.narrows(),
        "column_size": desk.COLUMN,
        **desk.my_desk(request.user, filters),
    }
    return render(request, "claims/desk.html", context)


@require_GET
def desk_count(request: HttpRequest) -> JsonResponse:
    """For the navigation's badge (static/js/notifications.js): the pages themselves never count."""
    count = desk.waiting_count(request.user)
    shown = f"{desk.COUNT_SHOWN}+" if count > desk.COUNT_SHOWN else str(count)
    return JsonResponse({"count": count, "shown": shown})
