"""Failed logins throttled with django-axes: who the client is, how failures add up, what a locked-out user sees."""

from datetime import datetime

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

LOCKED_OUT = 429  # Too Many Requests


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, unless it is a trusted proxy: then the nearest address in X-Forwarded-For that is not.

    The header is read from its right end, which our proxies wrote: anything left of the first untrusted hop
    may have been made up by the client, who would then have a fresh address for every guess.
    """
    address = request.META.get("REMOTE_ADDR", "")
    trusted = settings.WORKBENCH_TRUSTED_PROXIES
    if address not in trusted:
        return address
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    return next((hop for hop in reversed(hops) if hop not in trusted), address)


class LoginThrottle(AxesDatabaseHandler):
    """Axes' database handler with a limit of its own for an address, all usernames together.

    Axes compares the largest count with one limit (AXES_FAILURE_LIMIT, a username at an address); the
    address's count is scaled so that it reaches that limit when it reaches WORKBENCH_LOGIN_FAILURES_PER_ADDRESS.
    """

    def get_failures(self, request, credentials=None) -> int:
        by_user, by_address = (
            attempts.aggregate(failures=Sum("failures_since_start"))["failures"] or 0
            for attempts in self.get_user_attempts(request, credentials)  # in AXES_LOCKOUT_PARAMETERS' order
        )
        per_user, per_address = settings.AXES_FAILURE_LIMIT, settings.WORKBENCH_LOGIN_FAILURES_PER_ADDRESS
        return max(by_user, by_address * per_user // per_address)

    def lockout_ends(self, request, credentials=None) -> datetime | None:
        """When the last failure counted against this login is out of the cool-off: at the latest, the lock's end."""
        latest = [
            when
            for attempts in self.get_user_attempts(request, credentials)
            if (when := attempts.aggregate(latest=Max("attempt_time"))["latest"])
        ]
        return max(latest) + get_cool_off(request) if latest else None


def locked_out(request: HttpRequest, original_response: HttpResponse, credentials: dict | None) -> HttpResponse:
    """The page a login refused for too many failures answers with, on our login page as on the admin's."""
    context = {
        "until": LoginThrottle().lockout_ends(request, credentials),
        "help": settings.WORKBENCH_LOGIN_HELP,
    }
    return render(request, "registration/locked_out.html", context, status=LOCKED_OUT)
