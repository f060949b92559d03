from django.contrib import admin

from claims.models import Claim


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ("wording", "article", "status", "created_by", "created_at")
    list_filter = ("status", "created_at")
    search_fields = ("wording", "quote", "article__title")
    list_select_related = ("article", "created_by")
    raw_id_fields = ("article",)
    readonly_fields = ("created_by", "created_at", "updated_at")
