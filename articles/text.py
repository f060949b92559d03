"""Turning received text into the body editors read: hygiene, page-furniture removal, passages.

Scraped articles arrive wrapped in page furniture: ad-network lines, section labels, repeated
headlines, photo captions, "Previous article" teasers, publisher footers and comment boxes. Each kind
is one small named rule below. Rules look only where that furniture lives (the top of the page, the
tail, or a caption next to an image) so that article text is never removed for looking similar.
The raw input is always stored beside the body, so cleaning loses nothing.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum

BULLET = re.compile(r"^[•◦▪‣●*–-]\s+")
CONTROL_CHARS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
NO_BREAK_SPACES = "\u00a0\u2007\u202f"
STRAY_CHARS = re.compile(f"[{CONTROL_CHARS}{NO_BREAK_SPACES}]")
TERMINAL_PUNCTUATION = (".", "!", ":", ";", ",")
CLOSING_QUOTES = "”\"’')]"

AD_NETWORKS = {
    "adcash",
    "adsense",
    "adsterra",
    "bidvertiser",
    "clickadu",
    "exoclick",
    "hilltopads",
    "infolinks",
    "mgid",
    "outbrain",
    "popads",
    "propellerads",
    "revcontent",
    "taboola",
}
SECTION_LABEL = re.compile(r"^[A-Z][\w&]*(?: [\w&]+){0,2} ?\([A-Z][\w& ]{1,30}\)$")
IMAGE_FILE = re.compile(r"^\S+\.(?:jpe?g|png|gif|webp|avif|svg)$", re.IGNORECASE)
PHOTO_CREDIT = re.compile(r"\b(?:Photo|Photograph|Image|Picture)s?(?:\s*:|\s+(?:via|by|credit)\b)", re.I)
ADVERTISEMENT = re.compile(r"^(?:advertisement|sponsored content|ad)$", re.IGNORECASE)
COMMENT_BOX = re.compile(
    r"^(?:\d+\s+)?(?:comments?|no comments?|leave a (?:reply|comment)|add a comment|"
    r"your email address will not be published.*)$",
    re.IGNORECASE,
)
ARTICLE_NAV = re.compile(r"^(?:previous|next|prev)\s+(?:article|post|story)$", re.IGNORECASE)
# "QN Magazine | For the latest news ... visit qnews.com.au." opens the page's end matter.
PUBLISHER_FOOTER = re.compile(r"^(?P<publisher>[A-Z][\w .&'-]{1,40}?)\s+\|\s+\S")
TAIL_WINDOW = 12  # end matter (footer, author box, tags, comments) sits within the last lines
# Prompts a page puts between and after paragraphs: each pattern reads as an instruction to the reader,
# so it matches a line of its own, never a sentence of reporting. PROMPT_MAX_WORDS keeps them to short lines.
PROMPT_MAX_WORDS = 40
NEWSLETTER = re.compile(
    r"\bnewsletters?\b.*\b(?:sign(?:ing)? up|subscribe|abonnieren|inscri)|\b(?:sign(?:ing)? up|subscribe)\b.*\bnewsletters?\b"
    r"|^\[.*newsletter.*\]$|^you can unsubscribe\b",
    re.IGNORECASE,
)
RELATED_LINK = re.compile(
    r"^(?:read more|related|see also|more on this(?: story)?|also read|read also|recommended|"
    r"lesen sie auch|mehr zum thema|lire aussi|à lire aussi)\s*:",
    re.IGNORECASE,
)
SHARE_PROMPT = re.compile(
    r"^(?:like this story\?\s*)?share (?:it|this(?: article| story)?|on)\b|\bclick here\b|\btap here\b"
    r"|^follow (?:us|[\w ]{1,30} on (?:instagram|facebook|twitter|youtube|tiktok|linkedin|x))\b"
    r"|^listen to [\w ]{1,30} live\b",
    re.IGNORECASE,
)
PAYWALL_PROMPT = re.compile(
    r"^(?:subscribe to [\w ]{1,40}(?:premium|plus)|already a subscriber|to continue reading|"
    r"this (?:article|story) is (?:only )?for subscribers|become a (?:member|subscriber))\b",
    re.IGNORECASE,
)


class Rule(StrEnum):
    """Each furniture rule, by the name the README's cleaning table gives it (a test keeps them alike)."""

    AD_NETWORK_LINE = "ad-network line"
    ADVERTISEMENT_LABEL = "advertisement label"
    SECTION_LABEL = "section label"
    REPEATED_HEADLINE = "repeated headline"
    LEAD_PHOTO_CAPTION = "lead photo caption"
    IMAGE_FILE_NAME = "image file name"
    PHOTO_CREDIT = "photo credit in parentheses"
    PUBLISHER_FOOTER = "publisher footer"
    COMMENT_BOX = "comment box"
    TRAILING_PHOTO_CAPTION = "trailing photo caption"
    ARTICLE_NAVIGATION = "article navigation"
    NEWSLETTER_SIGN_UP = "newsletter sign-up"
    RELATED_LINK = "related link"
    SHARE_PROMPT = "share or follow prompt"
    PAYWALL_PROMPT = "paywall prompt"


