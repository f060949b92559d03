"""Publication dates as the sources write them ("Apr 28 2017, 5:06 pm ET", ISO 8601, RFC 2822)."""

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from dateutil import parser as dateutil_parser

# Zone abbreviations that dateutil cannot resolve on its own. A generic name (ET: Eastern Time) follows
# its zone's daylight saving rules; a standard or daylight name (EST, EDT) is one fixed offset all year,
# even when the date falls in the other season: "EST" in July is UTC-5, as the writer said.
TIMEZONES = {
    "ET": ZoneInfo("America/New_York"),
    "CT": ZoneInfo("America/Chicago"),
    "MT": ZoneInfo("America/Denver"),
    "PT": ZoneInfo("America/Los_Angeles"),
    "EST": timezone(timedelta(hours=-5), "EST"),
    "EDT": timezone(timedelta(hours=-4), "EDT"),
    "CST": timezone(timedelta(hours=-6), "CST"),
    "CDT": timezone(timedelta(hours=-5), "CDT"),
    "MST": timezone(timedelta(hours=-7), "MST"),
    "MDT": timezone(timedelta(hours=-6), "MDT"),
    "PST": timezone(timedelta(hours=-8), "PST"),
    "PDT": timezone(timedelta(hours=-7), "PDT"),
    "BST": timezone(timedelta(hours=1), "BST"),
    "CET": timezone(timedelta(hours=1), "CET"),
    "CEST": timezone(timedelta(hours=2), "CEST"),
    "GMT": UTC,
    "UTC": UTC,
    "Z": UTC,
}


def parse_published(value: str) -> datetime:
    """An aware datetime; a date without a zone is taken as UTC. Raises ValueError when unreadable."""
    try:
        parsed = datetime.fromisoformat(value.strip())  # most exports: fast, and exact
    except ValueError:
        parsed = None
    try:
        parsed = parsed or dateutil_parser.parse(value.strip(), tzinfos=TIMEZONES)
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"unreadable date {value!r}") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed
