"""Undo from the message that confirms an action.

The message says what was done; the session keeps, until that message is shown, the form that takes it
back (where it posts and what it sends). Messages hold only text, so the form waits beside them, and the
message is marked "undoable" to say where it goes (base.html, `{% undo_offer %}`). An offer is shown once,
with its message; a newer offer replaces one not shown yet.
"""

from django.contrib import messages
from django.http import HttpRequest

SESSION_KEY = "workbench_undo"
UNDOABLE = "undoable"


def offer(request: HttpRequest, text: str, *, action: str, fields: dict[str, str | int], label: str) -> None:
    """Confirm an action with `text` and an Undo button that posts `fields` to `action`; `label` names the
    button for a screen reader ("Undo the removal of the link to …")."""
    messages.success(request, text, extra_tags=UNDOABLE)
    request.session[SESSION_KEY] = {"action": action, "fields": fields, "label": label}


def taken(request: HttpRequest) -> dict | None:
    """The offer waiting for its message, once: it is in the page from now on."""
    return request.session.pop(SESSION_KEY, None)
