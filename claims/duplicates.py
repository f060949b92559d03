"""Same claim elsewhere: before an editor saves a claim, the claims that may already say it.

Three kinds, told apart for the editor: a claim whose quote overlaps the words in this article; a claim
in another article with the same quote (the same words, however they are spaced or capitalised); and a
claim with the same meaning, found among the claims on the passages that the suggestions rank highest for
the words, judged by the sentence model when it is installed. Saving is never refused: the editor may
open the claim found instead of making a duplicate, or make theirs anyway.
"""

import re
from dataclasses import dataclass

from django.db.models import Q

from articles.models import Article
from claims.models import Claim
from claims.semantic import mode, text_similarity
from claims.suggestions import suggest
from workbench.display import path_of, truncated

LIMIT = 5
PASSAGES_LOOKED_AT = 8
# How alike two wordings must be, in the sentence model's cosine similarity, to be told as one claim.
SAME_MEANING = 0.82
# Without the model: how well a passage must match the words for the claims on it to be mentioned.
LIKELY_MATCH = 0.5
WORD = re.compile(r"\w+")

OVERLAP, SAME_QUOTE, SAME_MEANING_KIND, SIMILAR = "overlap", "same quote", "same meaning", "similar passage"


@dataclass(frozen=True)
class Duplicate:
    kind: str
    reason: str  # in words, for the editor
    claim_id: int
    url: str
    wording: str
    article_title: str
    publisher: str

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "reason": self.reason,
            "id": self.claim_id,
            "url": self.url,
            "wording": self.wording,
            "article": self.article_title,
            "publisher": self.publisher,
        }


def normalised(quote: str) -> str:
    """A quote as compared: its words, lower case, without punctuation or the spacing between them."""
    return " ".join(WORD.findall(quote.casefold()))


def existing_claims(*, article: Article, quote: str, wording: str = "", start=None, end=None) -> list[Duplicate]:
    """Claims that may already say what the editor is about to tag: `quote` in `article` (at start..end when
    known, else wherever the words are), `wording` their own words. Best first, at most LIMIT."""
    if start is None or end is None:
        match = re.search(r"\s+".join(map(re.escape, quote.split())), article.body) if quote.split() else None
        start, end = (match.start(), match.end()) if match else (None, None)
    key = normalised(quote)
    if not key:
        return []
    fields = ("pk", "wording", "quote", "article__title", "article__publisher", "article_id", "start", "end")
    claims = Claim.objects.select_related("article").only(*fields)
    found: dict[int, Duplicate] = {}
    url = path_of("claims:detail")

    def add(claim, kind, reason):
        if claim.pk not in found:
            found[claim.pk] = Duplicate(
                kind=kind,
                reason=reason,
                claim_id=claim.pk,
                url=url(claim.pk),
                wording=truncated(claim.wording, 160),
                article_title=claim.article.title,
                publisher=claim.article.publisher,
            )

    if start is not None:
        for claim in claims.filter(article=article, start__lt=end, end__gt=start).order_by("start", "pk")[:LIMIT]:
            same = normalised(claim.quote) == key
            add(claim, OVERLAP, "the same words, in this article" if same else "overlapping words, in this article")
    # The same words in another article: the quote as it stands (an indexed equality), then, below, any
    # spelling of it on the passages the search finds.
    for claim in claims.filter(quote=quote.strip()).exclude(article=article).order_by("pk")[:LIMIT]:
        add(claim, SAME_QUOTE, "the same words, in another article")
    if len(found) < LIMIT:
        _same_elsewhere(claims, article, key, wording or quote, add)
    return list(found.values())[:LIMIT]


def _same_elsewhere(claims, article: Article, key: str, text: str, add) -> None:
    """Claims on the passages of other articles that best match the words: the same quote respelled, or,
    with the sentence model, the same meaning (without it, a close match of the passage)."""
    suggestions = suggest(text, exclude_article_ids=[article.pk], limit=PASSAGES_LOOKED_AT)
    if not suggestions:
        return
    near = Q()
    for suggestion in suggestions:
        passage = suggestion.passage
        near |= Q(article_id=passage.article_id, start__lt=passage.end, end__gt=passage.start)
    score = {}
    for suggestion in suggestions:
        score.setdefault(suggestion.passage.article_id, []).append(suggestion)
    semantic = mode() == "semantic"
    for claim in claims.filter(near).order_by("pk")[: PASSAGES_LOOKED_AT * 2]:
        if normalised(claim.quote) == key:
            add(claim, SAME_QUOTE, "the same words, in another article")
        elif semantic:
            similarity = text_similarity(text, claim.wording)
            if similarity is not None and similarity >= SAME_MEANING:
                add(claim, SAME_MEANING_KIND, f"the same meaning, in another article (similarity {similarity:.2f})")
        else:
            best = max(
                (
                    s.score
                    for s in score[claim.article_id]
                    if s.passage.start < claim.end and claim.start < s.passage.end
                ),
                default=0.0,
            )
            if best >= LIKELY_MATCH:
                add(
                    claim, SIMILAR, f"a claim on a passage much like these words, in another article (match {best:.2f})"
                )
