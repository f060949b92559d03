"""How a claim reads on the pages that list many of them (the claim list, the reader's claims panel),
worked out in Python once per claim: a template that includes a partial, truncates and formats a date for
each of a hundred rows spends more on that than on all the page's queries (workbench/display.py)."""

from dataclasses import dataclass
from functools import cache

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from claims.models import Claim
from workbench.display import day, path_of, truncated


@cache
def status_badges() -> dict[str, SafeString]:
    """Each status's badge, rendered once per process (it holds nothing but the status and its label)."""
    return {
        status: render_to_string("partials/status_badge.html", {"status": status, "label": label})
        for status, label in Claim.Status.choices
    }


@dataclass(frozen=True)
class Row:
    """A claim as a row of the claim list."""

    pk: int
    url: str
    wording: str
    short_wording: str  # what a screen reader hears of the row's pick box
    tags: list[str]
    contradicted: bool
    flag: str | None  # the reason a claim is flagged while it keeps its status; None when it is not
    badge: SafeString
    article_title: str
    publisher: str
    by: str
    tagged_on: str
    reviewer: str


def claim_rows(claims, *, contradicted: set[int]) -> list[Row]:
    badges, url = status_badges(), path_of("claims:detail")
    return [
        Row(
            pk=claim.pk,
            url=url(claim.pk),
            wording=truncated(claim.wording, 140),
            short_wording=truncated(claim.wording, 60),
            tags=[tag.name for tag in claim.tags.all()],
            contradicted=claim.pk in contradicted,
            flag=claim.review_reason if claim.needs_review and claim.status != Claim.Status.REVIEW else None,
            badge=badges[claim.status],
            article_title=truncated(claim.article.title, 60),
            publisher=claim.article.publisher,
            by=claim.created_by.get_username(),
            tagged_on=day(claim.created_at),
            reviewer=claim.reviewed_by.get_username() if claim.reviewed_by else "—",
        )
        for claim in claims
    ]
