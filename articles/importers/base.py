"""What every importer produces: one ArticleDraft per record, or a RecordError saying why not."""

from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError

from articles.dates import parse_published
from articles.models import Article, http_url
from articles.text import clean_article


class RecordError(Exception):
    """A record that cannot become an article; the message is shown to the person importing."""


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


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was read with."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        raise RecordError(f"not UTF-8 text (undecodable byte at position {exc.start})") from exc


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
    url = url.strip()
    if url:
        try:
            http_url(url)
        except ValidationError as exc:
            raise RecordError(f"url {url!r} is not an http or https address") from exc

    title = " ".join(title.split())
    title, title_publisher = split_publisher_suffix(title, url)
    cleaned = clean_article(text, title=title)
    if not cleaned.body:
        raise RecordError("no article text left after cleaning")

    warnings = []
    published_at = None
    if published.strip():
        try:
            published_at = parse_published(published)
        except ValueError as exc:
            warnings.append(f"{exc}; imported without a date")

    title_limit = Article._meta.get_field("title").max_length
    if len(cleaned.title) > title_limit:
        raise RecordError(f"title is {len(cleaned.title)} characters long; the limit is {title_limit}")

    return ArticleDraft(
        title=cleaned.title,
        title_inferred=cleaned.title_inferred,
        body=cleaned.body,
        raw=raw,
        raw_encoding=raw_encoding,
        origin_file=origin_file,
        origin_record=origin_record,
        url=url,
        publisher=" ".join(publisher.split()) or title_publisher or cleaned.publisher or _host(url),
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
