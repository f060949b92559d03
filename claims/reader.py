"""The reader: an article's text with its claims highlighted, where editors tag claims.

It is claims' tagging UI, so it lives here although it is served at /articles/<id>/ under the name
`articles:detail` (joined to articles' own pages in `workbench/urls.py`): articles never imports claims.
"""

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET

from articles.history import metadata_edits
from articles.models import Article
from claims import permissions
from claims.anchoring import Item, highlighted_blocks
from claims.display import status_badges
from claims.forms import TagClaimForm
from claims.models import Claim
from claims.selectors import tag_names
from workbench.display import path_of, truncated


@require_GET
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # The versions around this one, without their text: two ahead, so that the notice on an old version
    # names the newest without another query (`Article.newest_version`).
    versions = ("previous_version", "next_version", "next_version__next_version")
    article = get_object_or_404(
        Article.objects.select_related("imported_by", "import_batch__imported_by", *versions).defer(
            "raw", *(f"{version}__{name}" for version in versions for name in ("body", "raw"))
        ),
        pk=pk,
    )
    return render_reader(request, article)


def render_reader(request: HttpRequest, article: Article, *, tag_form=None, status: int = 200) -> HttpResponse:
    """The reader: the body with its claims highlighted, the claims panel, and the tag form."""
    claims = list(
        article.claims.select_related("created_by")
        .only("pk", "article_id", "start", "end", "status", "wording", "created_by__username")
        .order_by("start", "end", "pk")
    )
    may_tag = permissions.can_tag(request.user)
    # A superseded version takes no new claims (services.claim_create refuses them): one tagged here
    # would never follow the text to later versions. Its claims stay readable; the notice leads on.
    newest = article.newest_version()
    superseded = newest.pk != article.pk
    can_tag = may_tag and not superseded
    shown = shown_claims(claims)
    context = {
        "article": article,
        "blocks": marked_blocks(article.body, claims, shown),
        "claims": list(shown.values()),
        "can_tag": can_tag,
        "tagging_closed": may_tag and not can_tag,
        "newest": newest if superseded else None,
        "tag_form": tag_form or TagClaimForm(article=article),
        "tag_names": tag_names() if can_tag else [],
        "metadata_edits": metadata_edits(article.pk),
    }
    return render(request, "claims/reader.html", context, status=status)


@dataclass(frozen=True)
class Shown:
    """A claim as the reader shows it, worked out once however many pieces of text it covers."""

    pk: int
    status: str
    url: str
    suggestions_url: str  # the suggestions panel, fetched when the claim's suggestions are opened
    badge: SafeString
    wording: str  # as the claims panel shortens it
    title: str  # what a mark says of it
    by: str


def shown_claims(claims: list) -> dict[int, Shown]:
    badges, url, labels = status_badges(), path_of("claims:detail"), dict(Claim.Status.choices)
    suggestions_url = path_of("claims:suggestions")
    return {
        claim.pk: Shown(
            pk=claim.pk,
            status=claim.status,
            url=url(claim.pk),
            suggestions_url=suggestions_url(claim.pk),
            badge=badges[claim.status],
            wording=truncated(claim.wording, 140),
            title=f"{labels[claim.status]} claim: {truncated(claim.wording, 120)}",
            by=claim.created_by.get_username(),
        )
        for claim in claims
    }


def marked_blocks(body: str, claims: list, shown: dict[int, Shown]) -> list[tuple[str, list[tuple[int, SafeString]]]]:
    """The reader's blocks as (kind, [(offset, html)]): each item's text with a link for every claim in it
    (written here rather than by a template included for every item, which cost more than the rest of the page).
    """
    return [
        (kind, [(item.start, _marked(item, shown)) for item in items])
        for kind, items in highlighted_blocks(body, claims)
    ]


def _marked(item: Item, shown: dict[int, Shown]) -> SafeString:
    return format_html_join("", "{}", ((_segment(segment, shown),) for segment in item.segments))


def _segment(segment, shown: dict[int, Shown]) -> SafeString:
    if not segment.claims:
        return escape(segment.text)
    claim = shown[segment.claim.pk]
    more = len(segment.claims) - 1
    return format_html(
        '<a class="claim-mark claim-mark--{}{}" href="{}" data-claims="{}" title="{}{}">{}</a>',
        claim.status,
        " claim-mark--overlap" if more else "",
        claim.url,
        "".join(f"{c.pk} " for c in segment.claims),
        claim.title,
        f" (+{more} overlapping)" if more else "",
        segment.text,
    )
