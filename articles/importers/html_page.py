"""A saved web page: its main text found by trafilatura, its title, site name and date from its metadata
(page_metadata.py says which of the page's many candidates wins).

Pages are hostile input. Before extraction the parsed tree loses everything that runs or only
navigates (scripts, styles, frames, form controls, navigation), what is never shown (`hidden`), short
blocks named for sharing, related links, newsletters or paywalls, and every event-handler attribute and
javascript: link; trafilatura then sees article markup only and returns plain text, and the metadata
it reads is stripped of any markup it carried. Extraction works on the tree we parse, never on a URL,
so nothing is fetched. The text then goes through build_draft like every other format.
"""

import codecs
import re
from collections.abc import Iterator

import lxml.etree
import lxml.html

from articles.importers.base import ArticleDraft, Limits, RecordError, Rejected, build_draft, human_size
from articles.importers.encodings import bom_of, decode_whole, read_whole
from articles.importers.page_metadata import read_metadata
from articles.importers.streams import Opened
from articles.models import Article
from articles.text import CONTROL_CHARS

# Kept out of the tree before extraction: they run code, embed other documents, or only navigate.
UNSAFE = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "svg",
    "math",
    "canvas",
    "button",
    "select",
    "textarea",
    "input",
    "nav",
)
URL_LIMIT = Article._meta.get_field("url").max_length
UNSAFE_URL = re.compile(r"^\s*(?:javascript|vbscript|data):", re.IGNORECASE)
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
TAG = re.compile(r"<[^>]*>")
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
CONTROLS = re.compile(f"[{CONTROL_CHARS}]")
# Blocks around the article, by the names pages give them: related links, share buttons, newsletter and
# paywall boxes. Only a short block goes (BOILERPLATE_MAX_CHARS): a long one may be the article itself.
BOILERPLATE_NAME = re.compile(
    r"(?:^|[\s_-])(?:recirculation|related|share|sharing|social|newsletter|signup|promo|paywall|subscribe|"
    r"subscription|recommended|readmore|outbrain|taboola)(?:$|[\s_-])",
    re.IGNORECASE,
)
BOILERPLATE_MAX_CHARS = 300
HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*"
    r"<(?:!doctype\s+html|html|head|body|meta|title|article|main|section|div|p|h[1-6]|header|link|base)\b",
    re.IGNORECASE | re.DOTALL,
)


def looks_like_html(text: str) -> bool:
    return bool(HTML_START.match(text))


def parse(file: Opened, limits: Limits) -> Iterator[ArticleDraft | Rejected]:
    # A page is mostly scripts, styles and navigation around its article: the page has a limit of its own,
    # and the article's limit applies to the text extracted from it.
    whole = read_whole(file, limits, decode=_decode, limit=limits.max_raw_page_bytes, what="page")
    if isinstance(whole, Rejected):
        yield whole
        return
    data, text, encoding = whole
    try:
        draft = _draft(text, data=data, encoding=encoding, name=file.name)
    except RecordError as exc:
        yield Rejected(file.name, 1, None, str(exc))
        return
    size = len(draft.body.encode("utf-8"))
    if size > limits.max_article_bytes:
        limit = human_size(limits.max_article_bytes)
        yield Rejected(
            file.name, 1, None, f"the article extracted is {human_size(size)}; the limit is {limit} per article"
        )
        return
    yield draft


def _draft(text: str, *, data: bytes, encoding: str, name: str) -> ArticleDraft:
    import trafilatura  # imported here: it is heavy, and only HTML imports need it

    try:
        # Control characters go first, as they would from every field anyway: lxml refuses them in the text
        # it joins when an unsafe element is dropped ("\x1f<script></script>0").
        tree = lxml.html.document_fromstring(CONTROLS.sub("", XML_DECLARATION.sub("", text, count=1)))
    except (lxml.etree.ParserError, ValueError) as exc:
        raise RecordError(f"not readable as HTML: {exc}") from exc
    _make_safe(tree)
    document = trafilatura.bare_extraction(
        tree,
        fast=True,  # no fallback extractors: one deterministic pass
        include_comments=False,
        include_images=False,
        include_links=False,
        include_formatting=False,
        with_metadata=True,
        date_extraction_params={
            "extensive_search": False,
            "original_date": True,
            "outputformat": "%Y-%m-%dT%H:%M:%S%z",
        },
    )
    body = (document.text if document else "") or ""
    if not body.strip():
        raise RecordError("no article text found in the page")

    warnings = []
    url = _plain(document.url or "").strip()
    if url and (not url.lower().startswith(("http://", "https://")) or len(url) > URL_LIMIT):
        # The page's own canonical address is a hint, not the record: a bad one is dropped, not fatal.
        warnings.append(f"the page's own address {url[:80]!r} is not a usable http(s) URL; imported without it")
        url = ""
    metadata = read_metadata(tree, url=url, fallback_date=document.date or "", fallback_site=document.sitename or "")
    draft = build_draft(
        text=body,
        title=_plain(metadata.title or document.title or ""),
        url=url,
        publisher=_plain(metadata.publisher),
        published=metadata.published,
        raw=data,
        raw_encoding=encoding,
        origin_file=name,
        origin_record=1,
    )
    draft.warnings[:0] = warnings
    return draft


def _decode(data: bytes) -> tuple[str, str]:
    """By byte order mark, else by the page's <meta charset> when it reads, else like any text."""
    if not bom_of(data):
        declared = META_CHARSET.search(data[:4096])
        if declared:
            try:
                encoding = codecs.lookup(declared[1].decode("ascii")).name
                return data.decode(encoding), encoding
            except (LookupError, UnicodeDecodeError):
                pass  # a wrong declaration is common; detect instead
    return decode_whole(data)


def _make_safe(tree: lxml.html.HtmlElement) -> None:
    for form in tree.xpath("//form"):
        # Its controls go with UNSAFE; the form itself only wraps, and some sites wrap the whole page in one.
        form.drop_tag()
    for element in tree.xpath("|".join(f"//{tag}" for tag in UNSAFE) + "|//*[@hidden]"):
        if element.tag == "script" and (element.get("type") or "").lower() == "application/ld+json":
            continue  # structured metadata (headline, publisher, date), never run
        element.drop_tree()
    for element in tree.xpath("//body//*[@class or @id]"):
        names = f"{element.get('class', '')} {element.get('id', '')}"
        if BOILERPLATE_NAME.search(names) and _is_short(element):
            element.drop_tree()
    for element in tree.iter(lxml.etree.Element):
        for attribute, value in element.attrib.items():
            if attribute.lower().startswith("on") or UNSAFE_URL.match(value):
                del element.attrib[attribute]


def _is_short(element: lxml.html.HtmlElement) -> bool:
    """At most BOILERPLATE_MAX_CHARS of text, counted only that far: nested blocks must not cost the page squared."""
    size = 0
    for text in element.itertext():
        size += len(text.strip())
        if size > BOILERPLATE_MAX_CHARS:
            return False
    return True


def _plain(value: str) -> str:
    """Metadata as plain text: a title can carry markup ("<script>" escaped in <title>, or in og:title)."""
    if "<" not in value:
        return value
    try:
        fragment = lxml.html.fragment_fromstring(value, create_parent="div")
    except (lxml.etree.ParserError, ValueError, AssertionError):
        # lxml asserts that a fragment makes one body: a title "<html>" makes none, "</body><body>" two.
        return TAG.sub(" ", value)
    for element in fragment.xpath("|".join(f".//{tag}" for tag in UNSAFE)):
        element.drop_tree()
    return fragment.text_content()
