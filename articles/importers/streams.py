"""Reading files as bounded streams: every byte is counted, so a file cannot be bigger than it may be."""

import codecs
import io
from dataclasses import dataclass
from typing import BinaryIO

from articles.importers.base import human_size

HEAD_BYTES = 64 * 1024  # what sniffing and encoding detection look at
CHUNK_BYTES = 64 * 1024


class TooLarge(Exception):
    """More bytes came out of a file (or an archive) than it may hold; the message says which limit."""

    def __init__(self, message: str, *, whole_archive: bool = False):
        super().__init__(message)
        self.whole_archive = whole_archive


@dataclass
class Budget:
    """Bytes an archive may still decompress, shared by all its members."""

    remaining: int
    limit: int


class Counted(io.RawIOBase):
    """A raw stream that serves its already-read head first and stops at `cap` bytes.

    Sizes declared by a Source or a zip header are checked before reading, but only counting what
    actually comes out protects against a size that lies.
    """

    def __init__(self, raw: BinaryIO, *, cap: int, budget: Budget | None = None):
        self._raw, self._cap, self._budget = raw, cap, budget
        self.count = 0
        self.head = self._read_head()
        self._pending = self.head

    def _read_head(self) -> bytes:
        parts, size = [], 0
        while size < HEAD_BYTES:
            part = self._read_raw(HEAD_BYTES - size)
            if not part:
                break
            parts.append(part)
            size += len(part)
        return b"".join(parts)

    def _read_raw(self, size: int) -> bytes:
        data = self._raw.read(size)
        self.count += len(data)
        if self.count > self._cap:
            raise TooLarge(f"file is larger than {human_size(self._cap)}, the limit per file")
        if self._budget is not None:
            self._budget.remaining -= len(data)
            if self._budget.remaining < 0:
                raise TooLarge(
                    f"archive decompresses to more than {human_size(self._budget.limit)}, the limit per archive",
                    whole_archive=True,
                )
        return data

    @property
    def complete(self) -> bool:
        """The head is the whole file."""
        return len(self.head) < HEAD_BYTES

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._pending:
            data, self._pending = self._pending[: len(buffer)], self._pending[len(buffer) :]
        else:
            data = self._read_raw(len(buffer))
        buffer[: len(data)] = data
        return len(data)


@dataclass
class Opened:
    """A file being parsed: its name, a buffered stream from its first byte, and its head for sniffing."""

    name: str
    stream: io.BufferedReader
    head: bytes
    complete: bool

    @classmethod
    def from_counted(cls, name: str, counted: Counted) -> "Opened":
        return cls(name, io.BufferedReader(counted, CHUNK_BYTES), counted.head, counted.complete)

    @classmethod
    def from_bytes(cls, name: str, data: bytes) -> "Opened":
        """For parsers used on their own (tests, one-off scripts)."""
        return cls.from_counted(name, Counted(io.BytesIO(data), cap=len(data)))

    def read_record(self, limit: int) -> bytes | None:
        """The whole file as one record, or None when it is longer than `limit` (the rest is not read)."""
        data = self.stream.read(limit + 1)
        return None if len(data) > limit else data


class Utf8Transcoded(io.RawIOBase):
    """A UTF-16 or UTF-32 stream re-encoded as UTF-8, so line and JSON scanners can work on bytes."""

    def __init__(self, stream: BinaryIO, encoding: str):
        self._stream = stream
        self._decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
        self._pending = b""
        self._done = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._pending and not self._done:
            chunk = self._stream.read(CHUNK_BYTES)
            self._done = not chunk
            self._pending = self._decoder.decode(chunk, final=self._done).encode("utf-8")
        data, self._pending = self._pending[: len(buffer)], self._pending[len(buffer) :]
        buffer[: len(data)] = data
        return len(data)


def skip_line(stream: io.BufferedReader, partial: bytes) -> int:
    """Read past the rest of an over-long line without keeping it; returns the line's full length."""
    size = len(partial)
    while partial and not partial.endswith(b"\n"):
        partial = stream.readline(CHUNK_BYTES)
        size += len(partial)
    return size
