from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.http import StreamingHttpResponse
from django.utils.http import content_disposition_header

from claims.exports.services import export_start, export_stream, filename, media_type
from claims.models import Claim, ClaimSet, EvidenceLink, Export, Tag
from workbench.admin import AppendOnlyHistoryAdmin
from workbench.audit import ADMIN


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
    actions = ["export_bundle", "export_csv", "export_json"]
    fields = (
        "article",
        "quote",
        "prefix",
        "suffix",
        "start",
        "end",
        "wording",
        "tags",
        "status",
        "verdict_rationale",
        "reviewed_by",
        "reviewed_at",
        "created_by",
        "created_at",
        "version",
    )
    # The anchor must keep slicing the body, and verdicts follow the rules in claims.rules: neither is edited here.
    readonly_fields = (
        "article",
        "quote",
        "prefix",
        "suffix",
        "start",
        "end",
        "status",
        "verdict_rationale",
        "reviewed_by",
        "reviewed_at",
        "created_by",
        "created_at",
        "version",
    )

    def has_add_permission(self, request) -> bool:
        return False  # claims are tagged in the reader, where the anchor is taken from the text

    def save_model(self, request, obj, form, change):
        obj.version += 1  # an editor with the claim page open must see this change before saving theirs
        super().save_model(request, obj, form, change)

    @admin.action(description="Export the selected claims (bundle of every format)")
    def export_bundle(self, request, queryset):
        return _export_selected(request, queryset, Export.Format.BUNDLE)

    @admin.action(description="Export the selected claims (CSV)")
    def export_csv(self, request, queryset):
        return _export_selected(request, queryset, Export.Format.CSV)

    @admin.action(description="Export the selected claims (JSON)")
    def export_json(self, request, queryset):
        return _export_selected(request, queryset, Export.Format.JSON)


def _export_selected(request, queryset, export_format: str) -> StreamingHttpResponse:
    """Exactly the claims ticked, whatever their status (the choice is recorded with the export)."""
    picked = sorted(queryset.values_list("pk", flat=True))
    statuses = sorted(set(queryset.values_list("status", flat=True)))
    export = export_start(
        export_format=export_format,
        user=request.user,
        channel=ADMIN,
        statuses=statuses,
        filters={"id": [",".join(map(str, picked))]},
        served_at=request.build_absolute_uri("/"),
    )
    response = StreamingHttpResponse(export_stream(export), content_type=media_type(export))
    response["Content-Disposition"] = content_disposition_header(True, filename(export))
    return response


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


@admin.register(ClaimSet)
class ClaimSetAdmin(AppendOnlyHistoryAdmin):
    list_display = ("name", "selection", "owner", "updated_at")
    list_filter = ("selection",)
    search_fields = ("name", "description", "owner__username")
    list_select_related = ("owner",)
    autocomplete_fields = ("claims",)
    readonly_fields = ("owner", "selection", "created_at", "updated_at")
    fields = ("name", "description", "selection", "query", "claims", "owner", "created_at", "updated_at")

    def has_add_permission(self, request) -> bool:
        return False  # sets are made from the claim list, which fills in the filter and the owner


@admin.register(Export)
class ExportAdmin(admin.ModelAdmin):
    """Every export, as recorded: read-only."""

    list_display = (
        "id",
        "created_at",
        "created_by",
        "channel",
        "format",
        "claim_count",
        "claim_set_name",
        "status",
        "sha256",
    )
    list_filter = ("format", "channel", "status", "created_at")
    search_fields = ("created_by__username", "claim_set_name", "sha256")
    list_select_related = ("created_by",)
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
