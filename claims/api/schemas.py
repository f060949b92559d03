"""What the API answers and takes, as typed schemas: the OpenAPI document is made from them."""

from datetime import date, datetime
from typing import Literal

from django.urls import reverse
from ninja import Field, Schema

from claims.models import Claim, EvidenceLink
from workbench.api.schemas import READ_ERRORS, WRITE_ERRORS, Id  # noqa: F401 - the operations' errors and ids

OFFSET = 2**31 - 1

Status = Literal[tuple(Claim.Status.values)]
Stance = Literal[tuple(EvidenceLink.Stance.values)]


class ArticleOut(Schema):
    id: int
    title: str
    url: str
    publisher: str
    published_at: datetime | None
    version: int
    previous_version: int | None = Field(None, alias="previous_version_id")
    imported_at: datetime
    page: str = Field(description="The article's page in the workbench.")

    @staticmethod
    def resolve_page(article) -> str:
        return article.get_absolute_url()


class Provenance(Schema):
    origin_file: str
    origin_record: int
    imported_by: str | None
    imported_at: datetime
    import_batch: int | None = Field(None, alias="import_batch_id")
    content_hash: str = Field(description="SHA-256 of the whitespace-normalised body.")
    raw_encoding: str
    raw: str = Field(description="Where the bytes exactly as received are downloaded (a workbench page).")

    @staticmethod
    def resolve_imported_by(article) -> str | None:
        return article.imported_by.get_username() if article.imported_by else None

    @staticmethod
    def resolve_raw(article) -> str:
        return reverse("articles:raw", args=[article.pk])


class PassageOut(Schema):
    id: int
    index: int
    start: int
    end: int
    text: str


class ArticleDetail(ArticleOut):
    body: str
    provenance: Provenance
    passages: list[PassageOut]

    @staticmethod
    def resolve_provenance(article):
        return article

    @staticmethod
    def resolve_passages(article):
        return article.passage_list


class ArticlePage(Schema):
    items: list[ArticleOut]
    next: str | None = Field(description="The cursor of the next page; none after the last.")


class ClaimOut(Schema):
    id: int
    uid: str
    article: int = Field(alias="article_id")
    article_title: str
    quote: str
    prefix: str
    suffix: str
    start: int
    end: int
    wording: str
    tags: list[str]
    status: Status
    needs_review: bool
    review_reason: str
    verdict_rationale: str
    reviewed_by: str | None
    reviewed_at: datetime | None
    created_by: str
    created_at: datetime
    updated_at: datetime
    version: int = Field(description="Moves on with every change; the ETag names it.")
    anchor_confidence: float
    page: str

    @staticmethod
    def resolve_uid(claim) -> str:
        return str(claim.uid)

    @staticmethod
    def resolve_article_title(claim) -> str:
        return claim.article.title

    @staticmethod
    def resolve_tags(claim) -> list[str]:
        return [tag.name for tag in claim.tags.all()]

    @staticmethod
    def resolve_reviewed_by(claim) -> str | None:
        return claim.reviewed_by.get_username() if claim.reviewed_by else None

    @staticmethod
    def resolve_created_by(claim) -> str:
        return claim.created_by.get_username()

    @staticmethod
    def resolve_page(claim) -> str:
        return claim.get_absolute_url()


class ClaimPage(Schema):
    items: list[ClaimOut]
    next: str | None


class CitedPassage(PassageOut):
    article: int = Field(alias="article_id")
    article_title: str

    @staticmethod
    def resolve_article_title(passage) -> str:
        return passage.article.title


class EvidenceOut(Schema):
    id: int
    stance: Stance
    note: str
    passage: CitedPassage | None = Field(description="A passage of another article; or else an external source:")
    url: str
    title: str
    publisher: str
    accessed_on: date | None
    quote: str
    added_by: str
    added_at: datetime

    @staticmethod
    def resolve_added_by(link) -> str:
        return link.added_by.get_username()


class TagOut(Schema):
    id: int
    name: str


class TagPage(Schema):
    items: list[TagOut]
    next: str | None


class ClaimSetOut(Schema):
    id: int
    name: str
    description: str
    owner: str
    selection: Literal["filter", "picked"]
    query: str = Field(description="For a saved filter: the claim list's query it keeps.")
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_owner(claim_set) -> str:
        return claim_set.owner.get_username()


class ClaimSetPage(Schema):
    items: list[ClaimSetOut]
    next: str | None


class ClaimIn(Schema):
    """Tag a claim: by the offsets of the words (start and end), or by the words themselves (quote), which
    must appear once in the article."""

    article: Id
    quote: str = ""
    start: int | None = Field(None, ge=0, le=OFFSET)
    end: int | None = Field(None, ge=0, le=OFFSET)
    wording: str = Field("", description="The claim in your words; the quote when empty.")
    tags: list[str] = []


class ClaimChange(Schema):
    """What changes: the fields left out stay as they are."""

    wording: str | None = None
    tags: list[str] | None = None


class VerdictIn(Schema):
    status: str = Field(description="verified, disputed or open (reopen).")
    rationale: str = ""


class PassageLinkIn(Schema):
    passage: Id
    stance: str
    note: str = ""


class ExternalLinkIn(Schema):
    url: str
    stance: str
    title: str = ""
    publisher: str = ""
    accessed_on: date | None = None
    quote: str = ""
    note: str = ""