HEADLINE_MAX_WORDS = 25
CAPTION_MAX_WORDS = 40
TITLE_MAX_CHARS = 120


@dataclass
class CleanedText:
    title: str
    title_inferred: bool
    body: str
    publisher: str = ""
    removed: list[tuple[Rule, str]] = field(default_factory=list)  # (rule, line), for reports


def normalise(text: str) -> str:
    """Unify line endings and spaces, drop control characters (PostgreSQL rejects NUL in text)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    # One pass for control characters and no-break spaces: scanning a long text is what costs here.
    text = STRAY_CHARS.sub(_unstray, text).replace("\t", " ")
    return unicodedata.normalize("NFC", text)


def _unstray(match: re.Match) -> str:
    # A no-break space looks like a space, so editors search and select it as one.
    return " " if match[0] in NO_BREAK_SPACES else ""


def content_hash(body: str) -> str:
    """Whitespace-insensitive fingerprint: the same text re-wrapped or re-saved is a duplicate."""
    return hashlib.sha256(" ".join(body.split()).encode("utf-8")).hexdigest()


def clean_article(text: str, *, title: str = "") -> CleanedText:
    """Clean scraped text. Without a given title, the first line is taken as headline if it looks like one."""
    lines = [line.strip() for line in normalise(text).split("\n")]
    lines = [line for line in lines if line]
    removed: list[tuple[Rule, str]] = []

    _drop_leading_furniture(lines, removed)
    title_inferred = False
    if not title and lines and _looks_like_headline(lines[0]):
        title = lines.pop(0)
    if title:
        _drop_repeated_headline(lines, title, removed)
        _drop_lead_caption(lines, removed)
    publisher = _drop_end_matter(lines, removed)
    _drop_images_and_captions(lines, removed)
    _drop_prompts(lines, removed)

    body = _join_blocks(lines)
    if not title:
        title, title_inferred = infer_title(body), True
    return CleanedText(title, title_inferred, body, publisher, removed)


def _drop_leading_furniture(lines: list[str], removed: list) -> None:
    while lines:
        line = lines[0]
        if _is_ad_network_line(line):
            removed.append((Rule.AD_NETWORK_LINE, lines.pop(0)))
        elif ADVERTISEMENT.match(line):
            removed.append((Rule.ADVERTISEMENT_LABEL, lines.pop(0)))
        elif SECTION_LABEL.match(line):
            removed.append((Rule.SECTION_LABEL, lines.pop(0)))
        else:
            return


def _is_ad_network_line(line: str) -> bool:
    words = re.split(r"[\s,|/·]+", line.lower().strip())
    return bool(words) and all(word in AD_NETWORKS for word in words)


def _looks_like_headline(line: str) -> bool:
    words = line.split()
    return len(words) <= HEADLINE_MAX_WORDS and not line.rstrip(CLOSING_QUOTES).endswith(TERMINAL_PUNCTUATION)


def _drop_repeated_headline(lines: list[str], title: str, removed: list) -> None:
    key = _comparable(title)
    while lines and _comparable(lines[0]) == key:
        removed.append((Rule.REPEATED_HEADLINE, lines.pop(0)))


def _comparable(text: str) -> str:
    return " ".join(text.casefold().split())


def _drop_lead_caption(lines: list[str], removed: list) -> None:
    """Right under the headline: the lead photo's caption, credit, or alt text ("Chechnya Gay Camps")."""
    while len(lines) > 1:
        line = lines[0]
        if _is_caption(line) or IMAGE_FILE.match(line):
            removed.append((Rule.LEAD_PHOTO_CAPTION, lines.pop(0)))
        elif _is_short_label(line) and not _is_short_label(lines[1]):
            removed.append((Rule.LEAD_PHOTO_CAPTION, lines.pop(0)))
        else:
            return


