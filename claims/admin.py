"""The claims app in the admin. It is one more door to the same rules: every write goes through
claims.services (and so through claims.permissions and claims.rules), like the pages'; what the
services do not offer is shown read-only. A refusal is shown as a message and nothing is saved."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count
from django.http import HttpResponseRedirect, StreamingHttpResponse
from django.urls import path
from django.utils.http import content_disposition_header

from claims import admin_import, permissions, services, webhooks
from claims.exports.services import export_start, export_stream, filename, media_type
from claims.forms import ClaimSetForm, WebhookForm
from claims.models import Assignment, Claim, ClaimSet, Comment, EvidenceLink, Export, Story, Tag, WebhookSubscription
from workbench.admin import AppendOnlyHistoryAdmin
from workbench.audit import ADMIN
from workbench.display import truncated

REFUSALS = (services.StaleClaim, ValidationError, PermissionDenied)


class ThroughServices(AppendOnlyHistoryAdmin):
    """Saves and deletes call a service; a refusal there is reported and the change page shown again."""

    def write(self, request, action) -> None:
        try:
            action()
        except REFUSALS as refusal:
            request.workbench_refusal = refusal

    def response_change(self, request, obj):
        refusal = getattr(request, "workbench_refusal", None)
        if refusal is None:
            return super().response_change(request, obj)
        if isinstance(refusal, services.StaleClaim):
            text = (
                f"someone else changed it since you opened it (now version {refusal.current.version}); here it is now."
            )
        else:
            text = " ".join(refusal.messages) if isinstance(refusal, ValidationError) else str(refusal)
        self.message_user(request, f"Nothing was saved: {text}", messages.ERROR)
        return HttpResponseRedirect(request.path)

    def log_change(self, request, obj, message):
        if getattr(request, "workbench_refusal", None) is None:
            super().log_change(request, obj, message)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def save_related(self, request, form, formsets, change):
        """Related rows (a claim's tags) were written by the service: no form.save_m2m() here."""
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


class EvidenceInline(admin.TabularInline):
    model = EvidenceLink
    fields = ("stance", "passage", "url", "publisher", "note", "added_by", "added_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # links go through the claim page, which checks the claim's own article and records who


class ClaimAdminForm(forms.ModelForm):
    # The version the admin saw: a save based on an older one is refused, as on the claim page.
    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Claim
        fields = ["wording", "tags"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expected_version"].initial = self.instance.version


@admin.register(Claim)
class ClaimAdmin(ThroughServices):
    form = ClaimAdminForm
    list_display = ("wording", "status", "article", "created_by", "reviewed_by", "created_at")
    list_filter = ("status", "needs_review", "tags", "created_at", "reviewed_at", "article__publisher")
    search_fields = ("wording", "quote", "article__title")
    list_select_related = ("article", "created_by", "reviewed_by")
    autocomplete_fields = ("tags",)
    inlines = [EvidenceInline]
    actions = ["export_bundle", "export_csv", "export_json"]
    # The anchor must keep slicing the body, and verdicts follow the rules in claims.rules (on the claim
    # page): neither is edited here. The wording and the tags are, through claims.services.claim_update.
    readonly_fields = (
        "article",
        "quote",
        "prefix",
        "suffix",
        "start",
        "end",
        "status",
        "needs_review",
        "review_reason",
        "verdict_rationale",
        "reviewed_by",
        "reviewed_at",
        "created_by",
        "created_at",
        "version",
    )
    fields = ("wording", "tags", "expected_version", *readonly_fields)

    def has_add_permission(self, request) -> bool:
        return False  # claims are tagged in the reader, where the anchor is taken from the text

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and (obj is None or permissions.can_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or permissions.can_delete(request.user, obj))

    def get_urls(self):
        def import_page(request):
            if not permissions.can_tag(request.user):
                raise PermissionDenied("Only editors, reviewers and admins import claims.")
            return admin_import.import_claims_page(request, self.admin_site)

        view = self.admin_site.admin_view(import_page)
        return [path("import/", view, name="claims_claim_import"), *super().get_urls()]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        tags = ", ".join(tag.name for tag in data["tags"])
        self.write(
            request,
            lambda: services.claim_update(
                claim=obj,
                user=request.user,
                expected_version=data["expected_version"],
                wording=data["wording"],
                tags=tags,
            ),
        )

    def delete_model(self, request, obj):
        services.claim_delete(claim=obj, user=request.user)

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


EXTERNAL_FIELDS = ("url", "title", "publisher", "accessed_on", "quote")


class EvidenceLinkAdminForm(forms.ModelForm):
    url = forms.URLField(max_length=2000, assume_scheme="https", required=False, label="URL")

    class Meta:
        model = EvidenceLink
        fields = ["stance", "note", *EXTERNAL_FIELDS]

    def clean(self):
        data = super().clean()
        if self.instance.url and data.get("url"):
            probe = EvidenceLink(url=data["url"].strip())
            try:
                services.check_not_own_article(self.instance.claim, probe)
            except ValidationError as error:
                self.add_error("url", error)
        return data


@admin.register(EvidenceLink)
class EvidenceLinkAdmin(ThroughServices):
    form = EvidenceLinkAdminForm
    list_display = ("claim", "stance", "source", "added_by", "added_at")
    list_filter = ("stance", "added_at")
    search_fields = ("claim__wording", "url", "title", "publisher", "passage__text", "note")
    list_select_related = ("claim", "passage__article", "added_by")

    def get_readonly_fields(self, request, obj=None):
        fixed = ("claim", "passage", "added_by", "added_at")
        return fixed + EXTERNAL_FIELDS if obj is not None and obj.passage_id else fixed

    @admin.display(description="Source")
    def source(self, link: EvidenceLink) -> str:
        return link.source_label

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or permissions.can_change_link(request.user, obj))

    def has_delete_permission(self, request, obj=None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or permissions.can_unlink(request.user, obj))

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        external = {name: data[name] for name in EXTERNAL_FIELDS if name in data}
        self.write(
            request,
            lambda: services.evidence_update(
                link=obj, user=request.user, stance=data["stance"], note=data["note"], **external
            ),
        )

    def delete_model(self, request, obj):
        services.evidence_remove(link=obj, user=request.user)


@admin.register(Tag)
class TagAdmin(ThroughServices):
    list_display = ("name", "claim_count")
    search_fields = ("name",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(claim_total=Count("claims"))

    @admin.display(description="Claims", ordering="claim_total")
    def claim_count(self, tag: Tag) -> int:
        return tag.claim_total

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # a used tag is taken off claims on their pages, not here
        return actions

    def has_delete_permission(self, request, obj=None) -> bool:
        """Only an unused tag: removing a tag from claims is an edit of each claim, with its history."""
        return super().has_delete_permission(request, obj) and (obj is None or not obj.claims.exists())

    def save_model(self, request, obj, form, change):
        self.write(request, lambda: services.tag_rename(tag=obj, user=request.user, name=form.cleaned_data["name"]))


class ClaimSetAdminForm(ClaimSetForm):
    """The claim-set page's own validation (the name, a saved filter's query), plus the picked claims."""

    class Meta(ClaimSetForm.Meta):
        fields = ["name", "description", "query", "claims"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.selection != ClaimSet.Selection.PICKED:
            self.fields.pop("claims", None)


@admin.register(ClaimSet)
class ClaimSetAdmin(AppendOnlyHistoryAdmin):
    form = ClaimSetAdminForm
    list_display = ("name", "selection", "owner", "updated_at")
    list_filter = ("selection",)
    search_fields = ("name", "description", "owner__username")
    list_select_related = ("owner",)
    autocomplete_fields = ("claims",)
    readonly_fields = ("owner", "selection", "created_at", "updated_at")

    def get_fields(self, request, obj=None):
        editable = ["query"] if obj is not None and obj.selection == ClaimSet.Selection.FILTER else ["claims"]
        return ["name", "description", *editable, *self.readonly_fields]

    def has_add_permission(self, request) -> bool:
        return False  # sets are made from the claim list, which fills in the filter and the owner

    def has_change_permission(self, request, obj=None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or permissions.can_manage_set(request.user, obj))

    def has_delete_permission(self, request, obj=None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or permissions.can_manage_set(request.user, obj))

    def save_model(self, request, obj, form, change):
        services.claim_set_save(claim_set=obj, user=request.user)

    def delete_model(self, request, obj):
        services.claim_set_delete(claim_set=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(Story)
class StoryAdmin(AppendOnlyHistoryAdmin):
    """Stories, written through the same services as their pages; articles are chosen by a search box."""

    list_display = ("name", "created_by", "updated_at")
    search_fields = ("name", "description")
    list_select_related = ("created_by",)
    autocomplete_fields = ("articles",)
    fields = ("name", "description", "articles", "created_by", "created_at", "updated_at")
    readonly_fields = ("created_by", "created_at", "updated_at")

    def save_model(self, request, obj, form, change):
        services.story_save(story=obj, user=request.user)

    def delete_model(self, request, obj):
        services.story_delete(story=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


class CommentAdminForm(forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["body"]


@admin.register(Comment)
class CommentAdmin(ThroughServices):
    """The discussion, to read and moderate. Its author rewords a comment here as on the claim page
    (claims.services.comment_edit: mentions and their notifications follow the text); an admin deletes anyone's
    (comment_delete: soft, the text kept in the history, as on the claim page). Comments are posted on the
    claim page, in their thread."""

    form = CommentAdminForm
    list_display = ("said", "claim", "author", "created_at", "edited_at", "deleted_at")
    list_filter = (("deleted_at", admin.EmptyFieldListFilter), "created_at")
    search_fields = ("body", "author__username", "claim__wording")
    list_select_related = ("claim", "author", "deleted_by")
    fields = ("claim", "parent", "author", "body", "created_at", "edited_at", "deleted_at", "deleted_by")
    readonly_fields = ("claim", "parent", "author", "created_at", "edited_at", "deleted_at", "deleted_by")

    @admin.display(description="Comment")
    def said(self, comment: Comment) -> str:
        if comment.is_deleted:
            return f"Deleted by {comment.deleted_by.get_username()}" if comment.deleted_by else "Deleted"
        return truncated(comment.body, 80)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or permissions.can_edit_comment(request.user, obj))

    def has_delete_permission(self, request, obj=None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or permissions.can_delete_comment(request.user, obj))

    def get_deleted_objects(self, objs, request):
        """A deletion is soft: the comment alone, its replies and mentions are not what goes (as Django would
        list them); one this admin may not delete (deleted already) is named as not theirs to delete."""
        objs = list(objs)
        refused = {"comment"} if any(not permissions.can_delete_comment(request.user, obj) for obj in objs) else set()
        return [str(obj) for obj in objs], {Comment._meta.verbose_name_plural: len(objs)}, refused, []

    def save_model(self, request, obj, form, change):
        body = form.cleaned_data["body"]
        self.write(request, lambda: services.comment_edit(comment=obj, user=request.user, body=body))

    def delete_model(self, request, obj):
        services.comment_delete(comment=obj, user=request.user)


class AssignmentAdminForm(forms.ModelForm):
    class Meta:
        model = Assignment
        fields = ["assignee", "due", "note"]


@admin.register(Assignment)
class AssignmentAdmin(ThroughServices):
    """Who has which claim in hand. Reassigning, or changing the due date or note, goes through
    claims.services.claim_assign (the assignee's role checked, the new one told); deleting is
    claim_unassign. Claims are assigned on their page or in bulk from the claim list."""

    form = AssignmentAdminForm
    list_display = ("claim", "task", "assignee", "assigned_by", "assigned_at", "due")
    list_filter = ("task", "due", "assigned_at")
    search_fields = ("claim__wording", "assignee__username", "note")
    list_select_related = ("claim", "assignee", "assigned_by")
    autocomplete_fields = ("assignee",)  # a box that finds people, never a list of everyone
    fields = ("claim", "task", "assignee", "due", "note", "assigned_by", "assigned_at")
    readonly_fields = ("claim", "task", "assigned_by", "assigned_at")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and permissions.can_assign(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and permissions.can_assign(request.user)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        self.write(
            request,
            lambda: services.claim_assign(
                claim=obj.claim,
                user=request.user,
                task=obj.task,
                assignee=data["assignee"],
                due=data["due"],
                note=data["note"],
            ),
        )

    def delete_model(self, request, obj):
        services.claim_unassign(claim=obj.claim, user=request.user, task=obj.task)


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


class WebhookAdminForm(WebhookForm):
    """The owner's page's form, with the owner: held to the same rule (claims.webhooks.webhook_check)."""

    request = None  # given by WebhookSubscriptionAdmin.get_form

    class Meta(WebhookForm.Meta):
        fields = ["owner", *WebhookForm.Meta.fields]

    def _post_clean(self):
        super()._post_clean()
        if self.errors or self.request is None:
            return
        try:
            webhooks.webhook_check(subscription=self.instance, user=self.request.user)
        except ValidationError as refusal:
            self.add_error(None, refusal)
        except PermissionDenied as refusal:
            self.add_error(None, str(refusal))


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    """Every user's webhooks. Its log and test button are on the subscription's own page (View on site)."""

    form = WebhookAdminForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # Django 6's default, today
    list_display = ("name", "owner", "url", "active", "claim_set", "created_at")
    list_filter = ("active", "created_at")
    search_fields = ("name", "url", "owner__username")
    list_select_related = ("owner", "claim_set")
    raw_id_fields = ("owner",)
    autocomplete_fields = ("claim_set",)
    readonly_fields = ("secret_shown", "created_at")

    @admin.display(description="Secret")
    def secret_shown(self, obj) -> str:
        return f"{obj.secret[:10]}… (its owner sees it whole on the webhook's page)" if obj.pk else "Made when saved."

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request = request
        return form

    def has_change_permission(self, request, obj=None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or permissions.can_manage_webhook(request.user, obj))

    def has_delete_permission(self, request, obj=None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or permissions.can_manage_webhook(request.user, obj))

    def save_model(self, request, obj, form, change):
        webhooks.webhook_save(subscription=obj, user=request.user)

    def delete_model(self, request, obj):
        webhooks.webhook_delete(subscription=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
