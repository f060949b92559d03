"""Conditional GETs (RFC 9110, 13.1.2): a client that sends back the ETag it holds in If-None-Match gets 304 and
no body while what it holds is still current, and saves the transfer and the serialising."""

from django.http import HttpResponse
from ninja import Header

IfNoneMatch = Header(
    None, alias="If-None-Match", description="The ETag of the copy you hold: 304 and no body if it is still current."
)


def still_current(if_none_match: str | None, tag: str) -> bool:
    """Weak comparison, as If-None-Match asks: "W/" aside, one of the listed tags is `tag`; "*" is any."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    wanted = tag.removeprefix("W/")
    return any(part.strip().removeprefix("W/") == wanted for part in if_none_match.split(","))


def not_modified(tag: str) -> HttpResponse:
    response = HttpResponse(status=304)
    response["ETag"] = tag
    return response
