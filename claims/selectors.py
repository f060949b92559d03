"""Reads shared by the claim pages, the exports and the admin: which claims a list, a set or an export
holds, and what a claim page shows of the rules."""

from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.db.models.functions import Lower
from django.http import QueryDict
from django.utils.html import escape

from articles.models import Article, Passage
from articles.passages import ensure_passages
from claims import permissions
from claims.filters import ClaimFilter
from claims.models import Claim, ClaimSet, EvidenceLink, Tag
from claims.rules import claim_blockers, reviewer_blockers, verdict_choices
from claims.suggestions import Suggestion, search_passages

NOT_FILTERS = {"status", "sort", "page"}
PASSAGE_RESULTS = 20
ARTICLE_PASSAGES = 500  # a whole article, read passage by passage


def list_filters(query: QueryDict) -> dict[str, list[str]]:
    """The claim-list filters in a query (status aside: that is the export's own choice)."""
    names = set(ClaimFilter.base_filters) - NOT_FILTERS
    return {
        key: values
        for key, values in query.lists()
        if any(key == name or key.startswith(f"{name}_") for name in names) and any(values)
    }


def list_filters_query(query: QueryDict) -> str:
    """The claim list's filters as a query string, status included: what a saved-filter set keeps."""
    kept = QueryDict(mutable=True)
    for key, values in [*list_filters(query).items(), ("status", query.getlist("status"))]:
        if any(values):
            kept.setlist(key, values)
    return kept.urlencode()


def selected_claims(*, claim_set: ClaimSet | None, filters: dict[str, list[str]], statuses: list[str]) -> QuerySet:
    claims = Claim.objects.all()
    if claim_set is not None:
        if claim_set.selection == ClaimSet.Selection.PICKED:
            claims = claims.filter(claim_sets=claim_set)
        else:
            claims = _filtered(claims, list_filters(QueryDict(claim_set.query)))
    return _filtered(claims, filters).filter(status__in=statuses)


def withheld_claims(*, claim_set: ClaimSet | None, filters: dict[str, list[str]], statuses: list[str]) -> QuerySet:
    """Claims of the selection once judged with one of `statuses` that need review since: an export of those
    statuses leaves them out (a "verified" nobody has confirmed since is not one)."""
    if Claim.Status.REVIEW in statuses:
        return Claim.objects.none()
    suspended = selected_claims(claim_set=claim_set, filters=filters, statuses=[Claim.Status.REVIEW])
    return suspended.filter(verdict_basis__status__in=statuses)


def withheld_counts(*, claim_set: ClaimSet | None, filters: dict[str, list[str]]) -> dict[str, int]:
    """How many claims of the selection need review, by the verdict they had: one query."""
    suspended = selected_claims(claim_set=claim_set, filters=filters, statuses=[Claim.Status.REVIEW])
    return dict(suspended.order_by().values_list("verdict_basis__status").annotate(n=Count("id")))


def _filtered(claims: QuerySet, filters: dict[str, list[str]]) -> QuerySet:
    query = QueryDict(mutable=True)
    for key, values in filters.items():
        query.setlist(key, values)
    filterset = ClaimFilter(query, queryset=claims)
    if not filterset.is_valid():
        raise ValidationError({field: errors for field, errors in filterset.errors.items()})
    return filterset.qs.order_by()


def contradicted_among(claims) -> set[int]:
    """Which of `claims` (a page of them) have a contradicting source: asked for them alone."""
    ids = [claim.pk for claim in claims]
    return set(Claim.objects.filter(pk__in=ids).contradicted().values_list("pk", flat=True)) if ids else set()


def evidence_by_stance(links: list[EvidenceLink]) -> list[tuple[str, str, list[EvidenceLink]]]:
    """(stance, label, links) for every stance, in the order a reviewer reads them."""
    return [
        (value, label, [link for link in links if link.stance == value]) for value, label in EvidenceLink.Stance.choices
    ]


def verdict_options(*, claim: Claim, links: list[EvidenceLink], user) -> list[dict]:
    """Each verdict a reviewer could give the claim now, with what still stands in their way (the rationale
    aside). Only for those who may judge: to anyone else the claim's options are not theirs to weigh.

    On a claim that needs review, giving the suspended verdict again is confirming it.
    """
    if not permissions.can_set_verdict(user):
        return []
    personal = reviewer_blockers(claim=claim, user=user)
    return [
        {
            "status": status,
            "label": label,
            "blockers": personal + claim_blockers(claim=claim, links=links, status=status, rationale=None),
        }
        for status, label in verdict_choices(claim)
    ]


def passage_search(*, claim: Claim, text: str, article: Article | None = None) -> list[Suggestion]:
    """The claim page's search: passages of other articles for the words typed, ranked and stemmed as
    suggestions are (in the chosen article only, when one is chosen); every passage of the chosen article,
    in order, when no word is typed."""
    if text.strip():
        return search_passages(
            claim=claim, text=text, limit=PASSAGE_RESULTS, articles=None if article is None else [article.pk]
        )
    if article is None:
        return []
    ensure_passages([article])  # imported a moment ago, before the job that writes them has run
    passages = Passage.objects.filter(article=article).select_related("article").defer("article__body", "article__raw")
    return [
        Suggestion(passage=passage, score=0.0, snippet=escape(passage.text), stance_hint="unclear", conflict="")
        for passage in passages.order_by("index")[:ARTICLE_PASSAGES]
    ]


def tag_text(claim: Claim) -> str:
    return ", ".join(tag.name for tag in claim.tags.all())


def tags_starting(text: str, limit: int = 10) -> list[str]:
    text = text.strip()
    if not text:
        return []
    return list(
        Tag.objects.filter(name__istartswith=text).order_by(Lower("name")).values_list("name", flat=True)[:limit]
    )


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
