"""What importers read and produce: Sources in, one ArticleDraft or Rejected per record out."""

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError

from articles.dates import parse_published
from articles.models import Article, http_url
from articles.text import clean_article, normalise

KiB = 1024
MiB = 1024 * KiB


class RecordError(Exception):
    """A record that cannot become an article; the message is shown to the person importing."""


@dataclass(frozen=True)
class Source:
    """One file to import, not yet read: its name as the user knows it, its size, a way to open it."""

    name: str
    size: int
    open: Callable[[], BinaryIO]

    @classmethod
    def from_path(cls, path: Path, name: str) -> "Source":
        return cls(name=name, size=path.stat().st_size, open=lambda: path.open("rb"))

    @classmethod
    def from_bytes(cls, name: str, data: bytes) -> "Source":
        return cls(name=name, size=len(data), open=lambda: io.BytesIO(data))


@dataclass
class Rejected:
    """A record (or a whole file, record None) that did not become an article, and why."""

    file: str
    record: int | None
    line: int | None
    error: str


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 50 * MiB
    max_article_bytes: int = 1 * MiB
    max_archive_bytes: int = 500 * MiB
    max_archive_members: int = 10_000
    max_raw_page_bytes: int = 10 * MiB  # a web page as saved: the article's limit applies to its extracted text

    @classmethod
    def from_settings(cls) -> "Limits":
        return cls(
            max_file_bytes=getattr(settings, "WORKBENCH_IMPORT_MAX_FILE_BYTES", cls.max_file_bytes),
            max_article_bytes=getattr(settings, "WORKBENCH_IMPORT_MAX_ARTICLE_BYTES", cls.max_article_bytes),
            max_raw_page_bytes=getattr(settings, "WORKBENCH_IMPORT_MAX_RAW_PAGE_BYTES", cls.max_raw_page_bytes),
            max_archive_bytes=getattr(settings, "WORKBENCH_IMPORT_MAX_ARCHIVE_BYTES", cls.max_archive_bytes),
            max_archive_members=getattr(settings, "WORKBENCH_IMPORT_MAX_ARCHIVE_MEMBERS", cls.max_archive_members),
        )


@dataclass
class ArticleDraft:
    title: str
    title_inferred: bool
    body: str
    raw: bytes
    origin_file: str
    origin_record: int
    url: str = ""
    publisher: str = ""
    published_at: datetime | None = None
    raw_encoding: str = "utf-8"
    warnings: list[str] = field(default_factory=list)


def human_size(size: int) -> str:
    """1536 -> "1.5 KiB": sizes in messages people read."""
    if size < KiB:
        return f"{size} bytes"
    for unit, scale in (("GiB", 1024 * MiB), ("MiB", MiB), ("KiB", KiB)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"
    raise AssertionError("unreachable")


def too_long(name: str, record: int | None, line: int | None, limits: Limits, size: int | None = None) -> Rejected:
    """The record is bigger than one article may be: rejected without reading it all."""
    where = f"line {line}: " if line else ""
    limit = human_size(limits.max_article_bytes)
    what = (
        f"is {human_size(size)}; the limit is {limit} per article"
        if size
        else f"is over the limit of {limit} per article"
    )
    return Rejected(name, record, line, f"{where}the article {what}")


def build_draft(
    *,
    text: str,
    raw: bytes,
    origin_file: str,
    origin_record: int,
    title: str = "",
    url: str = "",
    publisher: str = "",
    published: str = "",
    raw_encoding: str = "utf-8",
) -> ArticleDraft:
    """Clean the text and check the metadata every format shares."""
    # Every field, not only the body, loses control characters: PostgreSQL refuses NUL in text.
    url = normalise(url).strip()
    url_limit = Article._meta.get_field("url").max_length
    if len(url) > url_limit:
        raise RecordError(f"url is {len(url)} characters long; the limit is {url_limit}")
    if url:
        try:
            http_url(url)
        except ValidationError as exc:
            raise RecordError(f"url {url!r} is not an http or https address") from exc

    title = " ".join(normalise(title).split())
    title, title_publisher = split_publisher_suffix(title, url)
    cleaned = clean_article(text, title=title)
    if not cleaned.body:
        raise RecordError("no article text left after cleaning")

    warnings = []
    published_at = None
    published = normalise(published).strip()
    if published:
        try:
            published_at = parse_published(published)
        except ValueError as exc:
            warnings.append(f"{exc}; imported without a date")

    title_limit = Article._meta.get_field("title").max_length
    if len(cleaned.title) > title_limit:
        raise RecordError(f"title is {len(cleaned.title)} characters long; the limit is {title_limit}")

    publisher = " ".join(normalise(publisher).split()) or title_publisher or cleaned.publisher or _host(url)
    publisher_limit = Article._meta.get_field("publisher").max_length
    if len(publisher) > publisher_limit:
        warnings.append(f"publisher cut to {publisher_limit} characters (it had {len(publisher)})")
        publisher = publisher[:publisher_limit].rstrip()

    origin_limit = Article._meta.get_field("origin_file").max_length
    if len(origin_file) > origin_limit:
        # Deep folders in an archive: the end of the name says most about the file.
        warnings.append(f"file name shortened to its last {origin_limit} characters")
        origin_file = "…" + origin_file[-(origin_limit - 1) :]

    return ArticleDraft(
        title=cleaned.title,
        title_inferred=cleaned.title_inferred,
        body=cleaned.body,
        raw=raw,
        raw_encoding=raw_encoding,
        origin_file=origin_file,
        origin_record=origin_record,
        url=url,
        publisher=publisher,
        published_at=published_at,
        warnings=warnings,
    )


def split_publisher_suffix(title: str, url: str) -> tuple[str, str]:
    """ "Headline - NBC News" from nbcnews.com is the headline "Headline" by the publisher "NBC News"."""
    host = _host(url).replace(".", "").lower()
    for separator in (" - ", " | ", " — ", " – "):
        head, sep, suffix = title.rpartition(separator)
        if sep and head and host and "".join(suffix.split()).lower() in host:
            return head.strip(), suffix.strip()
    return title, ""


def _host(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")
