"""The activity page's filters: a plain form, since the feed is a union that is filtered part by part."""

from django import forms
from django_filters.fields import DateRangeField
from django_filters.widgets import DateRangeWidget

from workbench.activity import ACTIONS, KINDS
from workbench.forms import PersonField


class FromToWidget(DateRangeWidget):
    """Two date inputs, `date_from` and `date_to` in the URL."""

    suffixes = ["from", "to"]


class ActivityFilterForm(forms.Form):
    user = PersonField(required=False, label="Who")
    action = forms.ChoiceField(choices=[("", "Any action"), *ACTIONS], required=False)
    type = forms.ChoiceField(choices=[("", "Any type"), *KINDS], required=False)
    # The same range field as the claim list's dates: the "to" day counts whole, in the site's time zone.
    date = DateRangeField(label="Between", required=False, widget=FromToWidget(attrs={"type": "date"}))

    def criteria(self) -> dict:
        """The valid filters as activity_feed() takes them; a filter in error is left out (and shown with its error)."""
        self.is_valid()  # cleans once; a field in error is missing from cleaned_data
        data = getattr(self, "cleaned_data", {})
        dates = data.get("date") or slice(None, None)
        user = data.get("user")
        return {
            "actor_id": user.pk if user else None,
            "action": data.get("action") or None,
            "kind": data.get("type") or None,
            "since": dates.start,
            "until": dates.stop,
        }

    @property
    def filtering(self) -> bool:
        return any(value is not None for value in self.criteria().values())
