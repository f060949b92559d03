from collections import Counter
from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import Q
from django_filters.constants import EMPTY_VALUES

from articles.models import Article
from claims.models import Assignment, Claim, StatusCount, Tag
from workbench.forms import PersonField
from workbench.widgets import Completion

SORTS = (
    ("created_at", "created"),
    ("reviewed_at", "reviewed"),
    ("status", "status"),
    ("wording", "wording"),
    ("article__title", "article"),
)


@dataclass(frozen=True)
class Counted:
    by_status: dict[str, int]  # empty when a filtered list matched more than it counted
    total: int  # of the claims listed
    more: bool = False  # a filtered list matched more claims than it counted: `total` are listed


class NumberInFilter(django_filters.BaseInFilter, django_filters.NumberFilter):
    pass


class PersonFilter(django_filters.Filter):
    field_class = PersonField


ME = "me"


class AssigneeField(PersonField):
    """A person, or "me": whoever is looking (a link to one's own assignments works for everyone)."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip().lower() == ME:
            return ME
        return super().to_python(value)

    def validate(self, value):
        if value != ME:
            super().validate(value)


class AssigneeFilter(django_filters.Filter):
    field_class = AssigneeField


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
    assigned = AssigneeFilter(method="assigned_to", label="Assigned to", help_text="A username, or “me”.")
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

    counted_at_most = 1000  # a filtered list counts this many of its claims at most (see counted)

    class Meta:
        model = Claim
        fields = []

    def counted(self) -> "Counted":
        """The claims the list shows, counted: per status under every other filter (what each status tab
        would show), the page's total being one of them or their sum. Read from the list's own checked values,
        so the form is built once (a filter set built twice cost more than the page's counting).

        Unfiltered (a status tab at most), the counts are the database's own (StatusCount), exact. A filtered
        list counts its first `counted_at_most` claims only: beyond them it says "more than" and lists those,
        so that no page counts what it does not show (no index counts the claims whose words hold a text)."""
        self.errors  # noqa: B018 - checks the form, as `qs` does, so that cleaned_data holds what it could read
        data, limit = self.form.cleaned_data, self.counted_at_most
        # A status the filters cannot read is left out of cleaned_data: the list then shows every status.
        status = data.get("status")
        filtered = {
            name: value for name, value in data.items() if name not in ("status", "sort") and value not in EMPTY_VALUES
        }
        if not filtered:
            by_status = StatusCount.objects.by_status()
            return Counted(by_status, by_status.get(status, 0) if status else sum(by_status.values()))
        others = Claim.objects.all()
        for name, value in filtered.items():
            others = self.filters[name].filter(others, value)
        found = Counter(others.order_by().values_list("status", flat=True)[: limit + 1])
        by_status = {value: found[value] for value in Claim.Status.values}
        if found.total() > limit:
            total = self.qs.order_by()[: limit + 1].count() if status else limit + 1
            return Counted({}, min(total, limit), more=total > limit)
        return Counted(by_status, by_status.get(status, 0) if status else sum(by_status.values()))

    def assigned_to(self, queryset, name, value):
        if value == ME:
            user = getattr(self.request, "user", None)
            if user is None or not user.is_authenticated:  # a saved filter evaluated with no one looking
                return queryset.none()
            value = user
        # From the assignee's index: a person holds few claims of many.
        return queryset.filter(pk__in=Assignment.objects.filter(assignee=value).values("claim_id"))

    def contradicted(self, queryset, name, value):
        return queryset.contradicted(value)

    def search(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(Q(wording__icontains=word) | Q(quote__icontains=word))
        return queryset
