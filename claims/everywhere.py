"""Search everywhere: articles by their title and text, claims by their wording and quote, in two groups,
each ranked, with the searched words marked.

Each group reads a bounded number of rows however large the workbench grows. An article's text is found
through the passages' full-text index (`articles.search`, stemmed, ranked by the database), its title
by the words it holds (a trigram index on PostgreSQL). Claims are found as the claim list's search finds
them (every word in the wording or the quote), at most `CANDIDATES` of them, newest first, and are then
ranked here: how many of the words the wording holds, then the quote, then how new the claim is.
"""

from dataclasses import dataclass
from functools import reduce
from operator import and_

from django.db.models import Q
from django.utils.safestring import SafeString

from articles.models import Article, Passage
from articles.search import STOPWORDS, WORD, search, terms
from claims.models import Claim
from claims.suggestions import snippet

ARTICLES = 10
CLAIMS = 20
CANDIDATES = 200  # claims, and passages, read at most for one search before ranking
TITLE_WEIGHT = 2.0  # an article whose title holds every word comes before one whose text does


@dataclass
class ArticleHit:
    article: Article
    title: SafeString  # escaped, the words marked
    snippet: SafeString | None  # the best passage, escaped, the words marked; None when only the title matched
    score: float


@dataclass
class ClaimHit:
    claim: Claim
    wording: SafeString
    quote: SafeString
    score: float


@dataclass
class Found:
    words: list[str]
    articles: list[ArticleHit]
    claims: list[ClaimHit]
    more_claims: bool  # more claims hold the words than were ranked: the newest CANDIDATES were


def search_everywhere(text: str) -> Found:
    """What the workbench holds of `text`'s words (stop words left out), best first in each group."""
    words = terms(text)
    if not words:
        return Found(words, [], [], False)
    # As the claim list searches: each word as written ("fund-raising" is "fund" and "raising").
    plain = list(dict.fromkeys(word for word in WORD.findall(text.lower()) if word not in STOPWORDS))
    claims, more = _claims(plain[: len(words)])
    return Found(words, _articles(words), claims, more)


def _articles(words: list[str]) -> list[ArticleHit]:
    found = search(words, limit=CANDIDATES, misspelt=False)
    total_weight = sum(found.weights) or 1.0
    top_rank = max((match.rank for match in found.matches), default=0.0) or 1.0
    best: dict[int, tuple[float, int]] = {}  # article -> (score of its best passage, that passage)
    passage_articles = dict(
        Passage.objects.filter(pk__in=[m.passage_id for m in found.matches]).values_list("pk", "article_id")
    )
    for match in found.matches:
        coverage = sum(found.weights[i] for i in match.terms) / total_weight
        score = coverage + match.rank / top_rank / 2
        article_id = passage_articles[match.passage_id]
        if article_id not in best or score > best[article_id][0]:
            best[article_id] = (score, match.passage_id)
    titled = (
        Article.objects.current()
        .filter(reduce(and_, [Q(title__icontains=word) for word in words]))
        .order_by("-pk")
        .values_list("pk", flat=True)[:ARTICLES]
    )
    scores = {article_id: score for article_id, (score, _) in best.items()}
    for article_id in titled:
        scores[article_id] = scores.get(article_id, 0.0) + TITLE_WEIGHT
    ranked = sorted(scores, key=lambda article_id: (-scores[article_id], -article_id))[:ARTICLES]
    articles = Article.objects.only("title", "publisher", "published_at").in_bulk(ranked)
    passages = dict(
        Passage.objects.filter(pk__in=[best[pk][1] for pk in ranked if pk in best]).values_list("pk", "text")
    )
    return [
        ArticleHit(
            article=articles[pk],
            title=snippet(articles[pk].title, found.terms),
            snippet=snippet(passages[best[pk][1]], found.terms) if pk in best else None,
            score=round(scores[pk], 4),
        )
        for pk in ranked
    ]


def _claims(words: list[str]) -> tuple[list[ClaimHit], bool]:
    every_word = reduce(and_, [Q(wording__icontains=word) | Q(quote__icontains=word) for word in words])
    candidates = list(
        Claim.objects.filter(every_word)
        .select_related("article")
        .only("wording", "quote", "status", "article__title")
        .order_by("-pk")[: CANDIDATES + 1]
    )
    more = len(candidates) > CANDIDATES
    candidates = candidates[:CANDIDATES]

    def score(claim: Claim) -> float:
        wording, quote = claim.wording.lower(), claim.quote.lower()
        return (2 * sum(word in wording for word in words) + sum(word in quote for word in words)) / (3 * len(words))

    ranked = sorted(candidates, key=lambda claim: (-score(claim), -claim.pk))[:CLAIMS]
    hits = [ClaimHit(c, snippet(c.wording, words), snippet(c.quote, words), round(score(c), 4)) for c in ranked]
    return hits, more
