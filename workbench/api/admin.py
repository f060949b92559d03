"""API tokens in the admin: found by prefix or user, read, and revoked; never made here (a token is made on its
user's own page, which shows its secret once) and never shown with its digest."""

from django.contrib import admin, messages
from django.utils import timezone

from workbench.api import tokens
from workbench.api.models import ApiToken


class StateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("usable", "Usable"), ("revoked", "Revoked"), ("expired", "Expired")]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "usable":
            return queryset.filter(revoked_at__isnull=True, expires_at__gt=now)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        if self.value() == "expired":
            return queryset.filter(revoked_at__isnull=True, expires_at__lte=now)
        return queryset


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "name", "user", "access", "created_at", "expires_at", "state")
    list_filter = ("can_write", StateFilter)
    search_fields = ("=prefix", "user__username")
    search_help_text = "A token's prefix (the 8 characters after wb_), or a username."
    list_select_related = ("user",)
    fields = ("prefix", "name", "user", "access", "created_at", "expires_at", "revoked_at")
    readonly_fields = fields
    actions = ["revoke"]

    @admin.display(description="state")
    def state(self, token: ApiToken) -> str:
        if token.revoked_at:
            return "revoked"
        return "expired" if token.expires_at <= timezone.now() else "usable"

    def has_add_permission(self, request) -> bool:
        return False  # made by its user on /account/tokens/, where its secret is shown once

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # nothing of a token is edited: it is revoked, by the action

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # revoked, not deleted: its user still sees what it was

    def has_revoke_permission(self, request) -> bool:
        return request.user.has_perm("api.change_apitoken")

    @admin.action(description="Revoke the selected tokens", permissions=["revoke"])
    def revoke(self, request, queryset):
        revoked = [tokens.token_revoke(token=token, user=request.user).prefix for token in queryset]
        self.message_user(
            request, f"Revoked {', '.join(sorted(revoked))}: they no longer open the API.", messages.SUCCESS
        )
