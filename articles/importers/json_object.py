"""A JSON object with the article's fields, such as {"title", "url", "text", "time"}: one article per file."""

import json
from collections.abc import Iterator

from articles.importers.base import ArticleDraft, Limits, RecordError, Rejected
from articles.importers.encodings import read_whole
from articles.importers.fields import draft_from_record, json_kind
from articles.importers.streams import Opened

EXPECTED_OBJECT = "expected a JSON object with the article's fields"


def parse(file: Opened, limits: Limits) -> Iterator[ArticleDraft | Rejected]:
    whole = read_whole(file, limits)
    if isinstance(whole, Rejected):
        yield whole
        return
    data, text, encoding = whole
    try:
        record = load_json(text)
    except json.JSONDecodeError as exc:
        yield Rejected(file.name, None, exc.lineno, invalid_json(exc.msg, exc.lineno, exc.colno))
        return
    except RecordError as exc:
        yield Rejected(file.name, None, None, str(exc))
        return
    if not isinstance(record, dict):
        yield Rejected(file.name, None, None, f"{EXPECTED_OBJECT}, not {json_kind(record)}")
        return
    try:
        draft = draft_from_record(record, name=file.name, number=1, raw=data, encoding=encoding)
    except RecordError as exc:
        yield Rejected(file.name, 1, None, str(exc))
        return
    yield draft


def load_json(text: str):
    """json.loads for a record: JSONDecodeError says where the syntax is wrong, RecordError what else is."""
    try:
        # strict=False lets control characters inside strings through; normalise() drops them.
        return json.loads(text, strict=False)
    except json.JSONDecodeError:
        raise
    except RecursionError as exc:
        raise RecordError("the JSON is nested too deeply to be read") from exc
    except ValueError as exc:  # Python refuses to read an integer of more than 4,300 digits
        raise RecordError("a number in the JSON has too many digits to be read") from exc


def invalid_json(message: str, line: int, column: int) -> str:
    # json's "Unterminated string starting at" already ends with the preposition.
    return f"line {line}: invalid JSON: {message.removesuffix(' at')} at column {column}"
