"""System checks: a setting the rules read must say something they understand, or the server does not start."""

from django.conf import settings
from django.core.checks import Error, register

from claims.rules import UNKNOWN_PUBLISHERS


@register()
def unknown_publishers_setting(app_configs, **kwargs) -> list[Error]:
    if settings.WORKBENCH_UNKNOWN_PUBLISHERS in UNKNOWN_PUBLISHERS:
        return []
    choices = ", ".join(UNKNOWN_PUBLISHERS)
    return [
        Error(
            f"WORKBENCH_UNKNOWN_PUBLISHERS is {settings.WORKBENCH_UNKNOWN_PUBLISHERS!r}; it must be one of: {choices}.",
            hint="It says what sources of unknown publisher count as for the two-source rule.",
            id="claims.E001",
        )
    ]
