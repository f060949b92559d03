from django import forms
from django.db import models
from django.db.models.functions import Lower
from django.http import QueryDict

from articles.models import Article
from claims.anchoring import AnchorError, anchor_at, anchor_for_quote
from claims.filters import ClaimFilter
from claims.models import Claim, ClaimSet, EvidenceLink, Export, Story, WebhookSubscription
from claims.rules import verdict_choices
from claims.selectors import claim_sets_for, list_filters_query
from workbench.widgets import Completion


class TagClaimForm(forms.Form):
    """Tag a claim: by the offsets of a selection (the reader's script) or by pasted words (no script)."""

    start = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)
    end = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)
    quote = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Words of the article that make the claim",
        help_text="Copy them exactly from the text; they must appear once.",
    )
    wording = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Claim, in your words",
        help_text="Leave empty to use the quote.",
    )
    tags = forms.CharField(required=False, label="Tags", help_text="Comma-separated.")

    def __init__(self, *args, article, **kwargs):
        self.article = article
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        selected = data.get("start") is not None and data.get("end") is not None
        try:
            if selected:
                data["anchor"] = anchor_at(self.article.body, data["start"], data["end"])
            else:
                data["anchor"] = anchor_for_quote(self.article.body, data.get("quote", ""))
        except AnchorError as exc:
            # A selection has no field of its own to show the error beside; pasted words do.
            self.add_error(None if selected else "quote", str(exc))
        return data


class ClaimEditForm(forms.Form):
    wording = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Claim, in your words")
    tags = forms.CharField(required=False, help_text="Comma-separated.")
    version = forms.IntegerField(widget=forms.HiddenInput)


class VerdictForm(forms.Form):
    status = forms.ChoiceField(widget=forms.RadioSelect, label="Verdict")
    rationale = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Rationale",
        help_text="Why: the sources and reasoning another reviewer should know.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, claim: Claim, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = verdict_choices(claim)


class PassageLinkForm(forms.Form):
    passage = forms.IntegerField(widget=forms.HiddenInput)
    stance = forms.ChoiceField(choices=EvidenceLink.Stance.choices)
    note = forms.CharField(required=False, max_length=2000)


class ExternalLinkForm(forms.ModelForm):
    url = forms.URLField(max_length=2000, assume_scheme="https", label="URL")

    class Meta:
        model = EvidenceLink
        fields = ["url", "title", "publisher", "accessed_on", "quote", "stance", "note"]
        widgets = {
            "accessed_on": forms.DateInput(attrs={"type": "date"}),
            "quote": forms.Textarea(attrs={"rows": 2}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"accessed_on": "Date accessed", "quote": "Quote (optional)"}


class PassageSearchForm(forms.Form):
    q = forms.CharField(required=False, label="Search passages of other articles")
    source = forms.ModelChoiceField(
        queryset=Article.objects.only("pk", "title"),
        required=False,
        label="In article",
        widget=Completion("articles:choices", describe=Article.label_for, attrs={"placeholder": "any other article"}),
    )

    def __init__(self, *args, claim: Claim, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = self.fields["source"].queryset.exclude(pk=claim.article_id)


class ClaimSetForm(forms.ModelForm):
    class Meta:
        model = ClaimSet
        fields = ["name", "description", "query"]
        labels = {"query": "Saved filter"}
        help_texts = {"query": "The claim list's filters, as in its address after the “?”."}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.selection != ClaimSet.Selection.FILTER:
            self.fields.pop("query", None)

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_query(self):
        """Only the filters are kept (not the page or the sort), and only when they are valid."""
        query = QueryDict(self.cleaned_data["query"].strip().lstrip("?"))
        filters = ClaimFilter(query, queryset=Claim.objects.none())
        if not filters.is_valid():
            problems = "; ".join(f"{field}: {' '.join(errors)}" for field, errors in filters.errors.items())
            raise forms.ValidationError(f"These filters are not valid ({problems}).")
        return list_filters_query(query)


class ExportForm(forms.Form):
    format = forms.ChoiceField(choices=Export.Format.choices, initial=Export.Format.BUNDLE, widget=forms.RadioSelect)
    statuses = forms.MultipleChoiceField(
        choices=Claim.Status.choices,
        widget=forms.CheckboxSelectMultiple,
        label="Claims that are",
        error_messages={"required": "Choose at least one status."},
    )


class AddToSetForm(forms.Form):
    claim_set = forms.ModelChoiceField(queryset=ClaimSet.objects.none(), label="Claim set", empty_label=None)
    claims = forms.ModelMultipleChoiceField(
        queryset=Claim.objects.all(), error_messages={"required": "Tick the claims to add first."}
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["claim_set"].queryset = ClaimSet.objects.filter(selection=ClaimSet.Selection.PICKED).filter(
            pk__in=claim_sets_for(user).values("pk")
        )


def _article_box(label: str, *, required: bool = True) -> forms.ModelChoiceField:
    """A box that finds a current article by its title or number as one types (never a list of them all)."""
    return forms.ModelChoiceField(
        queryset=Article.objects.current().only("pk", "title", "publisher"),
        required=required,
        label=label,
        help_text="Type words of its title, or its number.",
        widget=Completion("articles:choices", describe=Article.label_for, attrs={"placeholder": "title or number"}),
    )


class StoryForm(forms.ModelForm):
    article = _article_box("First article", required=False)

    class Meta:
        model = Story
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # articles are added to a story one by one on its page
            self.fields.pop("article")

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())


class StoryArticleForm(forms.Form):
    article = _article_box("Add an article")


class WebhookForm(forms.ModelForm):
    """A webhook subscription, on its owner's page and in the admin (which adds the owner)."""

    url = forms.URLField(
        max_length=500,
        assume_scheme="https",
        label="Address",
        help_text=WebhookSubscription._meta.get_field("url").help_text,
        error_messages={"invalid": "Enter an http:// or https:// address."},
    )
    events = forms.MultipleChoiceField(
        choices=WebhookSubscription.Event.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one event."},
    )

    class Meta:
        model = WebhookSubscription
        fields = ["name", "url", "events", "claim_set", "active"]
        labels = {"claim_set": "Only the claims of"}

        def formfield_callback(field, **kwargs):
            if isinstance(field, models.URLField):
                # Built before the declared `url` replaces it, and warned of without Django 6's default.
                kwargs["assume_scheme"] = "https"
            return field.formfield(**kwargs)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["url"].widget.attrs["placeholder"] = "https://cms.example.org/hooks/workbench"
        if user is not None:  # the admin's form offers every set
            self.fields["claim_set"].queryset = claim_sets_for(user).order_by(Lower("name"))
        self.fields["claim_set"].empty_label = "Every claim"
