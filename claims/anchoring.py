"""Where a claim sits in its article: W3C TextQuoteSelector (quote, prefix, suffix) and
TextPositionSelector (start, end), and how the reader shows claims as highlights."""

import re
from bisect import bisect_left, insort
from dataclasses import dataclass, field

from articles.text import blocks
from claims.models import PREFIX_SUFFIX_LENGTH


class AnchorError(ValueError):
    """The selection cannot anchor a claim; the message says why, for the person tagging."""


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str


def anchor_at(body: str, start: int, end: int) -> Anchor:
    """The anchor for body[start:end], trimmed of surrounding white space."""
    if not 0 <= start < end <= len(body):
        raise AnchorError(f"The selection {start}-{end} is outside the article text (0-{len(body)}).")
    text = body[start:end]
    start += len(text) - len(text.lstrip())
    end -= len(text) - len(text.rstrip())
    if start >= end:
        raise AnchorError("The selection holds no words.")
    return Anchor(
        start=start,
        end=end,
        quote=body[start:end],
        prefix=body[max(0, start - PREFIX_SUFFIX_LENGTH) : start],
        suffix=body[end : end + PREFIX_SUFFIX_LENGTH],
    )


def anchor_for_quote(body: str, quote: str) -> Anchor:
    """Find pasted words in the body, whatever white space they were copied with; they must occur once."""
    words = quote.split()
    if not words:
        raise AnchorError("Enter the words of the article that make the claim.")
    pattern = re.compile(r"\s+".join(re.escape(word) for word in words))
    matches = list(pattern.finditer(body))
    if not matches:
        raise AnchorError("These words do not appear in the article. Copy them exactly from the text.")
    if len(matches) > 1:
        raise AnchorError(f"These words appear {len(matches)} times in the article; add a few more words.")
    return anchor_at(body, matches[0].start(), matches[0].end())


def check_anchor(body: str, *, start: int, end: int, quote: str) -> None:
    if body[start:end] != quote:
        raise AnchorError("The claim's offsets do not slice the article to its quote.")


# --- Highlights in the reader ------------------------------------------------------------------


@dataclass
class Segment:
    text: str
    claims: list = field(default_factory=list)  # innermost (shortest) claim first

    @property
    def claim(self):
        return self.claims[0] if self.claims else None


@dataclass
class Item:
    start: int
    segments: list[Segment]


def highlighted_blocks(body: str, claims) -> list[tuple[str, list[Item]]]:
    """The reader's blocks, each item cut into segments at claim boundaries, overlaps included.

    One sweep along the text: a claim opens at its start and closes at its end, so the work grows with the
    claims and the text (and the marks written), never with claims times paragraphs.
    """
    ranked = sorted(claims, key=lambda c: (c.end - c.start, c.pk))  # innermost first
    starts = sorted((c.start, n) for n, c in enumerate(ranked))
    ends = sorted((c.end, n) for n, c in enumerate(ranked))
    opened = closed = 0
    covering: list[int] = []  # ranks of the claims covering the sweep's position, in order
    result = []
    for kind, items in blocks(body):
        marked = []
        for start, text in items:
            end = start + len(text)
            segments, left = [], start
            while left < end:
                while opened < len(starts) and starts[opened][0] <= left:
                    insort(covering, starts[opened][1])
                    opened += 1
                while closed < len(ends) and ends[closed][0] <= left:
                    covering.pop(bisect_left(covering, ends[closed][1]))
                    closed += 1
                right = min(_next(starts, opened, end), _next(ends, closed, end))
                segments.append(Segment(text[left - start : right - start], [ranked[n] for n in covering]))
                left = right
            marked.append(Item(start, segments))
        result.append((kind, marked))
    return result


def _next(events: list[tuple[int, int]], done: int, end: int) -> int:
    """The offset of the next event, or `end` when it lies beyond it or none is left."""
    return min(events[done][0], end) if done < len(events) else end


def position_in_article(body: str, start: int, end: int) -> str:
    """Where a span sits, as an editor would say it: "paragraph 3 of 12, under “Funding”" (the paragraphs and
    lists the reader shows, counted without subheadings), not character offsets."""
    first = last = None
    heading = ""
    count = 0
    for kind, items in blocks(body):
        block_start, block_end = items[0][0], items[-1][0] + len(items[-1][1])
        if kind == "h":
            if first is None and block_start < end:
                heading = items[0][1]
            continue
        count += 1
        if first is None and block_end > start:
            first = count
        if block_start < end:
            last = count
    first = first or count
    last = max(last or first, first)
    where = f"paragraph {first}" if first == last else f"paragraphs {first}–{last}"
    return f"{where} of {count}" + (f", under “{heading}”" if heading else "")


def word_in_paragraph(body: str, start: int) -> int:
    """Which word of its paragraph a span starts at (1 for the first), to tell two places in one paragraph apart."""
    return len(body[body.rfind("\n\n", 0, start) + 2 : start].split()) + 1
