"""CSV: one row per claim, sources flattened to a count and the URLs for each stance.

Starts with a byte order mark so that spreadsheets open it as UTF-8. A text cell a spreadsheet would
read as a formula (starting with = + - @, or a tab or carriage return) gets a leading apostrophe.
"""

import csv
import io
from collections.abc import Iterable, Iterator

from claims.exports.context import ExportContext
from claims.models import EvidenceLink

EXTENSION = "csv"
MEDIA_TYPE = "text/csv; charset=utf-8"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
URL_SEPARATOR = " "  # URLs hold no spaces
FLUSH = 2**15  # characters written before they are handed on: a piece per row costs more than the row

STANCES = EvidenceLink.Stance.values
HEADER = [
    "id",
    "uid",
    "url",
    "wording",
    "quote",
    "status",
    "verdict_rationale",
    "reviewed_by",
    "reviewed_at",
    "tags",
    "article_title",
    "article_url",
    "article_publisher",
    "article_published_at",
    *(f"{stance}_{what}" for stance in STANCES for what in ("count", "urls")),
]


def render(records: Iterable[dict], context: ExportContext) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    yield "\ufeff" + _take(buffer)
    for record in records:
        # Text a spreadsheet would run as a formula gets an apostrophe, None an empty cell; written inline, as a
        # call per cell was a tenth of the export.
        writer.writerow(
            [
                ("'" + value if value.startswith(FORMULA_STARTS) else value)
                if isinstance(value, str)
                else ("" if value is None else value)
                for value in row(record)
            ]
        )
        if buffer.tell() >= FLUSH:
            yield _take(buffer)
    yield _take(buffer)


def row(record: dict) -> list:
    article, verdict = record["article"], record["verdict"]
    sources = {stance: [link["url"] for link in record["evidence"] if link["stance"] == stance] for stance in STANCES}
    return [
        record["id"],
        record["uid"],
        record["url"],
        record["wording"],
        record["anchor"]["quote"],
        record["status"],
        verdict["rationale"],
        verdict["reviewed_by"],
        verdict["reviewed_at"],
        ", ".join(record["tags"]),
        article["title"],
        article["url"],
        article["publisher"],
        article["published_at"],
        *(value for stance in STANCES for value in (len(sources[stance]), URL_SEPARATOR.join(sources[stance]))),
    ]


def spreadsheet_safe(value):
    """A cell as the export writes it (render() does the same inline, for speed): text a spreadsheet would
    run as a formula gets an apostrophe, None an empty cell."""
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    return "" if value is None else value


class Echo:
    """A file for csv.writer that hands each row back instead of keeping it, for a streamed response."""

    def write(self, text: str) -> str:
        return text


def _take(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
