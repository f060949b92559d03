"""A JSON object with the article's fields, such as {"title", "url", "text", "time"}."""

import json
from collections.abc import Iterator

from articles.importers.base import ArticleDraft, RecordError, build_draft, decode

# Field names seen in scraper and CMS exports, first match wins.
FIELDS = {
    "text": ("text", "body", "content", "article"),
    "title": ("title", "headline"),
    "url": ("url", "link"),
    "publisher": ("publisher", "source", "site_name"),
    "published": ("time", "published", "published_at", "date", "datePublished"),
}


def looks_like(data: bytes) -> bool:
    return data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def parse(name: str, data: bytes) -> Iterator[ArticleDraft]:
    text, encoding = decode(data)
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RecordError(f"invalid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from exc
    if not isinstance(record, dict):
        raise RecordError("expected a JSON object with the article's fields")
    yield draft_from_record(record, name=name, number=1, raw=data, encoding=encoding)


def draft_from_record(record: dict, *, name: str, number: int, raw: bytes, encoding: str) -> ArticleDraft:
    values = {key: _first(record, names) for key, names in FIELDS.items()}
    if not values["text"].strip():
        raise RecordError(f"record has no text (expected one of: {', '.join(FIELDS['text'])})")
    return build_draft(**values, raw=raw, raw_encoding=encoding, origin_file=name, origin_record=number)


def _first(record: dict, names: tuple[str, ...]) -> str:
    for name in names:
        value = record.get(name)
        if value not in (None, ""):
            if not isinstance(value, str | int | float):
                raise RecordError(f"field {name!r} must be text, not {type(value).__name__}")
            return str(value)
    return ""
