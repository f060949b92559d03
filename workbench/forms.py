"""Form fields the apps share."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from workbench.widgets import Completion


class PersonField(forms.ModelChoiceField):
    """Someone by username, suggested as one types (never a list of everyone). An id is read too: links and
    saved filters written before named people that way."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", Completion("people", attrs={"placeholder": "username"}))
        kwargs.pop("queryset", None)
        super().__init__(queryset=get_user_model().objects.all(), to_field_name="username", **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = str(value).strip()
        person = self.queryset.filter(username=value).first()
        if person is None and value.isdigit():
            person = self.queryset.filter(pk=int(value)).first()
        if person is None:
            raise ValidationError(f"Nobody is called “{value}”.", code="invalid_choice")
        return person
