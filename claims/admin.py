from django.contrib import admin
from django.db import models
from django.db.models import Count

from claims.models import Claim, EvidenceLink, Tag
from workbench.admin import AppendOnlyHistoryAdmin


class EvidenceInline(admin.TabularInline):
    model = EvidenceLink
    fields = ("stance", "passage", "url", "publisher", "note", "added_by", "added_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # links go through the claim page, which checks the claim's own article and records who


@admin.register(Claim)
class ClaimAdmin(AppendOnlyHistoryAdmin):
    list_display = ("wording", "status", "article", "created_by", "reviewed_by", "created_at")
    list_filter = ("status", "tags", "created_at", "reviewed_at", "article__publisher")
    search_fields = ("wording", "quote", "article__title")
    list_select_related = ("article", "created_by", "reviewed_by")
    autocomplete_fields = ("tags",)
    inlines = [EvidenceInline]
    fields = (
        "article", "quote", "prefix", "suffix", "start", "end", "wording", "tags",
        "status", "verdict_rationale", "reviewed_by", "reviewed_at", "created_by", "created_at", "version",
    )  # fmt: skip
    # The anchor must keep slicing the body, and verdicts follow the rules in claims.rules: neither is edited here.
    readonly_fields = (
        "article", "quote", "prefix", "suffix", "start", "end",
        "status", "verdict_rationale", "reviewed_by", "reviewed_at", "created_by", "created_at", "version",
    )  # fmt: skip

    def has_add_permission(self, request) -> bool:
        return False  # claims are tagged in the reader, where the anchor is taken from the text

    def save_model(self, request, obj, form, change):
        obj.version += 1  # an editor with the claim page open must see this change before saving theirs
        super().save_model(request, obj, form, change)


@admin.register(EvidenceLink)
class EvidenceLinkAdmin(AppendOnlyHistoryAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # Django 6's default, today
    list_display = ("claim", "stance", "source", "added_by", "added_at")
    list_filter = ("stance", "added_at")
    search_fields = ("claim__wording", "url", "title", "publisher", "passage__text", "note")
    list_select_related = ("claim", "passage__article", "added_by")
    readonly_fields = ("claim", "passage", "added_by", "added_at")

    @admin.display(description="Source")
    def source(self, link: EvidenceLink) -> str:
        return link.source_label

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Tag)
class TagAdmin(AppendOnlyHistoryAdmin):
    list_display = ("name", "claim_count")
    search_fields = ("name",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(claim_total=Count("claims"))

    @admin.display(description="Claims", ordering="claim_total")
    def claim_count(self, tag: Tag) -> int:
        return tag.claim_total
