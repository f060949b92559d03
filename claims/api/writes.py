"""The write endpoints (on the read endpoints' router: one path, one view, whatever its methods): each goes through claims.services, which checks who may do it; a read-only token
is refused first. A write to an existing claim names the version it is based on (If-Match: the ETag of
the claim as read): a stale one gets 412 and nothing is written, never a lost update."""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Header, Status

from articles.models import Article, Passage
from claims import permissions, services
from claims.api import schemas
from claims.api.reads import get_claim, router
from claims.api.schemas import Id
from claims.forms import TagClaimForm
from claims.models import Claim, EvidenceLink
from claims.services import StaleClaim
from workbench.api.auth import require_write
from workbench.api.problems import PreconditionRequired, etag

ENTITY_TAG = re.compile(r'^"(\d+)\.(\d+)"$')
IfMatch = Header(None, alias="If-Match", description="The claim's ETag, as it was read.")
CLAIM_ERRORS = schemas.WRITE_ERRORS


def expected_version(claim: Claim, if_match: str | None) -> int:
    """The version the write is based on, from If-Match; an entity tag of another claim, or a weak one, never
    matches (RFC 9110's strong comparison)."""
    if not if_match or if_match.strip() == "*":
        raise PreconditionRequired("Say which version of the claim this change is based on: send its ETag in If-Match.")
    found = ENTITY_TAG.match(if_match.strip())
    if found is None or int(found[1]) != claim.pk:
        raise StaleClaim(Claim.objects.get(pk=claim.pk))
    return int(found[2])


def _answer(response: HttpResponse, claim: Claim) -> Claim:
    """The claim as it is now, with its new ETag."""
    claim = get_claim(claim.pk)
    response["ETag"] = etag(claim)
    return claim


@router.post("/claims", response={201: schemas.ClaimOut, **CLAIM_ERRORS}, url_name="claim-create", tags=["claims"])
def claim_create(request: HttpRequest, payload: schemas.ClaimIn, response: HttpResponse):
    """Tag a claim, by offsets (start, end) or by quote, as the reader's tag box does."""
    require_write(request)
    article = Article.objects.defer("raw").filter(pk=payload.article).first()
    if article is None:
        raise ValidationError({"article": "There is no article with this id."})
    fields = payload.dict(include={"start", "end", "quote", "wording"}, exclude_none=True)
    form = TagClaimForm({**fields, "tags": ", ".join(payload.tags)}, article=article)
    if not form.is_valid():
        raise ValidationError({name: list(errors) for name, errors in form.errors.items()})
    data = form.cleaned_data
    claim = services.claim_create(
        article=article, user=request.user, anchor=data["anchor"], wording=data["wording"], tags=data["tags"]
    )
    response["Location"] = request.build_absolute_uri(f"/api/v1/claims/{claim.pk}")
    return Status(201, _answer(response, claim))


@router.patch(
    "/claims/{int:pk}", response={200: schemas.ClaimOut, **CLAIM_ERRORS}, url_name="claim-update", tags=["claims"]
)
def claim_update(
    request: HttpRequest, pk: Id, payload: schemas.ClaimChange, response: HttpResponse, if_match: str | None = IfMatch
):
    """Change the claim's wording or tags (the tags given replace its tags)."""
    require_write(request)
    claim = get_claim(pk)
    expected = expected_version(claim, if_match)
    wording = claim.wording if payload.wording is None else payload.wording
    tags = ", ".join(tag.name for tag in claim.tags.all()) if payload.tags is None else ", ".join(payload.tags)
    services.claim_update(claim=claim, user=request.user, expected_version=expected, wording=wording, tags=tags)
    return _answer(response, claim)


@router.post(
    "/claims/{int:pk}/verdict",
    response={200: schemas.ClaimOut, **CLAIM_ERRORS},
    url_name="claim-verdict",
    tags=["claims"],
)
def claim_verdict(
    request: HttpRequest, pk: Id, payload: schemas.VerdictIn, response: HttpResponse, if_match: str | None = IfMatch
):
    """Verify, dispute or reopen the claim, under the workbench's rules (409 says which stand in the way)."""
    require_write(request)
    if not permissions.can_set_verdict(request.user):  # who may judge at all: 403; what stands in the way: 409
        raise PermissionDenied("Only reviewers and admins set verdicts.")
    claim = get_claim(pk)
    expected = expected_version(claim, if_match)
    services.verdict_record(
        claim=claim, user=request.user, status=payload.status, rationale=payload.rationale, expected_version=expected
    )
    return _answer(response, claim)


@router.post(
    "/claims/{int:pk}/reviewed",
    response={200: schemas.ClaimOut, **CLAIM_ERRORS},
    url_name="claim-reviewed",
    tags=["claims"],
)
def claim_reviewed(request: HttpRequest, pk: Id, response: HttpResponse, if_match: str | None = IfMatch):
    """Clear the claim's review flag: its anchor was checked and found right."""
    require_write(request)
    claim = get_claim(pk)
    expected = expected_version(claim, if_match)
    services.claim_mark_reviewed(claim=claim, user=request.user, expected_version=expected)
    return _answer(response, claim)


@router.post(
    "/claims/{int:pk}/evidence/passage",
    response={201: schemas.EvidenceOut, **CLAIM_ERRORS},
    url_name="link-passage",
    tags=["evidence"],
)
def link_passage(request: HttpRequest, pk: Id, payload: schemas.PassageLinkIn, response: HttpResponse):
    """Link a passage of another article. Adding a source loses no one's change, so it needs no If-Match;
    the claim's new ETag is in the answer."""
    require_write(request)
    claim = get_claim(pk)
    passage = Passage.objects.select_related("article").defer("article__body", "article__raw")
    passage = passage.filter(pk=payload.passage).first()
    if passage is None:
        raise ValidationError({"passage": "There is no passage with this id."})
    link = services.evidence_add_passage(
        claim=claim, user=request.user, passage=passage, stance=payload.stance, note=payload.note
    )
    response["ETag"] = etag(Claim.objects.only("version").get(pk=claim.pk))
    return Status(201, _link(link.pk))


@router.post(
    "/claims/{int:pk}/evidence/external",
    response={201: schemas.EvidenceOut, **CLAIM_ERRORS},
    url_name="link-external",
    tags=["evidence"],
)
def link_external(request: HttpRequest, pk: Id, payload: schemas.ExternalLinkIn, response: HttpResponse):
    """Link an external source by its URL."""
    require_write(request)
    claim = get_claim(pk)
    link = services.evidence_add_external(claim=claim, user=request.user, **payload.dict())
    response["ETag"] = etag(Claim.objects.only("version").get(pk=claim.pk))
    return Status(201, _link(link.pk))


@router.delete(
    "/claims/{int:pk}/evidence/{int:link_pk}",
    response={204: None, **CLAIM_ERRORS},
    url_name="unlink",
    tags=["evidence"],
)
def unlink(request: HttpRequest, pk: Id, link_pk: Id, response: HttpResponse):
    """Remove a source from the claim."""
    require_write(request)
    link = get_object_or_404(EvidenceLink.objects.select_related("claim"), pk=link_pk, claim_id=pk)
    services.evidence_remove(link=link, user=request.user)
    response["ETag"] = etag(Claim.objects.only("version").get(pk=pk))
    return Status(204, None)


def _link(pk: Id) -> EvidenceLink:
    links = EvidenceLink.objects.select_related("passage__article", "added_by")
    return links.defer("passage__article__body", "passage__article__raw").get(pk=pk)
