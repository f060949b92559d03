"""A claim's suggestions kept in Django's cache (Redis with REDIS_URL, else each process's memory), under
everything they are worked out from, so that asking again for them (the claim page's script fetches them
each time the page is shown) costs a cache read instead of a search and its scoring:

- the claim: its id, version (moved on by every change to it, its sources included: the passages already
  linked are left out) and its quote and wording, whose digest is part of the key too;
- the passages: `PassagesRevision`, which the database moves on in the transaction of every passage written
  or deleted, article added, deleted or given a new version (the claim's own article's newest version is
  left out) and embedding stored;
- how they are ranked: the mode (text, or text and meaning) and how many are asked for, and FORMAT.

What is kept is which passages, in which order, with their scores, snippets and hints; the passages and
their articles (title, publisher) are read anew each time, so an article's title edited since shows as it is
now. A passage gone since is left out, as a fresh search leaves it out."""

import hashlib

from django.core.cache import cache
from django.utils.safestring import mark_safe

from articles.models import Passage, PassagesRevision
from claims import semantic
from claims.suggestions import Suggestion, suggestions_for_claim

FORMAT = 1  # what the kept rows hold and how they were scored: move it on when either changes
KEPT_FOR = 7 * 24 * 3600  # a key never comes back once anything it names moves on: this only frees memory


def kept_suggestions(claim, *, limit: int) -> list[Suggestion]:
    """`suggestions_for_claim(claim, limit=limit)`, from the cache when nothing it depends on changed since."""
    key = _key(claim, limit)
    kept = cache.get(key)
    if kept is None:
        found = suggestions_for_claim(claim, limit=limit)
        cache.set(
            key,
            [(s.passage.pk, s.score, str(s.snippet), s.stance_hint, s.conflict, s.by_meaning) for s in found],
            KEPT_FOR,
        )
        return found
    passages = (
        Passage.objects.select_related("article")
        .defer("article__body", "article__raw")
        .in_bulk([row[0] for row in kept])
    )
    return [
        Suggestion(
            passage=passages[pk],
            score=score,
            snippet=mark_safe(snippet),  # noqa: S308 - escaped when it was made (claims.suggestions.snippet)
            stance_hint=hint,
            conflict=conflict,
            by_meaning=by_meaning,
        )
        for pk, score, snippet, hint, conflict, by_meaning in kept
        if pk in passages
    ]


def _key(claim, limit: int) -> str:
    # The revision is read first: a change that commits after it was read moves it on for the next reader.
    revision = PassagesRevision.current()
    text = hashlib.sha256(f"{claim.quote}\0{claim.wording}".encode()).hexdigest()[:32]
    return f"suggestions:{FORMAT}:{semantic.mode()}:{limit}:{claim.pk}:{claim.version}:{text}:{revision}"
