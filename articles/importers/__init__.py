"""The importer registry: every record of every file, each parsed by the format its content (then name) shows.

    for result in records(sources, limits=Limits.from_settings()):
        ...  # an ArticleDraft to store, or a Rejected saying which file, record and line, and why

Files are read as streams and never whole when they can hold many records; sizes are checked before
anything is read and counted while reading. One bad record never stops the others.
"""

import logging
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import PurePosixPath

from articles.importers import csv_table, html_page, json_array, json_object, jsonl, plain_text, zip_archive
from articles.importers.base import ArticleDraft, Limits, RecordError, Rejected, Source, build_draft, human_size
from articles.importers.encodings import bom_of
from articles.importers.streams import Counted, Opened, TooLarge

__all__ = ["ArticleDraft", "Limits", "Rejected", "Source", "build_draft", "detect", "records"]

logger = logging.getLogger(__name__)

PARSERS: dict[str, Callable[[Opened, Limits], Iterator[ArticleDraft | Rejected]]] = {
    "json object": json_object.parse,
    "json array": json_array.parse,
    "jsonl": jsonl.parse,
    "csv": csv_table.parse,
    "html": html_page.parse,
    "text": plain_text.parse,
}
EXTENSIONS = {
    ".json": "json object",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".tsv": "csv",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}
SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x7fELF", "a program"),
    (b"OggS", "an Ogg media file"),
    (b"wOFF", "a web font"),
)
ZIPPED_DOCUMENTS = {  # zip files inside, but documents to convert rather than archives of articles
    ".docx": "a Word document",
    ".xlsx": "an Excel workbook",
    ".pptx": "a PowerPoint presentation",
    ".odt": "an OpenDocument text",
    ".ods": "an OpenDocument spreadsheet",
    ".epub": "an EPUB book",
}
# Headers that open an e-mail message (RFC 822 / 5322): two of them before the first blank line make one.
MAIL_HEADERS = {
    "from", "to", "cc", "subject", "date", "received", "return-path", "message-id", "mime-version",
    "delivered-to", "reply-to", "content-type", "x-mailer", "dkim-signature", "sender",
}  # fmt: skip
MAIL_HEADER = re.compile(r"^([A-Za-z][A-Za-z0-9-]*):[ \t]")
FEED_ROOT = re.compile(r"<(rss|rdf:RDF|feed)\b", re.IGNORECASE)
ALLOWED_CONTROLS = b"\t\n\x0c\r\x1b"
CONTROL_SAMPLE = 8192


def records(sources: Iterable[Source], *, limits: Limits) -> Iterator[ArticleDraft | Rejected]:
    """Every record of every source, in order, streaming: never the whole of a large file in memory."""
    for source in sources:
        yield from _source_records(source, limits)


def _source_records(source: Source, limits: Limits) -> Iterator[ArticleDraft | Rejected]:
    archive = _extension(source.name) == ".zip"
    cap = limits.max_archive_bytes if archive else limits.max_file_bytes
    if source.size > cap:
        per = "archive" if archive else "file"
        yield Rejected(
            source.name, None, None, f"file is {human_size(source.size)}; the limit is {human_size(cap)} per {per}"
        )
        return
    try:
        with source.open() as raw:
            counted = Counted(raw, cap=cap)
            if not zip_archive.is_zip(counted.head):
                yield from _parse(source.name, counted, limits)
            elif _extension(source.name) in ZIPPED_DOCUMENTS:
                kind = ZIPPED_DOCUMENTS[_extension(source.name)]
                yield Rejected(source.name, None, None, f"{kind}, not an article file: save it as text, HTML or CSV")
            else:
                yield from zip_archive.parse(source.name, raw, limits, _parse)
    except TooLarge as exc:
        yield Rejected(source.name, None, None, str(exc))
    except OSError as exc:
        yield Rejected(source.name, None, None, f"could not be read ({exc.strerror or exc})")


