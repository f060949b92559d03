"""Plain text: one article per file, headline on the first line, page furniture around it."""

from collections.abc import Iterator

from articles.importers.base import ArticleDraft, build_draft, decode


def parse(name: str, data: bytes) -> Iterator[ArticleDraft]:
    text, encoding = decode(data)
    yield build_draft(text=text, raw=data, raw_encoding=encoding, origin_file=name, origin_record=1)
