"""A text box that suggests as one types, for choices too many to list: every article, every person.

The page holds only the box and an empty <datalist>; static/js/complete.js fills the list from `source`
(a URL answering ?q= with {"results": [{"value", "label"}]}) as one types. Without a script one types the
value itself (an article's number, a username), which the form checks like any other.
"""

from collections.abc import Callable

from django import forms
from django.urls import reverse


class Completion(forms.TextInput):
    template_name = "workbench/widgets/completion.html"

    def __init__(self, source: str, *, describe: Callable[[str], str] | None = None, attrs=None):
        self.source = source  # a URL name
        self.describe = describe  # the chosen value in words, shown beside the box (an article's title)
        super().__init__({"autocomplete": "off", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        options = f"{widget['attrs'].get('id', name)}-options"
        widget["attrs"] |= {"list": options, "data-complete": reverse(self.source)}
        widget["options_id"] = options
        widget["description"] = self.describe(str(value)) if self.describe and value not in (None, "") else ""
        return context
