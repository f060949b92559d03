"""How a claim reads on the pages that list many of them (the claim list, the reader's claims panel),
worked out in Python once per claim: a template that includes a partial, truncates and formats a date for
each of a hundred rows spends more on that than on all the page's queries (workbench/display.py)."""

from functools import cache
from html import escape

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from claims.models import LISTED, Claim
from workbench.display import day, path_of, truncated


@cache
def status_badges() -> dict[str, SafeString]:
    """Each status's badge, rendered once per process (it holds nothing but the status and its label)."""
    return {
        status: render_to_string("partials/status_badge.html", {"status": status, "label": label})
        for status, label in Claim.Status.choices
    }


# What a row of the claim list shows, read as plain values: building model instances for a page of claims,
# their articles and people cost more than the page's queries.
ROW = ("pk", "version", *LISTED)


def claim_rows(
    ids: list[int], *, contradicted: set[int], pickable: bool, checked: set[int] = frozenset()
) -> list[SafeString]:
    """The claim list's rows for a page of claims, in the order of `ids`, each a whole `<tr>`; `pickable`
    adds the box that ticks a claim for the bulk actions (claims.bulk_views), ticked for those `checked`.
    The box holds the version shown, so that an action refuses a claim changed since.

    The page's claims are found first by their ids alone, then read here: an offset of 50,000 rows costs
    an index scan, where reading every skipped row with its article and people cost ten times more."""
    rows = {row.pk: row for row in Claim.objects.filter(pk__in=ids).values_list(*ROW, named=True)}
    tags = tag_names_of(ids)
    badges, url = status_badges(), path_of("claims:detail")
    return [
        _row(rows[pk], tags.get(pk, ()), badges, url, pk in contradicted, pickable, pk in checked)
        for pk in ids
        if pk in rows
    ]


def tag_names_of(claim_ids: list[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {}
    links = Claim.tags.through.objects.filter(claim_id__in=claim_ids).order_by("tag__name")
    for claim_id, name in links.values_list("claim_id", "tag__name"):
        names.setdefault(claim_id, []).append(name)
    return names


def _row(
    row, tags, badges: dict[str, SafeString], url, contradicted: bool, pickable: bool, checked: bool
) -> SafeString:
    # Written with the standard library's escape (what Django's does, without its wrappers): called a dozen
    # times per row, the wrappers were most of the row's cost.
    pick = (
        f'<td class="pick"><input type="checkbox" name="bulk-claims" value="{row.pk}:{row.version}" form="bulk"'
        f' aria-label="Select “{escape(truncated(row.wording, 60))}”"{" checked" if checked else ""}></td>'
        if pickable
        else ""
    )
    tagged = "".join(f' <span class="tag">{escape(name)}</span>' for name in tags)
    badge = ' <span class="badge">contradicted</span>' if contradicted else ""
    if row.needs_review and row.status != Claim.Status.REVIEW:
        badge += f' <span class="badge badge--warning" title="{escape(row.review_reason)}">needs review</span>'
    return SafeString(
        f'<tr>{pick}<td data-label="Claim"><a href="{url(row.pk)}">{escape(truncated(row.wording, 140))}</a>{tagged}{badge}</td>'
        f'<td class="nowrap" data-label="Status">{badges[row.status]}</td>'
        f'<td data-label="Article">{escape(truncated(row.article__title, 60))}<br><span class="muted small">{escape(row.article__publisher)}</span></td>'
        f'<td data-label="Tagged by"><span class="nowrap">{escape(row.created_by__username)}</span><br><span class="muted small">{day(row.created_at)}</span></td>'
        f'<td class="nowrap" data-label="Reviewer">{escape(row.reviewed_by__username or "—")}</td></tr>'
    )
