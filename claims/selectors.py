"""Reads shared by the claim pages."""

from articles.models import Article, Passage
from articles.passages import ensure_passages
from claims import permissions
from claims.models import Claim, ClaimSet, EvidenceLink, Tag
from claims.rules import VERDICT_LABELS, claim_blockers, independent_support, reviewer_blockers

PASSAGE_RESULTS = 20
ARTICLE_PASSAGES = 500  # a whole article, read passage by passage
CANDIDATE_ARTICLES = 50  # articles a word search reads passages of: bounds the passages written on the way

__all__ = [
    "claim_sets_for",
    "deleted_claims",
    "evidence_by_stance",
    "independent_support",
    "passage_search",
    "tag_names",
    "tag_text",
    "verdict_options",
]


def evidence_by_stance(links: list[EvidenceLink]) -> list[tuple[str, str, list[EvidenceLink]]]:
    """(stance, label, links) for every stance, in the order a reviewer reads them."""
    return [
        (value, label, [link for link in links if link.stance == value]) for value, label in EvidenceLink.Stance.choices
    ]


def verdict_options(*, claim: Claim, links: list[EvidenceLink], user) -> list[dict]:
    """Each verdict the claim could move to, with what still stands in its way (the rationale aside).

    Anyone may read what the claim needs; what stands in the way of this reviewer shows to reviewers.
    """
    personal = reviewer_blockers(claim=claim, user=user) if permissions.can_set_verdict(user) else []
    return [
        {
            "status": status,
            "label": VERDICT_LABELS[status],
            "blockers": personal + claim_blockers(claim=claim, links=links, status=status, rationale=None),
        }
        for status in Claim.Status.values
        if status != claim.status
    ]


def passage_search(*, claim: Claim, text: str, article: Article | None = None) -> list[Passage]:
    """Passages of other articles holding every word searched for; all of one article's when it is chosen.

    A word search looks among the current versions of other articles (an older version would offer the
    same sentences again), in the first articles whose text holds every word, and writes their passages
    if nobody has needed them before.
    """
    words = text.split()
    if not words and article is None:
        return []
    passages = Passage.objects.exclude(article_id=claim.article_id).select_related("article")
    for word in words:
        passages = passages.filter(text__icontains=word)
    if article is not None:
        ensure_passages([article])
        return list(passages.filter(article=article).order_by("index")[:ARTICLE_PASSAGES])
    candidates = Article.objects.current().exclude(pk=claim.article_id)
    for word in words:
        candidates = candidates.filter(body__icontains=word)
    candidates = list(candidates.only("pk", "body").order_by("pk")[:CANDIDATE_ARTICLES])
    ensure_passages(candidates)
    return list(passages.filter(article__in=candidates).order_by("article_id", "index")[:PASSAGE_RESULTS])


def tag_text(claim: Claim) -> str:
    return ", ".join(tag.name for tag in claim.tags.all())


def tag_names() -> list[str]:
    return list(Tag.objects.values_list("name", flat=True))


def deleted_claims(limit: int = 200) -> list:
    """The deletion records of claims that are still deleted, newest first."""
    deletions = Claim.history.filter(history_type="-").select_related("history_user", "article")
    existing = Claim.objects.filter(pk__in=deletions.values("id")).values_list("pk", flat=True)
    return list(deletions.exclude(id__in=existing).order_by("-history_date")[:limit])


def claim_sets_for(user):
    """The claim sets a user may see: their own, or every one for admins."""
    sets = ClaimSet.objects.select_related("owner")
    return sets if user.has_perm("claims.view_claimset") else sets.filter(owner=user)
