import django_filters
from django import forms
from django.db.models import Q

from articles.models import Article
from claims.models import Claim, Tag
from workbench.forms import PersonField
from workbench.widgets import Completion

SORTS = (
    ("created_at", "created"),
    ("reviewed_at", "reviewed"),
    ("status", "status"),
    ("wording", "wording"),
    ("article__title", "article"),
)


class NumberInFilter(django_filters.BaseInFilter, django_filters.NumberFilter):
    pass


class PersonFilter(django_filters.Filter):
    field_class = PersonField


class ClaimFilter(django_filters.FilterSet):
    # Exactly these claims ("3,5,8"): how the admin's export of ticked claims is recorded and replayed.
    id = NumberInFilter(widget=forms.HiddenInput)
    q = django_filters.CharFilter(method="search", label="Text in wording or quote")
    status = django_filters.ChoiceFilter(choices=Claim.Status.choices, empty_label="Any status")
    # Boxes that suggest as one types: a drop-down of every tag, article or person would grow with the newsroom.
    tag = django_filters.ModelChoiceFilter(
        field_name="tags",
        queryset=Tag.objects.all(),
        to_field_name="name",
        widget=Completion("claims:tags", attrs={"placeholder": "tag"}),
    )
    article = django_filters.ModelChoiceFilter(
        queryset=Article.objects.only("pk"),
        widget=Completion("articles:choices", describe=Article.label_for, attrs={"placeholder": "words of its title"}),
    )
    publisher = django_filters.CharFilter(field_name="article__publisher", lookup_expr="iexact", label="Publisher")
    created_by = PersonFilter(label="Tagged by")
    reviewer = PersonFilter(field_name="reviewed_by", label="Reviewer")
    created = django_filters.DateFromToRangeFilter(
        field_name="created_at",
        label="Tagged between",
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )
    reviewed = django_filters.DateFromToRangeFilter(
        field_name="reviewed_at",
        label="Reviewed between",
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )
    has_contradicting = django_filters.BooleanFilter(
        method="contradicted",
        label="Has a contradicting source",
        widget=forms.Select(choices=[("", "Either"), ("true", "Yes"), ("false", "No")]),
    )
    needs_review = django_filters.BooleanFilter(
        label="Needs review", widget=forms.Select(choices=[("", "Either"), ("true", "Yes"), ("false", "No")])
    )
    sort = django_filters.OrderingFilter(fields=SORTS, label="Sort by")

    class Meta:
        model = Claim
        fields = []

    def contradicted(self, queryset, name, value):
        return queryset.contradicted(value)

    def search(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(Q(wording__icontains=word) | Q(quote__icontains=word))
        return queryset
