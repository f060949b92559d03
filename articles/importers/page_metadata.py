"""A web page's title, publication date and publisher, read from what the page says about itself.

Each comes from several places that often disagree: JSON-LD, Open Graph and other <meta> tags, the
<h1>, the <title>, <time> elements, a "Published ..." line. The rules, measured on the real pages in
benchmarks/real_pages/ (benchmarks/extraction_quality.py):

- the published date wins over the modified one, and a date with its time of day over the same date
  without it; a date before 1995 or in the future is a CMS placeholder ("0001-01-01"), not a date;
- a title is a headline the page gives in at least two places (a broken JSON-LD headline such as the
  CMS's name "escenic" agrees with nothing), without the site's name, section or date appended to it
  ("Headline | DW | 19.01.2020");
- the publisher is the site's name that matches its address, before a section name ("U.S.") or the
  owning company ("Tamedia AG").
"""

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import lxml.html

from articles.dates import parse_published

# schema.org types whose datePublished and headline are the page's own (not a video's or an image's).
ARTICLE_TYPE = re.compile(r"(?:Article|Posting|Report|NewsArticle|Review|WebPage)$")
PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "dc.date.issued",
    "dcterms.issued",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
)
# Generic names that some sites fill with the time the page was made or last changed: taken last.
GENERIC_DATE_META = ("dc.date", "date")
PUBLISHED_LINE = re.compile(
    r"\b(?:Published|Posted|Veröffentlicht|Publiziert|Publié|Stand)\b:?\s*(?:on\s+)?([^|\n]{6,60}?)\s*(?:\||Updated|Uhr|$)",
    re.IGNORECASE,
)
HAS_TIME = re.compile(r"\d{1,2}:\d{2}")
DATE_SEGMENT = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$")
DOTTED_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
DOTTED_IN_TEXT = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
# Separators between a headline and what sites append to it; a colon or a hyphen inside a word is not one.
SEPARATOR = re.compile(r"\s*\|\s*|\s+[-–—·•:]{1,2}\s+")
EARLIEST = datetime(1995, 1, 1, tzinfo=UTC)
MIN_AGREEMENT = 0.5


@dataclass
class PageMetadata:
    title: str
    published: str  # as the page writes it, read by articles.dates like every other format's date
    publisher: str


def read_metadata(tree: lxml.html.HtmlElement, *, url: str, fallback_date: str, fallback_site: str) -> PageMetadata:
    """The page's metadata; `fallback_*` are the general extractor's guesses, used when the page says nothing."""
    linked = _jsonld_article(tree)
    host = _host_label(url or _meta(tree, "og:url") or "")
    sites = [name for name in (_meta(tree, "og:site_name"), _publisher_name(linked)) if name]
    title, title_site, title_date = _title(tree, linked, sites, host)
    publisher = _publisher([*sites, _meta(tree, "application-name"), fallback_site, title_site], host=host)
    published = _published(tree, linked) or title_date or fallback_date
    return PageMetadata(title=title, published=published, publisher=publisher)


# --- JSON-LD ----------------------------------------------------------------------------------


def _jsonld_article(tree) -> dict:
    """The first JSON-LD object that describes the page's article (graphs and lists looked into)."""
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content(), strict=False)
        except ValueError:
            continue  # broken JSON-LD is common: the other sources still speak
        pending = [data]
        while pending:
            item = pending.pop(0)
            if isinstance(item, list):
                pending.extend(item)
            elif isinstance(item, dict):
                if "@graph" in item:
                    pending.extend(item["@graph"] if isinstance(item["@graph"], list) else [item["@graph"]])
                types = item.get("@type")
                types = types if isinstance(types, list) else [types]
                if any(isinstance(kind, str) and ARTICLE_TYPE.search(kind) for kind in types) and (
                    item.get("headline") or item.get("datePublished")
                ):
                    return item
    return {}


def _text(value) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        value = value.get("name", "")
    return " ".join(value.split()) if isinstance(value, str) else ""


def _publisher_name(linked: dict) -> str:
    return _text(linked.get("publisher"))


# --- Meta tags --------------------------------------------------------------------------------


def _meta(tree, name: str) -> str:
    for element in tree.iter("meta"):
        key = element.get("property") or element.get("name") or element.get("itemprop") or ""
        if key.lower() == name and element.get("content"):
            return " ".join(element.get("content").split())
    return ""


# --- Dates ------------------------------------------------------------------------------------


def _published(tree, linked: dict) -> str:
    """The first believable published date; a later one on the same day is taken when it has the time of day."""
    candidates = [
        _text(linked.get("datePublished")),
        *(_meta(tree, name) for name in PUBLISHED_META),
        *tree.xpath("//time[@itemprop='datePublished' or @pubdate]/@datetime"),
        *tree.xpath("(//article//time/@datetime | //time/@datetime)[1]"),
        *_published_lines(tree),
        *(_meta(tree, name) for name in GENERIC_DATE_META),
    ]
    first, first_at = "", None
    for candidate in candidates:
        at = _believable(candidate)
        if at is None:
            continue
        if first_at is None:
            first, first_at = candidate, at
            if HAS_TIME.search(candidate):
                return candidate
        elif HAS_TIME.search(candidate) and at.date() == first_at.date():
            return candidate
    return first


