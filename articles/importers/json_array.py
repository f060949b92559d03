"""A JSON array of article objects, read one element at a time.

A small scanner finds where each element ends (it follows strings and brackets, nothing more) and
json.loads parses that element alone: memory holds one article at a time, each record keeps its
exact bytes as received, and a bad element is rejected on its own. A syntax error between elements,
or one that makes an element unreadable, ends the file: nothing after it can be trusted to line up.
"""

import json
import re
from collections.abc import Iterator
from typing import NoReturn

from articles.importers.base import ArticleDraft, Limits, RecordError, Rejected, too_long
from articles.importers.encodings import RecordDecoder
from articles.importers.fields import draft_from_record, json_kind
from articles.importers.json_object import EXPECTED_OBJECT, invalid_json, load_json
from articles.importers.streams import CHUNK_BYTES, Opened

STRUCTURE = re.compile(rb'["{}\[\]]')
STRING_PART = re.compile(rb"[^\"\\]*(?:\\.[^\"\\]*)*", re.DOTALL)  # up to a closing quote, escapes and all
SCALAR_END = re.compile(rb"[,\]\s]")
WHITESPACE = re.compile(rb"[ \t\r\n]*")
NOT_READ = "records from here on were not read"


class _SyntaxError(Exception):
    def __init__(self, line: int, column: int, message: str, *, rest_unread: bool = True):
        super().__init__(invalid_json(message, line, column) + (f"; {NOT_READ}" if rest_unread else ""))
        self.line = line

    @classmethod
    def inside(cls, line: int, column: int, exc: json.JSONDecodeError) -> "_SyntaxError":
        """json's error in an element starting at (line, column), placed in the file."""
        return cls(line + exc.lineno - 1, column + exc.colno - 1 if exc.lineno == 1 else exc.colno, exc.msg)


def parse(file: Opened, limits: Limits) -> Iterator[ArticleDraft | Rejected]:
    try:
        decoder = RecordDecoder(file.head, complete=file.complete)
    except RecordError as exc:
        yield Rejected(file.name, None, None, str(exc))
        return
    scanner = _Scanner(decoder.wrap(file.stream))
    try:
        yield from _records(scanner, decoder, file.name, limits)
    except _SyntaxError as exc:
        yield Rejected(file.name, None, exc.line, str(exc))


def _records(scanner: "_Scanner", decoder: RecordDecoder, name: str, limits: Limits):
    scanner.expect(b"[", "Expecting '['")
    if scanner.next_is(b"]"):
        scanner.expect(b"]", "")
        scanner.expect_end()
        yield Rejected(name, None, None, "the JSON array is empty: no articles in it")
        return
    number = 0
    while True:
        number += 1
        line, column = scanner.line, scanner.column
        data, size = scanner.element(limits.max_article_bytes)
        if data is None:
            yield too_long(name, number, line, limits, size)
        else:
            yield _record(data, decoder, name=name, number=number, line=line, column=column)
        if scanner.next_is(b","):
            scanner.expect(b",", "")
            if scanner.next_is(b"]"):
                raise _SyntaxError(scanner.line, scanner.column, "Expecting value (a comma before ']')")
            continue
        scanner.expect(b"]", "Expecting ',' delimiter")
        scanner.expect_end()
        return


def _record(data: bytes, decoder: RecordDecoder, *, name: str, number: int, line: int, column: int):
    try:
        record = load_json(decoder.text(data))
    except RecordError as exc:
        return Rejected(name, number, line, f"line {line}: {exc}")
    except json.JSONDecodeError as exc:
        raise _SyntaxError.inside(line, column, exc) from exc
    if not isinstance(record, dict):
        return Rejected(name, number, line, f"line {line}: {EXPECTED_OBJECT}, not {json_kind(record)}")
    try:
        return draft_from_record(record, name=name, number=number, raw=decoder.raw(data), encoding=decoder.name)
    except RecordError as exc:
        return Rejected(name, number, line, f"line {line}: {exc}")


