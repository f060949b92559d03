"""Pieces the list pages share."""

from django.core import paginator


class Paginator(paginator.Paginator):
    """Django's paginator, told the number of rows when the page has counted them already (the claim
    list's status counts add up to it), so they are not counted a second time."""

    def __init__(self, object_list, per_page, *, count: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        if count is not None:
            self.count = count  # `count` is a cached property: this is its value
