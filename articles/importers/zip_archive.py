"""Zip archives of any of the other formats, read member by member as streams.

Members are opened from the archive's directory, never extracted, so their names touch no file
system: a name like "../../evil.txt" is only shown, cleaned up. Before anything is decompressed the
member count and the declared sizes are checked; while reading, the bytes that actually come out are
counted against the same limits, so an archive that lies about its sizes is stopped as soon as it
passes them. Archives inside archives are not opened.
"""

import os
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from typing import BinaryIO

from articles.importers.base import ArticleDraft, Limits, Rejected, human_size
from articles.importers.streams import Budget, Counted, TooLarge

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
END_OF_DIRECTORY = b"PK\x05\x06"
ARCHIVE_EXTENSIONS = (".zip", ".gz", ".tgz", ".tar", ".bz2", ".xz", ".7z", ".rar", ".zst")

Parse = Callable[[str, Counted, Limits], Iterator[ArticleDraft | Rejected]]


def parse(name: str, stream: BinaryIO, limits: Limits, parse_member: Parse) -> Iterator[ArticleDraft | Rejected]:
    """Every record of every member; `parse_member` is the registry's sniff-and-parse for one file."""
    declared = _declared_member_count(stream)
    if declared is not None and declared > limits.max_archive_members:
        yield Rejected(name, None, None, _too_many(declared, limits))
        return
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, NotImplementedError) as exc:
        yield Rejected(name, None, None, f"not a readable zip archive ({exc})")
        return
    with archive:
        members = archive.infolist()
        if len(members) > limits.max_archive_members:
            yield Rejected(name, None, None, _too_many(len(members), limits))
            return
        total = sum(member.file_size for member in members)
        if total > limits.max_archive_bytes:
            yield Rejected(
                name,
                None,
                None,
                f"archive would decompress to {human_size(total)}; the limit is {human_size(limits.max_archive_bytes)}",
            )
            return
        budget = Budget(remaining=limits.max_archive_bytes, limit=limits.max_archive_bytes)
        for member in members:
            shown = safe_member_name(member.filename)
            if not shown or member.is_dir() or _is_hidden(shown):
                continue
            try:
                yield from _member(archive, member, f"{name}/{shown}", shown, limits, budget, parse_member)
            except TooLarge as exc:
                if not exc.whole_archive:
                    yield Rejected(f"{name}/{shown}", None, None, str(exc))
                    continue
                yield Rejected(f"{name}/{shown}", None, None, f"{exc}; the rest of the archive was not read")
                return


def _member(archive, member, name, shown, limits, budget, parse_member) -> Iterator[ArticleDraft | Rejected]:
    if member.flag_bits & 0x1:
        yield Rejected(name, None, None, "encrypted (password-protected) archive member; not imported")
        return
    if member.filename.lower().endswith(ARCHIVE_EXTENSIONS):
        yield Rejected(name, None, None, "an archive inside an archive is not opened; import it on its own")
        return
    if member.file_size > limits.max_file_bytes:
        yield Rejected(
            name,
            None,
            None,
            f"file is {human_size(member.file_size)}; the limit is {human_size(limits.max_file_bytes)} per file",
        )
        return
    renamed = shown != member.filename
    try:
        with archive.open(member) as raw:
            counted = Counted(raw, cap=limits.max_file_bytes, budget=budget)
            if counted.head.startswith(ZIP_MAGIC):
                yield Rejected(name, None, None, "an archive inside an archive is not opened; import it on its own")
                return
            for result in parse_member(name, counted, limits):
                if renamed and isinstance(result, ArticleDraft):
                    result.warnings.insert(0, f"archive member named {member.filename!r}; shown as {shown!r}")
                    renamed = False
                yield result
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError, ValueError) as exc:
        # A bad CRC is only known once the member is read through: records before it were yielded.
        # ValueError: a member's name in its own header that is not the UTF-8 it claims to be.
        yield Rejected(name, None, None, f"corrupt or unsupported archive member ({exc})")


def safe_member_name(name: str) -> str:
    """ "../../evil.txt" -> "evil.txt", "C:\\x\\a.txt" -> "x/a.txt": a name to show, never a path to write."""
    parts = name.replace("\\", "/").split("/")
    if parts and len(parts[0]) == 2 and parts[0][1] == ":":
        parts = parts[1:]
    return "/".join(part for part in parts if part not in ("", ".", ".."))


def _is_hidden(name: str) -> bool:
    return any(part.startswith(".") or part == "__MACOSX" for part in name.split("/"))


def _too_many(count: int, limits: Limits) -> str:
    return f"archive has {count:,} members; the limit is {limits.max_archive_members:,}"


def _declared_member_count(stream: BinaryIO) -> int | None:
    """The member count the archive's end record declares, read before zipfile loads the whole directory.

    zipfile builds an object per member on opening, so a directory of millions of tiny entries would
    cost memory before the count could be checked. 0xFFFF means "see the zip64 record": at least that.
    """
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    tail_size = min(size, 22 + 0xFFFF)  # the end record and the longest comment it may carry
    stream.seek(size - tail_size)
    tail = stream.read(tail_size)
    stream.seek(0)
    at = tail.rfind(END_OF_DIRECTORY)
    if at < 0 or at + 22 > len(tail):
        return None
    (count,) = struct.unpack_from("<H", tail, at + 10)
    return count


def is_zip(head: bytes) -> bool:
    return head.startswith(ZIP_MAGIC)
