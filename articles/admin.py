from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.urls import path, reverse
from django.utils.html import format_html

from articles import admin_import
from articles.models import Article, ImportBatch
from articles.services import article_save_metadata
from workbench.admin import AppendOnlyHistoryAdmin

PROVENANCE = (
    "raw_as_text",
    "raw_encoding",
    "content_hash",
    "origin_file",
    "origin_record",
    "imported_by",
    "imported_at",
)


@admin.register(Article)
class ArticleAdmin(AppendOnlyHistoryAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # Django 6's default, today
    list_display = ("title", "publisher", "published_at", "title_inferred", "origin_file", "imported_at")
    list_filter = ("publisher", "title_inferred", "imported_at", "published_at")
    search_fields = ("title", "url", "publisher", "origin_file", "content_hash")
    date_hierarchy = "imported_at"
    list_select_related = ("imported_by",)
    fieldsets = (
        (None, {"fields": ("title", "title_inferred", "url", "publisher", "published_at")}),
        ("Body (never edited in place: claims anchor into it)", {"fields": ("body",)}),
        ("Provenance", {"fields": PROVENANCE}),
    )
    readonly_fields = ("body", *PROVENANCE)

    def get_queryset(self, request):
        return super().get_queryset(request).defer("raw", "body")

    @admin.display(description="Raw input, as received")
    def raw_as_text(self, article: Article) -> str:
        return article.raw_text

    def has_add_permission(self, request) -> bool:
        return False  # articles come in through an import, which records their provenance

    def save_model(self, request, obj: Article, form, change: bool) -> None:
        article_save_metadata(article=obj, user=request.user)  # articles are never added here

    def get_urls(self):
        def view(function):
            def checked(request, *args, **kwargs):
                if not request.user.has_perm("articles.add_article"):
                    raise PermissionDenied("Only admins import articles.")
                return function(request, self.admin_site, *args, **kwargs)

            return self.admin_site.admin_view(checked)

        return [
            path("import/", view(admin_import.import_start), name="articles_article_import"),
            path("import/<int:pk>/", view(admin_import.import_batch), name="articles_article_import_batch"),
            path("import/<int:pk>/confirm/", view(admin_import.import_confirm), name="articles_article_import_confirm"),
            path("import/<int:pk>/status/", view(admin_import.import_status), name="articles_article_import_status"),
            path("import/<int:pk>/report/", view(admin_import.import_report), name="articles_article_import_report"),
            *super().get_urls(),
        ]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "status",
        "imported_by",
        "channel",
        "started_at",
        "imported",
        "duplicates",
        "rejected",
        "page",
    )
    list_filter = ("channel", "started_at")
    list_select_related = ("imported_by",)
    readonly_fields = [field.name for field in ImportBatch._meta.fields]

    @admin.display(description="Preview, progress and report")
    def page(self, batch: ImportBatch) -> str:
        return format_html('<a href="{}">open</a>', reverse("admin:articles_article_import_batch", args=[batch.pk]))

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # a record of what happened; shown, never edited