def _is_caption(line: str) -> bool:
    return len(line.split()) <= CAPTION_MAX_WORDS and bool(PHOTO_CREDIT.search(line))


def _is_short_label(line: str) -> bool:
    """A few words without closing punctuation: a caption, alt text, or a subheading."""
    return len(line.split()) <= 8 and not line.rstrip(CLOSING_QUOTES).endswith((".", "!", "?", ":", ";"))


def _drop_end_matter(lines: list[str], removed: list) -> str:
    """Strip the page's tail: publisher footer and all after it, comment boxes, next/previous teasers."""
    publisher = ""
    tail_start = max(0, len(lines) - TAIL_WINDOW)
    for index in range(tail_start, len(lines)):
        match = PUBLISHER_FOOTER.match(lines[index])
        if match:
            publisher = match["publisher"].strip()
            removed.extend((Rule.PUBLISHER_FOOTER, line) for line in lines[index:])
            del lines[index:]
            break

    while lines:
        line = lines[-1]
        if COMMENT_BOX.match(line):
            removed.append((Rule.COMMENT_BOX, lines.pop()))
        elif ADVERTISEMENT.match(line):
            removed.append((Rule.ADVERTISEMENT_LABEL, lines.pop()))
        elif _is_caption(line):
            removed.append((Rule.TRAILING_PHOTO_CAPTION, lines.pop()))
        elif ARTICLE_NAV.match(line):
            removed.append((Rule.ARTICLE_NAVIGATION, lines.pop()))
            # The teaser headline of the linked article sits just above its label.
            if lines and _looks_like_headline(lines[-1]) and not ARTICLE_NAV.match(lines[-1]):
                removed.append((Rule.ARTICLE_NAVIGATION, lines.pop()))
        else:
            break
    return publisher


def _drop_images_and_captions(lines: list[str], removed: list) -> None:
    """An image file name line, and the short caption line that follows it, anywhere in the text."""
    index = 0
    while index < len(lines):
        if IMAGE_FILE.match(lines[index]):
            removed.append((Rule.IMAGE_FILE_NAME, lines.pop(index)))
            if index < len(lines) and _is_short_label(lines[index]) and len(lines[index].split()) > 1:
                removed.append((Rule.IMAGE_FILE_NAME, lines.pop(index)))
        elif lines[index].startswith("(") and _is_caption(lines[index]):
            removed.append((Rule.PHOTO_CREDIT, lines.pop(index)))
        else:
            index += 1


PROMPTS = (
    (Rule.NEWSLETTER_SIGN_UP, NEWSLETTER),
    (Rule.RELATED_LINK, RELATED_LINK),
    (Rule.SHARE_PROMPT, SHARE_PROMPT),
    (Rule.PAYWALL_PROMPT, PAYWALL_PROMPT),
)


