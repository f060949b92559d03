"""JSON Lines: one JSON object per line, each an article; blank lines are skipped.

Read a line at a time, so a large file never sits in memory and a bad line costs only itself.
"""

import json
from collections.abc import Iterator

from articles.importers.base import ArticleDraft, Limits, RecordError, Rejected, too_long
from articles.importers.encodings import RecordDecoder
from articles.importers.fields import draft_from_record, json_kind
from articles.importers.json_object import EXPECTED_OBJECT, invalid_json, load_json
from articles.importers.streams import Opened, skip_line


def parse(file: Opened, limits: Limits) -> Iterator[ArticleDraft | Rejected]:
    try:
        decoder = RecordDecoder(file.head, complete=file.complete)
    except RecordError as exc:
        yield Rejected(file.name, None, None, str(exc))
        return
    stream = decoder.wrap(file.stream)
    number = line_number = 0
    while True:
        # Room for the limit and a CRLF: a line longer than that is over the limit whatever its ending.
        line = stream.readline(limits.max_article_bytes + 2)
        if not line:
            return
        line_number += 1
        record = line.rstrip(b"\r\n")
        if len(record) > limits.max_article_bytes:
            number += 1
            yield too_long(file.name, number, line_number, limits, skip_line(stream, line))
            continue
        line = record
        if not line.strip():
            continue
        number += 1
        yield _record(line, decoder, name=file.name, number=number, line_number=line_number)


def _record(line: bytes, decoder: RecordDecoder, *, name: str, number: int, line_number: int):
    try:
        text = decoder.text(line)
        record = load_json(text)
    except json.JSONDecodeError as exc:
        return Rejected(name, number, line_number, invalid_json(exc.msg, line_number, exc.colno))
    except RecordError as exc:
        return Rejected(name, number, line_number, f"line {line_number}: {exc}")
    if not isinstance(record, dict):
        return Rejected(name, number, line_number, f"line {line_number}: {EXPECTED_OBJECT}, not {json_kind(record)}")
    try:
        return draft_from_record(record, name=name, number=number, raw=decoder.raw(line), encoding=decoder.name)
    except RecordError as exc:
        return Rejected(name, number, line_number, f"line {line_number}: {exc}")
