from django import forms

from articles.models import Article
from claims.anchoring import AnchorError, anchor_at, anchor_for_quote
from claims.models import Claim, EvidenceLink
from claims.rules import VERDICT_LABELS


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
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Claim, in your words",
        help_text="Leave empty to use the quote.",
    )  # fmt: skip
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
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Rationale",
        help_text="Why: the sources and reasoning another reviewer should know.",
    )  # fmt: skip
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, claim: Claim, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s, VERDICT_LABELS[s]) for s in Claim.Status.values if s != claim.status]


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
        queryset=Article.objects.only("pk", "title").order_by("title"), required=False,
        label="In article", empty_label="Any other article",
    )  # fmt: skip

    def __init__(self, *args, claim: Claim, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = self.fields["source"].queryset.exclude(pk=claim.article_id)
