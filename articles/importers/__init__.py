"""The importer registry: pick a parser for a file by its content first, its name second."""

from collections.abc import Callable, Iterator

from articles.importers import json_object, plain_text
from articles.importers.base import ArticleDraft, RecordError

Parser = Callable[[str, bytes], Iterator[ArticleDraft]]

__all__ = ["ArticleDraft", "RecordError", "parser_for"]


def parser_for(name: str, data: bytes) -> Parser:
    if not data.strip():
        raise RecordError("empty file")
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise RecordError("binary file, not text")
    if name.lower().endswith(".json") or json_object.looks_like(data):
        return json_object.parse
    return plain_text.parse
