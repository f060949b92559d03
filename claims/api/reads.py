"""The read endpoints: articles, claims (with the claim list's filters), their evidence, tags, claim sets.
Each list is a page of an indexed order (workbench.api.pagination) at a few queries, however long the list."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from articles.filters import ArticleFilter
from articles.models import Article, Passage
from articles.passages import ensure_passages
from claims import permissions
from claims.api import schemas
from claims.api.schemas import Id
from claims.filters import ClaimFilter
from claims.models import Claim, ClaimSet, EvidenceLink, Tag
from claims.selectors import claim_sets_for, selected_claims
from workbench.api import pagination
from workbench.api.conditional import IfNoneMatch, not_modified, still_current
from workbench.api.problems import etag

router = Router()

Cursor = Field(None, description="Where the page starts: the `next` of the page before.")
Limit = Field(pagination.DEFAULT_LIMIT, ge=1, le=pagination.MAX_LIMIT, description="How many on the page.")
CLAIM_KEYS = ("created_at", "id")  # the index claim_newest_first, and its twins per status and flag


class Paging(Schema):
    cursor: str | None = Cursor
    limit: int = Limit


class ArticleQuery(Paging):
    q: str | None = Field(None, description="Words of the title.")


class TagQuery(Paging):
    q: str | None = Field(None, description="The start of the name.")


class ClaimQuery(Paging):
    """The claim list's filters, as its page takes them (claims.filters.ClaimFilter)."""

    q: str | None = Field(None, description="Every word in the wording or the quote.")
    status: str | None = Field(None, description="open, verified, disputed or review.")
    tag: str | None = None
    article: str | None = Field(None, description="An article's id.")
    publisher: str | None = None
    created_by: str | None = Field(None, description="A username.")
    reviewer: str | None = Field(None, description="A username.")
    assigned: str | None = Field(None, description="A username, or “me”.")
    created_after: str | None = Field(None, description="A date, YYYY-MM-DD.")
    created_before: str | None = None
    reviewed_after: str | None = None
    reviewed_before: str | None = None
    has_contradicting: str | None = Field(None, description="true or false.")
    needs_review: str | None = Field(None, description="true or false.")
    id: str | None = Field(None, description="Exactly these claims: ids separated by commas.")


class SetClaimsQuery(Paging):
    status: str | None = Field(None, description="Only the set's claims of this status.")


def claims_shown():
    """Claims with what their answer shows, and without the articles' text or bytes."""
    return (
        Claim.objects.select_related("article", "created_by", "reviewed_by")
        .defer("article__body", "article__raw", "verdict_basis")
        .prefetch_related("tags")
    )


def get_claim(pk: Id) -> Claim:
    return get_object_or_404(claims_shown(), pk=pk)


def _get_set(request: HttpRequest, pk: Id) -> ClaimSet:
    claim_set = get_object_or_404(ClaimSet.objects.select_related("owner"), pk=pk)
    if not permissions.can_manage_set(request.user, claim_set):
        raise PermissionDenied("Only the set's owner and admins see a claim set.")
    return claim_set


def _filtered(request: HttpRequest, query: ClaimQuery):
    data = QueryDict(mutable=True)
    for name, value in query.dict(exclude={"cursor", "limit"}, exclude_none=True).items():
        data[name] = value
    filterset = ClaimFilter(data, queryset=claims_shown(), request=request)
    if not filterset.is_valid():
        raise ValidationError({name: list(errors) for name, errors in filterset.errors.items()})
    return filterset.qs


@router.get(
    "/articles", response={200: schemas.ArticlePage, **schemas.READ_ERRORS}, url_name="articles", tags=["articles"]
)
def article_list(request: HttpRequest, query: Query[ArticleQuery]):
    """Current articles (the newest version of each), the last imported first."""
    articles = ArticleFilter({"q": query.q or ""}, queryset=Article.objects.current().defer("body", "raw")).qs
    items, after = pagination.page(articles, keys=("id",), cursor=query.cursor, limit=query.limit)
    return {"items": items, "next": after}