def _parse(name: str, counted: Counted, limits: Limits) -> Iterator[ArticleDraft | Rejected]:
    """One file (or archive member) already opened: sniffed, then parsed record by record."""
    try:
        kind = detect(name, counted.head, complete=counted.complete)
    except RecordError as exc:
        yield Rejected(name, None, None, str(exc))
        return
    try:
        yield from PARSERS[kind](Opened.from_counted(name, counted), limits)
    except (TooLarge, OSError, EOFError, zipfile.BadZipFile, zlib.error):
        raise  # the caller knows whether a file or an archive member failed, and what that stops
    except UnicodeDecodeError as exc:
        # UTF-16 and UTF-32 files are decoded as they stream, so a bad byte shows up here.
        yield Rejected(name, None, None, f"not valid {exc.encoding} text ({exc.reason})")
    except Exception:
        # A parser's bug, or a library's, must not end the import of every file after this one.
        logger.exception("importing %s failed", name)
        yield Rejected(name, None, None, "could not be read: unexpected error (the details are in the server log)")


def detect(name: str, head: bytes, *, complete: bool) -> str:
    """The format of a file from its first bytes, then its name; RecordError for what is not an article file."""
    _refuse_binary(head)
    found = bom_of(head)
    text = head[len(found[0]) :].decode(found[1], errors="ignore") if found else head.decode("utf-8", errors="replace")
    if complete and not text.strip():
        raise RecordError("empty file")
    extension = _extension(name)
    start = text.lstrip()[:1]
    if start == "[":
        return "json array"
    if start == "{":
        return "jsonl" if extension in (".jsonl", ".ndjson") or _looks_like_jsonl(text) else "json object"
    if start == "<":
        if html_page.looks_like_html(text) or EXTENSIONS.get(extension) == "html":
            return "html"
        if text.lstrip().startswith(("<?xml", "<rss", "<feed", "<rdf:RDF")):
            raise RecordError(_xml_kind(text))
    if extension in (".eml", ".mbox", ".msg") or _looks_like_mail(text):
        raise RecordError(
            "this is an e-mail message (RFC 822), not an article: save the article it carries as a page or text"
        )
    if extension in EXTENSIONS:
        return EXTENSIONS[extension]
    if csv_table.looks_like_csv(text.lstrip().split("\n", 1)[0]):
        return "csv"
    return "text"


def _refuse_binary(head: bytes) -> None:
    for signature, kind in SIGNATURES:
        if head.startswith(signature):
            raise RecordError(f"binary file ({kind}), not text")
    if head[4:8] == b"ftyp":
        raise RecordError("binary file (a video or photo), not text")
    if head.startswith(b"RIFF") and head[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        raise RecordError("binary file (a WebP image, WAV sound or AVI video), not text")
    if bom_of(head):
        return
    sample = head[:CONTROL_SAMPLE]
    controls = sum(1 for byte in sample if byte < 0x20 and byte not in ALLOWED_CONTROLS)
    # A stray NUL in text is dropped later; a file made largely of control bytes is not text at all.
    if controls >= 4 and controls > len(sample) * 0.05:
        if sample[1::2].count(0) > len(sample) * 0.4 or sample[0::2].count(0) > len(sample) * 0.4:
            raise RecordError("binary file, or UTF-16 text without a byte order mark (save it as UTF-8)")
        raise RecordError("binary file, not text")


def _xml_kind(text: str) -> str:
    root = FEED_ROOT.search(text[:4096])
    if root:
        kind = "an Atom feed" if root[1].lower() == "feed" else "an RSS feed"
        return (
            f"this is {kind} (an XML document, not an HTML page): a feed lists articles; "
            "import the articles' own pages or an export of them"
        )
    return "an XML document, not an HTML page"


def _looks_like_mail(text: str) -> bool:
    """Header lines ("From: ...", "Subject: ...", folded continuations) up to the first blank line."""
    names = set()
    for line in text.lstrip().split("\n")[:60]:
        line = line.rstrip("\r")
        if not line:
            break
        header = MAIL_HEADER.match(line)
        if header:
            names.add(header[1].lower())
        elif not (line.startswith((" ", "\t")) or (not names and line.startswith("From "))):
            return False
    return len(names & MAIL_HEADERS) >= 2


def _looks_like_jsonl(text: str) -> bool:
    """One object per line: the first line closes its object and the next non-blank line opens one."""
    lines = [line.strip() for line in text.split("\n")]
    lines = [line for line in lines if line]
    return len(lines) > 1 and lines[0].endswith("}") and lines[1].startswith("{")


def _extension(name: str) -> str:
    return PurePosixPath(name).suffix.lower()