def _drop_prompts(lines: list[str], removed: list) -> None:
    """Newsletter boxes, "Read more:" links, share and follow buttons' text, paywall notices, anywhere."""
    kept = []
    for line in lines:
        rule = next((rule for rule, pattern in PROMPTS if pattern.search(line)), None)
        if rule and len(line.split()) <= PROMPT_MAX_WORDS:
            removed.append((rule, line))
        else:
            kept.append(line)
    lines[:] = kept


def _join_blocks(lines: list[str]) -> str:
    """Paragraphs are separated by a blank line; consecutive bullet items stay together as one list."""
    blocks: list[list[str]] = []
    for line in lines:
        if BULLET.match(line) and blocks and BULLET.match(blocks[-1][-1]):
            blocks[-1].append(line)
        else:
            blocks.append([line])
    return "\n\n".join("\n".join(block) for block in blocks)


def infer_title(body: str) -> str:
    """The first sentence, shortened at a word boundary when it is long."""
    first = next(iter(split_passages(body)), None)
    if first is None:
        return "Untitled article"
    sentence = first[2].rstrip(".")
    if len(sentence) <= TITLE_MAX_CHARS:
        return sentence
    return sentence[:TITLE_MAX_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def blocks(body: str) -> list[tuple[str, list[tuple[int, str]]]]:
    """The body as paragraphs ("p"), subheadings ("h") and bullet lists ("ul"), for the reader.

    Each block holds (offset, text) items whose text is exactly body[offset:offset + len(text)],
    so the reader can mark claims and the browser can turn a selection back into body offsets.
    """
    result = []
    offset = 0
    for block in body.split("\n\n"):
        lines = block.split("\n")
        if all(BULLET.match(line) for line in lines):
            items, line_offset = [], offset
            for line in lines:
                marker = BULLET.match(line).end()
                items.append((line_offset + marker, line[marker:]))
                line_offset += len(line) + 1
            result.append(("ul", items))
        elif result and _is_short_label(block) and not block.startswith(tuple("“\"‘'(")):
            result.append(("h", [(offset, block)]))
        else:
            result.append(("p", [(offset, block)]))
        offset += len(block) + 2
    return result


# --- Passages ---------------------------------------------------------------------------------

ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "st",
    "sr",
    "jr",
    "gen",
    "gov",
    "sen",
    "rep",
    "lt",
    "col",
    "sgt",
    "capt",
    "mt",
    "inc",
    "ltd",
    "co",
    "corp",
    "vs",
    "etc",
    "e.g",
    "i.e",
    "approx",
    "dept",
    "est",
    "fig",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
}
INITIALS = re.compile(r"(?:\b[A-Za-z]\.)*\b[A-Za-z]$")  # U.S, J, e.g. "J. K. Rowling", "the U.S. Army"
SENTENCE_END = re.compile(r"[.!?…]+[" + re.escape(CLOSING_QUOTES) + r"]*(?=\s+[“\"‘'(\[$£€]?[A-Z0-9])")


def split_passages(body: str) -> list[tuple[int, int, str]]:
    """Sentence spans (start, end, text) with offsets into body; every line break also ends one."""
    spans = []
    line_start = 0
    for line in body.split("\n"):
        start = 0
        for match in SENTENCE_END.finditer(line):
            if _ends_in_abbreviation(line, match.start()):
                continue
            spans.append(_span(line, start, match.end(), line_start))
            start = match.end()
        spans.append(_span(line, start, len(line), line_start))
        line_start += len(line) + 1
    return [span for span in spans if span[2]]


def _ends_in_abbreviation(line: str, stop: int) -> bool:
    """Whether the word before the full stop at `stop` is an abbreviation or initials ("Dr", "U.S")."""
    word = line[line.rfind(" ", 0, stop) + 1 : stop].lstrip("“\"‘'(")
    return word.lower() in ABBREVIATIONS or bool(word and INITIALS.fullmatch(word))


def _span(line: str, start: int, end: int, offset: int) -> tuple[int, int, str]:
    text = line[start:end]
    lead = len(text) - len(text.lstrip())
    text = text.strip()
    return (offset + start + lead, offset + start + lead + len(text), text)