@router.get(
    "/articles/{int:pk}",
    response={200: schemas.ArticleDetail, **schemas.READ_ERRORS},
    url_name="article",
    tags=["articles"],
)
def article_detail(request: HttpRequest, pk: Id):
    """An article with its text, its provenance and its passages (the spans evidence links cite)."""
    article = get_object_or_404(Article.objects.defer("raw").select_related("imported_by"), pk=pk)
    ensure_passages([article])  # imported a moment ago, before the job that writes them has run
    article.passage_list = list(Passage.objects.filter(article=article).order_by("index"))
    return article


@router.get("/claims", response={200: schemas.ClaimPage, **schemas.READ_ERRORS}, url_name="claims", tags=["claims"])
def claim_list(request: HttpRequest, query: Query[ClaimQuery]):
    """Claims, the last tagged first, with the claim list's filters."""
    items, after = pagination.page(_filtered(request, query), keys=CLAIM_KEYS, cursor=query.cursor, limit=query.limit)
    return {"items": items, "next": after}


@router.get(
    "/claims/{int:pk}",
    response={200: schemas.ClaimOut, 304: None, **schemas.READ_ERRORS},
    url_name="claim",
    tags=["claims"],
)
def claim_detail(request: HttpRequest, pk: Id, response: HttpResponse, if_none_match: str | None = IfNoneMatch):
    """A claim; its ETag names its version, for a write's If-Match, and for If-None-Match: 304 while the claim
    is still at the version you hold (read from its version alone, before the rest of it)."""
    version = Claim.objects.filter(pk=pk).values_list("version", flat=True).first()
    if version is not None and still_current(if_none_match, tag := f'"{pk}.{version}"'):
        return not_modified(tag)
    claim = get_claim(pk)
    response["ETag"] = etag(claim)
    return claim


@router.get(
    "/claims/{int:pk}/evidence",
    response={200: list[schemas.EvidenceOut], **schemas.READ_ERRORS},
    url_name="evidence",
    tags=["evidence"],
)
def evidence_list(request: HttpRequest, pk: Id):
    """The claim's sources, in the order they were linked (a claim has a handful)."""
    claim = get_object_or_404(Claim.objects.only("pk"), pk=pk)
    links = EvidenceLink.objects.filter(claim=claim).select_related("passage__article", "added_by")
    return list(links.defer("passage__article__body", "passage__article__raw").order_by("added_at", "id"))


@router.get("/tags", response={200: schemas.TagPage, **schemas.READ_ERRORS}, url_name="tags", tags=["tags"])
def tag_list(request: HttpRequest, query: Query[TagQuery]):
    """Tags, the newest first; `q`: those whose name starts with it."""
    tags = Tag.objects.filter(name__istartswith=query.q) if query.q else Tag.objects.all()
    items, after = pagination.page(tags, keys=("id",), cursor=query.cursor, limit=query.limit)
    return {"items": items, "next": after}


@router.get(
    "/claim-sets",
    response={200: schemas.ClaimSetPage, **schemas.READ_ERRORS},
    url_name="claim-sets",
    tags=["claim sets"],
)
def claim_set_list(request: HttpRequest, query: Query[Paging]):
    """Your claim sets (every one, for admins), the newest first."""
    items, after = pagination.page(claim_sets_for(request.user), keys=("id",), cursor=query.cursor, limit=query.limit)
    return {"items": items, "next": after}


@router.get(
    "/claim-sets/{int:pk}",
    response={200: schemas.ClaimSetOut, **schemas.READ_ERRORS},
    url_name="claim-set",
    tags=["claim sets"],
)
def claim_set_detail(request: HttpRequest, pk: Id):
    return _get_set(request, pk)


@router.get(
    "/claim-sets/{int:pk}/claims",
    response={200: schemas.ClaimPage, **schemas.READ_ERRORS},
    url_name="claim-set-claims",
    tags=["claim sets"],
)
def claim_set_claims(request: HttpRequest, pk: Id, query: Query[SetClaimsQuery]):
    """The claims a set holds now (a saved filter's, as the filter finds them), the last tagged first."""
    claim_set = _get_set(request, pk)
    statuses = [query.status] if query.status else list(Claim.Status.values)
    chosen = selected_claims(claim_set=claim_set, filters={}, statuses=statuses)
    claims = claims_shown().filter(pk__in=chosen.values("pk"))
    items, after = pagination.page(claims, keys=CLAIM_KEYS, cursor=query.cursor, limit=query.limit)
    return {"items": items, "next": after}
