"""Publishing a claim set: a static, self-contained HTML page of its decided claims (and a snippet to embed
in another page), written to the default storage and recorded as a Publication.

What is published is what a verified or disputed export holds (claims.selectors.selected_claims): a claim
whose verdict is suspended (it needs review) is not, so publishing again after a change drops it. Each
publication is a version of its own that stays where it was written; the newest is also copied to the
set's plain address in storage, and served at /published/<slug>/ (claims.publish_views).

A page needs nothing but itself: its styles are inline, it loads no script, font or image, and it holds
the claims' ClaimReview JSON-LD (claims.exports.claimreview) for search engines and fact-check tools.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from claims import permissions
from claims.exports import claimreview, jsonld
from claims.exports.context import base_url, build_context
from claims.exports.records import claim_records
from claims.models import Claim, ClaimSet, EvidenceLink, Publication
from claims.selectors import selected_claims

STATUSES = [Claim.Status.VERIFIED, Claim.Status.DISPUTED]
FOLDER = "published"
PAGE, SNIPPET = "index.html", "embed.html"
SLUG_LENGTH = 60


def claim_set_publish(*, claim_set: ClaimSet, user, served_at: str | None = None) -> Publication:
    """Publish the set's decided claims as its next version. `served_at`: the address of the page that asked
    (links point there unless WORKBENCH_BASE_URL says otherwise)."""
    if not permissions.can_publish_set(user, claim_set):
        raise PermissionDenied("Only the set's owner and admins publish a set, and only if they sign off verdicts.")
    return _publish(claim_set, user=user, served_at=served_at)


def claim_record_written(record, previous) -> None:
    """A claim whose verdict changed (verified, disputed, suspended, reopened) or that was deleted: the sets whose
    page shows it are published again once this commits, by the worker, so that no page the workbench serves
    goes on calling it what it no longer is (claims.receivers: whichever door wrote it)."""
    if previous is None or (record.history_type != "-" and previous.status == record.status):
        return
    if previous.status not in STATUSES and record.status not in STATUSES:
        return
    from claims import tasks

    transaction.on_commit(lambda: tasks.republish_where_shown.enqueue(str(record.uid)))


def republish_where_shown(claim_uid: str) -> list[Publication]:
    """Each set whose newest page shows this claim, published again as it is now, in the name of whoever
    published it last. The earlier versions stay where they were, as what was published then."""
    republished = []
    for claim_set in ClaimSet.objects.filter(publications__isnull=False).distinct().order_by("pk"):
        newest = claim_set.publications.order_by("-version").first()
        if _shows(newest, claim_uid):
            republished.append(_publish(claim_set, user=newest.published_by, served_at=None))
    return republished


def _shows(publication: Publication, claim_uid: str) -> bool:
    try:
        with default_storage.open(publication.page_path, "rb") as page:
            return f'id="{_anchor({"uid": claim_uid})}"'.encode() in page.read()
    except FileNotFoundError:
        return False


def _publish(claim_set: ClaimSet, *, user, served_at: str | None) -> Publication:
    claims = selected_claims(claim_set=claim_set, filters={}, statuses=STATUSES)
    with transaction.atomic():
        # One publisher at a time per set: each takes the next version number.
        ClaimSet.objects.select_for_update().filter(pk=claim_set.pk).first()
        latest = claim_set.publications.order_by("-version").first()
        slug = latest.slug if latest else _slug_for(claim_set)
        version = latest.version + 1 if latest else 1
        links_to = base_url(served_at)
        records = list(claim_records(claims, base_url=links_to))
        published = Publication(
            claim_set=claim_set,
            claim_set_name=claim_set.name,
            slug=slug,
            version=version,
            published_by=user,
            published_at=timezone.now().replace(microsecond=0),
            claim_count=len(records),
        )
        page, snippet = _render(claim_set, published, records, links_to, claims)
        folder = f"{FOLDER}/{slug}/v{version}"
        published.page_path = default_storage.save(f"{folder}/{PAGE}", ContentFile(page))
        published.snippet_path = default_storage.save(f"{folder}/{SNIPPET}", ContentFile(snippet))
        published.sha256 = hashlib.sha256(page).hexdigest()
        published._history_user = user
        published.save()
        for name, content in ((PAGE, page), (SNIPPET, snippet)):
            _replace(f"{FOLDER}/{slug}/{name}", content)
    return published


def _slug_for(claim_set: ClaimSet) -> str:
    """The set's public name for good: its name as it was first published, and its number (names can repeat
    once a set is deleted, numbers not)."""
    return f"{slugify(claim_set.name)[:SLUG_LENGTH].strip('-') or 'claim-set'}-{claim_set.pk}"


def _replace(name: str, content: bytes) -> None:
    """The set's plain address in storage holds the newest version (a file system storage would otherwise
    save beside it under another name)."""
    default_storage.delete(name)
    default_storage.save(name, ContentFile(content))


@dataclass(frozen=True)
class Shown:
    """A claim record as the page shows it: its dates as dates, its sources with their stance's name."""

    record: dict
    anchor_id: str
    article_date: datetime | None
    reviewed_at: datetime | None
    sources: list[dict]


def _render(claim_set, published: Publication, records: list[dict], links_to: str, claims) -> tuple[bytes, bytes]:
    page_url = links_to + reverse("published:current", args=[published.slug])
    context = build_context(claims, base_url=links_to, statuses=STATUSES, claim_set=claim_set.name)
    reviews = []
    for record in records:
        review = claimreview.claim_review(record, context)
        # A reader's link to the review is the public page, not the workbench's claim page behind its login.
        reviews.append({**review, "url": f"{page_url}#{_anchor(record)}"})
    values = {
        "publication": published,
        "description": claim_set.description,
        "organisation": context.organisation_name,
        "organisation_url": context.organisation_url,
        "page_url": page_url,
        "version_url": links_to + published.get_absolute_url(),
        "claims": [_shown(record) for record in records],
        # Written by jsonld.dumps, which escapes "<", ">" and "&": no string can end the script element.
        "jsonld": mark_safe(jsonld.dumps(reviews)),  # noqa: S308
    }
    page = render_to_string("claims/published/page.html", values)
    snippet = render_to_string("claims/published/snippet.html", values)
    return page.encode(), snippet.encode()


STANCES = dict(EvidenceLink.Stance.choices)


def _shown(record: dict) -> Shown:
    sources = [
        {**source, "stance_label": STANCES.get(source["stance"], source["stance"])} for source in record["evidence"]
    ]
    return Shown(
        record=record,
        anchor_id=_anchor(record),
        article_date=_date(record["article"]["published_at"]),
        reviewed_at=_date(record["verdict"]["reviewed_at"]),
        sources=sources,
    )


def _anchor(record: dict) -> str:
    return f"claim-{record['uid']}"


def _date(value: str | None) -> datetime | None:
    """Whole seconds: HTML's <time> takes at most three digits of a fraction."""
    return datetime.fromisoformat(value).replace(microsecond=0) if value else None


def current(slug: str) -> Publication | None:
    return Publication.objects.filter(slug=slug).order_by("-version").first()


SHOWN_VERSIONS = 5  # on the set's page; every version keeps its address


def latest_of(claim_set: ClaimSet) -> list[Publication]:
    """The set's newest publications, newest first, with who published them: one query."""
    return list(claim_set.publications.select_related("published_by").order_by("-version")[:SHOWN_VERSIONS])
