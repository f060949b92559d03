"""Finding a claim again in a corrected version of its article.

A changed re-import of an article is a new version; each claim of the old version is looked up in the
new body by its quote, prefix and suffix: word for word first, then approximately with rapidfuzz. The
result says how sure we are and whether the quoted words changed, so a reviewer checks only what needs it.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from claims.anchoring import Anchor, anchor_at
from claims.models import PREFIX_SUFFIX_LENGTH

Span = tuple[int, int]

NOT_FOUND_BELOW = 0.6
# Several exact occurrences whose context cannot tell them apart: found, but someone should look.
AMBIGUOUS = 0.7
# How much better one occurrence's context must match than the next best's for full confidence.
CLEAR_MARGIN = 0.25
FUZZY_AT_MOST = 0.99  # 1.0 is kept for the quote found word for word
QUOTE_WEIGHT = 0.6  # of a fuzzy match's score; the rest is how well the prefix and suffix match
GOOD_ENOUGH = 0.85  # a fuzzy candidate scoring this well ends the search for others
# Where a lightly corrected quote now begins and ends, give or take this much of its length.
SLACK_SHARE = 0.3
MIN_SLACK = 20
NEAR_POSITION = 512  # characters either side of the old position searched first
CONTEXT_NEAR = (8, 16, PREFIX_SUFFIX_LENGTH)  # context lengths compared, next to the quote

# One character for one, so that offsets in the comparable text are offsets in the body.
_COMPARABLE = str.maketrans(
    {
        **dict.fromkeys("‘’‚‛′`", "'"),
        **dict.fromkeys("“”„‟″«»", '"'),
        **dict.fromkeys("‐‑‒–—―−", "-"),
        **dict.fromkeys("\t\n\r\f\v\u00a0\u2007\u202f\u2028\u2029", " "),
    }
)
_WORDS = re.compile(r"\w+")
_WORD_CHAR = re.compile(r"\w")


@dataclass(frozen=True)
class Reanchored:
    anchor: Anchor | None  # the claim's place in the new body, None when it was not found
    confidence: float  # 0.0 .. 1.0; below NOT_FOUND_BELOW, the best guess was not good enough
    method: str  # "exact", "exact-context", "fuzzy" or "not-found"
    quote_changed: bool  # the words at the new place differ from the old quote (white space aside)


def reanchor(
    new_body: str, *, quote: str, prefix: str, suffix: str, start: int, old_body_length: int | None = None
) -> Reanchored:
    """Where the claim quoted as `quote`, between `prefix` and `suffix` at `start` of the old body, is now."""
    words = quote.split()
    if not words or not new_body.strip():
        return Reanchored(None, 0.0, "not-found", True)
    expected = _expected_position(start, old_body_length, len(new_body))
    spans = _exact_spans(new_body, words, prefix, suffix)
    if len(spans) == 1:
        return _found(new_body, spans[0], words, 1.0, "exact")

    text = _comparable_body(new_body)
    prefix, suffix = prefix.translate(_COMPARABLE), suffix.translate(_COMPARABLE)
    if spans:
        return _pick_by_context(new_body, text, spans, words, prefix, suffix, expected)
    return _fuzzy(new_body, text, words, quote.strip().translate(_COMPARABLE), prefix, suffix, expected)


def _expected_position(start: int, old_body_length: int | None, new_length: int) -> int:
    if old_body_length:
        start = round(start * new_length / old_body_length)
    return min(max(start, 0), new_length)


def _found(body: str, span: Span, words: list[str], confidence: float, method: str) -> Reanchored:
    anchor = anchor_at(body, *span)
    return Reanchored(anchor, round(confidence, 3), method, anchor.quote.split() != words)


@lru_cache(maxsize=2)
def _comparable_body(body: str) -> str:
    # An article's claims are re-anchored one after another against the same new body.
    return body.translate(_COMPARABLE)


# --- Word for word -----------------------------------------------------------------------------


def _exact_spans(body: str, words: list[str], prefix: str, suffix: str) -> list[Span]:
    """Every place the quote's words occur in order, whatever white space now separates them.

    A quote that began or ended on a word boundary must still do so: "first" is not found in "firstt".
    """
    # Boundaries are checked here rather than with lookarounds: a pattern that opens with a literal
    # is searched for many times faster.
    pattern = re.compile(r"\s+".join(map(re.escape, words)))
    open_start = _WORD_CHAR.match(words[0][0]) and not (prefix and _WORD_CHAR.match(prefix[-1]))
    open_end = _WORD_CHAR.match(words[-1][-1]) and not (suffix and _WORD_CHAR.match(suffix[0]))
    spans, position = [], 0
    # search() rather than finditer(): occurrences may overlap ("ha ha" in "ha ha ha").
    while match := pattern.search(body, position):
        start, end = match.span()
        position = start + 1
        if open_start and start and _WORD_CHAR.match(body[start - 1]):
            continue
        if open_end and end < len(body) and _WORD_CHAR.match(body[end]):
            continue
        spans.append((start, end))
    return spans


def _pick_by_context(body, text, spans, words, prefix, suffix, expected) -> Reanchored:
    """The occurrence whose surroundings match the old prefix and suffix best; nearest the old place on a tie."""
    scored = sorted((_context(text, span, prefix, suffix), -abs(span[0] - expected), span) for span in spans)
    (runner_up, _, _), (best, _, span) = scored[-2], scored[-1]
    clarity = min(1.0, (best - runner_up) / CLEAR_MARGIN)
    return _found(body, span, words, AMBIGUOUS + (1 - AMBIGUOUS) * best * clarity, "exact-context")


def _context(text: str, span: Span, prefix: str, suffix: str) -> float:
    """How well the old prefix and suffix match the text around span, 0.0 .. 1.0.

    A prefix shorter than usual means the quote was near the start of the body; compared with a
    full-length slice, it matches fully only where the quote is as near the start now. Same at the end.
    """
    before = text[max(0, span[0] - PREFIX_SUFFIX_LENGTH) : span[0]]
    after = text[span[1] : span[1] + PREFIX_SUFFIX_LENGTH]
    return (_prefix_similarity(prefix, before) + _suffix_similarity(suffix, after)) / 2


# Counting most the characters next to the quote: otherwise a span that leaves out a word added to
# the quote ("more than 100") looks as good as one that takes it in, the word having moved to the prefix.
def _prefix_similarity(old: str, new: str) -> float:
    return sum(fuzz.ratio(old[-n:], new[-n:]) for n in CONTEXT_NEAR) / (100 * len(CONTEXT_NEAR))


def _suffix_similarity(old: str, new: str) -> float:
    return sum(fuzz.ratio(old[:n], new[:n]) for n in CONTEXT_NEAR) / (100 * len(CONTEXT_NEAR))


# --- Approximate -------------------------------------------------------------------------------


def _fuzzy(body, text, words, quote, prefix, suffix, expected) -> Reanchored:
    best, best_key, seen = None, None, set()
    for rough in _rough_spans(text, quote, prefix, suffix, expected):
        if rough in seen:
            continue
        seen.add(rough)
        candidate = _refine(text, quote, prefix, suffix, rough)
        if candidate is None:
            continue
        key = (candidate[0], -abs(candidate[1][0] - expected))
        if best_key is None or key > best_key:
            best, best_key = candidate, key
        if best[0] >= GOOD_ENOUGH:
            break
    if best is None:
        return Reanchored(None, 0.0, "not-found", True)
    span = best[1]
    confidence = min(FUZZY_AT_MOST, _confidence(text, quote, prefix, suffix, span))
    if confidence < NOT_FOUND_BELOW:
        return Reanchored(None, round(confidence, 3), "not-found", True)
    return _found(body, span, words, confidence, "fuzzy")


def _rough_spans(text: str, quote: str, prefix: str, suffix: str, expected: int) -> Iterator[Span]:
    """Places worth a closer look, cheapest first: near the old position, the best alignment anywhere,
    after the prefix, before the suffix, and between them when the quote itself changed a lot."""
    length = len(quote)
    reach = max(4 * length, NEAR_POSITION)
    yield _align(quote, text, expected - reach, expected + length + reach)
    yield _align(quote, text, 0, len(text))
    after_prefix = _align(prefix, text, 0, len(text))[1] if prefix else None
    if after_prefix is not None:
        yield _align(quote, text, after_prefix, after_prefix + 2 * length + PREFIX_SUFFIX_LENGTH)
    before_suffix = _align(suffix, text, 0, len(text))[0] if suffix else None
    if before_suffix is not None:
        yield _align(quote, text, before_suffix - 2 * length - PREFIX_SUFFIX_LENGTH, before_suffix)
    if after_prefix is not None and before_suffix is not None:
        if 0 < before_suffix - after_prefix <= 3 * length + PREFIX_SUFFIX_LENGTH:
            yield after_prefix, before_suffix


def _align(needle: str, text: str, lo: int, hi: int) -> Span:
    lo, hi = max(0, lo), min(len(text), hi)
    alignment = fuzz.partial_ratio_alignment(needle, text[lo:hi])
    return lo + alignment.dest_start, lo + alignment.dest_end


def _refine(text: str, quote: str, prefix: str, suffix: str, rough: Span) -> tuple[float, Span] | None:
    """The span between word boundaries near rough that best matches the quote and its context."""
    slack = max(MIN_SLACK, int(len(quote) * SLACK_SHARE))
    # An alignment cut short by the end of the text or of a search window may sit at either end.
    starts = _word_starts(text, min(rough[0], rough[1] - len(quote)) - slack, rough[0] + slack)
    ends = _word_ends(text, rough[1] - slack, max(rough[1], rough[0] + len(quote)) + slack)
    before = {s: _prefix_similarity(prefix, text[max(0, s - PREFIX_SUFFIX_LENGTH) : s]) for s in starts}
    after = {e: _suffix_similarity(suffix, text[e : e + PREFIX_SUFFIX_LENGTH]) for e in ends}
    best = None
    for s in starts:
        for e in ends:
            if e > s:
                quote_score = fuzz.ratio(quote, text[s:e]) / 100
                score = QUOTE_WEIGHT * quote_score + (1 - QUOTE_WEIGHT) * (before[s] + after[e]) / 2
                if best is None or score > best[0]:
                    best = (score, (s, e))
    return best


def _word_starts(text: str, lo: int, hi: int) -> list[int]:
    """Offsets where a word, or a run of other non-space characters, begins: a quote may open with “."""
    lo, hi = max(0, lo), min(len(text) - 1, hi)
    return [i for i in range(lo, hi + 1) if _boundary(text[i - 1] if i else " ", text[i])]


def _word_ends(text: str, lo: int, hi: int) -> list[int]:
    lo, hi = max(1, lo), min(len(text), hi)
    return [i for i in range(lo, hi + 1) if _boundary(text[i] if i < len(text) else " ", text[i - 1])]


def _boundary(outside: str, inside: str) -> bool:
    """Whether a span may begin or end between the character inside it and the one outside."""
    if inside.isspace():
        return False
    return outside.isspace() or (inside.isalnum() and not outside.isalnum())


def _confidence(text: str, quote: str, prefix: str, suffix: str, span: Span) -> float:
    """Characters forgive a fixed typo; words keep two unrelated sentences from looking alike by their letters."""
    found = text[span[0] : span[1]]
    characters = fuzz.ratio(quote, found) / 100
    words = fuzz.ratio(_WORDS.findall(quote.casefold()), _WORDS.findall(found.casefold())) / 100
    return QUOTE_WEIGHT * (characters + words) / 2 + (1 - QUOTE_WEIGHT) * _context(text, span, prefix, suffix)
