from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class AppendOnlyHistoryAdmin(SimpleHistoryAdmin):
    """Shows an object's history read-only: no revert, no saving an old version over the current one."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied("History is append-only.")
        return super().history_form_view(request, object_id, version_id, extra_context)


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class WorkbenchUserAdmin(AppendOnlyHistoryAdmin, UserAdmin):
    """Users with the history of their roles (group membership)."""


admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class LoginFailureAdmin(AccessAttemptAdmin):
    """Failed logins by username, address and browser (django-axes'), with an action that unlocks them."""

    actions = ["unlock"]

    @admin.action(description="Unlock: forget these failed logins", permissions=["delete"])
    def unlock(self, request, queryset):
        unlocked = ", ".join(sorted({f"{attempt.username} at {attempt.ip_address}" for attempt in queryset}))
        queryset.delete()
        self.message_user(request, f"Unlocked {unlocked}: they may log in again.", messages.SUCCESS)
