"""Sessions end after WORKBENCH_SESSION_IDLE_SECONDS without a request and WORKBENCH_SESSION_MAX_SECONDS after
their login, however busy they are in between.

The idle expiry is the session's own (SESSION_COOKIE_AGE, kept in the cookie and in the stored session): each
save pushes it forward. Saving on every request would write the session on every page, so a request saves it
only when it was last pushed forward more than WORKBENCH_SESSION_REFRESH_SECONDS ago.
"""

import time

from django.conf import settings
from django.contrib.auth import logout

LOGGED_IN_AT = "workbench_logged_in_at"
SEEN_AT = "workbench_seen_at"


def stamp_login(sender, request, user, **kwargs):
    """On user_logged_in: the session's day starts now."""
    request.session[LOGGED_IN_AT] = request.session[SEEN_AT] = int(time.time())


class IdleExpiryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            # A session from before this rule has no login time: its day starts now.
            if now - session.setdefault(LOGGED_IN_AT, now) > settings.WORKBENCH_SESSION_MAX_SECONDS:
                logout(request)  # LoginRequiredMiddleware then sends the page to the login
            elif now - session.get(SEEN_AT, 0) >= settings.WORKBENCH_SESSION_REFRESH_SECONDS:
                session[SEEN_AT] = now  # modified, so saved with a new expiry
        return self.get_response(request)