def _published_lines(tree) -> list[str]:
    """ "Published 7:07 PM EST Nov 19, 2019" in the page's text: the date a reader sees."""
    found = []
    words = ("ublish", "osted", "ffentlicht", "ubliziert", "Stand")
    condition = " or ".join(f"contains(., '{word}')" for word in words)
    for text in tree.xpath(f"//body//text()[{condition}]"):
        match = PUBLISHED_LINE.search(" ".join(text.split()))
        if match:
            line = match[1].replace(" at ", " ").replace("a.m.", "am").replace("p.m.", "pm")
            # 03.04.2020 is the 3rd of April: written out, so that it is not read month first.
            found.append(DOTTED_IN_TEXT.sub(lambda day: f"{day[3]}-{int(day[2]):02}-{int(day[1]):02}", line))
    return found[:3]


def _believable(value: str) -> datetime | None:
    if not value or not re.search(r"\d{4}", value):
        return None
    try:
        at = parse_published(value)
    except ValueError:
        return None
    if not EARLIEST <= at <= datetime.now(UTC) + timedelta(days=1):
        return None
    return at


# --- Title ------------------------------------------------------------------------------------


def _title(tree, linked: dict, sites: list[str], host: str) -> tuple[str, str, str]:
    """(headline, the site name its <title> ended with, a date appended to it as dd.mm.yyyy ISO)."""
    sources = [
        _meta(tree, "og:title"),
        _text(linked.get("headline")),
        next((text for text in (_squash(h.text_content()) for h in tree.iter("h1")) if text), ""),
        _squash(" ".join(tree.xpath("//head/title[1]//text()") or tree.xpath("(//title)[1]//text()"))),
        _meta(tree, "twitter:title"),
    ]
    site, date = "", ""
    cleaned = []
    for text in sources:
        headline, found_site, found_date = strip_site_suffix(text, sites, host)
        site, date = site or found_site, date or found_date
        cleaned.append(headline)
    names = {_key(name) for name in sites if name}
    usable = [text for text in cleaned if text and _key(text) not in names]
    for index, text in enumerate(usable):
        others = usable[:index] + usable[index + 1 :]
        if not others or any(_agree(text, other) for other in others):
            return _shortest_form(text, others), site, date
    return (usable[0] if usable else ""), site, date


def strip_site_suffix(title: str, sites: list[str], host: str) -> tuple[str, str, str]:
    """ "Headline | Section | DW | 19.01.2020" -> ("Headline | Section", "DW", "2020-01-19")."""
    parts = SEPARATOR.split(title)
    seps = SEPARATOR.findall(title)
    site, date = "", ""
    while len(parts) > 1:
        last = parts[-1].strip()
        if DATE_SEGMENT.match(last):
            dotted = DOTTED_DATE.match(last)
            date = date or (f"{dotted[3]}-{int(dotted[2]):02}-{int(dotted[1]):02}" if dotted else "")
        elif _is_site(last, sites, host):
            site = site or last
        else:
            break
        parts.pop()
        seps.pop()
    return "".join(part + sep for part, sep in zip(parts, [*seps, ""], strict=True)).strip(), site, date


def _is_site(segment: str, sites: list[str], host: str) -> bool:
    key = _key(segment)
    if not key:
        return False
    names = [_key(name) for name in sites if name]
    if any(key == name or name.startswith(key) or key.startswith(name) for name in names):
        return True
    return _names_host(key, host) and len(segment.split()) <= 4


def _names_host(key: str, host: str) -> bool:
    """ "abc13houston" names abc13.com, "corkbeo" corkbeo.ie; "us" (a section) does not name reuters.com."""
    return bool(host) and (host in key or (len(key) >= 4 and key in host))


def _shortest_form(text: str, others: list[str]) -> str:
    """A headline another source gives alone, when this one is that headline with more appended."""
    for other in sorted(others, key=len):
        if len(other.split()) >= 3 and text != other and text.startswith(other) and SEPARATOR.match(text[len(other) :]):
            return other
    return text


def _agree(one: str, other: str) -> bool:
    words, others = set(_words(one)), set(_words(other))
    return bool(words and others) and len(words & others) / min(len(words), len(others)) >= MIN_AGREEMENT


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def _key(text: str) -> str:
    key = "".join(_words(text))
    return key.removeprefix("the") if len(key) > 6 else key


def _squash(text: str) -> str:
    return " ".join(text.split())


# --- Publisher --------------------------------------------------------------------------------


def _publisher(candidates: list[str], *, host: str) -> str:
    """The first name that matches the site's address; else the first that is a name at all."""
    names = [_squash(name) for name in candidates if _is_name(name)]
    matching = [name for name in names if _names_host(_key(name), host)]
    # "usatoday" (og:site_name) and "USA TODAY" (JSON-LD) both name usatoday.com; the one written as a name wins.
    return next((name for name in matching if not name.islower()), None) or next(iter(matching + names), "")


def _is_name(value: str) -> bool:
    value = (value or "").strip()
    return len(value) >= 2 and not value.startswith("@") and "://" not in value and not value.startswith("www.")


def _host_label(url: str) -> str:
    """The name in a site's address: "tagesspiegel" for www.tagesspiegel.de, "sky" for news.sky.com."""
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    labels = host.split(".")
    if len(labels) >= 3 and len(labels[-2]) <= 3 and labels[-2] in ("co", "com", "org", "net", "gov", "ac"):
        return labels[-3]
    return labels[-2] if len(labels) >= 2 else ""
