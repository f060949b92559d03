"""Publication dates as the sources write them ("Apr 28 2017, 5:06 pm ET", ISO 8601, RFC 2822)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from dateutil import parser as dateutil_parser

# US newsrooms write zone abbreviations that dateutil cannot resolve on its own.
TIMEZONES = {
    "ET": ZoneInfo("America/New_York"),
    "EST": ZoneInfo("America/New_York"),
    "EDT": ZoneInfo("America/New_York"),
    "CT": ZoneInfo("America/Chicago"),
    "CST": ZoneInfo("America/Chicago"),
    "CDT": ZoneInfo("America/Chicago"),
    "MT": ZoneInfo("America/Denver"),
    "MST": ZoneInfo("America/Denver"),
    "MDT": ZoneInfo("America/Denver"),
    "PT": ZoneInfo("America/Los_Angeles"),
    "PST": ZoneInfo("America/Los_Angeles"),
    "PDT": ZoneInfo("America/Los_Angeles"),
    "BST": ZoneInfo("Europe/London"),
    "CET": ZoneInfo("Europe/Paris"),
    "CEST": ZoneInfo("Europe/Paris"),
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
