"""The article fields records carry under many names (JSON keys, CSV headers), and turning a record into a draft."""

import functools
import json
import re
from collections.abc import Iterable, Mapping

from articles.importers.base import ArticleDraft, RecordError, build_draft

# Names seen in scraper, CMS and spreadsheet exports, compared by key(); the first with a value wins.
FIELDS = {
    "text": ("text", "body", "content", "article", "article_text", "full_text", "story"),
    "title": ("title", "headline", "heading"),
    "url": ("url", "link", "permalink", "source_url", "article_url"),
    "publisher": ("publisher", "source", "site_name", "site", "outlet", "publication"),
    "published": (
        "time",
        "published",
        "published_at",
        "date",
        "datepublished",
        "date_published",
        "publish_date",
        "pubdate",
        "datetime",
    ),
}
SEPARATORS = re.compile(r"[\s_-]+")


def key(name: str) -> str:
    """ "Date Published", "date-published" and "date_published" are one name."""
    return SEPARATORS.sub("_", name.strip().lstrip("\ufeff").casefold()).strip("_")


@functools.lru_cache(maxsize=16)
def _spellings(names: tuple[str, ...]) -> dict[str, int]:
    """Each normalised spelling of the names -> the position of the first name spelled so.

    Cached: the records of one file nearly always share their keys. Callers only read the result."""
    found: dict[str, int] = {}
    for index, name in enumerate(names):
        for spelling in (key(name), key(name).replace("_", "")):
            found.setdefault(spelling, index)
    return found


def text_names() -> str:
    return ", ".join(FIELDS["text"][:4])


def map_columns(names: list[str]) -> tuple[dict[str, int], list[str]]:
    """CSV header cells -> {field: column index}, and the names of the columns that are not imported."""
    found = _spellings(tuple(names))
    columns = {}
    for field, synonyms in FIELDS.items():
        index = next((found[synonym] for synonym in synonyms if synonym in found), None)
        if index is not None:
            columns[field] = index
    used = set(columns.values())
    return columns, [name for index, name in enumerate(names) if index not in used]


def draft_from_record(
    record: Mapping, *, name: str, number: int, raw: bytes, encoding: str, warnings: Iterable[str] = ()
) -> ArticleDraft:
    """A JSON object's fields as a draft; RecordError when it has no text or a field is not text."""
    names = tuple(record)
    found = _spellings(names)
    values = {}
    for field, synonyms in FIELDS.items():
        values[field] = ""
        for synonym in synonyms:
            value = record[names[found[synonym]]] if synonym in found else None
            if value not in (None, ""):
                if not isinstance(value, str | int | float):
                    raise RecordError(f"field {names[found[synonym]]!r} must be text, not {json_kind(value)}")
                values[field] = str(value)
                break
    return draft_from_values(values, name=name, number=number, raw=raw, encoding=encoding, warnings=warnings)


def draft_from_values(
    values: Mapping[str, str], *, name: str, number: int, raw: bytes, encoding: str, warnings: Iterable[str] = ()
) -> ArticleDraft:
    if not values.get("text", "").strip():
        raise RecordError(f"record has no text (expected one of: {text_names()})")
    draft = build_draft(**values, raw=raw, raw_encoding=encoding, origin_file=name, origin_record=number)
    draft.warnings[:0] = warnings
    return draft


def json_kind(value: object) -> str:
    """A JSON value's kind, as people call it: "a list", "a string", "null"."""
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    return {dict: "an object", list: "a list", str: "a string"}.get(type(value), "a number")
