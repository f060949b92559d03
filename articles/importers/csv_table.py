"""CSV (or TSV) with a header row naming the fields: one article per row.

Rows are read as they come, each kept as its exact bytes (stored behind the header line, so the raw
record is a CSV file of its own that says what every cell was). A bad row is rejected with its line
number and the next row is read; a row too long to keep, or undecodable, is skipped to its real end
(where the quotes opened in it are closed), so the rows after it still line up.
"""

import csv
import itertools
from collections.abc import Iterator

from articles.importers.base import ArticleDraft, Limits, RecordError, Rejected, too_long
from articles.importers.encodings import RecordDecoder
from articles.importers.fields import FIELDS, draft_from_values, map_columns, text_names
from articles.importers.streams import Opened

DELIMITERS = ",;\t|"


class _BadRow(Exception):
    def __init__(self, message: str, size: int = 0):
        super().__init__(message)
        self.size = size


class _Lines:
    """Decoded lines for csv.reader, keeping the bytes of the row being read until `take()`."""

    def __init__(self, stream, decoder: RecordDecoder, limit: int):
        self._stream, self._decoder, self._limit = stream, decoder, limit
        self.line = 0
        self.row_start = 1
        self._row: list[bytes] = []
        self._size = 0
        self._quotes = 0

    def __iter__(self):
        return self

    def __next__(self) -> str:
        data = self._stream.readline(self._limit + 2)
        if not data:
            raise StopIteration
        self.line += 1
        self._row.append(data)
        self._size += len(data)
        self._quotes += data.count(b'"')
        if self._size > self._limit:
            self._skip_rest(data)
            raise _BadRow("too long", self._size)
        try:
            return self._decoder.text(data)
        except RecordError as exc:
            self._skip_rest(data)
            raise _BadRow(str(exc)) from exc

    def _skip_rest(self, data: bytes) -> None:
        """Read on to the end of the row (its line ends outside quotes), keeping none of it."""
        self._row.clear()
        ended = data.endswith(b"\n")
        while not ended or self._quotes % 2:
            data = self._stream.readline(64 * 1024)
            if not data:
                return
            self.line += ended  # a chunk after a line's end starts the next line
            ended = data.endswith(b"\n")
            self._size += len(data)
            self._quotes += data.count(b'"')

    def take(self) -> bytes:
        """The bytes of the row just read; the next row starts on the next line."""
        data = b"".join(self._row)
        self._row, self._size, self._quotes = [], 0, 0
        self.row_start = self.line + 1
        return data


def parse(file: Opened, limits: Limits) -> Iterator[ArticleDraft | Rejected]:
    try:
        decoder = RecordDecoder(file.head, complete=file.complete)
    except RecordError as exc:
        yield Rejected(file.name, None, None, str(exc))
        return
    # csv refuses fields over 128 KiB by default; our own per-row limit is the one that matters.
    csv.field_size_limit(max(csv.field_size_limit(), limits.max_article_bytes))
    lines = _Lines(decoder.wrap(file.stream), decoder, limits.max_article_bytes)
    try:
        first = next(lines, "")
        reader = csv.reader(itertools.chain([first], lines), delimiter=_delimiter(file.name, first), strict=False)
        header = next(reader, [])
    except (_BadRow, csv.Error) as exc:
        yield Rejected(file.name, None, 1, f"line 1: the header row cannot be read: {exc}")
        return
    header_raw = lines.take()
    columns, unused = map_columns(header)
    if "text" not in columns:
        names = ", ".join(header) or "nothing"
        yield Rejected(
            file.name,
            None,
            1,
            f"line 1: the header has no text column (expected one of: {text_names()}); it has {names}",
        )
        return
    # One warning for the file, carried by its first article, rather than one per row.
    warnings = [f"columns not imported: {', '.join(name or '(unnamed)' for name in unused)}"] if unused else []
    number = 0
    while True:
        start = lines.row_start
        try:
            row = next(reader)
        except StopIteration:
            return
        except _BadRow as exc:
            number += 1
            lines.take()
            if exc.size:
                yield too_long(file.name, number, start, limits, exc.size)
            else:
                yield Rejected(file.name, number, start, f"line {start}: {exc}")
            continue
        except csv.Error as exc:
            number += 1
            lines.take()
            yield Rejected(file.name, number, start, f"line {start}: not readable as CSV: {exc}")
            continue
        raw = lines.take()
        if not any(cell.strip() for cell in row):
            continue  # a blank line, or a row of empty cells that spreadsheets leave at the end
        number += 1
        result = _row(
            row,
            header,
            columns,
            name=file.name,
            number=number,
            line=start,
            decoder=decoder,
            raw=decoder.raw(header_raw + raw),
            warnings=warnings,
        )
        if isinstance(result, ArticleDraft):
            warnings = []
        yield result


def _row(row, header, columns, *, name, number, line, decoder, raw, warnings) -> ArticleDraft | Rejected:
    if len(row) > len(header):
        return Rejected(name, number, line, f"line {line}: the row has {len(row)} cells; the header has {len(header)}")
    values = {field: (row[index] if index < len(row) else "") for field, index in columns.items()}
    if not values["text"].strip():
        column = header[columns["text"]]
        return Rejected(name, number, line, f"line {line}: the row has no text (its {column!r} cell is empty)")
    try:
        return draft_from_values(
            {**dict.fromkeys(FIELDS, ""), **values},
            name=name,
            number=number,
            raw=raw,
            encoding=decoder.name,
            warnings=warnings,
        )
    except RecordError as exc:
        return Rejected(name, number, line, f"line {line}: {exc}")


def _delimiter(name: str, header_line: str) -> str:
    """Tab for .tsv; otherwise whichever of , ; tab | the header line uses most (Excel in Europe uses ;)."""
    if name.lower().endswith(".tsv"):
        return "\t"
    counts = {delimiter: header_line.count(delimiter) for delimiter in DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def looks_like_csv(first_line: str) -> bool:
    """A header line: short names, at least two of them article fields, one of them the text."""
    delimiter = _delimiter("", first_line)
    names = [name.strip().strip('"') for name in first_line.rstrip("\r\n").split(delimiter)]
    if len(names) < 2 or not all(0 < len(name) <= 40 for name in names):
        return False
    columns, _ = map_columns(names)
    return "text" in columns and len(columns) >= 2
