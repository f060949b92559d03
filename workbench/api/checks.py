"""System checks of the API's settings: a rate the throttle cannot read stops the server at start (`manage.py
check` says what is wrong), rather than failing the first API call of the day."""

import re

from django.conf import settings
from django.core.checks import Error

# What ninja's throttle reads: a number of requests, "/", then a period, optionally with a multiple ("10/5min").
RATE = re.compile(r"^([1-9]\d*)/([1-9]\d*)?(s|sec|m|min|h|hour|d|day)$")


def api_rate_setting(app_configs=None, **kwargs) -> list[Error]:
    rate = settings.WORKBENCH_API_RATE
    if rate == "" or (isinstance(rate, str) and RATE.match(rate)):
        return []
    return [
        Error(
            f"WORKBENCH_API_RATE is {rate!r}, which is not a rate: write it as <number>/<period>, e.g. 600/min, "
            "with a period of s, min, hour or day (or empty for no limit).",
            hint="It bounds the requests one API token may make; the API would refuse every call with this value.",
            id="workbench.E001",
        )
    ]
