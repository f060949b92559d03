"""Which encoding a file is in: a byte order mark, else UTF-8, else a detected legacy encoding.

Windows-1252 is the legacy encoding newsroom files are most often in (Word and Excel on Windows). A
statistical detector guessing from a few accented letters picks a neighbour code page about as often,
and a neighbour reads "à" as "ŕ" without any error, so Windows-1252 wins whenever it reads the bytes
as well as the guess does, or when there are too few non-ASCII bytes for a guess to mean anything.
"""

import codecs
import io

import charset_normalizer

from articles.importers.base import RecordError, Rejected, human_size, too_long
from articles.importers.streams import Utf8Transcoded

BOMS = (  # UTF-32 first: its little-endian mark starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Without a byte order mark these are told apart by NUL bytes; a detector offering them is guessing.
NOT_GUESSED = ["utf_16", "utf_16_le", "utf_16_be", "utf_32", "utf_32_le", "utf_32_be", "utf_7"]
BOM_AWARE = {"utf-16-le": "utf-16", "utf-16-be": "utf-16", "utf-32-le": "utf-32", "utf-32-be": "utf-32"}
DEFAULT_LEGACY = "cp1252"
MIN_NON_ASCII_TO_GUESS = 16
GUESS_SAMPLE_BYTES = 256 * 1024


def bom_of(data: bytes) -> tuple[bytes, str] | None:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return bom, encoding
    return None


def is_utf8(data: bytes, *, complete: bool) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A sample cut from a longer file may end inside a character.
        return not complete and exc.reason == "unexpected end of data" and exc.start >= len(data) - 3
    return True


def guess_legacy(data: bytes) -> str | None:
    """A single- or multi-byte legacy encoding for bytes that are not UTF-8, or None."""
    sample = data[:GUESS_SAMPLE_BYTES]
    cp1252_reads = _decodes(sample, DEFAULT_LEGACY)
    if cp1252_reads and sum(byte >= 0x80 for byte in sample) < MIN_NON_ASCII_TO_GUESS:
        return DEFAULT_LEGACY
    best = charset_normalizer.from_bytes(sample, cp_exclusion=NOT_GUESSED).best()
    if best is None:
        return DEFAULT_LEGACY if cp1252_reads else None
    if cp1252_reads and DEFAULT_LEGACY in best.could_be_from_charset:
        return DEFAULT_LEGACY
    return codecs.lookup(best.encoding).name


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def decode_whole(data: bytes) -> tuple[str, str]:
    """A whole file's text and the encoding its raw bytes decode with (a BOM is dropped from the text)."""
    found = bom_of(data)
    if found:
        bom, encoding = found
        text = _strict(data[len(bom) :], encoding)
        # The raw bytes keep their mark, so they are recorded with the codec that reads it.
        return text, BOM_AWARE.get(encoding, encoding)
    if is_utf8(data, complete=True):
        return data.decode("utf-8"), "utf-8"
    encoding = guess_legacy(data)
    if encoding is None:
        raise RecordError("not text in any encoding we recognise (save it as UTF-8)")
    return data.decode(encoding), encoding


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise RecordError(f"not valid {encoding} text (undecodable byte at position {exc.start})") from exc


class RecordDecoder:
    """Decodes a file record by record, for the formats read as a stream (JSONL, CSV, JSON arrays).

    UTF-16 and UTF-32 files are re-encoded to UTF-8 on the way in (`wrap`), so the parsers scan bytes
    for ASCII delimiters in every case; `raw` gives back each record's bytes exactly as received.
    """

    def __init__(self, head: bytes, *, complete: bool):
        found = bom_of(head)
        self.bom, self.name = found or (b"", "utf-8")
        self.transcoded = self.name.startswith(("utf-16", "utf-32"))
        self.codec = "utf-8" if self.transcoded else self.name
        # An all-ASCII head decides nothing: the first record with other bytes picks the encoding.
        self._undecided = not found and head.isascii()
        if not found and not is_utf8(head, complete=complete):
            legacy = guess_legacy(head)
            if legacy is None:
                raise RecordError("not text in any encoding we recognise (save it as UTF-8)")
            self.name = self.codec = legacy

    def wrap(self, stream: io.BufferedReader) -> io.BufferedReader:
        """The stream the parser reads: past the byte order mark, and as UTF-8 if it was UTF-16/32."""
        stream.read(len(self.bom))
        if self.transcoded:
            return io.BufferedReader(Utf8Transcoded(stream, self.name))
        return stream

    def text(self, data: bytes) -> str:
        try:
            text = data.decode(self.codec)
        except UnicodeDecodeError as exc:
            legacy = guess_legacy(data) if self._undecided else None
            self._undecided = False
            if legacy is not None:
                # Every record before was plain ASCII, which reads the same in either encoding.
                self.name = self.codec = legacy
                return data.decode(legacy)
            byte, at = data[exc.start], exc.start + 1
            raise RecordError(
                f"not {self.codec} text (undecodable byte 0x{byte:02x} at byte {at} of the record)"
            ) from exc
        if self._undecided and not data.isascii():
            self._undecided = False
        return text

    def raw(self, data: bytes) -> bytes:
        return data.decode("utf-8").encode(self.name) if self.transcoded else data


def read_whole(file, limits, decode=decode_whole, limit=None, what="article") -> "tuple[bytes, str, str] | Rejected":
    """A one-article file's bytes, text and encoding, or the Rejected saying why it cannot be read.

    `limit` (default: the article limit) bounds what is read; a web page has a larger one of its own."""
    data = file.read_record(limit or limits.max_article_bytes)
    if data is None:
        if limit:
            return Rejected(file.name, None, None, f"the {what} is over the limit of {human_size(limit)} per {what}")
        return too_long(file.name, None, None, limits)
    try:
        text, encoding = decode(data)
    except RecordError as exc:
        return Rejected(file.name, None, None, str(exc))
    return data, text, encoding
