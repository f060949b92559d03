"""Plain text: one article per file, headline on the first line, page furniture around it."""

from collections.abc import Iterator

from articles.importers.base import ArticleDraft, Limits, RecordError, Rejected, build_draft
from articles.importers.encodings import read_whole
from articles.importers.streams import Opened


def parse(file: Opened, limits: Limits) -> Iterator[ArticleDraft | Rejected]:
    whole = read_whole(file, limits)
    if isinstance(whole, Rejected):
        yield whole
        return
    data, text, encoding = whole
    try:
        draft = build_draft(text=text, raw=data, raw_encoding=encoding, origin_file=file.name, origin_record=1)
    except RecordError as exc:
        yield Rejected(file.name, 1, None, str(exc))
        return
    yield draft
