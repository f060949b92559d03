"""Plain text: one article per file, headline on the first line, page furniture around it."""

from collections.abc import Iterator

from articles.importers.base import ArticleDraft, Limits, RecordError, Rejected, build_draft, too_long
from articles.importers.encodings import decode_whole
from articles.importers.streams import Opened


def parse(file: Opened, limits: Limits) -> Iterator[ArticleDraft | Rejected]:
    data = file.read_record(limits.max_article_bytes)
    if data is None:
        yield too_long(file.name, None, None, limits)
        return
    try:
        text, encoding = decode_whole(data)
    except RecordError as exc:
        yield Rejected(file.name, None, None, str(exc))
        return
    try:
        draft = build_draft(text=text, raw=data, raw_encoding=encoding, origin_file=file.name, origin_record=1)
    except RecordError as exc:
        yield Rejected(file.name, 1, None, str(exc))
        return
    yield draft
