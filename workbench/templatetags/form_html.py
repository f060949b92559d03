"""Forms on busy pages, rendered once per process when their HTML cannot differ.

Rendering a dozen form fields through their widget templates costs more than the rest of a claim list
page or a claim page, and a form looks the same for the same values:
- `{% filter_form form open clear_url %}`, a list page's filter box, is kept for each set of values when the
  form is valid and every shown value comes from the URL. A form with an error is rendered each time, and so
  is one with a box that names a row beside its value (the article chosen by number: its title may be edited).
- `{% blank_form_fields form %}` renders a form's fields (partials/form_fields.html), and keeps the HTML of
  the form class when it is blank: not bound, no initial values. Only for forms whose fields do not change
  from one instance to the next.
"""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

register = template.Library()

KEPT = 256  # forms kept per process; beyond that the store starts afresh
_rendered: dict[tuple, SafeString] = {}


@register.simple_tag
def filter_form(form, open, clear_url) -> SafeString:  # noqa: A002 - the <details> attribute it sets
    context = {"form": form, "open": bool(open), "clear_url": clear_url}
    if not form.is_valid() or any(_names_a_row(field) for field in form):
        return render_to_string("partials/filters.html", context)
    # By the fields' names: django-filter makes a new form class for every filter set.
    return _kept(
        ("filters", tuple(form.fields), context["open"], clear_url, _values(form)), "partials/filters.html", context
    )


@register.simple_tag
def blank_form_fields(form) -> SafeString:
    if form.is_bound or form.initial:
        return render_to_string("partials/form_fields.html", {"form": form})
    return _kept(("blank", type(form), form.prefix), "partials/form_fields.html", {"form": form})


def _kept(key: tuple, template_name: str, context: dict) -> SafeString:
    if key not in _rendered:
        if len(_rendered) >= KEPT:
            _rendered.clear()
        _rendered[key] = render_to_string(template_name, context)
    return _rendered[key]


def _names_a_row(field) -> bool:
    return getattr(field.field.widget, "describe", None) is not None and field.value() not in (None, "")


def _values(form) -> tuple:
    """What the URL gives the form's fields (a date range's two boxes included), and nothing else (the page)."""
    names = tuple(form.fields)
    return tuple(
        sorted(
            (key, tuple(values))
            for key, values in form.data.lists()
            if any(key == name or key.startswith(f"{name}_") for name in names)
        )
    )