class _Scanner:
    """A window on the stream with the line and column of its position (columns count bytes)."""

    def __init__(self, stream):
        self._stream = stream
        self._buffer = b""
        self._pos = 0
        self._offset = 0  # of the buffer's first byte in the file
        self._line_start = 0
        self.line = 1

    @property
    def column(self) -> int:
        return self._offset + self._pos - self._line_start + 1

    def _fill(self) -> bool:
        chunk = self._stream.read(CHUNK_BYTES)
        self._offset += self._pos
        self._buffer, self._pos = self._buffer[self._pos :] + chunk, 0
        return bool(chunk)

    def _advance(self, size: int) -> bytes:
        taken = self._buffer[self._pos : self._pos + size]
        newlines = taken.count(b"\n")
        if newlines:
            self.line += newlines
            self._line_start = self._offset + self._pos + taken.rindex(b"\n") + 1
        self._pos += size
        return taken

    def _skip_whitespace(self) -> None:
        while True:
            match = WHITESPACE.match(self._buffer, self._pos)
            self._advance(match.end() - self._pos)
            if self._pos < len(self._buffer) or not self._fill():
                return

    def next_is(self, token: bytes) -> bool:
        self._skip_whitespace()
        return self._buffer[self._pos : self._pos + 1] == token

    def expect(self, token: bytes, message: str) -> None:
        if not self.next_is(token):
            raise _SyntaxError(self.line, self.column, message)
        self._advance(1)

    def expect_end(self) -> None:
        self._skip_whitespace()
        if self._pos < len(self._buffer):
            raise _SyntaxError(self.line, self.column, "Extra data after the array", rest_unread=False)

    def element(self, limit: int) -> tuple[bytes | None, int]:
        """The next element's bytes, or None and its size when it is longer than `limit` (not kept)."""
        pieces: list[bytes] = []
        size = 0

        def take(count: int) -> None:
            nonlocal size
            taken = self._advance(count)
            size += count
            if size <= limit:
                pieces.append(taken)
            else:
                pieces.clear()

        self._skip_whitespace()  # and make sure the element's first byte is in the buffer
        line, column = self.line, self.column
        depth, in_string = 0, False
        scalar = self._buffer[self._pos : self._pos + 1] not in (b"{", b"[", b'"')
        while True:
            if in_string:
                rest = STRING_PART.match(self._buffer, self._pos)
                take(rest.end() - self._pos)
                if self._buffer[self._pos : self._pos + 1] != b'"':
                    # The string goes on in the next chunk; a backslash ending this one waits for it.
                    if not self._fill():
                        self._end_inside(pieces, line, column)
                    continue
                take(1)  # the closing quote
                in_string = False
                if depth == 0:
                    break
                continue
            match = (SCALAR_END if scalar else STRUCTURE).search(self._buffer, self._pos)
            if match is None:
                take(len(self._buffer) - self._pos)
                if self._fill():
                    continue
                if scalar:
                    break
                self._end_inside(pieces, line, column)
            if scalar:
                take(match.start() - self._pos)
                break
            take(match.end() - self._pos)
            char = match.group()
            if char == b'"':
                in_string = True
            elif char in (b"{", b"["):
                depth += 1
            else:
                depth -= 1
                if depth == 0:
                    break
        return (b"".join(pieces) if size <= limit else None), size

    def _end_inside(self, pieces: list[bytes], line: int, column: int) -> NoReturn:
        """The file ends inside an element: json.loads says where, when the element was kept."""
        if pieces:
            try:
                load_json(b"".join(pieces).decode("utf-8", errors="replace"))
            except json.JSONDecodeError as exc:
                raise _SyntaxError.inside(line, column, exc) from exc
            except RecordError:
                pass  # too deep or too long to say where: the end of the file is what went wrong
        raise _SyntaxError(line, column, "the file ends inside this record")
